"""Rounding and the rounded quotients: floor, ceil, trunc, rint, round; floor_divide, remainder, fmod.

Rounding is flat between the integers it jumps at, so its derivative is 0 almost
everywhere — the gradient is zero, as in PyTorch and JAX (``ZERO`` partials: no
cotangent is ever computed for them). The remainders are x minus a rounded multiple of
y, so they pass x's cotangent on unchanged and give y the rounded quotient's negative:

    remainder(x, y) = x − ⌊x/y⌋·y      ∂/∂x = 1, ∂/∂y = −⌊x/y⌋   (Python's %, the sign of y)
    fmod(x, y)      = x − trunc(x/y)·y  ∂/∂x = 1, ∂/∂y = −trunc(x/y)   (C's fmod, the sign of x)
"""

import numpy as np

from ..core.bind import bind
from . import samples
from .declare import ONE, ZERO, Math, elementwise, function_of

_UNARY = samples.uniform(*[(s,) for s in samples.UNARY], low=-3.0, high=3.0)


def _rounding(name, impl, definition, doc, complex_rules=False):
    prim = elementwise(name, impl, (ZERO,), Math(definition, (ZERO,)), _UNARY, complex_rules=complex_rules)
    return prim, function_of(prim, doc + "   d/dx = 0: the gradient is zero, as in PyTorch and JAX.")


floor_p, floor = _rounding("floor", np.floor, "⌊{0}⌋", "The largest integer ≤ x.")
ceil_p, ceil = _rounding("ceil", np.ceil, "⌈{0}⌉", "The smallest integer ≥ x.")
trunc_p, trunc = _rounding("trunc", np.trunc, "trunc {0}", "x rounded toward zero.")
rint_p, rint = _rounding("rint", np.rint, "rint {0}", "x rounded to the nearest integer (halves to even).",
                         complex_rules=True)


def fix(x):
    """x rounded toward zero (NumPy's ``fix``, the same as ``trunc``).   d/dx = 0."""
    return trunc(x)


def _round_impl(x, decimals):
    return np.round(x, decimals)


round_p = elementwise("round", _round_impl, (ZERO,), Math("round({0})", (ZERO,)),
                      samples.uniform(((3,),), ((2, 3),), low=-3.0, high=3.0, params={"decimals": 1}),
                      complex_rules=True)


def round(x, decimals=0):  # noqa: A001 (NumPy's name)
    """x rounded to ``decimals`` decimal places, halves to even (NumPy's ``round``/``around``).

    d/dx = 0: the gradient is zero, as in PyTorch and JAX.
    """
    return bind(round_p, x, decimals=int(decimals))


around = round

# -------------------------------------------------------------------- rounded quotients
_QUOTIENT_SAMPLES = samples.away_from_zero(((2, 3), (2, 3)), ((2, 3), (3,)), ((), (2,)))

floor_divide_p = elementwise("floor_divide", np.floor_divide, (ZERO, ZERO), Math("⌊{0} / {1}⌋", (ZERO, ZERO)),
                             _QUOTIENT_SAMPLES)
floor_divide = function_of(floor_divide_p, "⌊x / y⌋ (Python's //).   ∂/∂x = ∂/∂y = 0: the gradient is zero.")

remainder_p = elementwise("remainder", np.remainder, (ONE, lambda x, y, ans: -floor_divide(x, y)),
                          Math("{0} mod {1}", (ONE, "−⌊{0} / {1}⌋")), _QUOTIENT_SAMPLES)
remainder = function_of(remainder_p, "x − ⌊x/y⌋·y, with the sign of y (Python's %).   ∂/∂x = 1, ∂/∂y = −⌊x/y⌋.")
mod = remainder

fmod_p = elementwise("fmod", np.fmod, (ONE, lambda x, y, ans: -trunc(x / y)),
                     Math("fmod({0}, {1})", (ONE, "−trunc({0} / {1})")), _QUOTIENT_SAMPLES)
fmod = function_of(fmod_p, "x − trunc(x/y)·y, with the sign of x (C's fmod).   ∂/∂x = 1, ∂/∂y = −trunc(x/y).")
