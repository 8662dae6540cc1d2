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


# ------------------------------------------------------- trained models and their preprocessing


def test_models_is_an_attribute_of_chainrule():
    import chainrule

    assert chainrule.models.load is cr.models.load and callable(cr.models.load)


IMAGES = np.random.default_rng(2).uniform(size=(5, 8, 8)).astype(np.float32)


@pytest.mark.parametrize("model, images, shape", [
    ("seed-cnn", IMAGES, (5, 1, 64)),
    ("lenet", IMAGES, (5, 1, 8, 8)),
    ("mlp", IMAGES, (5, 8, 8)),
    ("lenet", np.stack([IMAGES, 1 - IMAGES, IMAGES], axis=-1), (5, 3, 8, 8)),
], ids=["seed-cnn-signal", "lenet-grey", "mlp", "lenet-colour"])
def test_preprocess_standardizes_then_lays_out_the_inputs_for_the_model(model, images, shape):
    preprocess = cr.models.Preprocess(model, 0.25, 0.5, images.shape[1:])
    x = preprocess.inputs(images)
    assert x.shape == shape and x.dtype == np.float32
    standardized = ((images - 0.25) / 0.5).astype(np.float32)
    if images.ndim == 4:
        standardized = np.moveaxis(standardized, -1, 1)
    np.testing.assert_array_equal(x.numpy().ravel(), standardized.ravel())


def test_preprocess_targets_are_even_odd_for_the_seed_cnn_and_classes_otherwise():
    labels = np.array([0, 3, 4, 7])
    np.testing.assert_array_equal(cr.models.Preprocess("seed-cnn", 0, 1, (8, 8)).targets(labels), [1, -1, 1, -1])
    np.testing.assert_array_equal(cr.models.Preprocess("lenet", 0, 1, (8, 8)).targets(labels), labels)


def test_preprocess_refuses_images_of_another_shape_and_passes_gradients():
    preprocess = cr.models.Preprocess("mlp", 0.5, 2.0, (8, 8))
    with pytest.raises(ValueError, match=r"reads images of shape \(N, 8, 8\), got \(5, 28, 28\)"):
        preprocess.inputs(np.zeros((5, 28, 28), np.float32))
    images = cr.tensor(IMAGES, requires_grad=True)
    preprocess.inputs(images).sum().backward()
    np.testing.assert_allclose(images.grad.numpy(), np.full(IMAGES.shape, 0.5))


def test_load_rebuilds_the_recorded_network_behind_its_preprocessing(tmp_path):
    cr.random.seed(0)
    network = cr.models.build("lenet", {"in_channels": 1, "image_size": 8, "classes": 10})
    config = {"model": "lenet", "arguments": {"in_channels": 1, "image_size": 8, "classes": 10},
              "preprocess": {"mean": 0.3, "std": 0.4, "shape": [8, 8]}}
    cr.save({"model": network.state_dict(), "config": config}, tmp_path / "ckpt.safetensors")
    pipeline = cr.models.load(tmp_path / "ckpt.safetensors")
    assert isinstance(pipeline, cr.models.Pipeline) and not pipeline.training and pipeline.config == config
    expected = network(cr.tensor(((IMAGES - 0.3) / 0.4).astype(np.float32)[:, None]))
    np.testing.assert_array_equal(pipeline(IMAGES).numpy(), expected.numpy())


@pytest.mark.parametrize("name, arguments, match", [
    ("resnet", {}, "unknown model 'resnet'"),
    ("mlp", {"in_features": 64}, "mlp is built with in_features, classes"),
    ("mlp", {"in_features": 64, "classes": 10, "hidden": [8]}, "mlp is built with in_features, classes"),
    ("lenet", {"in_channels": 1, "image_size": 100_000, "classes": 10}, "image_size between 1 and 512"),
    ("seed-cnn", {"length": 64.0}, "length between 1 and 262144, got 64.0"),
])
def test_build_refuses_unknown_models_and_arguments_out_of_bounds(name, arguments, match):
    with pytest.raises(ValueError, match=match):
        cr.models.build(name, arguments)
