"""Running sums and products along an axis: cumsum and cumprod, each O(n) forward and back.

For y_k = Σ_{j≤k} x_j the cotangent of x is the running sum from the other end,
x̄_j = Σ_{k≥j} ḡ_k (reverse the axis, cumsum, reverse back); cumsum is linear, so its
tangent is the cumsum of the tangent.

For y_k = Π_{j≤k} x_j, ∂y_k/∂x_j = Π_{i≤k, i≠j} x_i. Without zeros that is y_k/x_j, so
x̄_j = (Σ_{k≥j} ḡ_k y_k)/x_j and ẏ_k = y_k Σ_{j≤k} ẋ_j/x_j. A zero x_z (the first one along the
axis) is handled exactly: with y′ the running product of x with x_z replaced by 1,

    x̄_j = Σ_{k≥j} ḡ_k y_k / x_j   (j < z),     x̄_z = Σ_{k≥z} ḡ_k y′_k,     x̄_j = x_z Σ_{k≥j} ḡ_k y′_k / x_j   (j > z)

— x_z is 0, but as a factor it carries the right derivative — and ẏ_k = y′_k (ẋ_z + x_z Σ_{j≤k, j≠z} ẋ_j/x_j) for
k ≥ z. First derivatives are exact with any number of zeros; second derivatives are exact
with at most one zero per slice (past a second zero they are taken as 0, as for ``prod``).
Where x holds no zero the rules take the short form (a program being recorded by ``cr.trace``
or ``cr.jit`` always gets the general one, since later inputs may hold zeros).
Both rules are polynomial in x without conjugation: they hold for complex values too.
"""

import numpy as np

from ..core.bind import bind
from ..core.errors import ShapeError
from ..core.tensor import array_of
from ..core.tracer import staging
from . import samples
from .declare import Math, along_axis, primitive, rebinding
from .elementwise import astype, equal, logical_and, where
from .shape import flip, reshape


def _reversed_cumsum(g, axis):
    """Σ_{k≥j} g_k along ``axis``."""
    return flip(cumsum(flip(g, axis), axis), axis)


_AXIS_SAMPLES = samples.explicit(
    lambda rng: ((rng.normal(size=(3, 4)),), {"axis": 1}),
    lambda rng: ((rng.normal(size=(2, 3, 2)),), {"axis": 0}),
    lambda rng: ((rng.normal(size=(3,)) + 1j * rng.normal(size=(3,)),), {"axis": 0}))

cumsum_p = primitive(
    "cumsum", lambda x, axis: np.cumsum(x, axis=axis), linear="all",
    vjp=(lambda g, ans, x, axis: _reversed_cumsum(g, axis),),
    batch=rebinding(along_axis),
    math=Math("cumsum {0}", tangent=("cumsum {d}",), adjoint=("{d} summed from the end",)),
    samples=_AXIS_SAMPLES)


def _axis(x, axis, name):
    ndim = np.ndim(x)
    if not -ndim <= axis < ndim:
        raise ShapeError(f"{name}: axis {axis} is out of bounds for a tensor of shape {np.shape(x)}")
    return int(axis) % ndim


def cumsum(x, axis=None, dtype=None, dim=None):
    """Running sums y_k = Σ_{j≤k} x_j along ``axis`` (of the flattened x when None), as ``np.cumsum``.

    Booleans and integers sum in int64 (NumPy's default integer). VJP: the running sums of
    the cotangent from the end of the axis.
    """
    x, axis = _prepared(x, axis if dim is None else dim, dtype, "cumsum")
    return bind(cumsum_p, x, axis=axis)


def _prepared(x, axis, dtype, name):
    """x in the dtype of the result (booleans and small integers accumulate in int64, as in NumPy),
    flattened when ``axis`` is None, and the axis as a non-negative int."""
    if dtype is not None:
        x = astype(x, dtype)
    elif x.dtype.kind == "b" or (x.dtype.kind in "iu" and x.dtype.itemsize < 8):
        x = astype(x, np.int64 if x.dtype.kind != "u" else np.uint64)
    if axis is None:
        x, axis = reshape(x, (-1,)), 0
    return x, _axis(x, axis, name)


# ---------------------------------------------------------------------------- cumprod
class _Zeros:
    """Where the zeros of x lie along the axis (see the module docstring)."""

    def __init__(self, x, axis):
        is_zero = equal(x, 0)
        seen = cumsum(astype(is_zero, np.int64), axis)
        self.before = equal(seen, 0)                          # j < z (everywhere if no zero)
        self.first = logical_and(is_zero, equal(seen, 1))     # j = z
        self.safe = where(is_zero, 1, x)                      # x with its zeros as 1, to divide by
        self.ones_at_first = cumprod(where(self.first, 1, x), axis)                  # y′
        self.value = where(self.first, x, 0).sum(axis=axis, keepdims=True)          # x_z (unused if no zero)


def _may_hold_zeros(x):
    """Whether the general (zero-aware) rules are needed: x holds a zero, or its values are being recorded
    into a program (cr.trace, cr.jit) that must serve inputs with zeros too."""
    return staging() or bool((array_of(x) == 0).any())


def _cumprod_vjp(g, ans, x, axis):
    if not _may_hold_zeros(x):
        return _reversed_cumsum(g * ans, axis) / x
    zeros = _Zeros(x, axis)
    with_z = _reversed_cumsum(g * zeros.ones_at_first, axis)
    before = _reversed_cumsum(g * ans, axis) / zeros.safe
    return where(zeros.before, before, where(zeros.first, with_z, zeros.value * with_z / zeros.safe))


def _cumprod_jvp(t, ans, x, axis):
    if not _may_hold_zeros(x):
        return ans * cumsum(t / x, axis)
    zeros = _Zeros(x, axis)
    ratios = cumsum(where(zeros.first, 0, t / zeros.safe), axis)
    tangent_z = where(zeros.first, t, 0).sum(axis=axis, keepdims=True)
    return zeros.ones_at_first * where(zeros.before, ratios, tangent_z + zeros.value * ratios)


cumprod_p = primitive(
    "cumprod", lambda x, axis: np.cumprod(x, axis=axis),
    vjp=(_cumprod_vjp,), jvp=(_cumprod_jvp,), complex_rules=True,
    batch=rebinding(along_axis),
    math=Math("cumprod {0}", tangent=("Σ_(j≤k) {d}_j Π_(i≤k, i≠j) {0}_i",),
              adjoint=("Σ_(k≥j) {d}_k Π_(i≤k, i≠j) {0}_i",)),
    samples=samples.explicit(
        lambda rng: ((rng.uniform(0.5, 1.5, size=(3, 4)) * rng.choice([-1.0, 1.0], size=(3, 4)),), {"axis": 1}),
        lambda rng: ((np.array([[0.7, 0.0, 1.2, -0.8], [0.0, 1.1, 0.9, 1.3], [1.4, -0.6, 0.8, 0.0]]),), {"axis": 1}),
        lambda rng: ((np.array([[0.9, 1.2], [0.0, -1.1], [1.3, 0.7]]),), {"axis": 0}),
        lambda rng: ((rng.normal(size=(3,)) + 1j * rng.normal(size=(3,)),), {"axis": 0})))


def cumprod(x, axis=None, dtype=None, dim=None):
    """Running products y_k = Π_{j≤k} x_j along ``axis`` (of the flattened x when None), as ``np.cumprod``.

    ∂y_k/∂x_j = Π_{i≤k, i≠j} x_i, exact with zeros (see the module docstring).
    """
    x, axis = _prepared(x, axis if dim is None else dim, dtype, "cumprod")
    return bind(cumprod_p, x, axis=axis)
