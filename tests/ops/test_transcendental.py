"""Transcendental and rounding ops at their edges: sinc's derivatives at 0 in every order, the
remainder operators, NaN-skipping fmax/fmin, hypot at the origin."""

import math

import numpy as np
import pytest

import chainrule as cr


@pytest.mark.parametrize("order", [1, 2, 3, 4])
def test_sinc_derivatives_of_every_order_are_exact_at_zero(order):
    f = cr.sinc
    for _ in range(order):
        f = cr.grad(f)
    expected = 0.0 if order % 2 else (-1) ** (order // 2) * math.pi ** order / (order + 1)
    np.testing.assert_allclose(f(0.0).item(), expected, rtol=1e-6)


def test_sinc_derivative_matches_its_closed_form_away_from_zero():
    x = np.array([-2.3, -0.4, 0.01, 0.9, 3.7])
    expected = (np.cos(np.pi * x) - np.sinc(x)) / x
    np.testing.assert_allclose(cr.grad(lambda v: cr.sinc(v).sum())(x).numpy(), expected, rtol=1e-9)


def test_the_percent_and_floor_division_operators_follow_python_and_numpy():
    x = cr.tensor([5.5, -3.25, 7.0], requires_grad=True)
    np.testing.assert_array_equal((x % 2).numpy(), np.remainder([5.5, -3.25, 7.0], 2))
    np.testing.assert_array_equal((7.5 % x).numpy(), np.remainder(7.5, [5.5, -3.25, 7.0]))
    np.testing.assert_array_equal((x // 2).numpy(), np.floor_divide([5.5, -3.25, 7.0], 2))
    (x % 2 + x // 2).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [1.0, 1.0, 1.0])
    y = cr.tensor([2.0, 0.75], requires_grad=True)
    cr.remainder(cr.tensor([5.5, -3.25]), y).sum().backward()
    np.testing.assert_array_equal(y.grad.numpy(), -np.floor_divide([5.5, -3.25], [2.0, 0.75]))


def test_fmax_and_fmin_skip_nan_and_give_it_no_gradient():
    x, y = np.array([1.0, np.nan, 3.0]), np.array([np.nan, 2.0, 1.0])
    np.testing.assert_array_equal(cr.fmax(x, y).numpy(), np.fmax(x, y))
    gx, gy = cr.grad(lambda a, b: cr.fmax(a, b).sum(), argnums=(0, 1))(x, y)
    np.testing.assert_array_equal(gx.numpy(), [1.0, 0.0, 1.0])
    np.testing.assert_array_equal(gy.numpy(), [0.0, 1.0, 0.0])
    gx, gy = cr.grad(lambda a, b: cr.fmin(a, b).sum(), argnums=(0, 1))(x, y)
    np.testing.assert_array_equal(gx.numpy(), [1.0, 0.0, 0.0])
    np.testing.assert_array_equal(gy.numpy(), [0.0, 1.0, 1.0])


def test_hypot_has_a_zero_gradient_at_the_origin_as_abs_does():
    gx, gy = cr.grad(lambda a, b: cr.hypot(a, b).sum(), argnums=(0, 1))(np.array([0.0, 3.0]), np.array([0.0, 4.0]))
    np.testing.assert_allclose(gx.numpy(), [0.0, 0.6])
    np.testing.assert_allclose(gy.numpy(), [0.0, 0.8])


def test_rounding_has_zero_gradient_and_round_takes_decimals():
    x = np.array([1.234, -5.678])
    np.testing.assert_array_equal(cr.round(x, 2).numpy(), np.round(x, 2))
    for f in (cr.floor, cr.ceil, cr.trunc, cr.rint, cr.fix, lambda v: cr.round(v, 1)):
        np.testing.assert_array_equal(cr.grad(lambda v: f(v).sum())(x).numpy(), [0.0, 0.0])


def test_inverse_trigonometric_functions_differentiate_holomorphically_on_the_principal_branch():
    z = np.array([0.3 + 0.2j, -0.4 - 0.1j])
    for f, d in ((cr.arcsin, 1 / np.sqrt(1 - z * z)), (cr.arccos, -1 / np.sqrt(1 - z * z)),
                 (cr.arctan, 1 / (1 + z * z)), (cr.arcsinh, 1 / np.sqrt(z * z + 1)), (cr.arctanh, 1 / (1 - z * z)),
                 (cr.log2, 1 / (z * np.log(2))), (cr.exp2, np.exp2(z) * np.log(2))):
        np.testing.assert_allclose(cr.grad(lambda v: f(v).sum(), holomorphic=True)(z).numpy(), d, rtol=1e-12)
