"""Elementwise rules at their edges: derivatives that are finite everywhere are never NaN,
and ops that are flat almost everywhere have zero gradients (as PyTorch and JAX)."""

import numpy as np
import pytest

import chainrule as cr


@pytest.mark.parametrize("exponent, order, expected", [
    (0.0, 1, 0.0),   # d/dx x^0 = 0, not 0·0^(−1) = NaN
    (1.0, 2, 0.0),   # d²/dx² x^1 = 0
    (2.0, 3, 0.0),   # d³/dx³ x^2 = 0
    (2.0, 2, 2.0),
    (3.0, 3, 6.0),
])
def test_power_derivatives_of_every_order_are_finite_at_zero(exponent, order, expected):
    f = lambda x: x ** exponent  # noqa: E731
    for _ in range(order):
        f = cr.grad(f)
    assert f(0.0).item() == expected


def test_power_at_zero_on_the_eager_tape_with_python_and_tensor_exponents():
    x = cr.tensor(0.0, requires_grad=True)
    (x ** 0.0).backward()
    assert x.grad.item() == 0.0
    x = cr.tensor([0.0, 0.0, 2.0], requires_grad=True)
    y = cr.tensor([0.0, 2.0, 3.0])
    (x ** y).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [0.0, 0.0, 12.0])
    first = cr.grad(lambda x: (x ** y).sum())
    second = cr.grad(lambda x: (first(x) * cr.tensor([1.0, 1.0, 1.0])).sum())(cr.tensor([0.0, 0.0, 2.0]))
    np.testing.assert_array_equal(second.numpy(), [0.0, 2.0, 12.0])


def test_sign_has_a_zero_gradient_on_the_tape_and_in_every_transform():
    x = cr.tensor([1.0, -2.0, 0.0], requires_grad=True)
    cr.sign(x).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [0.0, 0.0, 0.0])
    np.testing.assert_array_equal(cr.grad(lambda v: (cr.sign(v) * v).sum())(np.array([1.0, -2.0])).numpy(),
                                  [1.0, -1.0])
    _, tangent = cr.jvp(cr.sign, (np.array([1.0, -2.0]),), (np.ones(2),))
    np.testing.assert_array_equal(tangent.numpy(), [0.0, 0.0])


def test_comparisons_used_as_numbers_give_zero_gradients_in_transforms():
    g = cr.grad(lambda x: ((x > 0) * 1.0 * x).sum())(np.array([1.0, -1.0]))
    np.testing.assert_array_equal(g.numpy(), [1.0, 0.0])
