"""NumPy's NaN-skipping reductions: nansum, nanprod, nanmean, nanvar, nanstd, nanmax, nanmin,
nanargmax, nanargmin, nancumsum, nancumprod (nanmedian and nanquantile are with the quantiles).

Each is its plain reduction of x with the NaNs replaced by the reduction's neutral value
(0 for sums, 1 for products, ∓inf for max and min) or, for the means, left out of the
count — through ``where``, so the gradient is the plain one at the numbers and 0 at the
NaNs. A slice of NaN only gives NaN for max, min and the means, as in NumPy.
"""

import numpy as np

from .. import ops
from ..core.tensor import array_of
from ..core.tracer import staging
from ._adapt import NO_VALUE, given, operand, refuse_out
from .reductions import _keep, _selection


def _is_number(x):
    """Where x is not NaN (everywhere for integers)."""
    return ops.logical_not(ops.isnan(x))


def _filled(x, value):
    return x if x.dtype.kind not in "fc" else ops.where(ops.isnan(x), value, x)


def _both(selection, where):
    return selection if not given(where) else ops.logical_and(selection, operand(where))


def nansum(a, axis=None, dtype=None, out=None, keepdims=NO_VALUE, initial=NO_VALUE, where=NO_VALUE):
    """Σ over ``axis`` treating NaN as 0."""
    refuse_out("nansum", out)
    x = _filled(operand(a, dtype), 0)
    total = ops.sum(x if not given(where) else ops.where(operand(where), x, 0), axis=axis, keepdims=_keep(keepdims))
    return total + initial if given(initial) else total


def nanprod(a, axis=None, dtype=None, out=None, keepdims=NO_VALUE, initial=NO_VALUE, where=NO_VALUE):
    """Π over ``axis`` treating NaN as 1."""
    refuse_out("nanprod", out)
    x = _filled(operand(a, dtype), 1)
    product = ops.prod(x if not given(where) else ops.where(operand(where), x, 1), axis=axis, keepdims=_keep(keepdims))
    return product * initial if given(initial) else product


def nanmean(a, axis=None, dtype=None, out=None, keepdims=NO_VALUE, *, where=NO_VALUE):
    """The mean over ``axis`` of the elements that are not NaN."""
    refuse_out("nanmean", out)
    x = operand(a, dtype)
    return ops.mean(_filled(x, 0), axis=axis, keepdims=_keep(keepdims), where=_both(_is_number(x), where))


def nanvar(a, axis=None, dtype=None, out=None, ddof=0, keepdims=NO_VALUE, *, where=NO_VALUE, mean=NO_VALUE,
           correction=NO_VALUE):
    """The variance over ``axis`` of the elements that are not NaN."""
    refuse_out("nanvar", out)
    x = operand(a, dtype)
    return ops.var(_filled(x, 0), axis=axis, keepdims=_keep(keepdims), ddof=correction if given(correction) else ddof,
                   where=_both(_is_number(x), where), mean=operand(mean) if given(mean) else None)


def nanstd(a, axis=None, dtype=None, out=None, ddof=0, keepdims=NO_VALUE, *, where=NO_VALUE, mean=NO_VALUE,
           correction=NO_VALUE):
    """The standard deviation over ``axis`` of the elements that are not NaN."""
    refuse_out("nanstd", out)
    return ops.sqrt(nanvar(a, axis, dtype, None, ddof, keepdims, where=where, mean=mean, correction=correction))


def _nan_extremum(op, fill, name, a, axis, out, keepdims, initial, where):
    refuse_out(name, out)
    x = operand(a)
    if x.dtype.kind not in "fc":
        return op(x, axis=axis, keepdims=_keep(keepdims))
    numbers = _both(_is_number(x), where)
    result = op(ops.where(numbers, x, fill if not given(initial) else initial), axis=axis, keepdims=_keep(keepdims))
    if given(initial):
        return (ops.maximum if op is ops.max else ops.minimum)(result, initial)
    none = ops.logical_not(ops.any(numbers, axis=axis, keepdims=_keep(keepdims)))
    return ops.where(none, np.nan, result)


def nanmax(a, axis=None, out=None, keepdims=NO_VALUE, initial=NO_VALUE, where=NO_VALUE):
    """The largest element over ``axis`` ignoring NaN (NaN for a slice of NaN only)."""
    return _nan_extremum(ops.max, -np.inf, "nanmax", a, axis, out, keepdims, initial, where)


def nanmin(a, axis=None, out=None, keepdims=NO_VALUE, initial=NO_VALUE, where=NO_VALUE):
    """The smallest element over ``axis`` ignoring NaN (NaN for a slice of NaN only)."""
    return _nan_extremum(ops.min, np.inf, "nanmin", a, axis, out, keepdims, initial, where)


def _nan_arg(op, fill, name, a, axis, out, keepdims):
    refuse_out(name, out)
    x = operand(a)
    if x.dtype.kind not in "fc":
        return op(x, axis=axis, keepdims=_keep(keepdims))
    numbers = _is_number(x)
    if not staging() and not np.all(np.any(array_of(numbers), axis=axis)):
        raise ValueError(f"numpy.{name}: All-NaN slice encountered")
    return op(ops.where(numbers, x, fill), axis=axis, keepdims=_keep(keepdims))


def nanargmax(a, axis=None, out=None, *, keepdims=NO_VALUE):
    """The index of the largest element ignoring NaN (ValueError for a slice of NaN only)."""
    return _nan_arg(ops.argmax, -np.inf, "nanargmax", a, axis, out, keepdims)


def nanargmin(a, axis=None, out=None, *, keepdims=NO_VALUE):
    """The index of the smallest element ignoring NaN (ValueError for a slice of NaN only)."""
    return _nan_arg(ops.argmin, np.inf, "nanargmin", a, axis, out, keepdims)


def nancumsum(a, axis=None, dtype=None, out=None):
    """Running sums treating NaN as 0."""
    refuse_out("nancumsum", out)
    return ops.cumsum(_filled(operand(a), 0), axis, dtype)


def nancumprod(a, axis=None, dtype=None, out=None):
    """Running products treating NaN as 1."""
    refuse_out("nancumprod", out)
    return ops.cumprod(_filled(operand(a), 1), axis, dtype)
