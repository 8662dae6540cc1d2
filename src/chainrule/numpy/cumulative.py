"""Running sums and products and their inverse, differences: cumsum, cumprod, diff, ediff1d, trapezoid.

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
