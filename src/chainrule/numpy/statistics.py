"""Statistics with NumPy's signatures: median, quantile, percentile (and their NaN-skipping versions),
average, cov, corrcoef, bincount, digitize.

A q-quantile reads the sorted values (``sort``, whose derivative scatters back through the
permutation) at the position q·(n − 1) and interpolates between its two neighbours by
NumPy's ``method`` ("linear" by default; "lower", "higher", "nearest", "midpoint"), so
its gradient goes to those neighbours — and to q, through the interpolation weight.
The NaN-skipping versions (``nanmedian``, ``nanquantile``) take n per slice as the number
of values that are not NaN (NaN sorts last).
"""

import numpy as np

from .. import ops
from ..core.errors import ShapeError
from ..core.tensor import Tensor, array_of
from ..core.tracer import staging
from ._adapt import NO_VALUE, concrete, given, operand, refuse_out

METHODS = ("linear", "lower", "higher", "nearest", "midpoint")


def _keep(keepdims):
    return bool(keepdims) if given(keepdims) else False


def _normalized_axes(axis, ndim, name):
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    for a in axes:
        if not -ndim <= a < ndim:
            raise ShapeError(f"{name}: axis {a} is out of bounds for an array of {ndim} dimensions")
    return tuple(sorted({int(a) % ndim for a in axes}))


def _merged(x, axis, name):
    """x with the reduced axes merged into one last axis; the shape of the other axes; the kept shape."""
    axes = _normalized_axes(axis, x.ndim, name)
    rest = [i for i in range(x.ndim) if i not in axes]
    moved = ops.transpose(x, rest + list(axes))
    lead = tuple(x.shape[i] for i in rest)
    flat = ops.reshape(moved, lead + (int(np.prod([x.shape[i] for i in axes])),))
    kept = tuple(1 if i in axes else n for i, n in enumerate(x.shape))
    return flat, lead, kept


def _quantile_values(x, q, axis, method, keepdims, skip_nan, name):
    """The q-quantiles of x over ``axis``: shape q.shape + the remaining axes (kept as 1 with keepdims)."""
    if method not in METHODS:
        raise ValueError(f"{name}: method must be one of {METHODS}, got {method!r}")
    if x.dtype.kind not in "fc":
        x = ops.astype(x, np.float64)
    flat, lead, kept = _merged(x, axis, name)
    if flat.shape[-1] == 0:
        raise ValueError(f"{name}: cannot take a quantile over an empty axis")
    values = ops.sort(flat, axis=-1)
    real = values.real if values.dtype.kind == "c" else values
    q = q if isinstance(q, Tensor) else np.asarray(q, dtype=np.float64)
    q_shape = tuple(np.shape(q))
    q = ops.reshape(q, q_shape + (1,) * (len(lead) + 1))
    if skip_nan:
        count = ops.sum(ops.astype(ops.logical_not(ops.isnan(flat)), np.int64), axis=-1, keepdims=True)
    else:
        count = flat.shape[-1]
    position = q * (count - 1)
    below = ops.floor(position)
    if method == "lower":
        position = below
    elif method == "higher":
        position = ops.ceil(position)
    elif method == "nearest":
        position = ops.around(position)
    last = ops.maximum(count - 1, 0)
    low = ops.astype(ops.clip(ops.floor(position), 0, last), np.int64)
    high = ops.astype(ops.clip(ops.ceil(position), 0, last), np.int64)
    spread = ops.reshape(values, (1,) * len(q_shape) + values.shape)
    a = ops.take_along_axis(spread, low, -1)
    b = ops.take_along_axis(spread, high, -1)
    if method == "midpoint":
        result = (a + b) / 2
    elif method == "linear":
        gamma = ops.astype(position - below, real.dtype)
        step = b - a
        result = ops.where(gamma >= 0.5, b - step * (1 - gamma), a + step * gamma)
    else:
        result = a
    invalid = ops.equal(count, 0) if skip_nan else ops.isnan(real[..., -1:])
    result = ops.where(invalid, np.nan, result)
    shape = q_shape + (kept if keepdims else lead)
    return ops.reshape(result, shape)


def _quantile(name, a, q, axis, out, method, keepdims, skip_nan, weights=None, interpolation=None):
    refuse_out(name, out)
    if weights is not None:
        raise TypeError(f"numpy.{name}: weights= is not supported by chainrule")
    x = operand(a)
    if x.dtype.kind == "c":
        raise TypeError(f"numpy.{name}: a must be an array of real numbers")
    return _quantile_values(x, q, axis, interpolation or method, keepdims, skip_nan, name)


def quantile(a, q, axis=None, out=None, overwrite_input=False, method="linear", keepdims=False, *, weights=None,
             interpolation=None):
    """The ``q``-th quantiles (q in [0, 1]) over ``axis``, as ``np.quantile``.

    Linear interpolation between the sorted values at ⌊q(n−1)⌋ and ⌈q(n−1)⌉ by default;
    ∂/∂x goes to those two values, ∂/∂q = (n − 1)(x_(⌈⌉) − x_(⌊⌋)).
    """
    return _quantile("quantile", a, q, axis, out, method, keepdims, False, weights, interpolation)


def percentile(a, q, axis=None, out=None, overwrite_input=False, method="linear", keepdims=False, *, weights=None,
               interpolation=None):
    """The ``q``-th percentiles (q in [0, 100]) over ``axis``, as ``np.percentile``."""
    return _quantile("percentile", a, ops.div(q, 100) if isinstance(q, Tensor) else np.asarray(q) / 100, axis,
                     out, method, keepdims, False, weights, interpolation)


def nanquantile(a, q, axis=None, out=None, overwrite_input=False, method="linear", keepdims=NO_VALUE, *,
                weights=None, interpolation=None):
    """``quantile`` ignoring NaN (NaN for a slice of NaN only)."""
    return _quantile("nanquantile", a, q, axis, out, method, _keep(keepdims), True, weights, interpolation)


def nanpercentile(a, q, axis=None, out=None, overwrite_input=False, method="linear", keepdims=NO_VALUE, *,
                  weights=None, interpolation=None):
    """``percentile`` ignoring NaN (NaN for a slice of NaN only)."""
    return _quantile("nanpercentile", a, ops.div(q, 100) if isinstance(q, Tensor) else np.asarray(q) / 100, axis,
                     out, method, _keep(keepdims), True, weights, interpolation)


def median(a, axis=None, out=None, overwrite_input=False, keepdims=False):
    """The median over ``axis``: the middle sorted value, or the mean of the two middle ones, as ``np.median``
    (NaN where a slice holds NaN).   ∂/∂x is 1 (or ½ each) at the middle value(s)."""
    refuse_out("median", out)
    return _quantile_values(operand(a), 0.5, axis, "midpoint", keepdims, False, "median")


def nanmedian(a, axis=None, out=None, overwrite_input=False, keepdims=NO_VALUE):
    """``median`` ignoring NaN (NaN for a slice of NaN only)."""
    refuse_out("nanmedian", out)
    return _quantile_values(operand(a), 0.5, axis, "midpoint", _keep(keepdims), True, "nanmedian")


def average(a, axis=None, weights=None, returned=False, *, keepdims=NO_VALUE):
    """The weighted mean Σ w·x / Σ w over ``axis`` (the plain mean without weights), as ``np.average``.

    ``weights`` has a's shape, or is 1-D along a single ``axis`` (or matches the reduced axes);
    ``returned=True`` also gives Σ w, broadcast like the average.
    """
    x = operand(a)
    keep = _keep(keepdims)
    if weights is None:
        avg = ops.mean(x, axis=axis, keepdims=keep)
        total = ops.full(np.shape(avg), x.numel() / max(avg.numel(), 1), dtype=avg.dtype)
    else:
        w = operand(weights)
        if w.shape != x.shape:
            if axis is None:
                raise TypeError("numpy.average: axis must be given when the shapes of a and weights differ")
            axes = _normalized_axes(axis, x.ndim, "average")
            if w.shape != tuple(x.shape[i] for i in axes):
                raise ShapeError(f"numpy.average: weights of shape {w.shape} do not fit axis {axis} of shape {x.shape}")
            w = ops.reshape(w, tuple(n if i in axes else 1 for i, n in enumerate(x.shape)))
        total = ops.sum(ops.broadcast_to(w, x.shape) if w.shape != x.shape else w, axis=axis, keepdims=keep)
        if not staging() and (array_of(total) == 0).any():
            raise ZeroDivisionError("numpy.average: weights sum to zero, can't be normalized")
        avg = ops.sum(x * w, axis=axis, keepdims=keep) / total
        total = ops.broadcast_to(total, np.shape(avg))
    return (avg, total) if returned else avg


def cov(m, y=None, rowvar=True, bias=False, ddof=None, fweights=None, aweights=None, *, dtype=None):
    """The covariance matrix of the variables in the rows (columns if not ``rowvar``) of m (and y), as
    ``np.cov``: Σ w (x − x̄)(x − x̄)ᴴ / (Σw − ddof·Σw·a/Σw), with frequency and analytic weights."""
    x = ops.atleast_2d(operand(m, dtype))
    if x.ndim > 2:
        raise ValueError("numpy.cov: m has more than 2 dimensions")
    if x.dtype.kind not in "fc":
        x = ops.astype(x, np.float64)
    if not rowvar and x.shape[0] != 1:
        x = ops.transpose(x)
    if y is not None:
        other = ops.atleast_2d(operand(y, dtype))
        if not rowvar and other.shape[0] != 1:
            other = ops.transpose(other)
        x = ops.concatenate([x, ops.astype(other, np.result_type(x.dtype, other.dtype))], axis=0)
    if ddof is None:
        ddof = 0 if bias else 1
    observations = x.shape[1]
    weights = None
    for w in (fweights, aweights):
        if w is not None:
            w = ops.astype(operand(w), np.result_type(x.dtype.type(0).real, np.float64))
            if w.ndim != 1 or w.shape[0] != observations:
                raise ShapeError(f"numpy.cov: weights must be 1-D of length {observations}, got shape {w.shape}")
            weights = w if weights is None else weights * w
    if weights is None:
        mean = ops.mean(x, axis=1, keepdims=True)
        factor = observations - ddof
        centered = x - mean
        return ops.squeeze(ops.matmul(centered, ops.transpose(ops.conj(centered))) / factor)
    total = ops.sum(weights)
    mean = ops.sum(x * weights, axis=1, keepdims=True) / total
    if ddof == 0:
        factor = total
    elif aweights is None:
        factor = total - ddof
    else:
        factor = total - ddof * ops.sum(weights * ops.astype(operand(aweights), weights.dtype)) / total
    centered = x - mean
    return ops.squeeze(ops.matmul(centered * weights, ops.transpose(ops.conj(centered))) / factor)


def corrcoef(x, y=None, rowvar=True, *, dtype=None):
    """Pearson's correlation coefficients C_ij / √(C_ii C_jj) of ``cov``, clipped to [−1, 1] as in NumPy."""
    c = cov(x, y, rowvar, dtype=dtype)
    if c.ndim == 0:
        return c / c
    spread = ops.sqrt(ops.real(ops.diagonal(c)) if c.dtype.kind == "c" else ops.diagonal(c))
    c = c / ops.reshape(spread, (-1, 1)) / ops.reshape(spread, (1, -1))
    if c.dtype.kind == "c":
        return ops.clip(ops.real(c), -1, 1) + ops.clip(ops.imag(c), -1, 1) * 1j
    return ops.clip(c, -1, 1)


def bincount(x, /, weights=None, minlength=0):
    """The count of each value 0, 1, … in the non-negative integers ``x`` (the sum of their ``weights``
    when given: then the result carries the weights' gradient)."""
    values = concrete(operand(x), "bincount")
    if values.ndim != 1 or values.dtype.kind not in "iub":
        raise ValueError(f"numpy.bincount: x must be a 1-D array of non-negative integers, got {values.dtype} "
                         f"of shape {values.shape}")
    length = max(int(values.max()) + 1 if values.size else 0, int(minlength))
    if weights is None:
        return operand(np.bincount(values, minlength=minlength))
    w = operand(weights)
    if w.dtype.kind not in "fc":
        w = ops.astype(w, np.float64)
    return ops.scatter_add(w, (length,), values)


def digitize(x, bins, right=False):
    """The index of the bin of each value of x, as ``np.digitize`` (bins increasing or decreasing):
    an integer tensor."""
    edges = operand(bins)
    steps = np.diff(concrete(edges, "digitize"))
    if edges.ndim != 1:
        raise ValueError("numpy.digitize: bins must be 1-dimensional")
    if (steps >= 0).all():
        return ops.searchsorted(edges, operand(x), side="left" if right else "right")
    if (steps <= 0).all():
        reversed_edges = ops.flip(edges, 0)
        return edges.shape[0] - ops.searchsorted(reversed_edges, operand(x), side="right" if right else "left")
    raise ValueError("numpy.digitize: bins must be monotonically increasing or decreasing")
