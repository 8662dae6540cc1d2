"""Sorting and searching with NumPy's signatures: sort, argsort, partition, argpartition,
argmax/argmin (with the reductions), searchsorted.

``sort`` and ``partition`` return the values, whose derivative scatters the cotangent back
through the permutation; the index-returning functions return integer tensors outside
every gradient.
"""

import numpy as np

from .. import ops
from ._adapt import concrete, operand


def sort(a, axis=-1, kind=None, order=None, *, stable=None):
    """``a`` sorted along ``axis`` (the flattened array when None)."""
    return ops.sort(operand(a), axis, kind, order, stable)


def argsort(a, axis=-1, kind=None, order=None, *, stable=None):
    """The indices that sort ``a`` along ``axis``: an integer tensor."""
    return ops.argsort(operand(a), axis, kind, order, stable)


def partition(a, kth, axis=-1, kind="introselect", order=None):
    """``a`` with its ``kth`` smallest element(s) in sorted position, smaller ones before, larger after."""
    return ops.partition(operand(a), kth, axis, kind, order)


def argpartition(a, kth, axis=-1, kind="introselect", order=None):
    """The indices that partition ``a`` around its ``kth`` smallest element(s): an integer tensor."""
    return ops.argpartition(operand(a), kth, axis, kind, order)


def searchsorted(a, v, side="left", sorter=None):
    """The indices where the values ``v`` would be inserted into the sorted ``a``: an integer tensor."""
    return ops.searchsorted(operand(a), operand(v), side, None if sorter is None else operand(sorter))


def sort_complex(a):
    """``a`` sorted by real part, then imaginary part, as complex numbers."""
    x = operand(a)
    return ops.sort(x if x.dtype.kind == "c" else ops.astype(x, np.result_type(x.dtype, np.complex64)))


def lexsort(keys, axis=-1):
    """The indices that sort by the last key, then the one before …: an integer tensor (not inside cr.jit)."""
    return operand(np.lexsort(tuple(concrete(operand(k), "lexsort") for k in keys), axis=axis))
