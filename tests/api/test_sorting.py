"""x.sort(): PyTorch's (values, indices), stable, NaN as the largest value, values differentiable
(cr.sort is NumPy's, tested with the ops)."""

import numpy as np
import pytest

import chainrule as cr
from helpers import check_gradient

RNG = np.random.default_rng(9)


@pytest.mark.parametrize("dim", [0, 1, -1])
def test_sort_returns_values_and_where_they_came_from(dim):
    x = RNG.normal(size=(3, 4))
    values, indices = cr.tensor(x).sort(dim=dim)
    np.testing.assert_array_equal(values.numpy(), np.sort(x, axis=dim))
    np.testing.assert_array_equal(indices.numpy(), np.argsort(x, axis=dim, kind="stable"))
    assert indices.dtype == np.int64
    check_gradient(lambda v: v.sort(dim).values, x)


def test_sort_descending_keeps_ties_in_order_and_puts_nan_first():
    values, indices = cr.tensor([3.0, np.nan, 1.0, 3.0]).sort(descending=True)
    np.testing.assert_array_equal(values.numpy(), [np.nan, 3.0, 3.0, 1.0])
    assert indices.tolist() == [1, 0, 3, 2]
    assert cr.tensor([2, 1, 2, 1]).sort(stable=True).indices.tolist() == [1, 3, 0, 2]


def test_sort_gradient_goes_back_to_each_values_place():
    x = cr.tensor([3.0, 1.0, 2.0], requires_grad=True)
    (x.sort().values * cr.tensor([1.0, 10.0, 100.0])).sum().backward()
    assert x.grad.tolist() == [100.0, 1.0, 10.0]


@pytest.mark.parametrize("descending", [False, True])
def test_a_jitted_sort_finds_the_same_order(descending):
    x = np.array([[3.0, np.nan, 1.0, 3.0, -2.0, np.nan, 1.0], [0.5, 0.5, 0.5, -1.0, 2.0, 7.0, 0.0]])
    eager = cr.tensor(x).sort(dim=1, descending=descending)
    traced = cr.jit(lambda v: tuple(v.sort(dim=1, descending=descending)))(x)
    np.testing.assert_array_equal(traced[0].numpy(), eager.values.numpy())
    np.testing.assert_array_equal(traced[1].numpy(), eager.indices.numpy())
    assert cr.jit(lambda v: v.sort(0).indices)(x[1]).tolist() == [3, 6, 0, 1, 2, 4, 5]


def test_sort_differentiates_under_every_transform():
    x = RNG.normal(size=(3, 5))
    weights = RNG.normal(size=(3, 5))
    f = lambda v: (v.sort(dim=0, descending=True).values * weights).sum()  # noqa: E731
    expected = cr.numerical_grad(f, x).numpy()
    np.testing.assert_allclose(cr.grad(f)(x).numpy(), expected, rtol=1e-6)
    np.testing.assert_allclose(cr.jit(cr.grad(f))(x).numpy(), expected, rtol=1e-6)


def test_sort_matches_pytorch(against_torch, torch):
    x = RNG.normal(size=(4, 5))
    against_torch(lambda v: v.sort(0, descending=True).values, lambda v: v.sort(0, descending=True).values, x)
    assert cr.tensor(x).sort(1).indices.tolist() == torch.sort(torch.tensor(x), 1).indices.tolist()
