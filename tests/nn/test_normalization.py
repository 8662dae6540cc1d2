"""LayerNorm and GroupNorm: parameters, state_dict keys, and outputs against the functional forms and PyTorch."""

import numpy as np
import pytest

import chainrule as cr
from chainrule import nn
from chainrule.nn import functional as F

RNG = np.random.default_rng(9)


def test_layer_norm_starts_as_plain_standardization_with_pytorchs_parameters():
    layer = nn.LayerNorm((3, 4))
    assert list(layer.state_dict()) == ["weight", "bias"] and layer.weight.shape == (3, 4)
    np.testing.assert_array_equal(layer.weight.numpy(), np.ones((3, 4)))
    x = RNG.normal(size=(2, 3, 4)).astype(np.float32)
    np.testing.assert_allclose(layer(x).numpy(), F.layer_norm(x, (3, 4)).numpy(), rtol=1e-6)
    assert list(nn.LayerNorm(5, bias=False).state_dict()) == ["weight"]
    assert list(nn.LayerNorm(5, elementwise_affine=False).state_dict()) == []


def test_group_norm_parameters_are_per_channel():
    layer = nn.GroupNorm(2, 6)
    assert [(k, v.shape) for k, v in layer.state_dict().items()] == [("weight", (6,)), ("bias", (6,))]
    x = RNG.normal(size=(2, 6, 3, 3)).astype(np.float32)
    np.testing.assert_allclose(layer(x).numpy(), F.group_norm(x, 2).numpy(), rtol=1e-6)
    with pytest.raises(ValueError, match="divisible by num_groups"):
        nn.GroupNorm(4, 6)


def test_norm_layer_gradients_match_finite_differences():
    layer = nn.GroupNorm(2, 4, dtype=np.float64)
    x = RNG.normal(size=(2, 4, 3))
    assert cr.check_grad(lambda v: (layer(v) * np.arange(24.0).reshape(2, 4, 3)).sum(), x).passed


def test_norm_layers_with_pytorchs_weights_give_pytorchs_outputs(torch):
    x = RNG.normal(size=(2, 4, 3, 5))
    for theirs, ours in ((torch.nn.LayerNorm((3, 5)), nn.LayerNorm((3, 5), dtype=np.float64)),
                         (torch.nn.GroupNorm(2, 4), nn.GroupNorm(2, 4, dtype=np.float64))):
        with torch.no_grad():
            for p in theirs.parameters():
                p.normal_()
        ours.load_state_dict({k: v.numpy() for k, v in theirs.state_dict().items()})
        np.testing.assert_allclose(ours(x).numpy(), theirs.double()(torch.tensor(x)).detach().numpy(), rtol=1e-10,
                                   atol=1e-12)
