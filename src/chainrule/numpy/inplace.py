"""NumPy's functions that write into an array in place: put_along_axis, put, place, putmask, copyto,
fill_diagonal — each returns None, as in NumPy.

On a tensor each is ``arr[index] = values``: recorded on the eager tape, so gradients flow to
the values written and past the elements overwritten (a leaf that requires grad cannot be
changed in place, and values inside a transform cannot be changed at all, as in PyTorch and
JAX). An array target cannot hold a gradient: values that require grad are refused there.
"""

import numpy as np

from .. import ops
from ..core.tensor import Tensor
from ..ops.indexing import along_axis_index, index_mode
from ._adapt import concrete, operand


def _write(name, arr, index, values, numpy_write):
    """``arr[index] = values`` on a tensor; NumPy's own function ``numpy_write()`` on an array."""
    if isinstance(arr, Tensor):
        arr[index] = values
        return
    if isinstance(values, Tensor) and values.requires_grad:
        raise TypeError(f"numpy.{name}: writing tensors that require grad into a NumPy array would drop their "
                        f"gradient; make the target a tensor (chainrule.numpy.array(...))")
    numpy_write()


def _array(value):
    return value.numpy() if isinstance(value, Tensor) else value


def _cycled(values, count):
    """``values`` flattened and repeated cyclically to ``count`` elements (NumPy's rule for put/place)."""
    flat = ops.reshape(operand(values), (-1,))
    if flat.shape[0] == 0:
        raise ValueError("cannot write from an empty set of values")
    return ops.take(flat, np.arange(count) % flat.shape[0])


def put_along_axis(arr, indices, values, axis):
    """``arr[..., indices, ...] = values`` matched along ``axis``, in place."""
    if axis is None:
        raise ValueError("numpy.put_along_axis: axis=None is only meaningful for a flat array; ravel it first")
    index = along_axis_index(np.shape(arr), indices if isinstance(indices, Tensor) else np.asarray(indices), axis)
    _write("put_along_axis", arr, index, values,
           lambda: np.put_along_axis(arr, np.asarray(_array(indices)), _array(values), axis))


def put(a, ind, v, mode="raise"):
    """``a.flat[ind] = v`` in place (v repeated cyclically; ``mode`` "raise", "wrap" or "clip")."""
    size = int(np.prod(np.shape(a)))
    flat = index_mode(np.ravel(np.asarray(_array(ind))), size, mode, "numpy.put")
    index = np.unravel_index(np.where(flat < 0, flat + size, flat), np.shape(a))
    _write("put", a, index, _cycled(v, flat.size) if isinstance(a, Tensor) else v,
           lambda: np.put(a, _array(ind), _array(v), mode))


def putmask(a, mask, values):
    """``a.flat[n] = values.flat[n % len(values)]`` wherever ``mask`` is true, in place."""
    where = np.flatnonzero(np.broadcast_to(concrete(operand(mask), "putmask"), np.shape(a)))
    index = np.unravel_index(where, np.shape(a))
    source = ops.reshape(operand(values), (-1,)) if isinstance(a, Tensor) else None
    _write("putmask", a, index, ops.take(source, where % source.shape[0]) if source is not None else values,
           lambda: np.putmask(a, _array(mask), _array(values)))


def place(arr, mask, vals):
    """The elements of ``arr`` where ``mask`` is true set to ``vals`` in order (repeated cyclically), in place."""
    where = np.flatnonzero(np.broadcast_to(concrete(operand(mask), "place"), np.shape(arr)))
    index = np.unravel_index(where, np.shape(arr))
    _write("place", arr, index, _cycled(vals, where.size) if isinstance(arr, Tensor) else vals,
           lambda: np.place(arr, _array(mask), _array(vals)))


def copyto(dst, src, casting="same_kind", where=True):
    """``dst[...] = src`` (broadcast) where ``where`` is true, in place."""
    if isinstance(dst, Tensor):
        value = ops.broadcast_to(ops.astype(operand(src), dst.dtype), dst.shape)
        if where is True:
            dst[...] = value
        else:
            mask = concrete(ops.broadcast_to(operand(where), dst.shape), "copyto")
            dst[mask] = value[mask]
        return
    _write("copyto", dst, Ellipsis, src, lambda: np.copyto(dst, _array(src), casting, _array(where)))


def fill_diagonal(a, val, wrap=False):
    """The main diagonal of ``a`` (all axes of equal length beyond 2-D) set to ``val``, in place."""
    shape = np.shape(a)
    if len(shape) < 2:
        raise ValueError("numpy.fill_diagonal: array must be at least 2-d")
    if len(shape) == 2:
        step = shape[1] + 1
        end = None if wrap else shape[1] * shape[1]
    else:
        if len(set(shape)) != 1:
            raise ValueError("numpy.fill_diagonal: all dimensions of input must be of equal length")
        step, end = 1 + int(np.cumprod(shape[:-1]).sum()), None
    positions = np.arange(int(np.prod(shape)))[:end:step]
    index = np.unravel_index(positions, shape)
    _write("fill_diagonal", a, index, _cycled(val, positions.size) if isinstance(a, Tensor) else val,
           lambda: np.fill_diagonal(a, _array(val), wrap))
