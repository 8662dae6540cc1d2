"""A quadratic bowl to descend: L(W) = Σ ½·A⊙W² − B⊙W, so ∂L/∂W = A⊙W − B."""

import types

import numpy as np
import pytest

import chainrule as cr

A = np.array([[1.0, 3.0, 0.5], [2.0, 0.25, 4.0]])
B = np.array([[1.0, -2.0, 0.5], [0.0, 1.5, -1.0]])
W0 = np.array([[0.3, -0.7, 1.2], [-1.0, 0.8, 0.1]])


def quadratic_grad(w):
    return A * w - B


def quadratic_loss(w):
    return (0.5 * A * w * w - B * w).sum()


@pytest.fixture
def bowl():
    """The bowl's data and analytic gradient, for hand-written reference iterates."""
    return types.SimpleNamespace(A=A, B=B, W0=W0, grad=quadratic_grad)


@pytest.fixture
def descend():
    """``descend(make_optimizer, steps)``: the iterates W_1..W_steps of an optimizer on the bowl."""
    def run(make_optimizer, steps):
        w = cr.tensor(W0.copy(), requires_grad=True)
        optimizer = make_optimizer([w])
        path = []
        for _ in range(steps):
            optimizer.zero_grad()
            quadratic_loss(w).backward()
            optimizer.step()
            path.append(w.numpy().copy())
        return np.array(path)

    return run
