"""Special functions (SciPy's implementations): erfc, erfinv, gammaln, polygamma (ψ⁽ⁿ⁾, digamma for
n = 0), xlogy, xlog1py, entr.

SciPy is imported when one of them is first evaluated, not when chainrule is imported.
Each derivative is again a function of this family, so every order is available:
d/dx ln Γ(x) = ψ(x), d/dx ψ⁽ⁿ⁾(x) = ψ⁽ⁿ⁺¹⁾(x), d/dx erfinv x = (√π/2) e^(erfinv(x)²).

xlogy(x, y) = x ln y is 0 where x = 0 (even at y = 0); its partials are ln y and x/y, the
latter taken as 0 where x = y = 0. entr(x) = −x ln x is 0 at 0 and −∞ for x < 0.
"""

import importlib
import math

import numpy as np

from ..core.bind import bind
from . import samples
from .declare import Math, elementwise, function_of
from .elementwise import exp, log, log1p, logical_and, where

_UNARY = [(s,) for s in samples.UNARY]
_TWO_OVER_SQRT_PI = 2 / math.sqrt(math.pi)


def scipy_special(name):
    """SciPy's ``scipy.special.<name>``, imported now; an error saying how to install SciPy without it."""
    try:
        return getattr(importlib.import_module("scipy.special"), name)
    except ImportError:
        raise ImportError(f"{name} needs SciPy, which is not installed; install it with "
                          f"`pip install scipy` (or chainrule[full])") from None


def _scipy_impl(name):
    def impl(*args):
        return scipy_special(name)(*args)
    impl.__name__ = name
    return impl


erfc_p = elementwise("erfc", _scipy_impl("erfc"), (lambda x, ans: -_TWO_OVER_SQRT_PI * exp(-(x * x)),),
                     Math("erfc {0}", ("−(2/√π) exp(−{0}²)",)),
                     lambda rng: samples.uniform(*_UNARY)(rng) + samples.complex_uniform((3,), low=-1.0, high=1.0)(rng),
                     complex_rules=True)
erfc = function_of(erfc_p, "The complementary error function 1 − erf x, accurate for large x.   "
                           "d/dx erfc x = −(2/√π) e^(−x²).")

erfinv_p = elementwise("erfinv", _scipy_impl("erfinv"), (lambda x, ans: (math.sqrt(math.pi) / 2) * exp(ans * ans),),
                       Math("erf⁻¹ {0}", ("(√π/2) exp((erf⁻¹ {0})²)",)), samples.uniform(*_UNARY, low=-0.9, high=0.9))
erfinv = function_of(erfinv_p, "The inverse error function, for x in (−1, 1).   d/dx erf⁻¹ x = (√π/2) e^((erf⁻¹ x)²).")


def _polygamma_impl(x, n):
    """ψ⁽ⁿ⁾(x) = (−1)ⁿ⁺¹ n! ζ(n + 1, x) for n ≥ 1 (SciPy's own formula), ψ itself for n = 0: SciPy's
    ufuncs, which run on any array type with NumPy's dispatch protocols."""
    if n == 0:
        return scipy_special("psi")(x)
    return (-1) ** (n + 1) * math.factorial(n) * scipy_special("zeta")(float(n + 1), x)


polygamma_p = elementwise("polygamma", _polygamma_impl, (lambda x, ans, n: polygamma(n + 1, x),),
                          Math("ψ⁽ⁿ⁾({0})", ("ψ⁽ⁿ⁺¹⁾({0})",)),
                          lambda rng: [((rng.uniform(0.5, 3.0, (3,)),), {"n": 0}),
                                       ((rng.uniform(0.5, 3.0, (2, 3)),), {"n": 1}),
                                       ((rng.uniform(-2.9, -2.1, (3,)),), {"n": 2})])


def polygamma(n, x):
    """ψ⁽ⁿ⁾(x), the n-th derivative of the digamma function ψ = (ln Γ)′ (n ≥ 0 a fixed integer).

    d/dx ψ⁽ⁿ⁾(x) = ψ⁽ⁿ⁺¹⁾(x).
    """
    if int(n) != n or n < 0:
        raise ValueError(f"polygamma: n must be a non-negative integer, got {n!r}")
    return bind(polygamma_p, x, n=int(n))


def digamma(x):
    """ψ(x) = d/dx ln Γ(x).   d/dx ψ(x) = ψ′(x) (polygamma(1, x))."""
    return polygamma(0, x)


gammaln_p = elementwise("gammaln", _scipy_impl("gammaln"), (lambda x, ans: digamma(x),),
                        Math("ln |Γ({0})|", ("ψ({0})",)),
                        lambda rng: samples.uniform(*_UNARY, low=0.3, high=4.0)(rng)
                        + [((rng.uniform(-1.9, -1.1, (3,)),), {})])
gammaln = function_of(gammaln_p, "ln |Γ(x)|.   d/dx ln |Γ(x)| = ψ(x), the digamma function.")


def _x_over_y(x, y):
    """x / y, taken as 0 where x = y = 0."""
    both_zero = logical_and(x == 0, y == 0)
    return x / where(both_zero, 1, y)


xlogy_p = elementwise("xlogy", _scipy_impl("xlogy"), (lambda x, y, ans: log(y), lambda x, y, ans: _x_over_y(x, y)),
                      Math("{0} ln {1}", ("ln {1}", "{0}/{1}")),
                      lambda rng: samples.uniform(((2, 3), (2, 3)), ((3,), (2, 3)), low=0.3, high=2.0)(rng)
                      + [((np.array([0.0, 0.7, 1.3]), rng.uniform(0.3, 2.0, (3,))), {})])
xlogy = function_of(xlogy_p, "x·ln y, 0 where x = 0.   ∂/∂x = ln y, ∂/∂y = x/y (0 where x = y = 0).")

xlog1py_p = elementwise("xlog1py", _scipy_impl("xlog1py"),
                        (lambda x, y, ans: log1p(y), lambda x, y, ans: _x_over_y(x, 1 + y)),
                        Math("{0} ln(1 + {1})", ("ln(1 + {1})", "{0}/(1 + {1})")),
                        lambda rng: samples.uniform(((2, 3), (2, 3)), ((3,), (2, 3)), low=-0.5, high=2.0)(rng)
                        + [((np.array([0.0, 0.7, 1.3]), rng.uniform(-0.5, 2.0, (3,))), {})])
xlog1py = function_of(xlog1py_p, "x·ln(1 + y), 0 where x = 0.   ∂/∂x = ln(1 + y), ∂/∂y = x/(1 + y).")


def _entr_partial(x, ans):
    """d/dx (−x ln x) = −(1 + ln x) for x > 0; +∞ at 0; 0 for x < 0 (where entr is the constant −∞)."""
    positive = x > 0
    return where(positive, -(1 + log(where(positive, x, 1))), where(x == 0, np.inf, 0))


entr_p = elementwise("entr", _scipy_impl("entr"), (_entr_partial,), Math("−{0} ln {0}", ("−(1 + ln {0})",)),
                     samples.uniform(*_UNARY, low=0.2, high=3.0))
entr = function_of(entr_p, "−x ln x for x > 0, 0 at 0, −∞ below.   d/dx = −(1 + ln x).")

