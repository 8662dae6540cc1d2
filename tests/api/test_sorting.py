"""sort: PyTorch's (values, indices), stable, NaN as the largest value, values differentiable."""

import numpy as np
import pytest

import chainrule as cr
from helpers import check_gradient

RNG = np.random.default_rng(9)


@pytest.mark.parametrize("dim", [0, 1, -1])
def test_sort_returns_values_and_where_they_came_from(dim):
    x = RNG.normal(size=(3, 4))
    values, indices = cr.sort(x, dim=dim)
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


def test_sort_refuses_to_be_traced():
    with pytest.raises(TypeError, match="sort: the order depends on the values"):
        cr.jit(lambda v: cr.sort(v).values.sum())(np.ones(3))


def test_sort_matches_pytorch(against_torch, torch):
    x = RNG.normal(size=(4, 5))
    against_torch(lambda v: v.sort(0, descending=True).values, lambda v: v.sort(0, descending=True).values, x)
    assert cr.sort(x, 1).indices.tolist() == torch.sort(torch.tensor(x), 1).indices.tolist()
