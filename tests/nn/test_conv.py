"""Convolution layers: padding modes, groups, and the transposed layers' layout, sizes and initialization."""

import math

import numpy as np
import pytest

import chainrule as cr
from chainrule import nn
from chainrule.nn import functional as F

RNG = np.random.default_rng(7)


@pytest.mark.parametrize("mode", ["reflect", "replicate", "circular"])
def test_padding_mode_pads_the_input_then_convolves_without_padding(mode):
    layer = nn.Conv2d(2, 3, (3, 2), padding=(1, 2), padding_mode=mode, dtype=np.float64)
    x = RNG.normal(size=(1, 2, 5, 6))
    expected = F.conv2d(F.pad(x, (2, 2, 1, 1), mode=mode), layer.weight, layer.bias)
    np.testing.assert_allclose(layer(x).numpy(), expected.numpy())


def test_same_padding_with_a_padding_mode_puts_the_extra_element_on_the_right():
    layer = nn.Conv1d(1, 1, 4, padding="same", padding_mode="circular", bias=False, dtype=np.float64)
    x = RNG.normal(size=(1, 1, 7))
    expected = F.conv1d(F.pad(x, (1, 2), mode="circular"), layer.weight)
    assert layer(x).shape == (1, 1, 7)
    np.testing.assert_allclose(layer(x).numpy(), expected.numpy())


def test_grouped_conv_weight_has_in_channels_over_groups():
    layer = nn.Conv2d(4, 6, 3, groups=2)
    assert layer.weight.shape == (6, 2, 3, 3)
    assert layer(cr.ones(1, 4, 5, 5)).shape == (1, 6, 3, 3)


def test_conv_transpose_layout_initialization_and_output_size():
    cr.random.seed(0)
    layer = nn.ConvTranspose2d(8, 6, (3, 2), stride=2, padding=1, output_padding=1, groups=2)
    assert layer.weight.shape == (8, 3, 3, 2) and layer.bias.shape == (6,)
    bound = 1 / math.sqrt(3 * 3 * 2)
    assert np.abs(layer.weight.numpy()).max() <= bound and np.abs(layer.bias.numpy()).max() <= bound
    assert layer(cr.ones(2, 8, 4, 5)).shape == (2, 6, 8, 9)
    assert list(layer.state_dict()) == ["weight", "bias"]


def test_conv_transpose_output_size_chooses_the_output_padding():
    layer = nn.ConvTranspose1d(2, 2, 3, stride=3, padding=1)
    x = cr.ones(1, 2, 4)
    assert [layer(x, output_size=[n]).shape[-1] for n in (10, 11, 12)] == [10, 11, 12]
    with pytest.raises(ValueError, match="valid sizes range from"):
        layer(x, output_size=(1, 2, 13))


def test_conv_transpose_restores_a_strided_convolutions_input_size():
    down = nn.Conv2d(1, 4, 3, stride=2, padding=1)
    up = nn.ConvTranspose2d(4, 1, 3, stride=2, padding=1, output_padding=1)
    assert up(down(cr.ones(1, 1, 8, 8))).shape == (1, 1, 8, 8)


def test_conv_transpose_refuses_other_padding_modes():
    with pytest.raises(ValueError, match="zeros"):
        nn.ConvTranspose1d(1, 1, 3, padding_mode="reflect")


def copy_from(torch_layer, layer):
    layer.load_state_dict({k: v.detach().numpy() for k, v in torch_layer.state_dict().items()})


@pytest.mark.parametrize("name, args, kwargs, shape", [
    ("Conv2d", (2, 4, 3), {"padding": 1, "padding_mode": "reflect"}, (2, 2, 6, 5)),
    ("Conv1d", (4, 2, 3), {"padding": 2, "padding_mode": "circular", "groups": 2, "dilation": 2}, (2, 4, 7)),
    ("Conv2d", (2, 2, 2), {"padding": "same", "padding_mode": "replicate"}, (1, 2, 4, 4)),
    ("ConvTranspose1d", (4, 6, 3), {"stride": 2, "padding": 1, "output_padding": 1, "groups": 2}, (2, 4, 5)),
    ("ConvTranspose2d", (3, 2, (2, 3)), {"stride": (2, 1), "dilation": (1, 2)}, (2, 3, 4, 3))])
def test_conv_layers_with_pytorchs_weights_give_pytorchs_outputs(torch, name, args, kwargs, shape):
    theirs = getattr(torch.nn, name)(*args, **kwargs).double()
    ours = getattr(nn, name)(*args, **kwargs, dtype=np.float64)
    assert [(k, v.shape) for k, v in ours.state_dict().items()] == \
        [(k, tuple(v.shape)) for k, v in theirs.state_dict().items()]
    copy_from(theirs, ours)
    x = RNG.normal(size=shape)
    np.testing.assert_allclose(ours(x).numpy(), theirs(torch.tensor(x)).detach().numpy(), rtol=1e-10, atol=1e-12)
