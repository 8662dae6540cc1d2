"""Indexing: ``x[index]`` (basic and advanced), its transpose ``scatter_add``, and the
out-of-place ``index_update`` behind ``x[index] = v``.

getitem and scatter_add are each other's VJP. Basic indices (ints, slices, None,
Ellipsis) select without repeats, so scatter writes the cotangent into a zero
buffer directly; advanced indices may repeat, so it accumulates with ``np.add.at``.
"""

import numpy as np

from ..core.primitive import Primitive, bind
from ..core.tensor import Tensor
from . import samples

_BASIC = (int, np.integer, slice, type(None), type(Ellipsis))


def _normalize_one(item):
    if isinstance(item, Tensor):
        return item._data
    if isinstance(item, list):
        return np.asarray(item)
    return item


def normalize_index(index):
    """Tensors and lists inside an index become arrays; everything else stays."""
    if isinstance(index, tuple):
        return tuple(_normalize_one(i) for i in index)
    return _normalize_one(index)


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


def _scatter_add_impl(g, shape, index):
    out = np.zeros(shape, g.dtype)
    if is_basic(index):
        out[index] = g
    else:
        np.add.at(out, _integer_index(index), g)
    return out


def _index_update_impl(x, v, index):
    out = np.array(x, copy=True)
    out[index] = v
    return out


getitem_p = Primitive(
    "getitem", lambda x, index: x[index], linear=True,
    vjp=lambda g, ans, x, index: scatter_add(g, x.shape, index),
    jvp="linear",
    samples=samples.explicit(
        lambda rng: ((rng.normal(size=(4, 3)),), {"index": (slice(1, 3), 1)}),
        lambda rng: ((rng.normal(size=(4, 3)),), {"index": np.array([0, 2, 0, 3])}),
        lambda rng: ((rng.normal(size=(4, 3)),), {"index": np.array([[True, False, True]] * 4)}),
        lambda rng: ((rng.normal(size=(2, 3, 4)),), {"index": (Ellipsis, None, np.array([1, 1]))})))

scatter_add_p = Primitive(
    "scatter_add", _scatter_add_impl, linear=True,
    vjp=lambda g, ans, x, shape, index: getitem(g, index),
    jvp="linear",
    samples=samples.explicit(
        lambda rng: ((rng.normal(size=(2,)),), {"shape": (4, 3), "index": (slice(1, 3), 1)}),
        lambda rng: ((rng.normal(size=(4, 3)),), {"shape": (4, 3), "index": np.array([0, 2, 0, 3])})))

index_update_p = Primitive(
    "index_update", _index_update_impl, linear=True,
    vjp=(lambda g, ans, x, v, index: index_update(g, 0, index),
         lambda g, ans, x, v, index: getitem(g, index)),
    jvp="linear",
    samples=samples.explicit(
        lambda rng: ((rng.normal(size=(4, 3)), rng.normal(size=(2, 3))), {"index": slice(1, 3)}),
        lambda rng: ((rng.normal(size=(4, 3)), rng.normal(size=(3,))), {"index": 2})))


def getitem(x, index):
    """x[index] with NumPy's basic and advanced indexing.   VJP: scatter-add the cotangent back."""
    return bind(getitem_p, x, index=normalize_index(index))


def scatter_add(g, shape, index):
    """A zero array of ``shape`` with ``g`` added at ``index`` (repeats accumulate).   VJP: ``g[index]``."""
    return bind(scatter_add_p, g, shape=tuple(shape), index=index)


def index_update(x, v, index):
    """A copy of x with x[index] = v.   ∂/∂x: the cotangent with zeros at index; ∂/∂v: its index slice."""
    return bind(index_update_p, x, v, index=normalize_index(index))
