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

from ..core import devices
from ..core.bind import bind
from ..core.errors import ShapeError
from ..core.tensor import Tensor
from . import samples
from .declare import Math, batch_by_loop, batch_to_front, ndim_of, primitive, rebinding
from .elementwise import clip
from .shape import broadcast_to, reshape, transpose

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
    out = np.zeros(shape, g.dtype, like=devices.like(g))
    concrete = fill_index(index, arrays)
    if is_basic(concrete):
        out[concrete] = g
    else:
        np.add.at(out, _integer_index(concrete), g)
    return out


def _index_update_impl(x, v, *arrays, index):
    out = x.copy()
    out[fill_index(index, arrays)] = v
    return out


# ---------------------------------------------------------------------------- batching
def _items(template):
    return template if isinstance(template, tuple) else (template,)


class _Operand:
    """What batching needs to know of an index array: its rank in one example, and whether it is a mask."""

    __slots__ = ("rank", "mask")

    def __init__(self, array, batch_axis):
        self.rank = ndim_of(array) - (batch_axis is not None)
        self.mask = np.result_type(array) == np.bool_


def _operands(arrays, array_dims=None):
    return [_Operand(a, None if array_dims is None else d) for a, d in zip(arrays, array_dims or [None] * len(arrays))]


def _advanced(items, operands):
    """Positions of the advanced items (index arrays; integers too when arrays are present, as NumPy
    counts them) and the rank of their broadcast shape."""
    has_arrays = any(isinstance(i, IndexSlot) for i in items)
    positions = [k for k, i in enumerate(items)
                 if isinstance(i, IndexSlot) or (has_arrays and isinstance(i, (int, np.integer)) and not isinstance(i, bool))]
    ranks = [(1 if operands[items[k].position].mask else operands[items[k].position].rank)
             if isinstance(items[k], IndexSlot) else 0 for k in positions]
    return positions, max(ranks, default=0)


def _batch_axis_after_prefix(items, operands):
    """Where the batch axis lands when a full slice goes in front of ``items``: 0, unless the
    advanced items are split by basic ones, when NumPy puts the broadcast advanced axes first."""
    positions, rank = _advanced(items, operands)
    split = positions and positions != list(range(positions[0], positions[-1] + 1))
    return rank if split else 0


def _result_rank(items, operands, ndim):
    """The rank of x[items] for an x of ``ndim`` axes."""
    positions, rank = _advanced(items, operands)
    consumed = sum(operands[i.position].rank if isinstance(i, IndexSlot) and operands[i.position].mask
                   else 0 if i is None or i is Ellipsis else 1 for i in items)
    kept = sum(1 for i in items if isinstance(i, slice) or i is None)
    return kept + (ndim - consumed) + (rank if positions else 0)


def _leading_arrays(items, operands):
    """Whether the advanced items are integer arrays (or integers) at the very front, adjacent:
    then a batch of index arrays is one more advanced index, and the batch axis stays in front."""
    positions, _ = _advanced(items, operands)
    return (positions == list(range(len(positions))) and positions
            and not any(isinstance(items[k], IndexSlot) and operands[items[k].position].mask for k in positions))


def _padded_arrays(arrays, array_dims):
    """Index arrays with their batch axes in front, padded with length-1 axes to one common rank,
    so that they broadcast against each other and against the arrays without a batch axis."""
    rank = max([ndim_of(a) - (d is not None) for a, d in zip(arrays, array_dims)], default=0)
    moved = []
    for a, d in zip(arrays, array_dims):
        if d is not None:
            a = batch_to_front(a, d)
            a = reshape(a, a.shape[:1] + (1,) * (rank - (a.ndim - 1)) + a.shape[1:])
        moved.append(a)
    return moved, rank


def _batched_index(items, arrays, array_dims, size):
    """The index with a batch of index arrays, for an indexed array whose batch axis is in front:
    ``arange(size)`` is one more advanced index, first."""
    moved, rank = _padded_arrays(arrays, array_dims)
    return (IndexSlot(len(moved)),) + items, moved + [np.arange(size).reshape((size,) + (1,) * rank)]


def _batched_value(value, dim, size):
    """``value`` with its batch axis in front (repeated along it when it has none)."""
    if dim is None:
        return broadcast_to(reshape(value, (1,) + tuple(np.shape(value))), (size,) + tuple(np.shape(value)))
    return batch_to_front(value, dim)


def _getitem_batch(prim, args, dims, params):
    (x, *arrays), (dx, *darrays) = args, dims
    items, operands = _items(params["index"]), _operands(arrays, darrays)
    if all(d is None for d in darrays):
        out = bind(prim, batch_to_front(x, dx), *arrays, index=(slice(None),) + items)
        return out, _batch_axis_after_prefix(items, operands)
    if not _leading_arrays(items, operands):
        return batch_by_loop(prim)(args, dims, params)
    size = next(a.shape[d] for a, d in zip(args, dims) if d is not None)
    if dx is None:  # the same array for every example: the batched index arrays alone carry the batch
        return bind(prim, x, *_padded_arrays(arrays, darrays)[0], index=params["index"]), 0
    index, moved = _batched_index(items, arrays, darrays, size)
    return bind(prim, batch_to_front(x, dx), *moved, index=index), 0


def _scatter_add_batch(prim, args, dims, params):
    (g, *arrays), (dg, *darrays) = args, dims
    items, shape, operands = _items(params["index"]), params["shape"], _operands(arrays, darrays)
    size = next(a.shape[d] for a, d in zip(args, dims) if d is not None)
    if all(d is None for d in darrays):
        g = _batched_value(g, dg, size)
        axis = _batch_axis_after_prefix(items, operands)
        if axis:
            g = transpose(g, tuple(range(1, axis + 1)) + (0,) + tuple(range(axis + 1, g.ndim)))
        return bind(prim, g, *arrays, shape=(size,) + shape, index=(slice(None),) + items), 0
    if not _leading_arrays(items, operands):
        return batch_by_loop(prim)(args, dims, params)
    index, moved = _batched_index(items, arrays, darrays, size)
    return bind(prim, _batched_value(g, dg, size), *moved, shape=(size,) + shape, index=index), 0


def _index_update_batch(prim, args, dims, params):
    (x, v, *arrays), (dx, dv, *darrays) = args, dims
    items, operands = _items(params["index"]), _operands(arrays, darrays)
    size = next(a.shape[d] for a, d in zip(args, dims) if d is not None)
    x = _batched_value(x, dx, size)
    leading = all(d is None for d in darrays)
    if not (leading or _leading_arrays(items, operands)):
        return batch_by_loop(prim)(args, dims, params)
    axis = _batch_axis_after_prefix(items, operands) if leading else 0
    if dv is not None or axis:  # the value, laid out as x[index] is: batch axis where that puts it
        v = _batched_value(v, dv, size)
        rank = _result_rank(items, operands, x.ndim - 1)
        v = reshape(v, v.shape[:1] + (1,) * (rank - (v.ndim - 1)) + v.shape[1:])
        if axis:
            v = transpose(v, tuple(range(1, axis + 1)) + (0,) + tuple(range(axis + 1, v.ndim)))
    if leading:
        return bind(prim, x, v, *arrays, index=(slice(None),) + items), 0
    index, moved = _batched_index(items, arrays, darrays, size)
    return bind(prim, x, v, *moved, index=index), 0


# ------------------------------------------------------------------------------ rules
getitem_p = primitive(
    "getitem", _getitem_impl, linear=(0,), batch=rebinding(_getitem_batch),
    vjp=(lambda g, ans, x, *arrays, index: _scatter(g, x.shape, index, arrays),),
    math=Math("{0}[index]", tangent=("{d}[index]",), adjoint=("{d} scattered to index",)),
    samples=samples.explicit(
        lambda rng: _sample(rng.normal(size=(4, 3)), (slice(1, 3), 1)),
        lambda rng: _sample(rng.normal(size=(4, 3)), np.array([0, 2, 0, 3])),
        lambda rng: _sample(rng.normal(size=(4, 3)), np.array([[True, False, True]] * 4)),
        lambda rng: _sample(rng.normal(size=(2, 3, 4)), (Ellipsis, None, np.array([1, 1])))))

scatter_add_p = primitive(
    "scatter_add", _scatter_add_impl, linear=(0,), batch=rebinding(_scatter_add_batch),
    vjp=(lambda g, ans, x, *arrays, shape, index: _take(g, index, arrays),),
    math=Math("0 with {0} added at index", tangent=("{d} added at index",), adjoint=("{d}[index]",)),
    samples=samples.explicit(
        lambda rng: _sample(rng.normal(size=(2,)), (slice(1, 3), 1), shape=(4, 3)),
        lambda rng: _sample(rng.normal(size=(4, 3)), np.array([0, 2, 0, 3]), shape=(4, 3))))


index_update_p = primitive(
    "index_update", _index_update_impl, linear=(0, 1), batch=rebinding(_index_update_batch),
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
