"""``sort``: PyTorch's ``sort(input, dim=-1, descending=False, stable=False)`` → ``(values, indices)``.

The order (``indices``) is read from the values, and the values are then *gathered* at
it, so they carry the gradient: ∂values_k/∂input_j = 1[j = indices_k], the cotangent goes
back to where each value came from. The indices are integers, outside every gradient
computation. Equal values keep their order (the sort is stable) and NaN sorts as the
largest value, as in PyTorch.

On concrete values the order is NumPy's argsort. Inside a transform (``cr.grad``,
``cr.vmap``, ``cr.jit`` …) it must be part of the computation the transform sees, so it
is built from comparisons instead: the rank of x_i is the number of elements that come
before it,

    rank_i = #{j : x_j < x_i} + #{j < i : x_j = x_i},

and ``indices`` puts each i at its rank. That costs O(n²) comparisons along the sorted
axis (a sort primitive would make it O(n log n)).
"""

import collections

import numpy as np

from .. import ops
from ..core.tensor import Tensor, array_of
from ..core.tracer import Tracer
from .indexing import gather, scatter_add
from .shaping import dim_index

SortResult = collections.namedtuple("sort", ["values", "indices"])
SortResult.__doc__ = "What ``sort`` returns: the sorted ``values`` and, for each, its ``indices`` in the input."


def _before(a, b, descending):
    """Whether a comes strictly before b: a < b (a > b when descending), NaN being the largest value."""
    a_nan, b_nan = ops.not_equal(a, a), ops.not_equal(b, b)
    if descending:
        return ops.logical_or(ops.greater(a, b), ops.logical_and(a_nan, ops.logical_not(b_nan)))
    return ops.logical_or(ops.less(a, b), ops.logical_and(b_nan, ops.logical_not(a_nan)))


def _order_by_comparison(x, descending):
    """The stable sorting order of x along its last axis, from comparisons (see the module docstring)."""
    n = x.shape[-1]
    xi, xj = ops.expand_dims(x, -1), ops.expand_dims(x, -2)     # [..., i, j]
    same = ops.logical_or(ops.equal(xj, xi), ops.logical_and(ops.not_equal(xj, xj), ops.not_equal(xi, xi)))
    earlier = np.tri(n, k=-1, dtype=bool)                         # j < i
    rank = ops.add(ops.sum(ops.astype(_before(xj, xi, descending), np.int64), axis=-1),
                   ops.sum(ops.astype(ops.logical_and(same, earlier), np.int64), axis=-1))
    positions = np.broadcast_to(np.arange(n), x.shape)
    return scatter_add(ops.zeros(rank.shape, dtype=np.int64), -1, rank, positions.astype(np.int64))


def sort(input, dim=-1, descending=False, stable=False):  # noqa: A002, ARG001 (PyTorch's signature)
    """``input`` sorted along ``dim`` (ascending unless ``descending``), and where each value came from.

    Equal values keep their order in the input (the sort is always stable, so
    ``stable`` changes nothing). See the module docstring for how the order is found.

    Examples
    --------
    >>> values, indices = cr.sort(cr.tensor([3.0, 1.0, 2.0]))
    >>> values, indices
    (tensor([1., 2., 3.]), tensor([1, 2, 0]))
    """
    if np.ndim(input) == 0:
        return SortResult(input, Tensor(np.zeros((), np.int64)))
    dim = dim_index(dim, np.ndim(input), "sort")
    if isinstance(input, Tracer):
        last = np.ndim(input) - 1
        order = ops.swapaxes(_order_by_comparison(ops.swapaxes(input, dim, last), descending), dim, last)
        return SortResult(gather(input, dim, order), order)
    data = array_of(input)
    if descending:  # ascending on the reversed axis, reversed back: ties keep their order, NaN comes first
        n = data.shape[dim]
        order = n - 1 - np.flip(np.argsort(np.flip(data, dim), axis=dim, kind="stable"), dim)
    else:
        order = np.argsort(data, axis=dim, kind="stable")
    return SortResult(gather(input, dim, order), Tensor(order))
