"""``sort``: PyTorch's ``x.sort(dim=-1, descending=False, stable=False)`` → ``(values, indices)``.

The order (``indices``) is ``argsort``, an integer primitive (so a traced or jitted program
finds it again for each input), and the values are the input *gathered* at it, so they carry
the gradient: ∂values_k/∂input_j = 1[j = indices_k], the cotangent goes back to where each
value came from. The indices are integers, outside every gradient computation. Equal values
keep their order (the sort is stable) and NaN sorts as the largest value, as in PyTorch.

This is the Tensor method; ``cr.sort`` and ``chainrule.numpy.sort`` are NumPy's (the values alone).
"""

import collections

import numpy as np

from .. import ops
from ..core.tensor import Tensor
from .indexing import gather
from .shaping import dim_index

SortResult = collections.namedtuple("sort", ["values", "indices"])
SortResult.__doc__ = "What ``sort`` returns: the sorted ``values`` and, for each, its ``indices`` in the input."


def sort(input, dim=-1, descending=False, stable=False):  # noqa: A002, ARG001 (PyTorch's signature)
    """``input`` sorted along ``dim`` (ascending unless ``descending``), and where each value came from.

    Equal values keep their order in the input (the sort is always stable, so
    ``stable`` changes nothing).

    Examples
    --------
    >>> values, indices = cr.tensor([3.0, 1.0, 2.0]).sort()
    >>> values, indices
    (tensor([1., 2., 3.]), tensor([1, 2, 0]))
    """
    if np.ndim(input) == 0:
        return SortResult(input, Tensor(np.zeros((), np.int64)))
    dim = dim_index(dim, np.ndim(input), "sort")
    if descending:  # ascending on the reversed axis, reversed back: ties keep their order, NaN comes first
        n = np.shape(input)[dim]
        order = (n - 1) - ops.flip(ops.argsort(ops.flip(input, dim), dim, kind="stable"), dim)
    else:
        order = ops.argsort(input, dim, kind="stable")
    return SortResult(gather(input, dim, order), order)
