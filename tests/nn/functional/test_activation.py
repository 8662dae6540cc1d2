"""Activations and softmax against closed forms."""

import math

import numpy as np
import pytest

import chainrule as cr
from chainrule.nn import functional as F

RNG = np.random.default_rng(1)


def test_activations_match_closed_forms():
    x = np.linspace(-5, 5, 11)
    np.testing.assert_allclose(F.relu(x).numpy(), np.maximum(x, 0))
    np.testing.assert_allclose(F.sigmoid(x).numpy(), 1 / (1 + np.exp(-x)), rtol=1e-12)
    np.testing.assert_allclose(F.tanh(x).numpy(), np.tanh(x), rtol=1e-12)
    np.testing.assert_allclose(F.softplus(x).numpy(), np.log1p(np.exp(x)), rtol=1e-12)
    np.testing.assert_allclose(F.softplus(x, beta=2.0).numpy(), np.log1p(np.exp(2 * x)) / 2, rtol=1e-12)


def test_softplus_is_linear_above_the_threshold():
    x = np.array([15.0, 25.0])
    np.testing.assert_array_equal(F.softplus(x, beta=1.0, threshold=20.0).numpy()[1], 25.0)
    assert F.softplus(x).numpy()[0] != 15.0


def test_softmax_and_log_softmax_are_stable_and_consistent():
    x = np.array([[1e4, 0.0, -1e4], [1.0, 2.0, 3.0]], dtype=np.float32)
    p = F.softmax(x, dim=1).numpy()
    assert np.all(np.isfinite(p))
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-6)
    np.testing.assert_allclose(p[1], np.exp([1, 2, 3]) / np.exp([1, 2, 3]).sum(), rtol=1e-6)
    np.testing.assert_allclose(F.log_softmax(x, dim=1).numpy()[0], [0.0, -1e4, -2e4])
    np.testing.assert_allclose(F.softmax(x.T, axis=0).numpy(), p.T)


# ----------------------------------------------------------- gelu, leaky_relu, elu, silu
def phi(x):
    """The standard normal distribution function Φ, by math.erf."""
    return 0.5 * (1 + np.vectorize(math.erf)(x / math.sqrt(2)))


def test_new_activations_match_closed_forms():
    x = np.linspace(-4, 4, 9)
    np.testing.assert_allclose(F.gelu(x).numpy(), x * phi(x), rtol=1e-12)
    tanh_form = 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3)))
    np.testing.assert_allclose(F.gelu(x, approximate="tanh").numpy(), tanh_form, rtol=1e-12)
    np.testing.assert_allclose(F.leaky_relu(x, 0.2).numpy(), np.where(x > 0, x, 0.2 * x))
    np.testing.assert_allclose(F.elu(x, alpha=1.5).numpy(), np.where(x > 0, x, 1.5 * np.expm1(x)), rtol=1e-12)
    np.testing.assert_allclose(F.silu(x).numpy(), x / (1 + np.exp(-x)), rtol=1e-12)


@pytest.mark.parametrize("f", [F.gelu, lambda x: F.gelu(x, approximate="tanh"), lambda x: F.leaky_relu(x, 0.1),
                               lambda x: F.elu(x, 0.7), F.silu],
                         ids=["gelu", "gelu_tanh", "leaky_relu", "elu", "silu"])
def test_new_activation_gradients_match_finite_differences_to_second_order(f):
    x = np.array([-2.5, -0.7, 0.4, 1.9])
    assert cr.check_grad(lambda v: (f(v) * np.arange(1.0, 5.0)).sum(), x, order=2).passed


def test_kinks_take_pytorchs_one_sided_derivatives_at_zero():
    x = cr.tensor(np.zeros(1), requires_grad=True)
    F.leaky_relu(x, 0.1).sum().backward()
    assert x.grad.numpy()[0] == pytest.approx(0.1)
    x.grad = None
    F.elu(x, 0.5).sum().backward()
    assert x.grad.numpy()[0] == pytest.approx(0.5)


def test_elu_stays_finite_with_its_gradient_for_huge_inputs():
    x = cr.tensor(np.array([1000.0, -1000.0]), requires_grad=True)
    y = F.elu(x)
    y.sum().backward()
    np.testing.assert_allclose(y.numpy(), [1000.0, -1.0])
    np.testing.assert_allclose(x.grad.numpy(), [1.0, 0.0])


def test_gelu_refuses_an_unknown_approximation():
    with pytest.raises(ValueError, match="gelu: approximate"):
        F.gelu(np.zeros(2), approximate="erf")


def test_softmax_without_dim_follows_pytorchs_implicit_choice_with_a_warning():
    x = RNG.normal(size=(2, 3, 4))
    with pytest.warns(UserWarning, match="implicit dimension"):
        p = F.softmax(x)
    np.testing.assert_allclose(p.numpy().sum(axis=0), 1.0)
    with pytest.warns(UserWarning, match="implicit dimension"):
        np.testing.assert_allclose(F.log_softmax(x[0]).numpy(), F.log_softmax(x[0], dim=1).numpy())


@pytest.mark.parametrize("name, kwargs", [("gelu", {}), ("gelu", {"approximate": "tanh"}),
                                          ("leaky_relu", {"negative_slope": 0.3}), ("elu", {"alpha": 0.8}),
                                          ("silu", {}), ("softmax", {"dim": 1}), ("log_softmax", {"dim": 0})])
def test_activations_match_pytorch(against_torch, torch, name, kwargs):
    x = RNG.normal(size=(3, 4)) * 3
    against_torch(lambda v: getattr(F, name)(v, **kwargs), lambda v: getattr(torch.nn.functional, name)(v, **kwargs),
                  x)
