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

from ..core.primitive import Primitive, bind
from ..core.tensor import Tensor
from ..core.values import zeros_like_value
from . import samples

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
def _no_index_cotangents(arrays):
    return [None] * len(arrays)


getitem_p = Primitive(
    "getitem", _getitem_impl, linear=True,
    vjp_joint=lambda needed, g, ans, x, *arrays, index:
        [_scatter(g, x.shape, index, arrays) if needed[0] else None] + _no_index_cotangents(arrays),
    jvp_joint=lambda tangents, ans, x, *arrays, index:
        None if tangents[0] is None else _take(tangents[0], index, arrays),
    samples=samples.explicit(
        lambda rng: _sample(rng.normal(size=(4, 3)), (slice(1, 3), 1)),
        lambda rng: _sample(rng.normal(size=(4, 3)), np.array([0, 2, 0, 3])),
        lambda rng: _sample(rng.normal(size=(4, 3)), np.array([[True, False, True]] * 4)),
        lambda rng: _sample(rng.normal(size=(2, 3, 4)), (Ellipsis, None, np.array([1, 1])))))

scatter_add_p = Primitive(
    "scatter_add", _scatter_add_impl, linear=True,
    vjp_joint=lambda needed, g, ans, x, *arrays, shape, index:
        [_take(g, index, arrays) if needed[0] else None] + _no_index_cotangents(arrays),
    jvp_joint=lambda tangents, ans, x, *arrays, shape, index:
        None if tangents[0] is None else _scatter(tangents[0], shape, index, arrays),
    samples=samples.explicit(
        lambda rng: _sample(rng.normal(size=(2,)), (slice(1, 3), 1), shape=(4, 3)),
        lambda rng: _sample(rng.normal(size=(4, 3)), np.array([0, 2, 0, 3]), shape=(4, 3))))


def _index_update_vjp(needed, g, ans, x, v, *arrays, index):
    return ([_update(g, 0, index, arrays) if needed[0] else None,
             _take(g, index, arrays) if needed[1] else None] + _no_index_cotangents(arrays))


def _index_update_jvp(tangents, ans, x, v, *arrays, index):
    tx, tv = tangents[0], tangents[1]
    if tx is None and tv is None:
        return None
    return _update(zeros_like_value(x) if tx is None else tx, zeros_like_value(v) if tv is None else tv,
                   index, arrays)


index_update_p = Primitive(
    "index_update", _index_update_impl, linear=True,
    vjp_joint=_index_update_vjp, jvp_joint=_index_update_jvp,
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
