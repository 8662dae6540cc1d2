"""cr.nn.init: in-place fills with PyTorch's formulas, drawn from cr.random's generator."""

import math

import numpy as np
import pytest

import chainrule as cr
from chainrule import nn
from chainrule.nn import init


def param(*shape):
    return nn.Parameter(np.empty(shape, np.float32))


def test_initializers_fill_in_place_and_return_the_tensor():
    p = param(3, 4)
    buffer = p.numpy()
    version = p._version
    assert init.normal_(p) is p
    assert p.numpy() is buffer and p.dtype == np.float32 and p.requires_grad
    assert p._version > version


def test_uniform_and_normal_have_the_requested_distribution():
    cr.random.seed(0)
    u = init.uniform_(param(200, 200), -2.0, 3.0).numpy()
    assert u.min() >= -2.0 and u.max() < 3.0
    np.testing.assert_allclose(u.mean(), 0.5, atol=0.03)
    n = init.normal_(param(200, 200), mean=1.0, std=0.5).numpy()
    np.testing.assert_allclose([n.mean(), n.std()], [1.0, 0.5], rtol=0.01)


def test_zeros_ones_and_constant():
    np.testing.assert_array_equal(init.zeros_(param(2, 2)).numpy(), 0)
    np.testing.assert_array_equal(init.ones_(param(2, 2)).numpy(), 1)
    np.testing.assert_array_equal(init.constant_(param(3), 2.5).numpy(), 2.5)


def test_xavier_uses_fan_in_plus_fan_out():
    cr.random.seed(1)
    w = init.xavier_uniform_(param(100, 50, 3, 3), gain=2.0).numpy()
    bound = 2.0 * math.sqrt(6 / (50 * 9 + 100 * 9))
    assert np.abs(w).max() <= bound
    np.testing.assert_allclose(w.std(), bound / math.sqrt(3), rtol=0.02)
    w = init.xavier_normal_(param(300, 200)).numpy()
    np.testing.assert_allclose(w.std(), math.sqrt(2 / 500), rtol=0.02)


def test_kaiming_uses_the_gain_of_the_nonlinearity():
    cr.random.seed(2)
    w = init.kaiming_normal_(param(256, 128), nonlinearity="relu").numpy()
    np.testing.assert_allclose(w.std(), math.sqrt(2 / 128), rtol=0.02)
    w = init.kaiming_normal_(param(256, 128), mode="fan_out", nonlinearity="relu").numpy()
    np.testing.assert_allclose(w.std(), math.sqrt(2 / 256), rtol=0.02)
    w = init.kaiming_uniform_(param(64, 16, 5, 5), a=math.sqrt(5)).numpy()
    assert np.abs(w).max() <= 1 / math.sqrt(16 * 25)
    np.testing.assert_allclose(np.abs(w).max(), 1 / math.sqrt(16 * 25), rtol=0.01)


def test_calculate_gain_table():
    assert init.calculate_gain("linear") == 1.0 and init.calculate_gain("sigmoid") == 1.0
    assert init.calculate_gain("tanh") == pytest.approx(5 / 3)
    assert init.calculate_gain("relu") == pytest.approx(math.sqrt(2))
    assert init.calculate_gain("leaky_relu", 0.2) == pytest.approx(math.sqrt(2 / 1.04))
    with pytest.raises(ValueError, match="unsupported nonlinearity"):
        init.calculate_gain("swish")


def test_seeding_cr_random_makes_initialization_reproducible():
    cr.random.seed(7)
    first = nn.Linear(5, 3).weight.numpy().copy()
    cr.random.seed(7)
    np.testing.assert_array_equal(nn.Linear(5, 3).weight.numpy(), first)
    generator = np.random.default_rng(0)
    np.testing.assert_array_equal(init.normal_(param(4), generator=generator).numpy(),
                                  np.random.default_rng(0).normal(0, 1, 4).astype(np.float32))


def test_fans_need_two_dimensions():
    with pytest.raises(ValueError, match="fewer than 2 dimensions"):
        init.xavier_uniform_(param(5))


def test_names_without_underscore_are_aliases():
    for name in ("uniform", "normal", "zeros", "ones", "xavier_uniform", "xavier_normal", "kaiming_uniform",
                 "kaiming_normal"):
        assert getattr(init, name) is getattr(init, name + "_")
