"""Reductions: sum, max, min, prod (primitives); mean, var, std, logsumexp (compositions).

``axis`` is None (all), an int or a tuple, ``keepdims`` keeps reduced axes as length
1 — NumPy's conventions; ``dim``/``keepdim`` are accepted as PyTorch spellings.
At ties, max and min split the gradient evenly among the tied elements (as JAX).
"""

import builtins

import numpy as np

from ..core.bind import bind
from ..core.errors import ShapeError
from . import samples
from .declare import Math, batch_to_front, nondifferentiable, primitive, rebinding
from .elementwise import astype, conj, exp, isfinite, log, real, sqrt, stop_gradient, where
from .shape import broadcast_to, reshape

_REDUCE_SAMPLES = samples.uniform(((3, 4),), params={"axis": (1,), "keepdims": False})


def _axes(x, axis, dim, op):
    if dim is not None:
        if axis is not None:
            raise TypeError(f"{op}: give axis or dim, not both")
        axis = dim
    if axis is None:
        return None
    ndim = builtins.max(np.ndim(x), 1)
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    out = []
    for a in axes:
        if not -ndim <= a < ndim:
            raise ShapeError(f"{op}: axis {a} is out of bounds for a tensor of shape {np.shape(x)}")
        out.append(int(a) % ndim)
    return tuple(sorted(set(out)))


def _keep(keepdims, keepdim):
    return bool(keepdim if keepdim is not None else keepdims)


def kept_shape(shape, axis):
    """``shape`` with the reduced axes kept as length 1."""
    if axis is None:
        return (1,) * len(shape)
    return tuple(1 if i in axis else s for i, s in enumerate(shape))


def _expand(g, x, axis, keepdims):
    """A reduction's result or cotangent reshaped so it broadcasts against ``x``."""
    return g if keepdims else reshape(g, kept_shape(x.shape, axis))


def _reduce_params(x, axis, keepdims, dim, keepdim, op):
    return {"axis": _axes(x, axis, dim, op), "keepdims": _keep(keepdims, keepdim)}


def _reduction_batch(prim, args, dims, params):
    """Batching for reductions over ``axis``: the batch axis goes in front and the reduced axes
    move one place up (all but the batch axis when ``axis`` is None)."""
    x = batch_to_front(args[0], dims[0])
    axis = params["axis"]
    axis = tuple(range(1, x.ndim)) if axis is None else tuple(a + 1 for a in axis)
    return bind(prim, x, axis=axis, keepdims=params["keepdims"]), 0


def _index_reduction_batch(prim, args, dims, params):
    """Batching for argmax/argmin: a flat index (axis None) is taken within each example."""
    x = batch_to_front(args[0], dims[0])
    if params["axis"] is not None:
        return bind(prim, x, axis=(params["axis"][0] + 1,), keepdims=params["keepdims"]), 0
    flat = bind(prim, reshape(x, (x.shape[0], -1)), axis=(1,), keepdims=False)
    return (reshape(flat, (x.shape[0],) + (1,) * (x.ndim - 1)) if params["keepdims"] else flat), 0


# ------------------------------------------------------------------------------- sum
sum_p = primitive(
    "sum", lambda x, axis, keepdims: np.sum(x, axis=axis, keepdims=keepdims), linear="all",
    batch=rebinding(_reduction_batch),
    vjp=(lambda g, ans, x, axis, keepdims: broadcast_to(_expand(g, x, axis, keepdims), x.shape),),
    math=Math("Σ {0}", tangent=("Σ {d}",), adjoint=("{d} broadcast back",)),
    samples=samples.explicit(
        lambda rng: ((rng.normal(size=(3, 4)),), {"axis": (1,), "keepdims": False}),
        lambda rng: ((rng.normal(size=(2, 3, 4)),), {"axis": (0, 2), "keepdims": True}),
        lambda rng: ((rng.normal(size=(3,)),), {"axis": None, "keepdims": False})))


def sum(x, axis=None, keepdims=False, dim=None, keepdim=None):  # noqa: A001 (NumPy's name)
    """Σ over ``axis``.   VJP: the cotangent broadcast back over the summed axes."""
    return bind(sum_p, x, **_reduce_params(x, axis, keepdims, dim, keepdim, "sum"))


# --------------------------------------------------------------------------- max, min
def _extremum_vjp(g, ans, x, axis, keepdims):
    """g · 1[x = extremum] / (number of tied elements): the even split among ties."""
    mask = (x == _expand(ans, x, axis, keepdims)).astype(g.dtype)
    return _expand(g, x, axis, keepdims) * mask / mask.sum(axis=axis, keepdims=True)


def _extremum_jvp(t, ans, x, axis, keepdims):
    mask = (x == _expand(ans, x, axis, keepdims)).astype(t.dtype)
    return (t * mask).sum(axis=axis, keepdims=keepdims) / mask.sum(axis=axis, keepdims=keepdims)


max_p = primitive(
    "max", lambda x, axis, keepdims: np.max(x, axis=axis, keepdims=keepdims), batch=rebinding(_reduction_batch),
    vjp=(_extremum_vjp,), jvp=(_extremum_jvp,),
    math=Math("max {0}", tangent=("Σ {d} × 1[{0} = max] / #ties",), adjoint=("{d} × 1[{0} = max] / #ties",)),
    samples=_REDUCE_SAMPLES)
min_p = primitive(
    "min", lambda x, axis, keepdims: np.min(x, axis=axis, keepdims=keepdims), batch=rebinding(_reduction_batch),
    vjp=(_extremum_vjp,), jvp=(_extremum_jvp,),
    math=Math("min {0}", tangent=("Σ {d} × 1[{0} = min] / #ties",), adjoint=("{d} × 1[{0} = min] / #ties",)),
    samples=_REDUCE_SAMPLES)


def max(x, axis=None, keepdims=False, dim=None, keepdim=None):  # noqa: A001
    """Largest element over ``axis``.   ∂/∂x_i = 1[x_i = max] / #ties."""
    return bind(max_p, x, **_reduce_params(x, axis, keepdims, dim, keepdim, "max"))


def min(x, axis=None, keepdims=False, dim=None, keepdim=None):  # noqa: A001
    """Smallest element over ``axis``.   ∂/∂x_i = 1[x_i = min] / #ties."""
    return bind(min_p, x, **_reduce_params(x, axis, keepdims, dim, keepdim, "min"))


# ------------------------------------------------------------------------------ prod
def _prod_partials(x, axis):
    """∂(Π_j x_j)/∂x_i = Π_{j≠i} x_j, exact where some x_j are zero.

    With no zero along the axis this is Π/x_i. With one zero x_z it is Π_{j≠z} x_j at
    z and (Π_{j≠z} x_j / x_i)·x_z elsewhere (zero in value, but its derivative in x_z
    is right, so second derivatives are exact too). With two or more zeros every
    partial is 0; their second derivatives are then taken as 0 as well.
    """
    is_zero = x == 0
    nonzero = where(is_zero, 1, x)
    product_of_nonzeros = prod(nonzero, axis=axis, keepdims=True)
    zeros = is_zero.astype(np.int64).sum(axis=axis, keepdims=True)
    no_zero = product_of_nonzeros / nonzero
    zero_value = where(is_zero, x, 0).sum(axis=axis, keepdims=True)
    one_zero = where(is_zero, product_of_nonzeros, no_zero * zero_value)
    return where(zeros == 0, no_zero, where(zeros == 1, one_zero, 0))


prod_p = primitive(
    "prod", lambda x, axis, keepdims: np.prod(x, axis=axis, keepdims=keepdims), batch=rebinding(_reduction_batch),
    vjp=(lambda g, ans, x, axis, keepdims: _expand(g, x, axis, keepdims) * _prod_partials(x, axis),),
    jvp=(lambda t, ans, x, axis, keepdims: (t * _prod_partials(x, axis)).sum(axis=axis, keepdims=keepdims),),
    math=Math("Π {0}", tangent=("Σ_i {d}_i Π_(j≠i) {0}_j",), adjoint=("{d} × Π_(j≠i) {0}_j",)),
    complex_rules=True,  # polynomial rules without conjugation: holomorphic
    samples=samples.explicit(
        lambda rng: ((rng.uniform(0.5, 1.5, size=(3, 4)),), {"axis": (1,), "keepdims": False}),
        lambda rng: ((rng.normal(size=(2, 3)) + 1j * rng.normal(size=(2, 3)),), {"axis": (1,), "keepdims": False}),
        lambda rng: ((np.array([[0.0, 1.5, 2.0], [0.7, -1.2, 0.9]]),), {"axis": None, "keepdims": False}),
        lambda rng: ((np.array([[0.0, 1.5, 2.0], [0.7, -1.2, 0.9]]),), {"axis": (1,), "keepdims": True})))


def prod(x, axis=None, keepdims=False, dim=None, keepdim=None):
    """Π over ``axis``.   ∂/∂x_i = Π_{j≠i} x_j (exact with zeros present)."""
    return bind(prod_p, x, **_reduce_params(x, axis, keepdims, dim, keepdim, "prod"))


# ------------------------------------------------------------------ compositions
def _count(x, axis):
    shape = np.shape(x)
    if axis is None:
        return int(np.prod(shape))
    return int(np.prod([shape[a] for a in axis]))


def _selected(x, selection, fill):
    """x where the boolean ``selection`` holds, ``fill`` elsewhere (NumPy's ``where=`` of a reduction)."""
    return where(selection, x, fill)


def _count_selected(x, selection, params):
    """How many elements each reduction of ``params`` covers: n, or the selected ones."""
    if selection is None:
        return _count(x, params["axis"])
    real = np.result_type(x.dtype.type(0).real, np.float32) if x.dtype.kind in "fc" else np.float64
    return bind(sum_p, astype(broadcast_to(selection, np.shape(x)), real), **params)


def mean(x, axis=None, keepdims=False, dim=None, keepdim=None, where=None):
    """Arithmetic mean Σ x / n over ``axis``; with ``where`` (a boolean mask broadcasting against x)
    over the selected elements only, as NumPy's ``where=``."""
    return _mean(x, _reduce_params(x, axis, keepdims, dim, keepdim, "mean"), where)


def _mean(x, params, selection):
    total = bind(sum_p, x if selection is None else _selected(x, selection, 0), **params)
    return total / _count_selected(x, selection, params)


def var(x, axis=None, keepdims=False, ddof=0, dim=None, keepdim=None, correction=None, where=None, mean=None):
    """Variance Σ |x − mean|² / (n − ddof) over ``axis`` (ddof=0 by default, as NumPy; real for complex x).

    ``where`` selects the elements (NumPy's ``where=``), ``mean`` gives the mean (kept
    dimensions) instead of computing it, ``correction`` is PyTorch's name for ddof.
    """
    if correction is not None:
        ddof = correction
    params = _reduce_params(x, axis, keepdims, dim, keepdim, "var")
    if mean is None:
        mean = _mean(x, {"axis": params["axis"], "keepdims": True}, where)
    centered = x - mean
    squares = centered * centered if x.dtype.kind != "c" else real(centered * conj(centered))
    total = bind(sum_p, squares if where is None else _selected(squares, where, 0), **params)
    return total / (_count_selected(x, where, params) - ddof)


def std(x, axis=None, keepdims=False, ddof=0, dim=None, keepdim=None, correction=None, where=None, mean=None):
    """Standard deviation √var over ``axis`` (ddof=0 by default, as NumPy; ``correction`` is PyTorch's ddof)."""
    return sqrt(var(x, axis, keepdims, ddof, dim, keepdim, correction, where, mean))


def logsumexp(x, axis=None, keepdims=False, dim=None, keepdim=None):
    """ln Σ e^x over ``axis``, shifted by the max for stability.   ∂/∂x = softmax(x)."""
    params = _reduce_params(x, axis, keepdims, dim, keepdim, "logsumexp")
    shift = stop_gradient(bind(max_p, x, axis=params["axis"], keepdims=True))
    shift = where(isfinite(shift), shift, 0)
    total = log(bind(sum_p, exp(x - shift), axis=params["axis"], keepdims=True)) + shift
    if params["keepdims"]:
        return total
    axis = params["axis"]
    return reshape(total, tuple(s for i, s in enumerate(np.shape(x)) if axis is not None and i not in axis))


# ----------------------------------------------------------- not differentiated
def _nondiff_reduction(name, impl, doc, batch):
    prim = nondifferentiable(name, impl, _REDUCE_SAMPLES, name + " {0}", batch=rebinding(batch))

    def fn(x, axis=None, keepdims=False, dim=None, keepdim=None):
        return bind(prim, x, **_reduce_params(x, axis, keepdims, dim, keepdim, name))

    fn.__name__ = name
    fn.__doc__ = doc
    return prim, fn


any_p, any = _nondiff_reduction("any", lambda x, axis, keepdims: np.any(x, axis=axis, keepdims=keepdims),  # noqa: A001
                                "Whether any element over ``axis`` is true.", _reduction_batch)
all_p, all = _nondiff_reduction("all", lambda x, axis, keepdims: np.all(x, axis=axis, keepdims=keepdims),  # noqa: A001
                                "Whether all elements over ``axis`` are true.", _reduction_batch)


def _arg_impl(fn):
    def impl(x, axis, keepdims):
        if axis is not None and len(axis) != 1:
            raise ValueError("takes a single axis")
        return fn(x, axis=None if axis is None else axis[0], keepdims=keepdims)
    return impl


argmax_p, argmax = _nondiff_reduction("argmax", _arg_impl(np.argmax), "Index of the largest element (flat if axis=None).",
                                      _index_reduction_batch)
argmin_p, argmin = _nondiff_reduction("argmin", _arg_impl(np.argmin), "Index of the smallest element (flat if axis=None).",
                                      _index_reduction_batch)
