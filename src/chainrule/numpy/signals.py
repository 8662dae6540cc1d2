"""Signals with NumPy's signatures: convolve, correlate, interp, unwrap, and the window functions.

convolve and correlate are the correlation primitive (``chainrule.ops.correlation``: NumPy's
direct convolution, its adjoints correlations again) on the zero-padded signal, cut to NumPy's
``mode``. interp finds each point's interval with ``searchsorted`` (an integer primitive,
so a jitted program finds them again for new points) and interpolates linearly: its
derivative is the interval's slope in x, and the two interpolation weights in fp (and xp).
"""

import math

import numpy as np

from .. import ops
from ..ops import correlation
from ._adapt import operand

MODES = ("full", "same", "valid")


def _full_correlation(a, v):
    """c_k = Σ_n a[n + k]·v[n] for every overlap k = −(M − 1) … N − 1 (no conjugation)."""
    m = v.shape[0]
    return correlation.correlate(ops.pad(a, ((m - 1, m - 1),)), v)


def _vectors(a, v, name):
    a, v = operand(a), operand(v)
    if a.ndim != 1 or v.ndim != 1:
        raise ValueError(f"numpy.{name}: both inputs must be 1-D, got shapes {a.shape} and {v.shape}")
    if a.shape[0] == 0 or v.shape[0] == 0:
        raise ValueError(f"numpy.{name}: inputs cannot be empty")
    return a, v


def _cut(full, n, m, mode, same_offset, name):
    if mode not in MODES:
        raise ValueError(f"numpy.{name}: mode must be one of {MODES}, got {mode!r}")
    if mode == "full":
        return full
    if mode == "valid":
        start, length = min(n, m) - 1, max(n, m) - min(n, m) + 1
    else:
        start, length = same_offset, max(n, m)
    return full[start:start + length]


def correlate(a, v, mode="valid"):
    """The cross-correlation c_k = Σ_n a[n + k]·conj(v[n]), as ``np.correlate`` (``mode``: "valid",
    "same" or "full")."""
    a, v = _vectors(a, v, "correlate")
    n, m = a.shape[0], v.shape[0]
    same = (m - 1) // 2 if n >= m else (n - 1) - (n - 1) // 2
    return _cut(_full_correlation(a, ops.conj(v)), n, m, mode, same, "correlate")


def convolve(a, v, mode="full"):
    """The discrete convolution (a ∗ v)[k] = Σ_m a[m]·v[k − m], as ``np.convolve`` (``mode``: "full",
    "same" or "valid")."""
    a, v = _vectors(a, v, "convolve")
    n, m = a.shape[0], v.shape[0]
    return _cut(_full_correlation(a, ops.flip(v, 0)), n, m, mode, (min(n, m) - 1) // 2, "convolve")


def interp(x, xp, fp, left=None, right=None, period=None):
    """The piecewise-linear interpolant through (xp, fp) at x, as ``np.interp`` (``left``/``right``
    beyond the ends, fp's end values by default; ``period`` for periodic xp)."""
    x, xp, fp = operand(x), operand(xp), operand(fp)
    if xp.ndim != 1 or fp.ndim != 1 or xp.shape != fp.shape:
        raise ValueError(f"numpy.interp: xp and fp must be 1-D sequences of the same length, got {xp.shape} and "
                         f"{fp.shape}")
    if xp.shape[0] == 0:
        raise ValueError("numpy.interp: array of sample points is empty")
    if x.dtype.kind not in "fc":
        x = ops.astype(x, np.float64)
    if period is not None:
        if period == 0:
            raise ValueError("numpy.interp: period must be a non-zero value")
        period = abs(period)
        x, xp = ops.remainder(x, period), ops.remainder(xp, period)
        order = ops.argsort(xp)
        xp, fp = ops.take(xp, order), ops.take(fp, order)
        xp = ops.concatenate([xp[-1:] - period, xp, xp[:1] + period])
        fp = ops.concatenate([fp[-1:], fp, fp[:1]])
        left = right = None
    count = xp.shape[0]
    if count == 1:
        inside = ops.broadcast_to(fp[0], x.shape)
    else:
        upper = ops.clip(ops.searchsorted(xp, x, side="right"), 1, count - 1)
        x0, x1 = ops.take(xp, upper - 1), ops.take(xp, upper)
        y0, y1 = ops.take(fp, upper - 1), ops.take(fp, upper)
        inside = y0 + (y1 - y0) / (x1 - x0) * (x - x0)
    below = fp[0] if left is None else left
    above = fp[-1] if right is None else right
    result = ops.where(ops.less(x, xp[0]), below, inside)
    return ops.where(ops.greater(x, xp[-1]), above, result)


def unwrap(p, discont=None, axis=-1, *, period=2 * math.pi):
    """Phases with jumps larger than ``discont`` (half the period by default) replaced by their
    complement, as ``np.unwrap``.   The corrections are piecewise constant: ∂/∂p = 1."""
    p = operand(p)
    if p.dtype.kind not in "fc":
        p = ops.astype(p, np.float64)
    axis %= p.ndim
    before = (slice(None),) * axis
    jumps = p[before + (slice(1, None),)] - p[before + (slice(None, -1),)]
    if discont is None:
        discont = period / 2
    high = period / 2
    wrapped = ops.remainder(jumps + high, period) - high
    wrapped = ops.where(ops.logical_and(ops.equal(wrapped, -high), ops.greater(jumps, 0)), high, wrapped)
    correction = ops.where(ops.less(ops.abs(jumps), discont), 0, ops.stop_gradient(wrapped - jumps))
    corrected = p[before + (slice(1, None),)] + ops.cumsum(correction, axis)
    return ops.concatenate([p[before + (slice(0, 1),)], corrected], axis=axis)


def _window(name):
    def window(M, *args):
        return operand(getattr(np, name)(M, *args))

    window.__name__ = window.__qualname__ = name
    window.__doc__ = f"NumPy's {name} window of M points, a float64 tensor (a constant: no gradient)."
    return window


bartlett, blackman, hamming, hanning, kaiser = (_window(n) for n in ("bartlett", "blackman", "hamming", "hanning",
                                                                     "kaiser"))
