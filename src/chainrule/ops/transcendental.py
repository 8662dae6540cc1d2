"""Hyperbolic, inverse trigonometric, logarithmic and exponential functions beyond e^x and ln x.

Each is one ``elementwise`` declaration: NumPy's ufunc and the textbook derivative. The
holomorphic ones (every single-argument function here but ``cbrt``) keep their real
formulas for complex arguments — in JAX's convention a holomorphic op's cotangent is
ḡ·f′(z) — and are declared with ``complex_rules=True``; NumPy computes them on the
principal branch, whose derivative the same formula gives (d/dz arcsin z = 1/√(1 − z²)).
The two-argument functions (arctan2, hypot, logaddexp, logaddexp2) are real functions.

sinc is sin(πx)/(πx). Its derivatives have a removable singularity at 0, so each order is
a primitive of its own (``sinc_derivative``, the k-th derivative, computed from its Taylor
series near 0 and from the closed form elsewhere), whose derivative is the next order.
"""

import math

import numpy as np

from ..core.bind import bind
from . import samples
from .declare import Math, Over, elementwise, function_of
from .elementwise import cos, exp, sin, sqrt, where

_UNARY = [(s,) for s in samples.UNARY]
_LN2, _LN10 = math.log(2.0), math.log(10.0)


def _unary_samples(low=-2.0, high=2.0, complex_low=None, complex_high=None):
    """Real samples in [low, high] and one complex sample (parts in [complex_low, complex_high])."""
    real = samples.uniform(*_UNARY, low=low, high=high)
    complex_ = samples.complex_uniform((3,), low=complex_low if complex_low is not None else low,
                                       high=complex_high if complex_high is not None else high)
    return lambda rng: real(rng) + complex_(rng)


# ------------------------------------------------------------------------- hyperbolic
sinh_p = elementwise("sinh", np.sinh, (lambda x, ans: cosh(x),), Math("sinh {0}", ("cosh {0}",)),
                     _unary_samples(), complex_rules=True)
sinh = function_of(sinh_p, "Hyperbolic sine sinh x = (eˣ − e⁻ˣ)/2.   d/dx sinh x = cosh x.")

cosh_p = elementwise("cosh", np.cosh, (lambda x, ans: sinh(x),), Math("cosh {0}", ("sinh {0}",)),
                     _unary_samples(), complex_rules=True)
cosh = function_of(cosh_p, "Hyperbolic cosine cosh x = (eˣ + e⁻ˣ)/2.   d/dx cosh x = sinh x.")

# ----------------------------------------------------------------- inverse trigonometric
arcsin_p = elementwise("arcsin", np.arcsin, (Over(lambda x, ans: sqrt(1 - x * x)),),
                       Math("arcsin {0}", ("1/√(1 − {0}²)",)), _unary_samples(-0.8, 0.8), complex_rules=True)
arcsin = function_of(arcsin_p, "Inverse sine, in [−π/2, π/2].   d/dx arcsin x = 1/√(1 − x²).")

arccos_p = elementwise("arccos", np.arccos, (Over(lambda x, ans: -sqrt(1 - x * x)),),
                       Math("arccos {0}", ("−1/√(1 − {0}²)",)), _unary_samples(-0.8, 0.8), complex_rules=True)
arccos = function_of(arccos_p, "Inverse cosine, in [0, π].   d/dx arccos x = −1/√(1 − x²).")

arctan_p = elementwise("arctan", np.arctan, (Over(lambda x, ans: 1 + x * x),),
                       Math("arctan {0}", ("1/(1 + {0}²)",)), _unary_samples(complex_low=-0.6, complex_high=0.6),
                       complex_rules=True)
arctan = function_of(arctan_p, "Inverse tangent, in (−π/2, π/2).   d/dx arctan x = 1/(1 + x²).")


def _arctan2_denominator(y, x, ans):
    return x * x + y * y


arctan2_p = elementwise(
    "arctan2", np.arctan2,
    (lambda y, x, ans: x / _arctan2_denominator(y, x, ans), lambda y, x, ans: -y / _arctan2_denominator(y, x, ans)),
    Math("arctan2({0}, {1})", ("{1}/({1}² + {0}²)", "−{0}/({1}² + {0}²)"), names=("y", "x")),
    samples.away_from_zero(*samples.BINARY))
arctan2 = function_of(arctan2_p, "The angle of the point (x, y), in [−π, π].   "
                                 "∂/∂y = x/(x² + y²), ∂/∂x = −y/(x² + y²).")

# ------------------------------------------------------------------- inverse hyperbolic
arcsinh_p = elementwise("arcsinh", np.arcsinh, (Over(lambda x, ans: sqrt(x * x + 1)),),
                        Math("arcsinh {0}", ("1/√({0}² + 1)",)), _unary_samples(complex_low=-0.6, complex_high=0.6),
                        complex_rules=True)
arcsinh = function_of(arcsinh_p, "Inverse hyperbolic sine.   d/dx arcsinh x = 1/√(x² + 1).")

arccosh_p = elementwise("arccosh", np.arccosh, (Over(lambda x, ans: sqrt(x - 1) * sqrt(x + 1)),),
                        Math("arccosh {0}", ("1/(√({0} − 1) √({0} + 1))",)),
                        _unary_samples(1.2, 3.0, complex_low=1.2, complex_high=3.0), complex_rules=True)
arccosh = function_of(arccosh_p, "Inverse hyperbolic cosine, for x ≥ 1.   d/dx arccosh x = 1/√(x² − 1) "
                                 "(1/(√(z − 1)√(z + 1)) on the principal branch for complex z).")

arctanh_p = elementwise("arctanh", np.arctanh, (Over(lambda x, ans: 1 - x * x),),
                        Math("arctanh {0}", ("1/(1 − {0}²)",)), _unary_samples(-0.8, 0.8), complex_rules=True)
arctanh = function_of(arctanh_p, "Inverse hyperbolic tangent, for |x| < 1.   d/dx arctanh x = 1/(1 − x²).")

# -------------------------------------------------------------- logarithms, exponentials
log2_p = elementwise("log2", np.log2, (Over(lambda x, ans: x * _LN2),), Math("log₂ {0}", ("1/({0} ln 2)",)),
                     _unary_samples(0.3, 3.0), complex_rules=True)
log2 = function_of(log2_p, "Base-2 logarithm.   d/dx log₂ x = 1/(x ln 2).")

log10_p = elementwise("log10", np.log10, (Over(lambda x, ans: x * _LN10),), Math("log₁₀ {0}", ("1/({0} ln 10)",)),
                      _unary_samples(0.3, 3.0), complex_rules=True)
log10 = function_of(log10_p, "Base-10 logarithm.   d/dx log₁₀ x = 1/(x ln 10).")

expm1_p = elementwise("expm1", np.expm1, (lambda x, ans: ans + 1,), Math("e^{0} − 1", ("e^{0}",)),
                      _unary_samples(), complex_rules=True)
expm1 = function_of(expm1_p, "eˣ − 1, accurate for small x.   d/dx = eˣ.")

exp2_p = elementwise("exp2", np.exp2, (lambda x, ans: ans * _LN2,), Math("2^{0}", ("2^{0} ln 2",)),
                     _unary_samples(), complex_rules=True)
exp2 = function_of(exp2_p, "2ˣ.   d/dx 2ˣ = 2ˣ ln 2.")

logaddexp_p = elementwise(
    "logaddexp", np.logaddexp, (lambda x, y, ans: exp(x - ans), lambda x, y, ans: exp(y - ans)),
    Math("ln(e^{0} + e^{1})", ("e^({0} − ln(e^{0} + e^{1}))", "e^({1} − ln(e^{0} + e^{1}))")),
    samples.uniform(*samples.BINARY))
logaddexp = function_of(logaddexp_p, "ln(eˣ + eʸ), without overflow.   ∂/∂x = eˣ/(eˣ + eʸ), ∂/∂y = eʸ/(eˣ + eʸ).")

logaddexp2_p = elementwise(
    "logaddexp2", np.logaddexp2, (lambda x, y, ans: exp2(x - ans), lambda x, y, ans: exp2(y - ans)),
    Math("log₂(2^{0} + 2^{1})", ("2^({0} − log₂(2^{0} + 2^{1}))", "2^({1} − log₂(2^{0} + 2^{1}))")),
    samples.uniform(*samples.BINARY))
logaddexp2 = function_of(logaddexp2_p, "log₂(2ˣ + 2ʸ), without overflow.   ∂/∂x = 2ˣ/(2ˣ + 2ʸ), ∂/∂y = 2ʸ/(2ˣ + 2ʸ).")

# --------------------------------------------------------------------- powers and roots
square_p = elementwise("square", np.square, (lambda x, ans: 2 * x,), Math("{0}²", ("2{0}",)), _unary_samples(),
                       complex_rules=True)
square = function_of(square_p, "x².   d/dx x² = 2x.")

reciprocal_p = elementwise(
    "reciprocal", np.reciprocal, (lambda x, ans: -(ans * ans),), Math("1/{0}", ("−1/{0}²",)),
    lambda rng: samples.away_from_zero(*_UNARY)(rng) + samples.complex_uniform((3,), low=0.5)(rng), complex_rules=True)
reciprocal = function_of(reciprocal_p, "1/x.   d/dx (1/x) = −1/x².")

cbrt_p = elementwise("cbrt", np.cbrt, (Over(lambda x, ans: 3 * ans * ans),), Math("∛{0}", ("1/(3 ∛{0}²)",)),
                     samples.away_from_zero(*_UNARY))
cbrt = function_of(cbrt_p, "The real cube root ∛x (negative for x < 0).   d/dx ∛x = 1/(3 ∛x²).")


def _hypot_partial(own):
    """∂ hypot(x, y)/∂x = x / hypot(x, y), taken as 0 at the origin (as |x|′ at 0)."""
    def partial(x, y, ans):
        return own(x, y) / where(ans == 0, 1, ans)
    return partial


hypot_p = elementwise(
    "hypot", np.hypot, (_hypot_partial(lambda x, y: x), _hypot_partial(lambda x, y: y)),
    Math("√({0}² + {1}²)", ("{0}/√({0}² + {1}²)", "{1}/√({0}² + {1}²)")),
    samples.away_from_zero(*samples.BINARY))
hypot = function_of(hypot_p, "√(x² + y²), without overflow.   "
                             "∂/∂x = x/√(x² + y²), ∂/∂y = y/√(x² + y²) (0 at the origin).")


# ------------------------------------------------------------------------------- sinc
def _sinc_derivative_impl(x, order):
    """The ``order``-th derivative of sinc x = sin(πx)/(πx), from s(u) = sin(u)/u with u = πx:

    near 0 (|u| < 2) the Taylor series s⁽ᵏ⁾(u) = Σ_{2n ≥ k} (−1)ⁿ (2n)! / ((2n − k)! (2n + 1)!) u^(2n − k);
    elsewhere Leibniz's rule s⁽ᵏ⁾(u) = Σ_j C(k, j) sin(u + jπ/2) (−1)^(k−j) (k − j)! / u^(k−j+1).
    """
    dtype = np.result_type(x.dtype, np.float32)
    u = np.pi * x.astype(np.result_type(dtype, np.float64))  # in double precision, returned in x's
    small = np.abs(u) < 2
    near_u = np.where(small, u, 0)
    near = np.zeros_like(u)
    for n in range((order + 1) // 2, (order + 1) // 2 + 30):
        coefficient = (-1) ** n * math.factorial(2 * n) / (math.factorial(2 * n - order) * math.factorial(2 * n + 1))
        near = near + coefficient * near_u ** (2 * n - order)
    far_u = np.where(small, 2, u)
    far = np.zeros_like(u)
    for j in range(order + 1):
        far = far + (math.comb(order, j) * (-1) ** (order - j) * math.factorial(order - j)
                     * np.sin(far_u + j * np.pi / 2) / far_u ** (order - j + 1))
    return (np.pi ** order * np.where(small, near, far)).astype(dtype, copy=False)


sinc_derivative_p = elementwise(
    "sinc_derivative", _sinc_derivative_impl, (lambda x, ans, order: sinc_derivative(x, order + 1),),
    Math("sinc⁽ᵏ⁾({0})", ("sinc⁽ᵏ⁺¹⁾({0})",)),
    lambda rng: [((rng.uniform(-1.5, 1.5, (7,)),), {"order": 1}), ((rng.uniform(-1.5, 1.5, (3,)),), {"order": 3}),
                 ((rng.uniform(-0.4, 0.4, (3,)) + 1j * rng.uniform(-0.4, 0.4, (3,)),), {"order": 2})],
    complex_rules=True)


def sinc_derivative(x, order):
    """The ``order``-th derivative of sinc at x (order ≥ 1).   d/dx sinc⁽ᵏ⁾ x = sinc⁽ᵏ⁺¹⁾ x."""
    return bind(sinc_derivative_p, x, order=order)


sinc_p = elementwise("sinc", np.sinc, (lambda x, ans: sinc_derivative(x, 1),), Math("sinc {0}", ("sinc′({0})",)),
                     lambda rng: [((rng.uniform(-1.5, 1.5, (7,)),), {}), ((np.array([0.0, 0.25, -2.5]),), {}),
                                  ((rng.uniform(-0.4, 0.4, (3,)) + 1j * rng.uniform(-0.4, 0.4, (3,)),), {})],
                     complex_rules=True)
sinc = function_of(sinc_p, "The normalized sinc x = sin(πx)/(πx), 1 at 0.   "
                           "d/dx sinc x = (cos(πx) − sinc x)/x, 0 at 0.")


# -------------------------------------------------------------------------- angle units
_DEGREES_PER_RADIAN = 180.0 / math.pi


def degrees(x):
    """x radians in degrees, x·180/π (also ``rad2deg``).   d/dx = 180/π."""
    return x * _DEGREES_PER_RADIAN


def radians(x):
    """x degrees in radians, x·π/180 (also ``deg2rad``).   d/dx = π/180."""
    return x / _DEGREES_PER_RADIAN


rad2deg, deg2rad = degrees, radians
