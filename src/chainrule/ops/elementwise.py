"""Elementwise primitives, with NumPy broadcasting.

Each rule below is the textbook derivative; broadcasting is undone centrally (the
sweep sums every cotangent back to its input's shape), so rules never mention it.
Subgradients at kinks: relu'(0) = 0, |x|'(0) = 0, and maximum/minimum split the
gradient evenly between tied arguments (as JAX does).
"""

import math

import numpy as np

from ..core.primitive import Primitive, bind
from . import samples
from ._declare import function_of


def _safe_log(x):
    """log(x) with log(0) taken as 0: the x = 0 term of d/dy x^y = x^y log x vanishes."""
    return log(where(x == 0, 1, x))


def _tie_weight(x, y, dtype):
    """1 where x wins, 1/2 where x and y tie, 0 where y wins."""
    return (x > y).astype(dtype) + 0.5 * (x == y).astype(dtype)


def _sigmoid_impl(x):
    return np.exp(-np.logaddexp(0, -x))


# --------------------------------------------------------------------------- arithmetic
add_p = Primitive(
    "add", np.add, linear=True,
    vjp=(lambda g, ans, x, y: g, lambda g, ans, x, y: g),
    jvp=(lambda t, ans, x, y: t, lambda t, ans, x, y: t),
    samples=samples.uniform(*samples.BINARY))
add = function_of(add_p, "x + y.   ∂/∂x = 1, ∂/∂y = 1.")

sub_p = Primitive(
    "sub", np.subtract, linear=True,
    vjp=(lambda g, ans, x, y: g, lambda g, ans, x, y: -g),
    jvp=(lambda t, ans, x, y: t, lambda t, ans, x, y: -t),
    samples=samples.uniform(*samples.BINARY))
sub = function_of(sub_p, "x − y.   ∂/∂x = 1, ∂/∂y = −1.")

neg_p = Primitive(
    "neg", np.negative, linear=True,
    vjp=lambda g, ans, x: -g,
    jvp=lambda t, ans, x: -t,
    samples=samples.uniform(*[(s,) for s in samples.UNARY]))
neg = function_of(neg_p, "−x.   d/dx = −1.")

mul_p = Primitive(
    "mul", np.multiply,
    vjp=(lambda g, ans, x, y: g * y, lambda g, ans, x, y: g * x),
    jvp=(lambda t, ans, x, y: t * y, lambda t, ans, x, y: x * t),
    samples=samples.uniform(*samples.BINARY))
mul = function_of(mul_p, "x · y.   ∂/∂x = y, ∂/∂y = x.")

div_p = Primitive(
    "div", np.true_divide,
    vjp=(lambda g, ans, x, y: g / y, lambda g, ans, x, y: -g * x / (y * y)),
    jvp=(lambda t, ans, x, y: t / y, lambda t, ans, x, y: -t * x / (y * y)),
    samples=samples.away_from_zero(*samples.BINARY))
div = function_of(div_p, "x / y.   ∂/∂x = 1/y, ∂/∂y = −x/y².")

power_p = Primitive(
    "power", np.power,
    vjp=(lambda g, ans, x, y: g * y * x ** (y - 1), lambda g, ans, x, y: g * ans * _safe_log(x)),
    jvp=(lambda t, ans, x, y: t * y * x ** (y - 1), lambda t, ans, x, y: t * ans * _safe_log(x)),
    samples=samples.explicit(
        lambda rng: ((rng.uniform(0.5, 2.0, (2, 3)), rng.uniform(-2.0, 2.0, (2, 3))), {}),
        lambda rng: ((rng.uniform(0.5, 2.0, (3,)), rng.uniform(-2.0, 2.0, (2, 1))), {})))
power = function_of(power_p, "x ** y.   ∂/∂x = y·x^(y−1), ∂/∂y = x^y·ln x (taken as 0 at x = 0).")

# ----------------------------------------------------------------------- transcendental
_UNARY_SAMPLES = [(s,) for s in samples.UNARY]

exp_p = Primitive(
    "exp", np.exp,
    vjp=lambda g, ans, x: g * ans,
    jvp=lambda t, ans, x: t * ans,
    samples=samples.uniform(*_UNARY_SAMPLES))
exp = function_of(exp_p, "e^x.   d/dx e^x = e^x.")

log_p = Primitive(
    "log", np.log,
    vjp=lambda g, ans, x: g / x,
    jvp=lambda t, ans, x: t / x,
    samples=samples.uniform(*_UNARY_SAMPLES, low=0.3, high=3.0))
log = function_of(log_p, "Natural logarithm ln x.   d/dx ln x = 1/x.")

log1p_p = Primitive(
    "log1p", np.log1p,
    vjp=lambda g, ans, x: g / (1 + x),
    jvp=lambda t, ans, x: t / (1 + x),
    samples=samples.uniform(*_UNARY_SAMPLES, low=-0.7, high=3.0))
log1p = function_of(log1p_p, "ln(1 + x), accurate for small x.   d/dx = 1/(1 + x).")

sqrt_p = Primitive(
    "sqrt", np.sqrt,
    vjp=lambda g, ans, x: g * 0.5 / ans,
    jvp=lambda t, ans, x: t * 0.5 / ans,
    samples=samples.uniform(*_UNARY_SAMPLES, low=0.3, high=3.0))
sqrt = function_of(sqrt_p, "√x.   d/dx √x = 1/(2√x).")

sin_p = Primitive(
    "sin", np.sin,
    vjp=lambda g, ans, x: g * cos(x),
    jvp=lambda t, ans, x: t * cos(x),
    samples=samples.uniform(*_UNARY_SAMPLES))
sin = function_of(sin_p, "sin x.   d/dx sin x = cos x.")

cos_p = Primitive(
    "cos", np.cos,
    vjp=lambda g, ans, x: -g * sin(x),
    jvp=lambda t, ans, x: -t * sin(x),
    samples=samples.uniform(*_UNARY_SAMPLES))
cos = function_of(cos_p, "cos x.   d/dx cos x = −sin x.")

tan_p = Primitive(
    "tan", np.tan,
    vjp=lambda g, ans, x: g * (1 + ans * ans),
    jvp=lambda t, ans, x: t * (1 + ans * ans),
    samples=samples.uniform(*_UNARY_SAMPLES, low=-1.2, high=1.2))
tan = function_of(tan_p, "tan x.   d/dx tan x = 1 + tan² x.")

tanh_p = Primitive(
    "tanh", np.tanh,
    vjp=lambda g, ans, x: g * (1 - ans * ans),
    jvp=lambda t, ans, x: t * (1 - ans * ans),
    samples=samples.uniform(*_UNARY_SAMPLES))
tanh = function_of(tanh_p, "tanh x.   d/dx tanh x = 1 − tanh² x.")

sigmoid_p = Primitive(
    "sigmoid", _sigmoid_impl,
    vjp=lambda g, ans, x: g * ans * (1 - ans),
    jvp=lambda t, ans, x: t * ans * (1 - ans),
    samples=samples.uniform(*_UNARY_SAMPLES, low=-4.0, high=4.0))
sigmoid = function_of(sigmoid_p, "σ(x) = 1/(1 + e^−x), computed without overflow.   σ'(x) = σ(x)(1 − σ(x)).")

softplus_p = Primitive(
    "softplus", lambda x: np.logaddexp(0, x),
    vjp=lambda g, ans, x: g * sigmoid(x),
    jvp=lambda t, ans, x: t * sigmoid(x),
    samples=samples.uniform(*_UNARY_SAMPLES, low=-4.0, high=4.0))
softplus = function_of(softplus_p, "ln(1 + e^x), computed without overflow.   d/dx = σ(x).")

def _erf_impl(x):
    """erf from SciPy when it is installed, else Python's ``math.erf`` element by element."""
    try:
        from scipy.special import erf as scipy_erf
    except ImportError:
        return np.vectorize(math.erf, otypes=[np.result_type(x, np.float32)])(x)
    return scipy_erf(x)


erf_p = Primitive(
    "erf", _erf_impl,
    vjp=lambda g, ans, x: g * (2 / math.sqrt(math.pi)) * exp(-(x * x)),
    jvp=lambda t, ans, x: t * (2 / math.sqrt(math.pi)) * exp(-(x * x)),
    samples=samples.uniform(*_UNARY_SAMPLES))
erf = function_of(erf_p, "The error function erf x = (2/√π) ∫₀ˣ e^(−s²) ds.   d/dx erf x = (2/√π) e^(−x²).")

# ------------------------------------------------------------------ piecewise linear
relu_p = Primitive(
    "relu", lambda x: np.maximum(x, 0),
    vjp=lambda g, ans, x: g * (x > 0),
    jvp=lambda t, ans, x: t * (x > 0),
    samples=samples.away_from_zero(*_UNARY_SAMPLES))
relu = function_of(relu_p, "max(x, 0).   d/dx = 1[x > 0] (0 at the kink x = 0).")

abs_p = Primitive(
    "abs", np.abs,
    vjp=lambda g, ans, x: g * sign(x),
    jvp=lambda t, ans, x: t * sign(x),
    samples=samples.away_from_zero(*_UNARY_SAMPLES))
abs = function_of(abs_p, "|x|.   d/dx = sign(x) (0 at x = 0).")  # noqa: A001 (NumPy's name)

def _extremum(name, impl, larger, doc):
    """maximum (``larger``) or minimum: the gradient goes to the winning argument."""
    def weight(a, b, dtype):
        return _tie_weight(a, b, dtype) if larger else _tie_weight(b, a, dtype)

    prim = Primitive(
        name, impl,
        vjp=(lambda g, ans, x, y: g * weight(x, y, g.dtype), lambda g, ans, x, y: g * weight(y, x, g.dtype)),
        jvp=(lambda t, ans, x, y: t * weight(x, y, t.dtype), lambda t, ans, x, y: t * weight(y, x, t.dtype)),
        samples=samples.uniform(*samples.BINARY))
    return prim, function_of(prim, doc)


maximum_p, maximum = _extremum("maximum", np.maximum, True, "Elementwise max(x, y).   ∂/∂x = 1[x > y], ½ at ties.")
minimum_p, minimum = _extremum("minimum", np.minimum, False, "Elementwise min(x, y).   ∂/∂x = 1[x < y], ½ at ties.")

where_p = Primitive(
    "where", np.where,
    vjp=(None, lambda g, ans, c, x, y: where(c, g, 0), lambda g, ans, c, x, y: where(c, 0, g)),
    jvp=(None, lambda t, ans, c, x, y: where(c, t, 0), lambda t, ans, c, x, y: where(c, 0, t)),
    samples=samples.explicit(
        lambda rng: ((rng.uniform(size=(2, 3)) > 0.5, rng.normal(size=(2, 3)), rng.normal(size=(2, 3))), {}),
        lambda rng: ((rng.uniform(size=(3,)) > 0.5, rng.normal(size=(2, 3)), rng.normal(size=(2, 1))), {})))
where = function_of(where_p, "x where cond else y (elementwise).   ∂/∂x = 1[cond], ∂/∂y = 1[¬cond].")


def clip(x, a_min=None, a_max=None):
    """x limited to [a_min, a_max] (either may be None).   d/dx = 1 inside, 0 outside.

    Built from ``where``, so a bound given as a tensor receives the gradient of the
    elements clipped to it.
    """
    if a_min is None and a_max is None:
        raise ValueError("clip: give a_min, a_max or both")
    if a_min is not None:
        x = where(less(x, a_min), a_min, x)
    if a_max is not None:
        x = where(greater(x, a_max), a_max, x)
    return x


# --------------------------------------------------------------------- dtype and stop
def _astype_impl(x, dtype):
    return x.astype(dtype, copy=False)


astype_p = Primitive(
    "astype", _astype_impl, linear=True,
    vjp=lambda g, ans, x, dtype: astype(g, x.dtype),
    jvp="linear",
    samples=samples.uniform(((2, 3),), params={"dtype": np.dtype(np.float64)}))


def astype(x, dtype):
    """x converted to ``dtype``.   The cotangent is converted back to x's dtype."""
    dtype = np.dtype(dtype)
    if x.dtype == dtype:
        return x
    return bind(astype_p, x, dtype=dtype)


stop_gradient_p = Primitive("stop_gradient", lambda x: x, differentiable=False,
                            samples=samples.uniform(((3,),)))
stop_gradient = function_of(stop_gradient_p, "x, as a constant to every derivative at every level.")

sign_p = Primitive("sign", np.sign, differentiable=False, samples=samples.uniform(((3,),)))
sign = function_of(sign_p, "−1, 0 or 1 by the sign of x; derivative 0 (not differentiated).")

# --------------------------------------------------------- comparisons and logic (no gradient)
_NONDIFF_BINARY = samples.uniform(((2, 3), (3,)))


def _nondiff(name, impl, doc):
    prim = Primitive(name, impl, differentiable=False, samples=_NONDIFF_BINARY)
    return prim, function_of(prim, doc)


equal_p, equal = _nondiff("equal", np.equal, "x == y, a boolean tensor.")
not_equal_p, not_equal = _nondiff("not_equal", np.not_equal, "x != y, a boolean tensor.")
less_p, less = _nondiff("less", np.less, "x < y, a boolean tensor.")
less_equal_p, less_equal = _nondiff("less_equal", np.less_equal, "x <= y, a boolean tensor.")
greater_p, greater = _nondiff("greater", np.greater, "x > y, a boolean tensor.")
greater_equal_p, greater_equal = _nondiff("greater_equal", np.greater_equal, "x >= y, a boolean tensor.")
logical_and_p, logical_and = _nondiff("logical_and", np.logical_and, "x and y (elementwise), boolean.")
logical_or_p, logical_or = _nondiff("logical_or", np.logical_or, "x or y (elementwise), boolean.")
logical_not_p = Primitive("logical_not", np.logical_not, differentiable=False, samples=samples.uniform(((3,),)))
logical_not = function_of(logical_not_p, "not x (elementwise), boolean.")
isfinite_p = Primitive("isfinite", np.isfinite, differentiable=False, samples=samples.uniform(((3,),)))
isfinite = function_of(isfinite_p, "Whether x is neither NaN nor ±inf (elementwise), boolean.")
