"""Sorting: the orders (argsort, argpartition) are integer primitives outside every gradient;
sorted values are a permutation of the input, so their derivative moves the cotangent back
through it: ∂ sort(x)_k / ∂x_j = 1[j = argsort(x)_k] (an element among equal ones takes the
whole gradient of its place, as in PyTorch and JAX).

``sort`` is a primitive, so that its forward pass is NumPy's sort alone; its rules find the
permutation with ``argsort`` (the VJP scatters the cotangent to it, the JVP gathers the
tangent from it). ``partition`` gathers the input at ``argpartition``. The orders being
primitives, a traced or jitted program recomputes them for each input: nothing about the
example's order is frozen into the program.
"""

import numpy as np

from ..core.bind import bind
from ..core.errors import ShapeError
from . import samples
from .declare import Math, along_axis, batch_by_loop, nondifferentiable, primitive, rebinding
from .indexing import along_axis_index, scatter_add, take_along_axis
from .shape import reshape


def _argsort_impl(x, axis, kind, stable):
    return np.argsort(x, axis=axis, kind=kind, stable=stable)


argsort_p = nondifferentiable("argsort", _argsort_impl,
                              samples.uniform(((3, 4),), params={"axis": 1, "kind": None, "stable": None}),
                              "argsort {0}", batch=rebinding(along_axis))


def _argpartition_impl(x, kth, axis):
    return np.argpartition(x, kth, axis=axis)


argpartition_p = nondifferentiable("argpartition", _argpartition_impl,
                                   samples.uniform(((3, 5),), params={"kth": 2, "axis": 1}),
                                   "argpartition {0}", batch=rebinding(along_axis))


def _flat_or_axis(x, axis, name):
    """x flattened when ``axis`` is None, and the axis as a non-negative int."""
    if axis is None:
        return reshape(x, (-1,)), 0
    ndim = np.ndim(x)
    if ndim == 0 or not -ndim <= axis < ndim:
        raise ShapeError(f"{name}: axis {axis} is out of bounds for a tensor of shape {np.shape(x)}")
    return x, int(axis) % ndim


def argsort(x, axis=-1, kind=None, order=None, stable=None):
    """The indices that sort x along ``axis`` (the flattened x when None), as ``np.argsort``: an int64 tensor."""
    if order is not None:
        raise TypeError("argsort: order= sorts structured arrays, which chainrule does not have")
    x, axis = _flat_or_axis(x, axis, "argsort")
    return bind(argsort_p, x, axis=axis, kind=kind, stable=stable)


def _sort_impl(x, axis, kind, stable):
    return np.sort(x, axis=axis, kind=kind, stable=stable)


def _permutation(x, axis, kind, stable):
    return bind(argsort_p, x, axis=axis, kind=kind, stable=stable)


sort_p = primitive(
    "sort", _sort_impl,
    vjp=(lambda g, ans, x, axis, kind, stable:
         scatter_add(g, np.shape(x), along_axis_index(np.shape(x), _permutation(x, axis, kind, stable), axis)),),
    jvp=(lambda t, ans, x, axis, kind, stable: take_along_axis(t, _permutation(x, axis, kind, stable), axis),),
    complex_rules=True, batch=rebinding(along_axis),
    math=Math("sort {0}", tangent=("{d} at argsort {0}",), adjoint=("{d} scattered to argsort {0}",)),
    samples=samples.explicit(
        lambda rng: ((rng.normal(size=(3, 4)),), {"axis": 1, "kind": None, "stable": None}),
        lambda rng: ((rng.normal(size=(3, 2)),), {"axis": 0, "kind": "stable", "stable": None}),
        lambda rng: ((rng.normal(size=(4,)) + 1j * rng.normal(size=(4,)),), {"axis": 0, "kind": None, "stable": None})))


def sort(x, axis=-1, kind=None, order=None, stable=None):
    """x sorted along ``axis`` (the flattened x when None), as ``np.sort``.

    The cotangent is scattered back through the permutation, x̄[argsort(x)_k] = ḡ_k.
    """
    if order is not None:
        raise TypeError("sort: order= sorts structured arrays, which chainrule does not have")
    x, axis = _flat_or_axis(x, axis, "sort")
    return bind(sort_p, x, axis=axis, kind=kind, stable=stable)


def argpartition(x, kth, axis=-1, kind="introselect", order=None):
    """Indices that partition x around its ``kth`` smallest element(s), as ``np.argpartition``."""
    if order is not None:
        raise TypeError("argpartition: order= sorts structured arrays, which chainrule does not have")
    x, axis = _flat_or_axis(x, axis, "argpartition")
    kth = int(kth) if np.ndim(kth) == 0 else tuple(int(k) for k in np.ravel(kth))
    return bind(argpartition_p, x, kth=kth, axis=axis)


def partition(x, kth, axis=-1, kind="introselect", order=None):
    """x with its ``kth`` smallest element in place, smaller ones before and larger after, as ``np.partition``.

    The values are x gathered at ``argpartition(x, kth)``: the cotangent goes back through that permutation.
    """
    order_ = argpartition(x, kth, axis, kind, order)
    x, axis = _flat_or_axis(x, axis, "partition")
    return take_along_axis(x, order_, axis)


# ------------------------------------------------------------------------- searching
def _searchsorted_batch(prim, args, dims, params):
    """Batched values search the same sequence at once; batched sequences are searched one by one."""
    if dims[0] is None:
        return bind(prim, *args, **params), dims[1]
    return batch_by_loop(prim)(args, dims, params)


searchsorted_p = nondifferentiable(
    "searchsorted", lambda a, v, side: np.searchsorted(a, v, side=side),
    samples.explicit(lambda rng: ((np.sort(rng.normal(size=5)), rng.normal(size=(2, 3))), {"side": "left"}),
                     lambda rng: ((np.array([0.0, 1.0, 1.0, 2.0]), np.array([1.0, 1.5])), {"side": "right"})),
    "searchsorted({0}, {1})", batch=rebinding(_searchsorted_batch))


def searchsorted(a, v, side="left", sorter=None):
    """Where the values v would be inserted into the sorted 1-D a to keep it sorted, as ``np.searchsorted``:
    an int64 tensor (``side="left"``: before equal values, "right": after)."""
    if np.ndim(a) != 1:
        raise ShapeError(f"searchsorted: the sorted sequence must be 1-D, got shape {np.shape(a)}")
    if side not in ("left", "right"):
        raise ValueError(f"searchsorted: side must be 'left' or 'right', got {side!r}")
    if sorter is not None:
        a = take_along_axis(a, sorter, 0)
    return bind(searchsorted_p, a, v, side=side)
