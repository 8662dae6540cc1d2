"""NumPy's functional programming helpers: apply_along_axis, apply_over_axes, piecewise.

Each calls the user's function on tensors (slices, or the whole array) and assembles the
results with chainrule's ops, so the result differentiates wherever the function does.
"""

import itertools

import numpy as np

from .. import ops
from ._adapt import concrete, operand


def apply_along_axis(func1d, axis, arr, *args, **kwargs):
    """``func1d`` applied to every 1-D slice of ``arr`` along ``axis``; its outputs take that axis' place."""
    x = operand(arr)
    if not -x.ndim <= axis < x.ndim:
        raise ValueError(f"numpy.apply_along_axis: axis {axis} is out of bounds for an array of shape {x.shape}")
    axis %= x.ndim
    moved = ops.moveaxis(x, axis, -1)
    lead = moved.shape[:-1]
    results = [operand(func1d(moved[index], *args, **kwargs)) for index in itertools.product(*map(range, lead))]
    if not results:
        raise ValueError("numpy.apply_along_axis: cannot apply to an array with an empty axis")
    stacked = ops.reshape(ops.stack(results), lead + results[0].shape)
    trailing = results[0].ndim
    return ops.moveaxis(stacked, list(range(len(lead), len(lead) + trailing)),
                        list(range(axis, axis + trailing))) if trailing else stacked


def apply_over_axes(func, a, axes):
    """``func(a, axis)`` applied for each axis in turn, the result kept at a's number of dimensions."""
    result = operand(a)
    for axis in np.atleast_1d(axes):
        axis = int(axis) % result.ndim
        reduced = operand(func(result, axis))
        if reduced.ndim == result.ndim:
            result = reduced
        elif reduced.ndim == result.ndim - 1:
            result = ops.expand_dims(reduced, axis)
        else:
            raise ValueError("numpy.apply_over_axes: function is not returning an array of the correct shape")
    return result


def piecewise(x, condlist, funclist, *args, **kw):
    """``funclist[i](x[condlist[i]])`` where each condition holds (a number stands for a constant function;
    one extra function is the default where none holds), as ``np.piecewise``."""
    x = operand(x)
    conditions = [operand(c) for c in (condlist if isinstance(condlist, (list, tuple)) else [condlist])]
    if x.ndim == 0 and conditions and conditions[0].ndim == 1 and conditions[0].shape[0] == 1:
        conditions = [ops.reshape(c, ()) for c in conditions]
    if len(funclist) == len(conditions) + 1:
        none = ops.logical_not(ops.any(ops.stack([ops.broadcast_to(c, x.shape) for c in conditions]), axis=0)) \
            if conditions else ops.ones(x.shape, dtype=bool)
        conditions.append(none)
    elif len(funclist) != len(conditions):
        raise ValueError(f"numpy.piecewise: with {len(conditions)} condition(s), either {len(conditions)} or "
                         f"{len(conditions) + 1} functions are expected")
    result = ops.zeros(x.shape, dtype=x.dtype)
    for condition, function in zip(conditions, funclist):
        mask = concrete(ops.broadcast_to(condition, x.shape), "piecewise")
        if not mask.any():
            continue
        values = function(x[mask], *args, **kw) if callable(function) else function
        result = ops.index_update(result, ops.astype(operand(values), x.dtype), mask)
    return result
