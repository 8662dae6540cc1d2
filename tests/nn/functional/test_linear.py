"""linear: y = x Wᵀ + b and its gradients."""

import numpy as np
import pytest

import chainrule as cr
from chainrule.nn import functional as F

RNG = np.random.default_rng(1)


def test_linear_is_x_wT_plus_b_with_its_gradients():
    x = cr.tensor(RNG.normal(size=(4, 3)), requires_grad=True)
    w = cr.tensor(RNG.normal(size=(2, 3)), requires_grad=True)
    b = cr.tensor(RNG.normal(size=2), requires_grad=True)
    y = F.linear(x, w, b)
    np.testing.assert_allclose(y.numpy(), x.numpy() @ w.numpy().T + b.numpy(), rtol=1e-12)
    g = RNG.normal(size=(4, 2))
    y.backward(g)
    np.testing.assert_allclose(x.grad.numpy(), g @ w.numpy(), rtol=1e-12)
    np.testing.assert_allclose(w.grad.numpy(), g.T @ x.numpy(), rtol=1e-12)
    np.testing.assert_allclose(b.grad.numpy(), g.sum(axis=0), rtol=1e-12)
    np.testing.assert_allclose(F.linear(x, w).numpy(), x.numpy() @ w.numpy().T, rtol=1e-12)


def test_linear_refuses_mismatched_features():
    with pytest.raises(ValueError, match="3 features"):
        F.linear(np.zeros((2, 4)), np.zeros((5, 3)))
