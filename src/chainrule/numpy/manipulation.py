"""Changing shapes and arranging elements, with NumPy's signatures (``np.reshape(a, shape)``, ``np.roll(a, shift)``).

Every function here moves, copies or drops elements without arithmetic, so its
derivative moves the cotangent back (see ``chainrule.ops.rearrange`` and ``shape``).
"""

import numpy as np

from .. import ops
from ._adapt import operand


def reshape(a, /, shape=None, order="C", *, newshape=None, copy=None):
    """``a`` with a new shape (C order)."""
    if order != "C":
        raise ValueError(f"numpy.reshape: only order='C' is supported, got {order!r}")
    return ops.reshape(operand(a), shape if shape is not None else newshape)


def ravel(a, order="C"):
    """``a`` flattened (C order)."""
    return reshape(a, (-1,), order)


def copy(a, order="K", subok=False):
    """A copy of ``a`` that stays in the graph (the gradient passes through unchanged)."""
    x = operand(a)
    return ops.where(True, x, x)


def moveaxis(a, source, destination):
    return ops.moveaxis(operand(a), source, destination)


def rollaxis(a, axis, start=0):
    return ops.rollaxis(operand(a), axis, start)


def roll(a, shift, axis=None):
    """``a`` shifted cyclically by ``shift`` along ``axis`` (the flattened array when None)."""
    return ops.roll(operand(a), shift, axis)


def rot90(m, k=1, axes=(0, 1)):
    return ops.rot90(operand(m), k, axes)


def flipud(m):
    return ops.flipud(operand(m))


def fliplr(m):
    return ops.fliplr(operand(m))


def tile(A, reps):  # noqa: N803 (NumPy's name)
    return ops.tile(operand(A), reps)


def repeat(a, repeats, axis=None):
    return ops.repeat(operand(a), repeats, axis)


def _each(op, arys):
    results = tuple(op(operand(a)) for a in arys)
    return results[0] if len(results) == 1 else results


def atleast_1d(*arys):
    """Each array with at least 1 dimension (a tuple for several)."""
    return _each(ops.atleast_1d, arys)


def atleast_2d(*arys):
    """Each array with at least 2 dimensions (a vector becomes a row; a tuple for several)."""
    return _each(ops.atleast_2d, arys)


def atleast_3d(*arys):
    """Each array with at least 3 dimensions (a tuple for several)."""
    return _each(ops.atleast_3d, arys)


def broadcast_arrays(*args, subok=False):
    """The arrays broadcast against each other, as a tuple."""
    tensors = [operand(a) for a in args]
    shape = np.broadcast_shapes(*[t.shape for t in tensors])
    return tuple(ops.broadcast_to(t, shape) for t in tensors)


def transpose(a, axes=None):
    """The axes permuted (reversed by default)."""
    return ops.transpose(operand(a), axes)


def swapaxes(a, axis1, axis2):
    return ops.swapaxes(operand(a), axis1, axis2)


def expand_dims(a, axis):
    return ops.expand_dims(operand(a), axis)


def squeeze(a, axis=None):
    return ops.squeeze(operand(a), axis)


def broadcast_to(array, shape, subok=False):
    return ops.broadcast_to(operand(array), shape)


def pad(array, pad_width, mode="constant", **kwargs):
    """``array`` padded with a constant (``constant_values``); other modes are not differentiated yet."""
    return ops.pad(operand(array), pad_width, mode=mode, **kwargs)


def flip(m, axis=None):
    return ops.flip(operand(m), axis)
