"""Running sums and products, and differences: cumsum, cumprod, diff, ediff1d, gradient, trapezoid.

cumsum and cumprod are primitives (O(n) rules, see ``chainrule.ops.cumulative``); a
difference is two slices subtracted, so its VJP is the cotangent placed at +1 and −1.
"""

import numpy as np

from .. import ops
from ..core.errors import ShapeError
from ._adapt import NO_VALUE, given, operand, refuse_out


def cumsum(a, axis=None, dtype=None, out=None):
    """Running sums along ``axis`` (of the flattened array when None)."""
    refuse_out("cumsum", out)
    return ops.cumsum(operand(a), axis, dtype)


def cumprod(a, axis=None, dtype=None, out=None):
    """Running products along ``axis`` (of the flattened array when None), exact with zeros."""
    refuse_out("cumprod", out)
    return ops.cumprod(operand(a), axis, dtype)



def cumulative_sum(x, /, *, axis=None, dtype=None, out=None, include_initial=False):
    """Running sums along ``axis`` (needed for arrays of more than 1 dimension), as NumPy 2's ``cumulative_sum``;
    ``include_initial`` starts with 0."""
    return _cumulative("cumulative_sum", ops.cumsum, 0, x, axis, dtype, out, include_initial)


def cumulative_prod(x, /, *, axis=None, dtype=None, out=None, include_initial=False):
    """Running products along ``axis``, as NumPy 2's ``cumulative_prod``; ``include_initial`` starts with 1."""
    return _cumulative("cumulative_prod", ops.cumprod, 1, x, axis, dtype, out, include_initial)


def _cumulative(name, op, initial, x, axis, dtype, out, include_initial):
    refuse_out(name, out)
    x = operand(x)
    if axis is None:
        if x.ndim > 1:
            raise ValueError(f"numpy.{name}: axis must be given for arrays of more than one dimension")
        axis = 0
    x = ops.atleast_1d(x)
    result = op(x, axis, dtype)
    if include_initial:
        axis %= result.ndim
        result = ops.pad(result, tuple((1, 0) if i == axis else (0, 0) for i in range(result.ndim)),
                         constant_values=initial)
    return result


def diff(a, n=1, axis=-1, prepend=NO_VALUE, append=NO_VALUE):
    """The ``n``-th differences along ``axis``, out[i] = a[i+1] − a[i] applied n times (``prepend``/``append``
    join values first), as ``np.diff``.   Booleans give ``!=`` of neighbours."""
    if n < 0:
        raise ValueError(f"numpy.diff: order must be non-negative but got {n!r}")
    x = operand(a)
    if n == 0:
        return x
    if x.ndim == 0:
        raise ValueError("numpy.diff: requires input that is at least one dimensional")
    if not -x.ndim <= axis < x.ndim:
        raise ShapeError(f"numpy.diff: axis {axis} is out of bounds for an array of shape {x.shape}")
    axis %= x.ndim
    parts = []
    for extra in (prepend,):
        if given(extra):
            parts.append(_edge(operand(extra), x, axis))
    parts.append(x)
    if given(append):
        parts.append(_edge(operand(append), x, axis))
    if len(parts) > 1:
        x = ops.concatenate(parts, axis=axis)
    before = (slice(None),) * axis
    for _ in range(n):
        later, earlier = x[before + (slice(1, None),)], x[before + (slice(None, -1),)]
        x = ops.not_equal(later, earlier) if x.dtype == bool else later - earlier
    return x


def _edge(value, x, axis):
    """``prepend``/``append`` shaped to join x along ``axis`` (a scalar is broadcast to length 1)."""
    if value.ndim == 0:
        return ops.broadcast_to(value, x.shape[:axis] + (1,) + x.shape[axis + 1:])
    return value


def ediff1d(ary, to_end=None, to_begin=None):
    """The differences of the flattened array, with ``to_begin`` and ``to_end`` joined, as ``np.ediff1d``."""
    x = ops.reshape(operand(ary), (-1,))
    parts = [x[1:] - x[:-1]]
    if to_begin is not None:
        parts.insert(0, ops.reshape(operand(to_begin), (-1,)))
    if to_end is not None:
        parts.append(ops.reshape(operand(to_end), (-1,)))
    return ops.concatenate(parts) if len(parts) > 1 else parts[0]


def trapezoid(y, x=None, dx=1.0, axis=-1):
    """∫ y by the trapezoidal rule along ``axis`` (at sample points ``x``, or spacing ``dx``), as ``np.trapezoid``."""
    y = operand(y)
    axis %= y.ndim
    before = (slice(None),) * axis
    upper, lower = y[before + (slice(1, None),)], y[before + (slice(None, -1),)]
    if x is None:
        width = dx
    else:
        x = operand(x)
        if x.ndim == 1:
            x = ops.reshape(x, (-1,) + (1,) * (y.ndim - axis - 1))
            width = x[1:] - x[:-1]
        else:
            width = x[before + (slice(1, None),)] - x[before + (slice(None, -1),)]
    return ops.sum(width * (upper + lower) / 2, axis=axis)


def _spacings(varargs, axes, x):
    """Per axis: a number (uniform spacing) or a coordinate tensor (NumPy's rules for ``varargs``)."""
    if not varargs:
        return [1.0] * len(axes)
    if len(varargs) == 1 and np.ndim(varargs[0]) == 0:
        return [varargs[0]] * len(axes)
    if len(varargs) != len(axes):
        raise TypeError("numpy.gradient: invalid number of arguments (one spacing, or one per axis)")
    spacings = []
    for value, axis in zip(varargs, axes):
        if np.ndim(value) == 0:
            spacings.append(value)
            continue
        coordinates = operand(value)
        if coordinates.ndim != 1 or coordinates.shape[0] != x.shape[axis]:
            raise ValueError("numpy.gradient: distances must be scalars or 1-D arrays matching the axis' length")
        spacings.append(coordinates)
    return spacings


def _along(x, axis, start, stop):
    return x[(slice(None),) * axis + (slice(start, stop),)]


def _shaped(coefficient, axis, ndim):
    """A 1-D coefficient along ``axis``, shaped to broadcast against the array."""
    if np.ndim(coefficient) == 0:
        return coefficient
    return ops.reshape(coefficient, (-1,) + (1,) * (ndim - axis - 1))


def _derivative(f, axis, spacing, edge_order):
    """NumPy's second-order central differences inside, first- or second-order one-sided ones at the ends."""
    n = f.shape[axis]
    if n < edge_order + 1:
        raise ValueError("numpy.gradient: shape of the array too small to calculate a numerical gradient, at least "
                         "(edge_order + 1) elements are required")

    def at(i):
        """The slice of f at index i along the axis (kept as an axis of length 1)."""
        return _along(f, axis, i, i + 1 if i != -1 else None)

    if np.ndim(spacing) == 0:
        inside = (_along(f, axis, 2, None) - _along(f, axis, 0, n - 2)) / (2.0 * spacing)
        if edge_order == 1:
            first = (at(1) - at(0)) / spacing
            last = (at(-1) - at(-2)) / spacing
        else:
            first = (-1.5 * at(0) + 2.0 * at(1) - 0.5 * at(2)) / spacing
            last = (0.5 * at(-3) - 2.0 * at(-2) + 1.5 * at(-1)) / spacing
        return ops.concatenate([first, inside, last], axis=axis)
    dx = spacing[1:] - spacing[:-1]
    dx1, dx2 = dx[:-1], dx[1:]
    a = -dx2 / (dx1 * (dx1 + dx2))
    b = (dx2 - dx1) / (dx1 * dx2)
    c = dx1 / (dx2 * (dx1 + dx2))
    ndim = f.ndim
    inside = (_shaped(a, axis, ndim) * _along(f, axis, 0, n - 2) + _shaped(b, axis, ndim) * _along(f, axis, 1, n - 1)
              + _shaped(c, axis, ndim) * _along(f, axis, 2, None))
    if edge_order == 1:
        first = (at(1) - at(0)) / dx[0]
        last = (at(-1) - at(-2)) / dx[-1]
    else:
        d1, d2 = dx[0], dx[1]
        first = (-(2 * d1 + d2) / (d1 * (d1 + d2)) * at(0) + (d1 + d2) / (d1 * d2) * at(1)
                 - d1 / (d2 * (d1 + d2)) * at(2))
        d1, d2 = dx[-2], dx[-1]
        last = (d2 / (d1 * (d1 + d2)) * at(-3) - (d2 + d1) / (d1 * d2) * at(-2)
                + (2 * d2 + d1) / (d2 * (d1 + d2)) * at(-1))
    return ops.concatenate([first, inside, last], axis=axis)


def gradient(f, *varargs, axis=None, edge_order=1):
    """The derivative of sampled values along each axis, as ``np.gradient``: central differences
    (second-order accurate) inside, one-sided ones of ``edge_order`` 1 or 2 at the ends; spacings are
    numbers or coordinate arrays. A tuple for several axes. Linear in f, so its VJP is the transpose."""
    f = operand(f)
    if f.dtype.kind not in "fc":
        f = ops.astype(f, np.float64)
    if edge_order not in (1, 2):
        raise ValueError("numpy.gradient: 'edge_order' greater than 2 not supported")
    single = isinstance(axis, (int, np.integer))
    axes = tuple(range(f.ndim)) if axis is None else ((axis,) if single else tuple(axis))
    axes = tuple(int(a) % f.ndim for a in axes)
    results = tuple(_derivative(f, a, s, edge_order) for a, s in zip(axes, _spacings(varargs, axes, f)))
    return results[0] if len(results) == 1 else results
