"""The layers of cr.nn: PyTorch's constructors, defaults and initializations, outputs
against the functional forms, modes, and gradients against finite differences."""

import math

import numpy as np
import pytest

import chainrule as cr
from chainrule import nn
from chainrule.nn import functional as F

RNG = np.random.default_rng(2)


@pytest.fixture
def float64():
    previous = cr.get_default_dtype()
    cr.set_default_dtype(np.float64)
    yield
    cr.set_default_dtype(previous)


# ----------------------------------------------------------------------------- Linear
def test_linear_shapes_and_default_initialization_bounds():
    cr.random.seed(0)
    layer = nn.Linear(400, 300)
    assert layer.weight.shape == (300, 400) and layer.bias.shape == (300,)
    bound = 1 / math.sqrt(400)
    w = layer.weight.numpy()
    assert np.abs(w).max() <= bound and np.abs(layer.bias.numpy()).max() <= bound
    np.testing.assert_allclose(w.std(), bound / math.sqrt(3), rtol=0.02)
    assert layer.weight.requires_grad and layer.weight.dtype == np.float32


def test_linear_forward_is_the_functional_form_and_bias_can_be_off():
    layer = nn.Linear(3, 2, bias=False)
    assert layer.bias is None and [n for n, _ in layer.named_parameters()] == ["weight"]
    x = RNG.normal(size=(4, 3)).astype(np.float32)
    np.testing.assert_allclose(layer(x).numpy(), x @ layer.weight.numpy().T, rtol=1e-6)


def test_new_layers_take_the_default_dtype_or_an_explicit_one(float64):
    assert nn.Linear(2, 2).weight.dtype == np.float64
    assert nn.Conv2d(1, 1, 3).bias.dtype == np.float64
    assert nn.Linear(2, 2, dtype=np.float32).weight.dtype == np.float32
    assert nn.BatchNorm1d(3).running_mean.dtype == np.float64


# ------------------------------------------------------------------------------- Conv
def test_conv2d_layer_matches_functional_and_pytorch_layout():
    cr.random.seed(1)
    layer = nn.Conv2d(2, 3, (3, 2), stride=(2, 1), padding=1, dilation=(1, 2))
    assert layer.weight.shape == (3, 2, 3, 2)
    assert layer.kernel_size == (3, 2) and layer.stride == (2, 1) and layer.padding == (1, 1)
    bound = 1 / math.sqrt(2 * 3 * 2)
    assert np.abs(layer.weight.numpy()).max() <= bound and np.abs(layer.bias.numpy()).max() <= bound
    x = RNG.normal(size=(2, 2, 7, 6)).astype(np.float32)
    expected = F.conv2d(x, layer.weight, layer.bias, stride=(2, 1), padding=1, dilation=(1, 2))
    np.testing.assert_array_equal(layer(x).numpy(), expected.numpy())


def test_conv1d_layer_with_same_padding_keeps_the_length():
    layer = nn.Conv1d(3, 5, 4, padding="same")
    assert layer(np.zeros((2, 3, 11), np.float32)).shape == (2, 5, 11)
    with pytest.raises(ValueError, match="stride 1"):
        nn.Conv1d(3, 5, 4, stride=2, padding="same")


def test_conv_layers_refuse_groups_that_do_not_divide_the_channels_and_unknown_padding_modes():
    with pytest.raises(ValueError, match="divisible by groups"):
        nn.Conv2d(4, 3, 3, groups=2)
    with pytest.raises(ValueError, match="padding_mode"):
        nn.Conv1d(1, 1, 3, padding_mode="mirror")


# ---------------------------------------------------------------------------- pooling
def test_pooling_layers_default_stride_to_kernel_size():
    x = RNG.normal(size=(1, 2, 6, 6))
    pool = nn.MaxPool2d(2)
    assert pool.stride == 2
    np.testing.assert_array_equal(pool(x).numpy(), F.max_pool2d(x, 2, 2).numpy())
    np.testing.assert_allclose(nn.AvgPool2d(3)(x).numpy(), F.avg_pool2d(x, 3).numpy())
    assert nn.MaxPool1d(3)(RNG.normal(size=(2, 1, 9))).shape == (2, 1, 3)
    x1 = RNG.normal(size=(2, 3, 7))
    np.testing.assert_allclose(nn.AvgPool1d(3, padding=1)(x1).numpy(), F.avg_pool1d(x1, 3, 3, 1).numpy())


def test_adaptive_pooling_layers_pool_to_a_fixed_size():
    x = RNG.normal(size=(2, 3, 7, 5))
    assert nn.AdaptiveAvgPool2d((2, 3))(x).shape == (2, 3, 2, 3)
    np.testing.assert_allclose(nn.AdaptiveAvgPool2d(1)(x).numpy()[..., 0, 0], x.mean(axis=(2, 3)), rtol=1e-12)
    assert nn.AdaptiveAvgPool1d(4)(x[..., 0]).shape == (2, 3, 4)
    assert repr(nn.AdaptiveAvgPool2d((2, None))) == "AdaptiveAvgPool2d(output_size=(2, None))"


def test_upsample_layer_is_interpolate_with_its_settings():
    x = RNG.normal(size=(1, 2, 3, 4))
    layer = nn.Upsample(scale_factor=2, mode="bilinear", align_corners=True)
    assert layer.scale_factor == 2.0 and repr(layer) == "Upsample(scale_factor=2.0, mode='bilinear')"
    np.testing.assert_allclose(layer(x).numpy(),
                               F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=True).numpy())
    assert nn.Upsample(size=(5, 5))(x).shape == (1, 2, 5, 5)


# ------------------------------------------------------------------------ activations
@pytest.mark.parametrize("layer,reference", [
    (nn.ReLU(), lambda x: np.maximum(x, 0)),
    (nn.Sigmoid(), lambda x: 1 / (1 + np.exp(-x))),
    (nn.Tanh(), np.tanh),
    (nn.Softplus(), lambda x: np.log1p(np.exp(x))),
    (nn.Softplus(beta=3.0, threshold=5.0), lambda x: np.where(3 * x > 5, x, np.log1p(np.exp(3 * x)) / 3)),
    (nn.GELU(), lambda x: x * 0.5 * (1 + np.vectorize(math.erf)(x / math.sqrt(2)))),
    (nn.GELU(approximate="tanh"),
     lambda x: 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3)))),
    (nn.LeakyReLU(0.2), lambda x: np.where(x > 0, x, 0.2 * x)),
    (nn.ELU(alpha=0.5), lambda x: np.where(x > 0, x, 0.5 * np.expm1(x))),
    (nn.SiLU(), lambda x: x / (1 + np.exp(-x))),
])
def test_activation_layers_match_closed_forms(layer, reference):
    x = np.linspace(-4, 4, 17)
    np.testing.assert_allclose(layer(x).numpy(), reference(x), rtol=1e-12)


def test_softmax_layers_normalize_along_their_dim():
    x = RNG.normal(size=(2, 3, 4))
    np.testing.assert_allclose(nn.Softmax(dim=1)(x).numpy().sum(axis=1), 1.0)
    np.testing.assert_allclose(nn.LogSoftmax(dim=-1)(x).numpy(), F.log_softmax(x, dim=-1).numpy())
    assert repr(nn.Softmax(dim=1)) == "Softmax(dim=1)" and repr(nn.GELU()) == "GELU(approximate='none')"


def test_identity_returns_its_input_itself_and_ignores_its_arguments():
    x = cr.ones(2)
    assert nn.Identity()(x) is x and nn.Identity(54, unused=True)(x) is x


@pytest.mark.parametrize("name, kwargs", [("GELU", {"approximate": "tanh"}), ("LeakyReLU", {"negative_slope": 0.3}),
                                          ("ELU", {"alpha": 2.0}), ("SiLU", {}), ("Softmax", {"dim": 0}),
                                          ("LogSoftmax", {"dim": 1}), ("Upsample", {"scale_factor": 1.5,
                                                                                    "mode": "bilinear"}),
                                          ("AdaptiveAvgPool2d", {"output_size": (2, 3)}),
                                          ("AvgPool1d", {"kernel_size": 2})])
def test_parameterless_layers_match_pytorch(torch, name, kwargs):
    x = RNG.normal(size=(2, 3, 4, 5)) if name in ("Upsample", "AdaptiveAvgPool2d") else RNG.normal(size=(2, 3, 5))
    expected = getattr(torch.nn, name)(**kwargs)(torch.tensor(x)).numpy()
    np.testing.assert_allclose(getattr(nn, name)(**kwargs)(x).numpy(), expected, rtol=1e-10, atol=1e-12)


# ---------------------------------------------------------------------------- Dropout
def test_dropout_layer_follows_train_and_eval():
    layer = nn.Dropout(0.5)
    x = np.ones((50, 40))
    cr.random.seed(0)
    y = layer(x).numpy()
    assert set(np.unique(y)) == {0.0, 2.0}
    layer.eval()
    np.testing.assert_array_equal(layer(x).numpy(), x)
    with pytest.raises(ValueError, match="between 0 and 1"):
        nn.Dropout(1.5)


# -------------------------------------------------------------------------- BatchNorm
def test_batchnorm2d_running_statistics_follow_pytorch():
    bn = nn.BatchNorm2d(3, dtype=np.float64)
    batches = [RNG.normal(i, 1 + i, size=(4, 3, 2, 2)) for i in range(3)]
    mean, var = np.zeros(3), np.ones(3)
    for x in batches:
        y = bn(x).numpy()
        np.testing.assert_allclose(y.mean(axis=(0, 2, 3)), 0, atol=1e-12)
        np.testing.assert_allclose(y.var(axis=(0, 2, 3)), 1, rtol=1e-3)
        mean = 0.9 * mean + 0.1 * x.mean(axis=(0, 2, 3))
        var = 0.9 * var + 0.1 * x.var(axis=(0, 2, 3), ddof=1)
    np.testing.assert_allclose(bn.running_mean.numpy(), mean, rtol=1e-12)
    np.testing.assert_allclose(bn.running_var.numpy(), var, rtol=1e-12)
    assert bn.num_batches_tracked.item() == 3
    bn.reset_running_stats()
    assert bn.num_batches_tracked.item() == 0 and np.all(bn.running_var.numpy() == 1)


def test_batchnorm_eval_uses_running_statistics_and_leaves_them_alone():
    bn = nn.BatchNorm1d(2, dtype=np.float64)
    bn.weight.numpy()[:] = [2.0, 3.0]
    bn.bias.numpy()[:] = [0.5, -0.5]
    bn(RNG.normal(size=(6, 2)))
    bn.eval()
    stats = bn.running_mean.numpy().copy(), bn.running_var.numpy().copy()
    x = RNG.normal(size=(3, 2))
    expected = (x - stats[0]) / np.sqrt(stats[1] + 1e-5) * [2.0, 3.0] + [0.5, -0.5]
    np.testing.assert_allclose(bn(x).numpy(), expected, rtol=1e-12)
    np.testing.assert_array_equal(bn.running_mean.numpy(), stats[0])
    assert bn.num_batches_tracked.item() == 1


def test_batchnorm_with_momentum_none_keeps_a_cumulative_average():
    bn = nn.BatchNorm1d(2, momentum=None, dtype=np.float64)
    batches = [RNG.normal(size=(5, 2, 3)) for _ in range(4)]
    for x in batches:
        bn(x)
    np.testing.assert_allclose(bn.running_mean.numpy(), np.mean([x.mean(axis=(0, 2)) for x in batches], axis=0),
                               rtol=1e-12)


def test_batchnorm_without_running_stats_or_affine():
    bn = nn.BatchNorm1d(2, affine=False, track_running_stats=False)
    assert list(bn.state_dict()) == [] and list(bn.parameters()) == []
    x = RNG.normal(size=(5, 2))
    bn.eval()
    np.testing.assert_allclose(bn(x).numpy(), (x - x.mean(0)) / np.sqrt(x.var(0) + 1e-5), rtol=1e-10)


def test_batchnorm_refuses_wrong_input_rank():
    with pytest.raises(ValueError, match="4-D"):
        nn.BatchNorm2d(3)(np.zeros((2, 3, 4)))


# ------------------------------------------------------------------ Flatten, Sequential
def test_flatten_merges_all_but_the_batch_axis():
    x = RNG.normal(size=(2, 3, 4, 5))
    assert nn.Flatten()(x).shape == (2, 60)
    assert nn.Flatten(0, 1)(x).shape == (6, 4, 5)
    np.testing.assert_array_equal(nn.Flatten()(x).numpy(), x.reshape(2, -1))


def test_sequential_chains_indexes_and_appends():
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU())
    model.append(nn.Linear(4, 2))
    assert len(model) == 3 and isinstance(model[-1], nn.Linear) and isinstance(model[1], nn.ReLU)
    assert isinstance(model[:2], nn.Sequential) and len(model[:2]) == 2
    x = RNG.normal(size=(5, 3)).astype(np.float32)
    np.testing.assert_allclose(model(x).numpy(), model[2](model[1](model[0](x))).numpy())
    with pytest.raises(IndexError):
        model[3]


def test_a_small_cnn_gradient_matches_finite_differences(float64):
    cr.random.seed(4)
    model = nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), nn.BatchNorm2d(2), nn.Tanh(), nn.AvgPool2d(2),
                          nn.Flatten(), nn.Linear(8, 3))
    x = RNG.normal(size=(3, 1, 4, 4))
    labels = np.array([0, 2, 1])
    params = list(model.parameters())
    values = [p.numpy().copy() for p in params]

    def loss(*weights):
        for p, w in zip(params, weights):
            p.numpy()[...] = w.numpy()
        return F.cross_entropy(model(x), labels)

    model.zero_grad()
    F.cross_entropy(model(x), labels).backward()
    numerical = cr.numerical_grad(loss, *values, argnums=tuple(range(len(values))))
    for p, expected in zip(params, numerical):
        np.testing.assert_allclose(p.grad.numpy(), expected.numpy(), rtol=1e-6, atol=1e-8)
