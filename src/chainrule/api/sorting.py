"""``sort``: PyTorch's ``sort(input, dim=-1, descending=False, stable=False)`` → ``(values, indices)``.

The order is read from the values (NumPy's stable argsort; NaN sorts as the largest
value, as in PyTorch), and the values are then *gathered* at it, so they carry the
gradient: ∂values_k/∂input_j = 1[j = indices_k], the cotangent goes back to where each
value came from. The indices are integers, outside every gradient computation.

Because the order depends on the values, ``sort`` cannot be recorded into a program
(``cr.trace``, ``cr.jit``) that would reuse it for other inputs: there it raises.
"""

import collections

import numpy as np

from ..core.errors import TracerError
from ..core.tensor import Tensor, array_of
from ..core.tracer import staging
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
    >>> values, indices = cr.sort(cr.tensor([3.0, 1.0, 2.0]))
    >>> values, indices
    (tensor([1., 2., 3.]), tensor([1, 2, 0]))
    """
    if staging():
        raise TracerError("sort: the order depends on the values, so it cannot be recorded by cr.trace or cr.jit; "
                          "sort outside the traced function")
    data = array_of(input)
    if data.ndim == 0:
        return SortResult(input, Tensor(np.zeros((), np.int64)))
    dim = dim_index(dim, data.ndim, "sort")
    if descending:  # ascending on the reversed axis, reversed back: ties keep their order, NaN comes first
        n = data.shape[dim]
        order = n - 1 - np.flip(np.argsort(np.flip(data, dim), axis=dim, kind="stable"), dim)
    else:
        order = np.argsort(data, axis=dim, kind="stable")
    return SortResult(gather(input, dim, order), Tensor(order))
