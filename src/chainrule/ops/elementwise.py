"""Elementwise primitives, with NumPy broadcasting.

Each declaration gives the op's NumPy implementation and its partial derivatives,
∂out/∂x_k as functions of the arguments and the answer — the textbook derivative, once;
``declare.elementwise`` makes the VJP (g·∂_k), the JVP (Σ ẋ_k·∂_k) and the trace-table
terms from it, and undoes broadcasting. Subgradients at kinks: relu'(0) = 0,
|x|'(0) = 0, and maximum/minimum split the gradient evenly between tied arguments (as
JAX does). sign has derivative 0 (the gradient is zero, as in PyTorch and JAX).
"""

import math

import numpy as np

from ..core.bind import bind
from . import samples
from .declare import (MINUS_ONE, ONE, ZERO, Math, Over, broadcasting, elementwise, function_of, nondifferentiable,
                      primitive)


def _safe_log(x):
    """log(x) with log(0) taken as 0: the x = 0 term of d/dy x^y = x^y log x vanishes."""
    return log(where(x == 0, 1, x))


def _power_partial_x(x, y, ans):
    """∂(x^y)/∂x = y·x^(y−1), taken as 0 where y = 0 (x^0 is constant), so that no order of the
    derivative meets 0·∞ at x = 0: d/dx x^0 = 0, d²/dx² x^1 = 0, d³/dx³ x^2 = 0."""
    if isinstance(y, (int, float)):  # a Python exponent, as in x ** 2: the common case, decided once
        return y * x ** (y - 1) if y != 0 else 0 * x
    is_zero = y == 0
    return where(is_zero, 0, y * x ** (where(is_zero, 1, y) - 1))


def _tie_weight(x, y, dtype):
    """1 where x wins, 1/2 where x and y tie, 0 where y wins."""
    return (x > y).astype(dtype) + 0.5 * (x == y).astype(dtype)


def _sigmoid_impl(x):
    return np.exp(-np.logaddexp(0, -x))


def _erf_impl(x):
    """erf from SciPy when it is installed, else Python's ``math.erf`` element by element."""
    try:
        from scipy.special import erf as scipy_erf
    except ImportError:
        return np.vectorize(math.erf, otypes=[np.result_type(x, np.float32)])(x)
    return scipy_erf(x)


_UNARY = [(s,) for s in samples.UNARY]

# --------------------------------------------------------------------------- arithmetic
add_p = elementwise("add", np.add, (ONE, ONE), Math("{0} + {1}", (ONE, ONE)),
                    samples.uniform(*samples.BINARY), complex_rules=True)
add = function_of(add_p, promote=True, doc="x + y.   ∂/∂x = 1, ∂/∂y = 1.")

sub_p = elementwise("sub", np.subtract, (ONE, MINUS_ONE), Math("{0} − {1}", (ONE, MINUS_ONE)),
                    samples.uniform(*samples.BINARY), complex_rules=True)
sub = function_of(sub_p, promote=True, doc="x − y.   ∂/∂x = 1, ∂/∂y = −1.")

neg_p = elementwise("neg", np.negative, (MINUS_ONE,), Math("−{0}", (MINUS_ONE,)), samples.uniform(*_UNARY), complex_rules=True)
neg = function_of(neg_p, "−x.   d/dx = −1.")

mul_p = elementwise("mul", np.multiply, (lambda x, y, ans: y, lambda x, y, ans: x), Math("{0} × {1}", ("{1}", "{0}")),
                    samples.uniform(*samples.BINARY), complex_rules=True)
mul = function_of(mul_p, promote=True, doc="x · y.   ∂/∂x = y, ∂/∂y = x.")

div_p = elementwise("div", np.true_divide, (Over(lambda x, y, ans: y), lambda x, y, ans: -ans / y),
                    Math("{0} / {1}", ("1/{1}", "−{0} / {1}²")), samples.away_from_zero(*samples.BINARY), complex_rules=True)
div = function_of(div_p, promote=True, doc="x / y.   ∂/∂x = 1/y, ∂/∂y = −x/y².")

power_p = elementwise(
    "power", np.power,
    (_power_partial_x, lambda x, y, ans: ans * _safe_log(x)),
    Math("{0}^{1}", ("{1} × {0}^({1} − 1)", "ln {0} × {0}^{1}")),
    samples.explicit(
        lambda rng: ((rng.uniform(0.5, 2.0, (2, 3)), rng.uniform(-2.0, 2.0, (2, 3))), {}),
        lambda rng: ((rng.uniform(0.5, 2.0, (3,)), rng.uniform(-2.0, 2.0, (2, 1))), {})),
    complex_rules=True)
power = function_of(power_p, promote=True, doc="x ** y.   ∂/∂x = y·x^(y−1) (0 where y = 0), ∂/∂y = x^y·ln x (taken as 0 at x = 0).")

# ----------------------------------------------------------------------- transcendental
exp_p = elementwise("exp", np.exp, (lambda x, ans: ans,), Math("exp {0}", ("exp {0}",)), samples.uniform(*_UNARY), complex_rules=True)
exp = function_of(exp_p, "e^x.   d/dx e^x = e^x.")

log_p = elementwise("log", np.log, (Over(lambda x, ans: x),), Math("ln {0}", ("1/{0}",)),
                    samples.uniform(*_UNARY, low=0.3, high=3.0), complex_rules=True)
log = function_of(log_p, "Natural logarithm ln x.   d/dx ln x = 1/x.")

log1p_p = elementwise("log1p", np.log1p, (Over(lambda x, ans: 1 + x),), Math("ln(1 + {0})", ("1/(1 + {0})",)),
                      samples.uniform(*_UNARY, low=-0.7, high=3.0), complex_rules=True)
log1p = function_of(log1p_p, "ln(1 + x), accurate for small x.   d/dx = 1/(1 + x).")

sqrt_p = elementwise("sqrt", np.sqrt, (Over(lambda x, ans: 2 * ans),), Math("√{0}", ("1/(2√{0})",)),
                     samples.uniform(*_UNARY, low=0.3, high=3.0), complex_rules=True)
sqrt = function_of(sqrt_p, "√x.   d/dx √x = 1/(2√x).")

sin_p = elementwise("sin", np.sin, (lambda x, ans: cos(x),), Math("sin {0}", ("cos {0}",)), samples.uniform(*_UNARY), complex_rules=True)
sin = function_of(sin_p, "sin x.   d/dx sin x = cos x.")

cos_p = elementwise("cos", np.cos, (lambda x, ans: -sin(x),), Math("cos {0}", ("−sin {0}",)), samples.uniform(*_UNARY), complex_rules=True)
cos = function_of(cos_p, "cos x.   d/dx cos x = −sin x.")

tan_p = elementwise("tan", np.tan, (lambda x, ans: 1 + ans * ans,), Math("tan {0}", ("(1 + tan² {0})",)),
                    samples.uniform(*_UNARY, low=-1.2, high=1.2), complex_rules=True)
tan = function_of(tan_p, "tan x.   d/dx tan x = 1 + tan² x.")

tanh_p = elementwise("tanh", np.tanh, (lambda x, ans: 1 - ans * ans,), Math("tanh {0}", ("(1 − tanh² {0})",)),
                     samples.uniform(*_UNARY), complex_rules=True)
tanh = function_of(tanh_p, "tanh x.   d/dx tanh x = 1 − tanh² x.")

sigmoid_p = elementwise("sigmoid", _sigmoid_impl, (lambda x, ans: ans * (1 - ans),),
                        Math("σ({0})", ("σ({0})(1 − σ({0}))",)), samples.uniform(*_UNARY, low=-4.0, high=4.0))
sigmoid = function_of(sigmoid_p, "σ(x) = 1/(1 + e^−x), computed without overflow.   σ'(x) = σ(x)(1 − σ(x)).")

softplus_p = elementwise("softplus", lambda x: np.logaddexp(0, x), (lambda x, ans: sigmoid(x),),
                         Math("softplus({0})", ("σ({0})",)), samples.uniform(*_UNARY, low=-4.0, high=4.0))
softplus = function_of(softplus_p, "ln(1 + e^x), computed without overflow.   d/dx = σ(x).")

erf_p = elementwise("erf", _erf_impl, (lambda x, ans: (2 / math.sqrt(math.pi)) * exp(-(x * x)),),
                    Math("erf {0}", ("(2/√π) exp(−{0}²)",)), samples.uniform(*_UNARY), complex_rules=True)
erf = function_of(erf_p, "The error function erf x = (2/√π) ∫₀ˣ e^(−s²) ds.   d/dx erf x = (2/√π) e^(−x²).")

# ------------------------------------------------------------------ piecewise linear
relu_p = elementwise("relu", lambda x: np.maximum(x, 0), (lambda x, ans: x > 0,), Math("relu({0})", ("1[{0} > 0]",)),
                     samples.away_from_zero(*_UNARY))
relu = function_of(relu_p, "max(x, 0).   d/dx = 1[x > 0] (0 at the kink x = 0).")

def _abs_partial(x, ans):
    """d|x|/dx = sign x for real x; for complex z the cotangent is ḡ·z̄/|z| (JAX's convention), 0 at z = 0."""
    if x.dtype.kind != "c":
        return sign(x)
    return conj(x) / where(ans == 0, 1, ans)


abs_p = elementwise("abs", np.abs, (_abs_partial,), Math("|{0}|", ("sign {0}",)),
                    samples.explicit(*[lambda rng, s=s: ((rng.uniform(0.3, 2.0, s) * rng.choice([-1.0, 1.0], s),), {})
                                       for s in samples.UNARY],
                                     lambda rng: ((rng.normal(size=(3,)) + 1j * rng.normal(size=(3,)),), {})),
                    complex_rules=True)
abs = function_of(abs_p, "|x|.   d/dx = sign(x) (0 at x = 0).")  # noqa: A001 (NumPy's name)

sign_p = elementwise("sign", np.sign, (ZERO,), Math("sign {0}", (ZERO,)), samples.uniform(((3,),)))
sign = function_of(sign_p, "−1, 0 or 1 by the sign of x.   d/dx = 0: the gradient is zero, as in PyTorch and JAX.")

maximum_p = elementwise(
    "maximum", np.maximum,
    (lambda x, y, ans: _tie_weight(x, y, ans.dtype), lambda x, y, ans: _tie_weight(y, x, ans.dtype)),
    Math("max({0}, {1})", ("1[{0} > {1}]", "1[{1} > {0}]")), samples.uniform(*samples.BINARY))
maximum = function_of(maximum_p, promote=True, doc="Elementwise max(x, y).   ∂/∂x = 1[x > y], ½ at ties.")

minimum_p = elementwise(
    "minimum", np.minimum,
    (lambda x, y, ans: _tie_weight(y, x, ans.dtype), lambda x, y, ans: _tie_weight(x, y, ans.dtype)),
    Math("min({0}, {1})", ("1[{0} < {1}]", "1[{1} < {0}]")), samples.uniform(*samples.BINARY))
minimum = function_of(minimum_p, promote=True, doc="Elementwise min(x, y).   ∂/∂x = 1[x < y], ½ at ties.")


def _nan_skipping_weight(x, y, dtype, larger):
    """1 where fmax (``larger``) or fmin picks x over y — x is larger (smaller), or only y is NaN,
    since they return the number where one argument is NaN — ½ at ties, 0 elsewhere."""
    ahead = _tie_weight(x, y, dtype) if larger else _tie_weight(y, x, dtype)
    return ahead + logical_and(isnan(y), logical_not(isnan(x))).astype(dtype)


def _nan_skipping(name, impl, larger):
    """fmax (``larger``) or fmin: the elementwise extremum that returns the number where one argument is NaN."""
    symbol, word = (">", "max") if larger else ("<", "min")
    prim = elementwise(
        name, impl,
        (lambda x, y, ans: _nan_skipping_weight(x, y, ans.dtype, larger),
         lambda x, y, ans: _nan_skipping_weight(y, x, ans.dtype, larger)),
        Math(f"{name}({{0}}, {{1}})",
             (f"1[{{0}} {symbol} {{1}} or {{1}} NaN]", f"1[{{1}} {symbol} {{0}} or {{0}} NaN]")),
        samples.uniform(*samples.BINARY))
    return prim, function_of(prim, promote=True,
                             doc=f"Elementwise {word}(x, y) that skips NaN (the other argument where one is NaN).   "
                                 f"∂/∂x = 1[x {symbol} y or y is NaN], ½ at ties.")


fmax_p, fmax = _nan_skipping("fmax", np.fmax, True)
fmin_p, fmin = _nan_skipping("fmin", np.fmin, False)

where_p = primitive(
    "where", np.where, linear=(1, 2), batch=broadcasting(0),
    vjp=(None, lambda g, ans, c, x, y: where(c, g, 0), lambda g, ans, c, x, y: where(c, 0, g)),
    math=Math("{1} if {0} else {2}", tangent=(None, "1[{0}] {d}", "1[¬{0}] {d}"), names=("c", "x", "y")),
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


# ------------------------------------------------------------------------ complex parts
real_p = elementwise("real", np.real, (ONE,), Math("Re {0}", (ONE,)), samples.complex_uniform((3,), (2, 3)),
                     complex_rules=True)
real = function_of(real_p, "The real part Re z.   Its cotangent is the output's (JAX's convention); ∂/∂x = 1 for real x.")

imag_p = elementwise("imag", np.imag, (lambda z, ans: -1j,), Math("Im {0}", ("−i",)),
                     samples.complex_uniform((3,), (2, 3)), complex_rules=True)
imag = function_of(imag_p, "The imaginary part Im z.   Cotangent −i·ḡ (JAX's convention); 0 for real x.")

conj_p = primitive(
    "conj", np.conjugate, linear="all", batch=broadcasting(0),
    vjp=(lambda g, ans, z: conj(g),),
    math=Math("conj {0}", tangent=("conj {d}",), adjoint=("conj {d}",)),
    samples=samples.complex_uniform((3,), (2, 3)))


def conj(z):
    """The complex conjugate z̄ (x itself for real x).   Tangent and cotangent are conjugated."""
    return z if z.dtype.kind != "c" else bind(conj_p, z)


conjugate = conj


# --------------------------------------------------------------------- dtype and stop
def _astype_impl(x, dtype):
    return x.astype(dtype, copy=False)


astype_p = primitive(
    "astype", _astype_impl, linear="all", batch=broadcasting(0),
    vjp=(lambda g, ans, x, dtype: astype(real(g) if g.dtype.kind == "c" and x.dtype.kind != "c" else g, x.dtype),),
    math=Math("{0} as dtype", (ONE,)),
    samples=samples.uniform(((2, 3),), params={"dtype": np.dtype(np.float64)}))


def astype(x, dtype):
    """x converted to ``dtype``.   The cotangent is converted back to x's dtype."""
    dtype = np.dtype(dtype)
    if x.dtype == dtype:
        return x
    return bind(astype_p, x, dtype=dtype)


def copy(x):
    """A copy of x in new memory that stays in the graph (NumPy's ``copy``): the gradient passes through."""
    return where(True, x, x)


stop_gradient_p = nondifferentiable("stop_gradient", lambda x: x, samples.uniform(((3,),)), "stop_gradient({0})")
stop_gradient = function_of(stop_gradient_p, "x, as a constant to every derivative at every level.")

# --------------------------------------------------------- comparisons and logic (no gradient)
_NONDIFF_BINARY = samples.uniform(((2, 3), (3,)))


def _comparison(name, impl, symbol):
    prim = nondifferentiable(name, impl, _NONDIFF_BINARY, "{0} " + symbol + " {1}")
    return prim, function_of(prim, f"x {symbol} y, a boolean tensor.")


equal_p, equal = _comparison("equal", np.equal, "==")
not_equal_p, not_equal = _comparison("not_equal", np.not_equal, "!=")
less_p, less = _comparison("less", np.less, "<")
less_equal_p, less_equal = _comparison("less_equal", np.less_equal, "<=")
greater_p, greater = _comparison("greater", np.greater, ">")
greater_equal_p, greater_equal = _comparison("greater_equal", np.greater_equal, ">=")
logical_and_p, logical_and = _comparison("logical_and", np.logical_and, "and")
logical_or_p, logical_or = _comparison("logical_or", np.logical_or, "or")
logical_not_p = nondifferentiable("logical_not", np.logical_not, samples.uniform(((3,),)), "not {0}")
logical_not = function_of(logical_not_p, "not x (elementwise), boolean.")
isfinite_p = nondifferentiable("isfinite", np.isfinite, samples.uniform(((3,),)), "isfinite({0})")
isfinite = function_of(isfinite_p, "Whether x is neither NaN nor ±inf (elementwise), boolean.")
isnan_p = nondifferentiable("isnan", np.isnan, samples.uniform(((3,),)), "isnan({0})")
isnan = function_of(isnan_p, "Whether x is NaN (elementwise), boolean.")
isinf_p = nondifferentiable("isinf", np.isinf, samples.uniform(((3,),)), "isinf({0})")
isinf = function_of(isinf_p, "Whether x is +inf or −inf (elementwise), boolean.")
signbit_p = nondifferentiable("signbit", np.signbit, samples.uniform(((3,),)), "signbit({0})")
signbit = function_of(signbit_p, "Whether the sign bit of x is set (x < 0, or −0.0), boolean.")
