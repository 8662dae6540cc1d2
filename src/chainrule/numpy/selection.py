"""Choosing elements, with NumPy's signatures: where (three arguments: choose; one: the indices),
nonzero, argwhere, flatnonzero, take, take_along_axis, select, extract, compress, choose, clip.

The choices are ``where`` and ``getitem``, so the gradient flows to the chosen elements. The
functions that return positions (nonzero, argwhere, flatnonzero, one-argument where) return
integer tensors read off the values now (their length depends on them): they are outside
every gradient, and refused inside ``cr.trace``/``cr.jit``, which could not record them.
"""

import numpy as np

from .. import ops
from ..core.tensor import Tensor, array_of
from ..core.tracer import staging
from ..ops.indexing import index_mode
from ._adapt import NO_VALUE, concrete, given, operand, refuse_out


def where(condition, x=NO_VALUE, y=NO_VALUE, /):
    """``x`` where ``condition`` else ``y``; with the condition alone, ``nonzero(condition)``."""
    if not given(x) and not given(y):
        return nonzero(condition)
    if not (given(x) and given(y)):
        raise ValueError("numpy.where: either both or neither of x and y should be given")
    return ops.where(operand(condition), operand(x), operand(y))


def nonzero(a):
    """The indices of the elements that are not zero, one integer tensor per axis."""
    values = concrete(operand(a), "nonzero")
    if values.ndim == 0:
        raise ValueError("numpy.nonzero: calling nonzero on 0d arrays is not allowed; use np.atleast_1d(a).nonzero()")
    return tuple(operand(i) for i in np.nonzero(values))


def argwhere(a):
    """The indices of the elements that are not zero, as rows of an integer tensor (n, a.ndim)."""
    return operand(np.argwhere(concrete(operand(a), "argwhere")))


def flatnonzero(a):
    """The indices of the nonzero elements of the flattened array."""
    return operand(np.flatnonzero(concrete(operand(a), "flatnonzero")))


def take(a, indices, axis=None, out=None, mode="raise"):
    """Elements of ``a`` at ``indices`` along ``axis`` (of the flattened array when None)."""
    refuse_out("take", out)
    return ops.take(operand(a), _index(indices), axis, mode)


def _index(indices):
    return indices if isinstance(indices, Tensor) else np.asarray(indices)


def take_along_axis(arr, indices, axis=-1):
    """``arr`` indexed along ``axis`` by ``indices`` of the same number of dimensions (a sort order, say)."""
    return ops.take_along_axis(operand(arr), _index(indices), axis)


def select(condlist, choicelist, default=0):
    """The element of the first choice whose condition holds, ``default`` where none does."""
    if len(condlist) != len(choicelist):
        raise ValueError("numpy.select: list of cases must be same length as list of conditions")
    if not condlist:
        raise ValueError("numpy.select: select with an empty condition list is not possible")
    choices = [operand(c) for c in choicelist]
    result = operand(default)
    dtype = np.result_type(*[c.dtype for c in choices], result.dtype)
    result = ops.astype(result, dtype)
    for condition, choice in zip(reversed(condlist), reversed(choices)):
        condition = operand(condition)
        if condition.dtype != bool:
            raise TypeError(f"numpy.select: invalid entry in condlist: should be boolean, got {condition.dtype}")
        result = ops.where(condition, ops.astype(choice, dtype), result)
    return result


def extract(condition, arr):
    """The elements of the flattened ``arr`` where the flattened ``condition`` is true."""
    mask = ops.reshape(ops.astype(operand(condition), bool), (-1,))
    values = concrete(mask, "extract")
    return ops.reshape(operand(arr), (-1,))[np.flatnonzero(values)]


def compress(condition, a, axis=None, out=None):
    """The slices of ``a`` along ``axis`` (the flattened array when None) where ``condition`` is true."""
    refuse_out("compress", out)
    x = operand(a)
    keep = np.flatnonzero(concrete(operand(condition), "compress"))
    return ops.take(x, keep, axis)


def choose(a, choices, out=None, mode="raise"):
    """``choices[a[i]][i]``: each element from the choice its index in ``a`` names."""
    refuse_out("choose", out)
    index = operand(a)
    options = [operand(c) for c in choices]
    n = len(options)
    index = index_mode(index, n, mode, "numpy.choose")
    shape = np.broadcast_shapes(index.shape, *[c.shape for c in options])
    if mode == "raise" and not staging() and not np.all((array_of(index) >= 0) & (array_of(index) < n)):
        raise ValueError("numpy.choose: invalid entry in choice array")
    stacked = ops.stack([ops.broadcast_to(c, shape) for c in options])
    return ops.reshape(ops.take_along_axis(stacked, ops.reshape(ops.broadcast_to(index, shape), (1,) + shape), 0),
                       shape)


def clip(a, a_min=NO_VALUE, a_max=NO_VALUE, out=None, *, min=NO_VALUE, max=NO_VALUE, **kwargs):  # noqa: A002
    """``a`` limited to [a_min, a_max] (either may be None)."""
    refuse_out("clip", out)
    low = a_min if given(a_min) else (min if given(min) else None)
    high = a_max if given(a_max) else (max if given(max) else None)
    return ops.clip(operand(a), low, high)


def unravel_index(indices, shape, order="C"):
    """The multi-indices of flat ``indices`` into an array of ``shape``: a tuple of integer tensors."""
    return tuple(operand(i) for i in np.unravel_index(concrete(operand(indices), "unravel_index"), shape, order))


def ravel_multi_index(multi_index, dims, mode="raise", order="C"):
    """The flat indices of the multi-indices into an array of shape ``dims``: an integer tensor."""
    parts = tuple(concrete(operand(i), "ravel_multi_index") for i in multi_index)
    return operand(np.ravel_multi_index(parts, dims, mode, order))
