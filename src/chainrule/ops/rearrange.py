"""Rearranging elements without arithmetic: moveaxis, ravel, roll, rot90, flipud/fliplr, tile,
repeat, atleast_1d/2d/3d — compositions of the shape primitives and ``getitem``, so each
derivative is the rearrangement undone (a transpose back, slices joined back, broadcast
copies summed)."""

import numpy as np

from ..core.errors import ShapeError
from .indexing import getitem
from .shape import broadcast_to, concatenate, flip, reshape, transpose


def _axis_index(axis, ndim, name):
    if not -ndim <= axis < ndim:
        raise ShapeError(f"{name}: axis {axis} is out of bounds for an array of {ndim} dimensions")
    return int(axis) % ndim


def _axes(axis, ndim, name):
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    return tuple(_axis_index(a, ndim, name) for a in axes)


def moveaxis(x, source, destination):
    """x with the axes ``source`` moved to positions ``destination`` (the others keep their order)."""
    ndim = np.ndim(x)
    source, destination = _axes(source, ndim, "moveaxis"), _axes(destination, ndim, "moveaxis")
    if len(source) != len(destination):
        raise ValueError("moveaxis: source and destination must name the same number of axes")
    order = [a for a in range(ndim) if a not in source]
    for dest, src in sorted(zip(destination, source)):
        order.insert(dest, src)
    return transpose(x, order)


def rollaxis(x, axis, start=0):
    """x with ``axis`` moved to lie before ``start`` (NumPy's older moveaxis)."""
    ndim = np.ndim(x)
    axis = _axis_index(axis, ndim, "rollaxis")
    if start < 0:
        start += ndim
    if not 0 <= start <= ndim:
        raise ShapeError(f"rollaxis: start {start} is out of bounds for an array of {ndim} dimensions")
    if axis < start:
        start -= 1
    return moveaxis(x, axis, start)


def ravel(x):
    """x flattened (C order), as ``np.ravel``."""
    return reshape(x, (-1,))


def roll(x, shift, axis=None):
    """x shifted cyclically by ``shift`` along ``axis`` (the flattened x when None), as ``np.roll``.

    Two slices joined the other way round; the VJP rolls the cotangent back.
    """
    if axis is None:
        return reshape(roll(reshape(x, (-1,)), shift, 0), np.shape(x))
    ndim = np.ndim(x)
    shifts, axes = np.broadcast_arrays(np.asarray(shift), np.asarray(axis))
    for s, a in zip(shifts.ravel(), axes.ravel()):
        a = _axis_index(int(a), ndim, "roll")
        n = np.shape(x)[a]
        s = int(s) % n if n else 0
        if s:
            before = (slice(None),) * a
            x = concatenate([getitem(x, before + (slice(n - s, None),)), getitem(x, before + (slice(0, n - s),))],
                            axis=a)
    return x


def rot90(x, k=1, axes=(0, 1)):
    """x rotated by 90° ``k`` times in the plane of ``axes`` (from the first toward the second), as ``np.rot90``."""
    ndim = np.ndim(x)
    if len(axes) != 2 or ndim < 2:
        raise ValueError(f"rot90: axes must be two different axes of an array of at least 2 dimensions, got {axes}")
    a, b = _axes(axes, ndim, "rot90")
    if a == b:
        raise ValueError(f"rot90: axes must be different, got {axes}")
    k %= 4
    if k == 0:
        return x
    if k == 2:
        return flip(x, (a, b))
    order = list(range(ndim))
    order[a], order[b] = order[b], order[a]
    return transpose(flip(x, b), order) if k == 1 else flip(transpose(x, order), b)


def flipud(x):
    """x reversed along axis 0 (up/down)."""
    if np.ndim(x) < 1:
        raise ValueError("flipud: needs an array of at least 1 dimension")
    return flip(x, 0)


def fliplr(x):
    """x reversed along axis 1 (left/right)."""
    if np.ndim(x) < 2:
        raise ValueError("fliplr: needs an array of at least 2 dimensions")
    return flip(x, 1)


def tile(x, reps):
    """x repeated ``reps`` times along each axis, as ``np.tile``.

    Each axis of length n becomes a broadcast (r, n) pair flattened to r·n, so the VJP sums
    the r copies of the cotangent.
    """
    reps = (int(reps),) if np.ndim(reps) == 0 else tuple(int(r) for r in reps)
    shape = np.shape(x)
    ndim = max(len(shape), len(reps))
    shape = (1,) * (ndim - len(shape)) + tuple(shape)
    reps = (1,) * (ndim - len(reps)) + reps
    if any(r < 0 for r in reps):
        raise ValueError(f"tile: repetitions must be non-negative, got {reps}")
    paired = reshape(x, tuple(d for n in shape for d in (1, n)))
    copies = broadcast_to(paired, tuple(d for r, n in zip(reps, shape) for d in (r, n)))
    return reshape(copies, tuple(r * n for r, n in zip(reps, shape)))


def repeat(x, repeats, axis=None):
    """Each element of x repeated ``repeats`` times along ``axis`` (the flattened x when None), as ``np.repeat``.

    With one count for all, each element becomes a broadcast run (VJP: the run's cotangents
    summed); with a count per element, an index that repeats positions (VJP: scatter-add).
    """
    if axis is None:
        x, axis = reshape(x, (-1,)), 0
    ndim = np.ndim(x)
    axis = _axis_index(axis, ndim, "repeat")
    shape = np.shape(x)
    counts = np.asarray(repeats)
    if counts.dtype.kind not in "iu" or (counts < 0).any():
        raise ValueError(f"repeat: repeats must be non-negative integers, got {repeats!r}")
    if counts.ndim == 0 or counts.size == 1:
        r = int(counts.reshape(()))
        runs = broadcast_to(reshape(x, shape[:axis + 1] + (1,) + shape[axis + 1:]),
                            shape[:axis + 1] + (r,) + shape[axis + 1:])
        return reshape(runs, shape[:axis] + (shape[axis] * r,) + shape[axis + 1:])
    if counts.shape != (shape[axis],):
        raise ShapeError(f"repeat: {counts.size} counts do not fit axis {axis} of length {shape[axis]}")
    return getitem(x, (slice(None),) * axis + (np.repeat(np.arange(shape[axis]), counts),))


def atleast_1d(x):
    """x with at least 1 dimension (a scalar becomes shape (1,))."""
    return x if np.ndim(x) >= 1 else reshape(x, (1,))


def atleast_2d(x):
    """x with at least 2 dimensions: a scalar becomes (1, 1), a vector of length n the row (1, n)."""
    ndim = np.ndim(x)
    return x if ndim >= 2 else reshape(x, (1,) * (2 - ndim) + tuple(np.shape(x)))


def atleast_3d(x):
    """x with at least 3 dimensions: a scalar becomes (1, 1, 1), a vector (1, n, 1), a matrix (m, n, 1)."""
    shape = tuple(np.shape(x))
    if len(shape) >= 3:
        return x
    return reshape(x, {0: (1, 1, 1), 1: (1,) + shape + (1,), 2: shape + (1,)}[len(shape)])
