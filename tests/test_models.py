"""The models: the seed CNN is the lecture's Toeplitz network; LeNet and the MLP have the right shapes."""

import numpy as np
import pytest

import chainrule as cr
from chainrule.models import SeedCNN, lenet, mlp, seed_cnn_forward
from chainrule.nn import functional as F


def test_seed_cnn_equals_the_lectures_toeplitz_matrices():
    cr.random.seed(3)
    model = SeedCNN(length=16, channels=1, kernel_size=3)
    x = np.random.default_rng(0).standard_normal((5, 1, 16)).astype(np.float32)
    W1 = F.toeplitz(model.conv1.weight[0, 0], 16, padding="same").numpy()
    W2 = F.toeplitz(model.conv2.weight[0, 0], 16, padding="same").numpy()
    W3 = model.fc.weight.numpy()
    b1, b2, b3 = model.conv1.bias.numpy(), model.conv2.bias.numpy(), model.fc.bias.numpy()
    h1 = np.maximum(x[:, 0] @ W1.T + b1, 0)
    h2 = np.maximum(h1 @ W2.T + b2, 0)
    expected = h2 @ W3.T + b3
    np.testing.assert_allclose(model(cr.tensor(x)).numpy(), expected, rtol=1e-5, atol=1e-6)


def test_seed_cnn_gradient_passes_check_grad():
    cr.random.seed(1)
    model = SeedCNN(length=12, channels=2, kernel_size=3)
    x = cr.tensor(np.random.default_rng(1).standard_normal((4, 1, 12)))
    y = np.array([1, -1, 1, -1])
    params = [p.numpy().astype(np.float64) for p in model.parameter_list()]
    report = cr.check_grad(lambda *p: F.logistic_loss(seed_cnn_forward(x, *p), y), *params, order=2)
    assert report.passed


@pytest.mark.parametrize("size,features", [(28, 400), (8, 64)])
def test_lenet_shapes_for_mnist_and_digits(size, features):
    net = lenet(image_size=size)
    linear = [m for m in net if isinstance(m, cr.nn.Linear)]
    assert linear[0].in_features == features
    out = net(cr.tensor(np.zeros((2, 1, size, size), np.float32)))
    assert out.shape == (2, 10)


def test_lenet_refuses_images_too_small():
    with pytest.raises(ValueError, match="too small"):
        lenet(image_size=2)


def test_mlp_widths():
    net = mlp(in_features=64, hidden=(32, 16), classes=3)
    widths = [(m.in_features, m.out_features) for m in net if isinstance(m, cr.nn.Linear)]
    assert widths == [(64, 32), (32, 16), (16, 3)]
    assert net(cr.tensor(np.zeros((5, 8, 8), np.float32))).shape == (5, 3)
