"""cumsum and cumprod: O(n) rules, cumprod exact with zeros, and batching along the axis."""

import numpy as np
import pytest

import chainrule as cr
from chainrule.ops.cumulative import cumprod_p, cumsum_p


def _jacobian_of_cumprod(x):
    """∂y_k/∂x_j = Π_{i≤k, i≠j} x_i, by brute force."""
    n = len(x)
    return np.array([[np.prod([x[i] for i in range(k + 1) if i != j]) if j <= k else 0.0 for j in range(n)]
                     for k in range(n)])


@pytest.mark.parametrize("x", [
    np.array([0.5, -1.5, 2.0, 0.7, 1.1]),
    np.array([0.5, 0.0, 2.0, 0.7, 1.1]),     # one zero
    np.array([0.0, 1.5, 0.0, 0.7, 1.1]),     # two zeros
    np.array([0.5, 1.5, 0.0, 0.0, 0.0]),     # a run of zeros
])
def test_cumprod_gradients_are_exact_with_zeros(x):
    expected = _jacobian_of_cumprod(x)
    np.testing.assert_allclose(cr.jacobian(lambda v: cr.cumprod(v))(x).numpy(), expected, atol=1e-15)
    np.testing.assert_allclose(cr.jacobian(lambda v: cr.cumprod(v), mode="fwd")(x).numpy(), expected, atol=1e-15)


def test_cumprod_second_derivatives_are_exact_with_one_zero():
    x = np.array([0.5, 0.0, 2.0, 0.7])
    hessian = cr.hessian(lambda v: cr.cumprod(v)[-1])(x).numpy()
    expected = np.array([[0.0 if i == j else np.prod([x[k] for k in range(4) if k not in (i, j)]) for j in range(4)]
                         for i in range(4)])
    np.testing.assert_allclose(hessian, expected, atol=1e-15)


def test_cumsum_of_booleans_and_small_integers_counts_in_int64_and_flattens_without_axis():
    x = cr.tensor(np.array([[True, False], [True, True]]))
    assert cr.cumsum(x).dtype == np.int64
    np.testing.assert_array_equal(cr.cumsum(x).numpy(), np.cumsum(x.numpy()))
    np.testing.assert_array_equal(cr.cumprod(cr.tensor(np.arange(1, 5, dtype=np.int8)), axis=0).numpy(),
                                  [1, 2, 6, 24])
    with pytest.raises(ValueError, match="axis 2 is out of bounds"):
        cr.cumsum(x, axis=2)


def test_cumsum_vjp_is_the_reversed_cumsum():
    g = np.array([1.0, 2.0, 3.0, 4.0])
    _, vjp = cr.vjp(lambda v: cr.cumsum(v), np.zeros(4))
    np.testing.assert_array_equal(vjp(g)[0].numpy(), [10.0, 9.0, 7.0, 4.0])


@pytest.mark.parametrize("prim", [cumsum_p, cumprod_p], ids=lambda p: p.name)
def test_batching_along_the_axis_equals_a_loop(prim):
    x = np.random.default_rng(0).normal(size=(3, 4, 5))
    for dim in (0, 1, 2):
        batched = np.moveaxis(x, 0, dim)
        out, out_dim = prim.batch((batched,), (dim,), {"axis": 1})
        looped = np.stack([prim.impl(x[i], axis=1) for i in range(3)])
        np.testing.assert_allclose(np.moveaxis(np.asarray(out), out_dim, 0), looped)
