"""Reductions with NumPy's signatures: ``np.sum(a, axis=None, dtype=None, out=None, keepdims=False, ...)``.

``where=`` masks elements out of the reduction as NumPy does (for max and min it needs
``initial=``, as in NumPy). ``ptp`` is max − min; ``count_nonzero`` counts (an integer,
outside every gradient).
"""

import numpy as np

from .. import ops
from ._adapt import NO_VALUE, given, operand, refuse_out


def _masked(x, where, fill):
    return x if not given(where) else ops.where(operand(where), x, fill)


def _keep(keepdims):
    return bool(keepdims) if given(keepdims) else False


def sum(a, axis=None, dtype=None, out=None, keepdims=NO_VALUE, initial=NO_VALUE, where=NO_VALUE):  # noqa: A001
    """Σ over ``axis`` (NumPy's ``sum``)."""
    refuse_out("sum", out)
    total = ops.sum(_masked(operand(a, dtype), where, 0), axis=axis, keepdims=_keep(keepdims))
    return total + initial if given(initial) else total


def prod(a, axis=None, dtype=None, out=None, keepdims=NO_VALUE, initial=NO_VALUE, where=NO_VALUE):
    """Π over ``axis`` (NumPy's ``prod``)."""
    refuse_out("prod", out)
    product = ops.prod(_masked(operand(a, dtype), where, 1), axis=axis, keepdims=_keep(keepdims))
    return product * initial if given(initial) else product


def mean(a, axis=None, dtype=None, out=None, keepdims=NO_VALUE, *, where=NO_VALUE):
    """Σ x / n over ``axis`` (NumPy's ``mean``; ``where`` counts only the selected elements)."""
    refuse_out("mean", out)
    return ops.mean(operand(a, dtype), axis=axis, keepdims=_keep(keepdims), where=_selection(where))


def _selection(where):
    return operand(where) if given(where) else None


def var(a, axis=None, dtype=None, out=None, ddof=0, keepdims=NO_VALUE, *, where=NO_VALUE, mean=NO_VALUE,
        correction=NO_VALUE):
    """Σ |x − mean|² / (n − ddof) over ``axis`` (NumPy's ``var``; ``mean`` replaces the computed mean)."""
    refuse_out("var", out)
    return ops.var(operand(a, dtype), axis=axis, keepdims=_keep(keepdims),
                   ddof=correction if given(correction) else ddof, where=_selection(where),
                   mean=operand(mean) if given(mean) else None)


def std(a, axis=None, dtype=None, out=None, ddof=0, keepdims=NO_VALUE, *, where=NO_VALUE, mean=NO_VALUE,
        correction=NO_VALUE):
    """√var (NumPy's ``std``)."""
    refuse_out("std", out)
    return ops.sqrt(var(a, axis, dtype, None, ddof, keepdims, where=where, mean=mean, correction=correction))


def _extremum(op, name, a, axis, out, keepdims, initial, where):
    refuse_out(name, out)
    x = operand(a)
    if given(where):
        if not given(initial):
            raise ValueError(f"numpy.{name}: where= needs initial= (as in NumPy)")
        x = ops.where(operand(where), x, initial)
    result = op(x, axis=axis, keepdims=_keep(keepdims))
    if given(initial):
        result = (ops.maximum if op is ops.max else ops.minimum)(result, initial)
    return result


def max(a, axis=None, out=None, keepdims=NO_VALUE, initial=NO_VALUE, where=NO_VALUE):  # noqa: A001
    """The largest element over ``axis`` (NumPy's ``max``/``amax``)."""
    return _extremum(ops.max, "max", a, axis, out, keepdims, initial, where)


def min(a, axis=None, out=None, keepdims=NO_VALUE, initial=NO_VALUE, where=NO_VALUE):  # noqa: A001
    """The smallest element over ``axis`` (NumPy's ``min``/``amin``)."""
    return _extremum(ops.min, "min", a, axis, out, keepdims, initial, where)


amax, amin = max, min


def _logical(op, name, a, axis, out, keepdims, where):
    refuse_out(name, out)
    x = operand(a)
    if given(where):
        x = ops.where(operand(where), x, name == "all")
    return op(x, axis=axis, keepdims=_keep(keepdims))


def any(a, axis=None, out=None, keepdims=NO_VALUE, *, where=NO_VALUE):  # noqa: A001
    """Whether any element over ``axis`` is true."""
    return _logical(ops.any, "any", a, axis, out, keepdims, where)


def all(a, axis=None, out=None, keepdims=NO_VALUE, *, where=NO_VALUE):  # noqa: A001
    """Whether every element over ``axis`` is true."""
    return _logical(ops.all, "all", a, axis, out, keepdims, where)


def argmax(a, axis=None, out=None, *, keepdims=NO_VALUE):
    """Index of the largest element (flat when ``axis`` is None)."""
    refuse_out("argmax", out)
    return ops.argmax(operand(a), axis=axis, keepdims=_keep(keepdims))


def argmin(a, axis=None, out=None, *, keepdims=NO_VALUE):
    """Index of the smallest element (flat when ``axis`` is None)."""
    refuse_out("argmin", out)
    return ops.argmin(operand(a), axis=axis, keepdims=_keep(keepdims))


def ptp(a, axis=None, out=None, keepdims=NO_VALUE):
    """max − min over ``axis`` (peak to peak).   ∂/∂x = +1 at the maximum, −1 at the minimum (split at ties)."""
    refuse_out("ptp", out)
    x = operand(a)
    return ops.max(x, axis=axis, keepdims=_keep(keepdims)) - ops.min(x, axis=axis, keepdims=_keep(keepdims))


def count_nonzero(a, axis=None, *, keepdims=False):
    """How many elements over ``axis`` are not zero, an integer tensor."""
    return ops.sum(ops.astype(ops.not_equal(operand(a), 0), np.int64), axis=axis, keepdims=keepdims)
