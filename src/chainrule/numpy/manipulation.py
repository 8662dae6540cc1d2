"""Changing shapes and arranging elements, with NumPy's signatures (``np.reshape(a, shape)``, ``np.roll(a, shift)``).

Every function here moves, copies or drops elements without arithmetic, so its
derivative moves the cotangent back (see ``chainrule.ops.rearrange`` and ``shape``).
``insert`` and ``delete`` ask NumPy where each element goes (on index arrays) and gather.
"""

import numpy as np

from .. import ops
from ._adapt import concrete, operand


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
    return ops.copy(operand(a))


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


def permute_dims(a, /, axes=None):
    """The axes permuted (the array API's ``transpose``)."""
    return transpose(a, axes)


def resize(a, new_shape):
    """``a`` flattened, repeated cyclically to fill ``new_shape`` (NumPy's ``resize``, not the method)."""
    x = ops.reshape(operand(a), (-1,))
    shape = (int(new_shape),) if np.ndim(new_shape) == 0 else tuple(int(n) for n in new_shape)
    count = int(np.prod(shape))
    if x.shape[0] == 0 or count == 0:
        return ops.zeros(shape, dtype=x.dtype)
    return ops.reshape(ops.take(x, np.arange(count) % x.shape[0]), shape)


def _positions(shape, axis):
    """An integer array of ``shape``'s positions along ``axis`` (flattened array when None)."""
    return np.arange(int(np.prod(shape))) if axis is None else np.arange(shape[axis])


def delete(arr, obj, axis=None):
    """``arr`` without the entries ``obj`` (index, slice or indices) along ``axis`` (flattened when None)."""
    x = operand(arr)
    keep = np.delete(_positions(x.shape, axis), obj)
    return ops.take(x, keep, axis)


def insert(arr, obj, values, axis=None):
    """``arr`` with ``values`` inserted before the indices ``obj`` along ``axis`` (flattened when None).

    Where each old element and each value goes is NumPy's own answer for index arrays; the
    result gathers from both, so it carries the gradient of ``arr`` and of ``values``.
    """
    x, v = operand(arr), operand(values)
    if axis is None:
        x, axis = ops.reshape(x, (-1,)), 0
    axis %= max(x.ndim, 1)
    old = np.arange(x.numel()).reshape(x.shape)
    slots = np.insert(old, obj, np.full(v.shape, -1), axis=axis)
    placed = np.insert(np.full(x.shape, -1), obj, np.arange(v.numel()).reshape(v.shape), axis=axis)
    result_shape = slots.shape
    from_old = ops.take(ops.reshape(x, (-1,)), np.maximum(np.where(placed >= 0, 0, slots), 0))
    from_values = ops.take(ops.reshape(ops.astype(v, x.dtype), (-1,)), np.maximum(placed, 0))
    return ops.reshape(ops.where(placed >= 0, from_values, from_old), result_shape)


def trim_zeros(filt, trim="fb", axis=None):
    """``filt`` without its leading ("f") and/or trailing ("b") zeros (1-D)."""
    x = operand(filt)
    values = concrete(x, "trim_zeros")
    nonzero = np.flatnonzero(values)
    if nonzero.size == 0:
        return x[0:0]
    start = nonzero[0] if "f" in trim.lower() else 0
    stop = nonzero[-1] + 1 if "b" in trim.lower() else values.shape[0]
    return x[start:stop]
