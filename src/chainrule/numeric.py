"""Numerical gradients (finite differences) — the referee — and ``check_grad``.

``numerical_grad`` perturbs one element at a time in float64 with a step scaled
to the element: h = ε^(1/3)·max(1, |x|) for central differences (error O(h²)),
h = √ε·max(1, |x|) for forward/backward ones (error O(h)), ε = 2.2e-16.
``check_grad`` compares automatic differentiation against it — gradients in
reverse and forward mode, and with ``order=2`` Hessian-vector products.
"""

import time

import numpy as np

from .core import devices
from .core.errors import GradientCheckError, UndefinedRuleError
from .core.state import no_grad
from .core.tensor import Tensor
from .func import transforms

_EPS = np.finfo(np.float64).eps
_METHODS = ("central", "forward", "backward")


def _scalar(value, who):
    data = value._data if isinstance(value, Tensor) else np.asarray(value)
    if data.size != 1:
        raise TypeError(f"{who}: the function must return a scalar, got shape {data.shape}")
    if data.dtype.kind == "c":
        raise TypeError(f"{who}: the function returned a complex value; a gradient needs a real one "
                        f"(take its real part or abs())")
    return float(data.reshape(()))


def _float64(arg):
    """An argument in double precision (a copy, on the argument's device): float64, or complex128
    for complex data."""
    if isinstance(arg, Tensor):
        arg = arg._data
    array = arg if devices.is_device_array(arg) else np.asarray(arg)
    if array.dtype.kind == "c":
        return Tensor._wrap(array.astype(np.complex128))
    if array.dtype.kind == "f" or isinstance(arg, float):
        return Tensor._wrap(array.astype(np.float64))
    return Tensor._wrap(array.copy())


def _step(x, method, eps):
    if eps is not None:
        return np.full(x.shape, float(eps))
    scale = np.maximum(1.0, np.abs(x))
    return (_EPS ** (1 / 3) if method == "central" else np.sqrt(_EPS)) * scale


def _partial_derivatives(f, args, n, method, eps, who, unit=1.0):
    """∂f/∂x_i for each element, moving x_i along ``unit`` (1, or 1j for the imaginary part).
    The elements are moved in a host copy; an argument on a device gets it copied there for
    every evaluation of ``f``."""
    device_array = args[n]._data if devices.is_device_array(args[n]._data) else None
    x = args[n]._data if device_array is None else devices.to_host(device_array)

    def value():
        if device_array is None:
            return _scalar(f(*args), who)
        moved = list(args)
        moved[n] = Tensor._wrap(devices.placed_like(x.copy(), device_array))
        return _scalar(f(*moved), who)

    steps = _step(x, method, eps)
    grad = np.zeros(x.shape, np.float64)
    base = None if method == "central" else value()
    for i in range(x.size):
        original = x.flat[i]
        part = original.imag if unit == 1j else original.real
        h = (part + steps.flat[i]) - part  # a step exactly representable in float64
        if method in ("central", "forward"):
            x.flat[i] = original + unit * h
            upper = value()
        else:
            upper = base
        if method in ("central", "backward"):
            x.flat[i] = original - unit * h
            lower = value()
        else:
            lower = base
        x.flat[i] = original
        grad.flat[i] = (upper - lower) / (2 * h if method == "central" else h)
    return grad


def _gradient(f, args, n, method, eps, who):
    """The gradient with respect to argument ``n``; for a complex argument z = x + iy it is
    ∂f/∂x − i·∂f/∂y, the convention of ``cr.grad`` (JAX's)."""
    grad = _partial_derivatives(f, args, n, method, eps, who)
    if args[n].dtype.kind == "c":
        grad = grad - 1j * _partial_derivatives(f, args, n, method, eps, who, unit=1j)
    return Tensor._wrap(devices.placed_like(grad, args[n]._data))


def numerical_grad(f, *args, argnums=0, eps=None, method="central"):
    """The gradient of scalar ``f`` by finite differences, in float64.

    Parameters
    ----------
    f : callable
        Receives Tensors (float64 copies of ``args``; complex128 for complex ones), returns a
        real scalar. For a complex argument z = x + iy the result is ∂f/∂x − i·∂f/∂y, the
        convention of ``cr.grad`` (JAX's); a tensor's ``.grad`` after ``backward`` is its
        conjugate (PyTorch's).
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
        grads = tuple(_gradient(f, args, n, method, eps, "numerical_grad") for n in nums)
    return grads if many else grads[0]


class GradCheckReport:
    """The outcome of ``check_grad``: one row per (argument, check); ``str()`` is a table.

    ``skipped`` lists ``(check, reason)`` for the checks of a mode the function does not
    define (a ``cr.Function`` without ``jvp`` has no forward mode).
    """

    def __init__(self, rows, skipped=()):
        self.rows = rows
        self.skipped = list(skipped)

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
        out += [f"skipped: {check} — {reason}" for check, reason in self.skipped]
        return "\n".join(out)

    __repr__ = __str__


def _compare(ad, numerical, argument, check, rtol, atol, seconds):
    ad, numerical = devices.to_host(ad), devices.to_host(numerical)  # compared on the host
    dtype = np.complex128 if np.iscomplexobj(ad) or np.iscomplexobj(numerical) else np.float64
    ad = np.asarray(ad, dtype=dtype)
    numerical = np.asarray(numerical, dtype=dtype)
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


_MODES = ("rev", "fwd")


def check_grad(f, *args, order=1, rtol=1e-5, atol=1e-7, argnums=None, eps=None, seed=0, modes=_MODES):
    """Check automatic differentiation of scalar ``f`` against finite differences.

    Order 1 compares the reverse-mode gradient (``modes`` holds ``"rev"``) with
    ``numerical_grad`` element by element, and a forward-mode directional derivative
    (``"fwd"``, a ``jvp``) along a random direction with the numerical gradient projected
    on it. Order 2 also compares Hessian-vector products along random directions with
    central differences of the AD gradient: forward over reverse, or reverse over
    reverse when ``f`` defines no forward mode. Arguments are checked in float64.

    A mode that ``f`` does not define — a ``cr.Function`` with ``forward`` and
    ``backward`` but no ``jvp``, as in the lecture's gate API — is skipped, and the
    report says so (``report.skipped``); a wrong rule in a mode it does define fails.

    Returns a ``GradCheckReport``; raises ``cr.GradientCheckError`` (an
    ``AssertionError``) naming the argument, index, both values and the relative
    error at the first mismatch.
    """
    if order not in (1, 2):
        raise ValueError(f"check_grad: order must be 1 or 2, got {order!r}")
    modes = (modes,) if isinstance(modes, str) else tuple(modes)
    if not modes or any(m not in _MODES for m in modes):
        raise ValueError(f"check_grad: modes must be a non-empty tuple of {_MODES}, got {modes!r}")
    args = [_float64(a) for a in args]
    if argnums is None:
        argnums = tuple(i for i, a in enumerate(args) if a.dtype in (np.float64, np.complex128))
    nums, _ = transforms._normalize_argnums(tuple(argnums) if isinstance(argnums, (tuple, list)) else argnums,
                                           len(args), "check_grad")
    rng = np.random.default_rng(seed)
    rows, skipped = [], []
    numerical = numerical_grad(f, *args, argnums=nums, eps=eps)
    directions = [Tensor._wrap(devices.placed_like(_direction(rng, args[n]), args[n]._data)) for n in nums]
    forward_defined = "fwd" in modes
    if "rev" in modes:
        start = time.perf_counter()
        ad_grads = transforms.grad(f, argnums=nums)(*args)
        seconds = time.perf_counter() - start
        for n, ad, num in zip(nums, ad_grads, numerical):
            rows.append(_compare(ad._data, num._data, n, "gradient (reverse mode)", rtol, atol, seconds))
    if "fwd" in modes:
        try:
            rows.append(_check_directional(f, args, nums, numerical, directions, rtol, atol))
        except UndefinedRuleError as error:
            forward_defined = False
            skipped.append(("directional derivative (forward mode)", str(error)))
    if order == 2:
        rows.extend(_check_hvp(f, args, nums, directions, rtol, atol, eps, forward_defined))
    return GradCheckReport(rows, skipped)


def _direction(rng, arg):
    """A random direction shaped like ``arg``, complex for a complex argument."""
    direction = rng.standard_normal(arg.shape)
    return direction + 1j * rng.standard_normal(arg.shape) if arg.dtype.kind == "c" else direction


def _tangents(args, nums, directions):
    """One tangent per argument: the random direction for those checked, zeros for the others."""
    return tuple(directions[nums.index(i)] if i in nums else Tensor._wrap(np.zeros_like(a._data))
                 for i, a in enumerate(args))


def _check_directional(f, args, nums, numerical, directions, rtol, atol):
    start = time.perf_counter()
    _, directional = transforms.jvp(f, tuple(args), _tangents(args, nums, directions))
    seconds = time.perf_counter() - start
    # df = Σ ∂f/∂x·ẋ + ∂f/∂y·ẏ = Re Σ g·ż with g = ∂f/∂x − i∂f/∂y (real arguments: Σ g·ẋ)
    expected = sum(float(np.sum(num._data * d._data).real.item()) for num, d in zip(numerical, directions))
    return _compare(directional._data, expected, "all", "directional derivative (forward mode)", rtol, atol, seconds)


def _check_hvp(f, args, nums, directions, rtol, atol, eps, forward_defined):
    grad_f = transforms.grad(f, argnums=nums)
    tangents = _tangents(args, nums, directions)
    start = time.perf_counter()
    if forward_defined:
        _, products = transforms.jvp(grad_f, tuple(args), tangents)
        check = "Hessian-vector product (fwd over rev)"
    else:
        def directional(*point):
            return sum((g * t).sum() for g, t in zip(grad_f(*point), [tangents[n] for n in nums]))
        products = transforms.grad(directional, argnums=tuple(range(len(args))))(*args)
        check = "Hessian-vector product (rev over rev)"
    seconds = time.perf_counter() - start
    h = eps if eps is not None else _EPS ** (1 / 3) * max(1.0, max(float(np.abs(a._data).max().item()) if a.size else 0.0 for a in args))

    def shifted(sign):
        moved = [Tensor._wrap(a._data + sign * h * t._data) for a, t in zip(args, tangents)]
        return grad_f(*moved)

    upper, lower = shifted(1.0), shifted(-1.0)
    rows = []
    for k, n in enumerate(nums):
        numerical = (upper[k]._data - lower[k]._data) / (2 * h)
        product = products[k] if forward_defined else products[n]
        rows.append(_compare(product._data, numerical, n, check, max(rtol, 1e-4), max(atol, 1e-6), seconds))
    return rows
