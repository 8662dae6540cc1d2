"""PyTorch's spellings of arithmetic: add/sub with alpha, mul, div, pow, square and clamp, as functions
and as Tensor methods."""

import numpy as np
import pytest

import chainrule as cr
from helpers import check_gradient

RNG = np.random.default_rng(2)
A, B = RNG.normal(size=(2, 3)), RNG.uniform(0.5, 2.0, size=(3,))


def test_add_and_sub_scale_the_other_operand_by_alpha():
    a, b = cr.tensor(A), cr.tensor(B)
    np.testing.assert_allclose(a.add(b).numpy(), A + B)
    np.testing.assert_allclose(a.add(b, alpha=-2.5).numpy(), A - 2.5 * B)
    np.testing.assert_allclose(cr.sub(a, b, alpha=3).numpy(), A - 3 * B)
    check_gradient(lambda u, v: u.add(v, alpha=0.5), A, B)
    check_gradient(lambda u, v: u.sub(v, alpha=2.0), A, B)


def test_mul_div_pow_and_square_are_the_elementwise_ops():
    a, b = cr.tensor(A), cr.tensor(B)
    np.testing.assert_allclose(a.mul(b).numpy(), A * B)
    np.testing.assert_allclose(a.div(b).numpy(), A / B)
    np.testing.assert_allclose(b.pow(2.5).numpy(), B ** 2.5)
    np.testing.assert_allclose(cr.pow(2.0, b).numpy(), 2.0 ** B)
    np.testing.assert_allclose(a.square().numpy(), A ** 2)
    check_gradient(lambda u, v: u.mul(v).div(v.pow(3)).square(), A, B)


def test_div_rounds_toward_zero_or_down_as_pytorch_with_a_zero_gradient():
    x = cr.tensor([7.5, -7.5, 3.0], requires_grad=True)
    np.testing.assert_array_equal(x.div(2.0, rounding_mode="trunc").numpy(), [3.0, -3.0, 1.0])
    np.testing.assert_array_equal(x.div(2.0, rounding_mode="floor").numpy(), [3.0, -4.0, 1.0])
    x.div(2.0, rounding_mode="floor").sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [0.0, 0.0, 0.0])
    n = cr.tensor([7, -7])
    assert n.div(2, rounding_mode="trunc").tolist() == [3, -3] and n.div(2, rounding_mode="trunc").dtype == np.int64
    assert n.div(2, rounding_mode="floor").tolist() == [3, -4]
    with pytest.raises(ValueError, match="div: rounding_mode must be None, 'trunc' or 'floor', got 'up'"):
        cr.div(A, 2.0, rounding_mode="up")


def test_float32_stays_float32_with_python_numbers():
    x = cr.tensor([1.0, 2.0])
    assert x.add(1, alpha=0.5).dtype == x.pow(2).dtype == x.square().dtype == x.clamp(0.5).dtype == np.float32


def test_clamp_limits_to_min_and_max_with_either_optional():
    x = cr.tensor(A)
    np.testing.assert_array_equal(x.clamp(-0.5, 0.5).numpy(), np.clip(A, -0.5, 0.5))
    np.testing.assert_array_equal(x.clamp(min=0.0).numpy(), np.maximum(A, 0.0))
    np.testing.assert_array_equal(cr.clamp(x, max=0.1).numpy(), np.minimum(A, 0.1))
    np.testing.assert_array_equal(x.clamp(1.0, -1.0).numpy(), np.full(A.shape, -1.0))  # min > max: all max
    check_gradient(lambda u: u.clamp(-0.5, 0.5), A)
    with pytest.raises(ValueError, match="clamp: give min, max or both"):
        x.clamp()


def test_clamp_with_tensor_bounds_passes_their_gradient():
    check_gradient(lambda u, low: u.clamp(min=low), A, np.full(3, 0.1))


def test_arithmetic_methods_match_pytorch(against_torch, torch):
    against_torch(lambda u, v: u.add(v, alpha=2).sub(v, alpha=0.5).mul(u).div(v).clamp(-1, 1).square().pow(1.5),
                  lambda u, v: u.add(v, alpha=2).sub(v, alpha=0.5).mul(u).div(v).clamp(-1, 1).square().pow(1.5),
                  A, B)


def test_in_place_add_and_sub_take_alpha_as_pytorchs_update_idiom():
    p = cr.tensor([1.0, 2.0])
    grad = cr.tensor([0.5, -1.0])
    p.add_(grad, alpha=-0.1)
    np.testing.assert_allclose(p.numpy(), [0.95, 2.1], rtol=1e-6)
    p.sub_(grad, alpha=2)
    np.testing.assert_allclose(p.numpy(), [-0.05, 4.1], rtol=1e-5)
    assert p.dtype == np.float32
