"""Indexing: ``x[index]`` (basic and advanced), its transpose ``scatter_add``, and the
out-of-place ``index_update`` behind ``x[index] = v``.

getitem and scatter_add are each other's VJP. Basic indices (ints, slices, None,
Ellipsis) select without repeats, so scatter writes the cotangent into a zero
buffer directly; advanced indices may repeat, so it accumulates with ``np.add.at``.

The array parts of an index (integer arrays, boolean masks, tensors) are *operands*
of the primitive, not constants: the index is split into a template, in which an
``IndexSlot`` marks where each array goes, and the arrays themselves. So an index
computed from traced values (labels in a jitted loss) stays part of the graph
instead of being frozen at its example value. Index operands are never differentiated.
"""

import numpy as np

from ..core.bind import bind
from ..core.errors import ShapeError
from ..core.tensor import Tensor
from . import samples
from .declare import Math, primitive
from .elementwise import clip
from .shape import reshape

_BASIC = (int, np.integer, slice, type(None), type(Ellipsis))


class IndexSlot:
    """Where the k-th array operand goes in an index template."""

    __slots__ = ("position",)

    def __init__(self, position):
        self.position = position

    def __eq__(self, other):
        return isinstance(other, IndexSlot) and other.position == self.position

    def __hash__(self):
        return hash(("IndexSlot", self.position))

    def __repr__(self):
        return f"<index operand {self.position}>"


def split_index(index):
    """``(template, operands)``: the index with every array part replaced by an ``IndexSlot``."""
    items = index if isinstance(index, tuple) else (index,)
    template, operands = [], []
    for item in items:
        if isinstance(item, (Tensor, np.ndarray, list)):
            operands.append(item if isinstance(item, Tensor) else np.asarray(item))
            template.append(IndexSlot(len(operands) - 1))
        else:
            template.append(item)
    return (tuple(template) if isinstance(index, tuple) else template[0]), operands


def fill_index(template, arrays):
    """The concrete index: the template with its slots filled from ``arrays``."""
    if isinstance(template, tuple):
        return tuple(arrays[t.position] if isinstance(t, IndexSlot) else t for t in template)
    return arrays[template.position] if isinstance(template, IndexSlot) else template


def concrete_index(index):
    """An index NumPy can use directly (tensors replaced by their arrays)."""
    template, operands = split_index(index)
    return fill_index(template, [o._data if isinstance(o, Tensor) else o for o in operands])


def is_basic(index):
    items = index if isinstance(index, tuple) else (index,)
    return all(isinstance(i, _BASIC) and not isinstance(i, bool) for i in items)


def _integer_index(index):
    """Boolean masks replaced by the integer arrays of their true positions (for ``np.add.at``)."""
    items = index if isinstance(index, tuple) else (index,)
    out = []
    for item in items:
        if isinstance(item, np.ndarray) and item.dtype == bool:
            out.extend(np.nonzero(item))
        else:
            out.append(item)
    return tuple(out)


# ------------------------------------------------------------------------------ impls
def _getitem_impl(x, *arrays, index):
    return x[fill_index(index, arrays)]


def _scatter_add_impl(g, *arrays, shape, index):
    out = np.zeros(shape, g.dtype)
    concrete = fill_index(index, arrays)
    if is_basic(concrete):
        out[concrete] = g
    else:
        np.add.at(out, _integer_index(concrete), g)
    return out


def _index_update_impl(x, v, *arrays, index):
    out = np.array(x, copy=True)
    out[fill_index(index, arrays)] = v
    return out


# ------------------------------------------------------------------------------ rules
getitem_p = primitive(
    "getitem", _getitem_impl, linear=(0,),
    vjp=(lambda g, ans, x, *arrays, index: _scatter(g, x.shape, index, arrays),),
    math=Math("{0}[index]", tangent=("{d}[index]",), adjoint=("{d} scattered to index",)),
    samples=samples.explicit(
        lambda rng: _sample(rng.normal(size=(4, 3)), (slice(1, 3), 1)),
        lambda rng: _sample(rng.normal(size=(4, 3)), np.array([0, 2, 0, 3])),
        lambda rng: _sample(rng.normal(size=(4, 3)), np.array([[True, False, True]] * 4)),
        lambda rng: _sample(rng.normal(size=(2, 3, 4)), (Ellipsis, None, np.array([1, 1])))))

scatter_add_p = primitive(
    "scatter_add", _scatter_add_impl, linear=(0,),
    vjp=(lambda g, ans, x, *arrays, shape, index: _take(g, index, arrays),),
    math=Math("0 with {0} added at index", tangent=("{d} added at index",), adjoint=("{d}[index]",)),
    samples=samples.explicit(
        lambda rng: _sample(rng.normal(size=(2,)), (slice(1, 3), 1), shape=(4, 3)),
        lambda rng: _sample(rng.normal(size=(4, 3)), np.array([0, 2, 0, 3]), shape=(4, 3))))


index_update_p = primitive(
    "index_update", _index_update_impl, linear=(0, 1),
    vjp=(lambda g, ans, x, v, *arrays, index: _update(g, 0, index, arrays),
         lambda g, ans, x, v, *arrays, index: _take(g, index, arrays)),
    math=Math("{0} with [index] = {1}", tangent=("{d} with 0 at index", "{d} at index"),
              adjoint=("{d} with 0 at index", "{d}[index]"), names=("x", "v")),
    samples=samples.explicit(
        lambda rng: _sample((rng.normal(size=(4, 3)), rng.normal(size=(2, 3))), slice(1, 3)),
        lambda rng: _sample((rng.normal(size=(4, 3)), rng.normal(size=(3,))), 2),
        lambda rng: _sample((rng.normal(size=(4, 3)), rng.normal(size=(2, 3))), np.array([3, 0]))))


def _sample(values, index, **params):
    """A registry sample: the differentiable values, then the index operands."""
    values = values if isinstance(values, tuple) else (values,)
    template, operands = split_index(index)
    return values + tuple(operands), dict(params, index=template)


def _take(x, template, arrays):
    return bind(getitem_p, x, *arrays, index=template)


def _scatter(g, shape, template, arrays):
    return bind(scatter_add_p, g, *arrays, shape=tuple(shape), index=template)


def _update(x, v, template, arrays):
    return bind(index_update_p, x, v, *arrays, index=template)


# --------------------------------------------------------------------------- functions
def getitem(x, index):
    """x[index] with NumPy's basic and advanced indexing.   VJP: scatter-add the cotangent back."""
    template, operands = split_index(index)
    return _take(x, template, operands)


def scatter_add(g, shape, index):
    """A zero array of ``shape`` with ``g`` added at ``index`` (repeats accumulate).   VJP: ``g[index]``."""
    template, operands = split_index(index)
    return _scatter(g, shape, template, operands)


def index_update(x, v, index):
    """A copy of x with x[index] = v.   ∂/∂x: the cotangent with zeros at index; ∂/∂v: its index slice."""
    template, operands = split_index(index)
    return _update(x, v, template, operands)


# --------------------------------------------------------------------- along an axis
def along_axis_index(shape, indices, axis):
    """The advanced index that picks ``indices`` along ``axis`` of an array of ``shape`` and
    lines the other axes up with themselves (what ``np.take_along_axis`` indexes with)."""
    ndim = len(shape)
    if not -ndim <= axis < ndim:
        raise ShapeError(f"take_along_axis: axis {axis} is out of bounds for an array of shape {tuple(shape)}")
    axis = int(axis) % ndim
    if np.ndim(indices) != ndim:
        raise ShapeError(f"take_along_axis: indices of {np.ndim(indices)} dimensions do not fit an array of shape "
                         f"{tuple(shape)}; they need as many dimensions ({ndim})")
    return tuple(indices if d == axis else np.arange(n).reshape((1,) * d + (n,) + (1,) * (ndim - d - 1))
                 for d, n in enumerate(shape))


def take_along_axis(x, indices, axis=-1):
    """x[..., indices, ...] matched element by element along ``axis`` (of the flattened x when None), as
    ``np.take_along_axis``.   The advanced index of ``getitem``: its VJP scatter-adds the cotangent back."""
    if axis is None:
        x, axis = reshape(x, (-1,)), 0
    return getitem(x, along_axis_index(np.shape(x), indices, axis))


def take(x, indices, axis=None, mode="raise"):
    """Elements of x at ``indices`` along ``axis`` (of the flattened x when None), as ``np.take``.

    ``mode``: "raise" (out-of-range indices are an error; negative ones count from the end),
    "wrap" (indices modulo the length) or "clip" (clamped to the ends). VJP: scatter-add back.
    """
    if axis is None:
        x, axis = reshape(x, (-1,)), 0
    ndim = np.ndim(x)
    if not -ndim <= axis < ndim:
        raise ShapeError(f"take: axis {axis} is out of bounds for a tensor of shape {np.shape(x)}")
    axis %= ndim
    n = np.shape(x)[axis]
    if isinstance(indices, (list, tuple)):
        indices = np.asarray(indices)
    return getitem(x, (slice(None),) * axis + (index_mode(indices, n, mode, "take"),))


def index_mode(indices, length, mode, name):
    """Integer indices into an axis of ``length`` by NumPy's ``mode``: "raise" (as they are; out of range is
    an error), "wrap" (modulo the length) or "clip" (clamped to the ends)."""
    if mode == "wrap":
        return indices % length
    if mode == "clip":
        return clip(indices, 0, length - 1)
    if mode != "raise":
        raise ValueError(f"{name}: mode must be 'raise', 'wrap' or 'clip', got {mode!r}")
    return indices
