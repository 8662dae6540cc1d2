"""Numerical gradients (finite differences) — the referee — and ``check_grad``.

``numerical_grad`` perturbs one element at a time in float64 with a step scaled
to the element: h = ε^(1/3)·max(1, |x|) for central differences (error O(h²)),
h = √ε·max(1, |x|) for forward/backward ones (error O(h)), ε = 2.2e-16.
``check_grad`` compares automatic differentiation against it — gradients in
reverse and forward mode, and with ``order=2`` Hessian-vector products.
"""

import time

import numpy as np

from .func import transforms
from .core.errors import GradientCheckError
from .core.state import no_grad
from .core.tensor import Tensor

_EPS = np.finfo(np.float64).eps
_METHODS = ("central", "forward", "backward")


def _scalar(value, who):
    data = value._data if isinstance(value, Tensor) else np.asarray(value)
    if data.size != 1:
        raise TypeError(f"{who}: the function must return a scalar, got shape {data.shape}")
    return float(data.reshape(()))


def _float64(arg):
    if isinstance(arg, Tensor):
        arg = arg._data
    array = np.asarray(arg)
    if array.dtype.kind in "fc" or isinstance(arg, float):
        return Tensor._wrap(np.array(array, dtype=np.float64))
    return Tensor._wrap(np.array(array))


def _step(x, method, eps):
    if eps is not None:
        return np.full(x.shape, float(eps))
    scale = np.maximum(1.0, np.abs(x))
    return (_EPS ** (1 / 3) if method == "central" else np.sqrt(_EPS)) * scale


def _partial_derivatives(f, args, n, method, eps, who):
    x = args[n]._data
    steps = _step(x, method, eps)
    grad = np.zeros(x.shape, np.float64)
    base = None if method == "central" else _scalar(f(*args), who)
    for i in range(x.size):
        original = x.flat[i]
        h = (original + steps.flat[i]) - original  # a step exactly representable in float64
        if method in ("central", "forward"):
            x.flat[i] = original + h
            upper = _scalar(f(*args), who)
        else:
            upper = base
        if method in ("central", "backward"):
            x.flat[i] = original - h
            lower = _scalar(f(*args), who)
        else:
            lower = base
        x.flat[i] = original
        grad.flat[i] = (upper - lower) / (2 * h if method == "central" else h)
    return Tensor._wrap(grad)


def numerical_grad(f, *args, argnums=0, eps=None, method="central"):
    """The gradient of scalar ``f`` by finite differences, in float64.

    Parameters
    ----------
    f : callable
        Receives Tensors (float64 copies of ``args``), returns a scalar.
    argnums : int or tuple of int
        Which arguments to differentiate; a tuple gives a tuple of gradients.
    eps : float, optional
        A fixed step; by default chosen per element from its magnitude.
    method : {"central", "forward", "backward"}

    Examples
    --------
    >>> cr.numerical_grad(lambda w: (w * w).sum(), np.array([1.0, 2.0]))   # ≈ [2, 4]
    """
    if method not in _METHODS:
        raise ValueError(f"numerical_grad: method must be one of {_METHODS}, got {method!r}")
    nums, many = transforms._normalize_argnums(argnums, len(args), "numerical_grad")
    args = [_float64(a) for a in args]
    with no_grad():
        grads = tuple(_partial_derivatives(f, args, n, method, eps, "numerical_grad") for n in nums)
    return grads if many else grads[0]


class GradCheckReport:
    """The outcome of ``check_grad``: one row per (argument, check); ``str()`` is a table."""

    def __init__(self, rows):
        self.rows = rows

    @property
    def max_abs_error(self):
        return max((r["max_abs_error"] for r in self.rows), default=0.0)

    @property
    def max_rel_error(self):
        return max((r["max_rel_error"] for r in self.rows), default=0.0)

    @property
    def passed(self):
        return all(r["ok"] for r in self.rows)

    def __str__(self):
        header = ("argument", "check", "max |AD − FD|", "max rel. error", "seconds", "result")
        lines = [(f"{r['argument']}", r["check"], f"{r['max_abs_error']:.2e}", f"{r['max_rel_error']:.2e}",
                  f"{r['seconds']:.4f}", "ok" if r["ok"] else "FAIL") for r in self.rows]
        widths = [max(len(str(row[i])) for row in [header] + lines) for i in range(len(header))]
        fmt = "  ".join("{:<%d}" % w for w in widths)
        out = [fmt.format(*header), fmt.format(*["-" * w for w in widths])]
        out += [fmt.format(*row) for row in lines]
        return "\n".join(out)

    __repr__ = __str__


def _compare(ad, numerical, argument, check, rtol, atol, seconds):
    ad = np.asarray(ad, dtype=np.float64)
    numerical = np.asarray(numerical, dtype=np.float64)
    difference = np.abs(ad - numerical)
    relative = difference / np.maximum(np.maximum(np.abs(ad), np.abs(numerical)), np.finfo(np.float64).tiny)
    excess = difference - (atol + rtol * np.abs(numerical))
    row = {"argument": argument, "check": check,
           "max_abs_error": float(difference.max(initial=0.0)),
           "max_rel_error": float(relative.max(initial=0.0)),
           "seconds": seconds, "ok": bool(not (excess > 0).any() and np.isfinite(ad).all())}
    if not row["ok"]:
        flat = int(np.nanargmax(np.where(np.isfinite(excess), excess, np.inf)))
        index = np.unravel_index(flat, ad.shape) if ad.ndim else ()
        raise GradientCheckError(
            f"check_grad: {check} mismatch for argument {argument} at index {tuple(int(i) for i in index)}: "
            f"AD value {ad.flat[flat]:.10g}, numerical value {numerical.flat[flat]:.10g}, "
            f"relative error {relative.flat[flat]:.3e} (rtol={rtol}, atol={atol})")
    return row


def check_grad(f, *args, order=1, rtol=1e-5, atol=1e-7, argnums=None, eps=None, seed=0):
    """Check automatic differentiation of scalar ``f`` against finite differences.

    Order 1 compares the reverse-mode gradient with ``numerical_grad`` element by
    element, and a forward-mode directional derivative (``jvp``) along a random
    direction with the numerical gradient projected on it. Order 2 also compares
    Hessian-vector products (forward over reverse) along random directions with
    central differences of the AD gradient. Arguments are checked in float64.

    Returns a ``GradCheckReport``; raises ``cr.GradientCheckError`` (an
    ``AssertionError``) naming the argument, index, both values and the relative
    error at the first mismatch.
    """
    if order not in (1, 2):
        raise ValueError(f"check_grad: order must be 1 or 2, got {order!r}")
    args = [_float64(a) for a in args]
    if argnums is None:
        argnums = tuple(i for i, a in enumerate(args) if a.dtype == np.float64)
    nums, _ = transforms._normalize_argnums(tuple(argnums) if isinstance(argnums, (tuple, list)) else argnums,
                                           len(args), "check_grad")
    rng = np.random.default_rng(seed)
    rows = []

    start = time.perf_counter()
    ad_grads = transforms.grad(f, argnums=nums)(*args)
    reverse_seconds = time.perf_counter() - start
    numerical = numerical_grad(f, *args, argnums=nums, eps=eps)
    for n, ad, num in zip(nums, ad_grads, numerical):
        rows.append(_compare(ad._data, num._data, n, "gradient (reverse mode)", rtol, atol, reverse_seconds))

    directions = [Tensor._wrap(rng.standard_normal(args[n].shape)) for n in nums]
    tangents = [directions[nums.index(i)] if i in nums else Tensor._wrap(np.zeros(a.shape, a.dtype))
                for i, a in enumerate(args)]
    start = time.perf_counter()
    _, directional = transforms.jvp(f, tuple(args), tuple(tangents))
    forward_seconds = time.perf_counter() - start
    expected = sum(float(np.sum(num._data * d._data)) for num, d in zip(numerical, directions))
    rows.append(_compare(directional._data, expected, "all", "directional derivative (forward mode)",
                         rtol, atol, forward_seconds))

    if order == 2:
        rows.extend(_check_hvp(f, args, nums, directions, rtol, atol, eps))
    return GradCheckReport(rows)


def _check_hvp(f, args, nums, directions, rtol, atol, eps):
    grad_f = transforms.grad(f, argnums=nums)
    tangents = tuple(directions[nums.index(i)] if i in nums else Tensor._wrap(np.zeros(a.shape, a.dtype))
                     for i, a in enumerate(args))
    start = time.perf_counter()
    _, products = transforms.jvp(grad_f, tuple(args), tangents)
    seconds = time.perf_counter() - start
    h = eps if eps is not None else _EPS ** (1 / 3) * max(1.0, max(float(np.abs(a._data).max(initial=0)) for a in args))

    def shifted(sign):
        moved = [Tensor._wrap(a._data + sign * h * t._data) for a, t in zip(args, tangents)]
        return grad_f(*moved)

    upper, lower = shifted(1.0), shifted(-1.0)
    rows = []
    for k, n in enumerate(nums):
        numerical = (upper[k]._data - lower[k]._data) / (2 * h)
        rows.append(_compare(products[k]._data, numerical, n, "Hessian-vector product (fwd over rev)",
                             max(rtol, 1e-4), max(atol, 1e-6), seconds))
    return rows
