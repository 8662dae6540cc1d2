"""Sorting: the values are the input gathered at its order, so the gradient scatters back through
the permutation, and a traced or jitted program recomputes the order for each input."""

import numpy as np
import pytest

import chainrule as cr
from chainrule.ops.sorting import argpartition_p, argsort_p


def test_the_gradient_of_sort_goes_back_to_where_each_value_came_from():
    x = np.array([[3.0, 1.0, 2.0], [0.5, -1.0, 4.0]])
    w = np.array([[1.0, 10.0, 100.0], [1.0, 10.0, 100.0]])
    g = cr.grad(lambda v: (cr.sort(v, axis=1) * cr.tensor(w)).sum())(x)
    np.testing.assert_array_equal(g.numpy(), [[100.0, 1.0, 10.0], [10.0, 1.0, 100.0]])
    np.testing.assert_array_equal(cr.sort(x, axis=None).numpy(), np.sort(x, axis=None))


def test_a_jitted_sort_recomputes_the_order_for_new_inputs():
    f = cr.jit(cr.grad(lambda v: (cr.sort(v) * cr.tensor([1.0, 2.0, 3.0])).sum()))
    np.testing.assert_array_equal(f(np.array([3.0, 1.0, 2.0])).numpy(), [3.0, 1.0, 2.0])
    np.testing.assert_array_equal(f(np.array([1.0, 3.0, 2.0])).numpy(), [1.0, 3.0, 2.0])


def test_partition_puts_the_kth_value_in_place_and_differentiates():
    x = np.array([5.0, 1.0, 4.0, 2.0, 3.0])
    y = cr.partition(x, 2).numpy()
    assert y[2] == 3.0 and set(y[:2]) == {1.0, 2.0} and set(y[3:]) == {4.0, 5.0}
    g = cr.grad(lambda v: cr.partition(v, 2)[2])(x)
    np.testing.assert_array_equal(g.numpy(), [0.0, 0.0, 0.0, 0.0, 1.0])


def test_index_results_are_integers_outside_every_gradient():
    x = cr.tensor(np.array([3.0, 1.0, 2.0]), requires_grad=True)
    for order in (cr.argsort(x), cr.argpartition(x, 1), x.argsort()):
        assert order.dtype == np.int64 and not order.requires_grad
    np.testing.assert_array_equal(cr.argsort(x).numpy(), [1, 2, 0])
    with pytest.raises(TypeError, match="structured"):
        cr.sort(x, order="name")


@pytest.mark.parametrize("prim, params", [(argsort_p, {"axis": 1, "kind": "stable", "stable": None}),
                                          (argpartition_p, {"kth": 1, "axis": 1})], ids=["argsort", "argpartition"])
def test_batching_along_the_axis_equals_a_loop(prim, params):
    x = np.random.default_rng(0).normal(size=(3, 4, 5))
    for dim in (0, 2):
        out, out_dim = prim.batch((np.moveaxis(x, 0, dim),), (dim,), params)
        looped = np.stack([prim.impl(x[i], **params) for i in range(3)])
        np.testing.assert_array_equal(np.moveaxis(np.asarray(out), out_dim, 0), looped)
