"""Elementwise functions under NumPy's (ufunc) names: ``np.exp``, ``np.subtract``, ``np.absolute`` …

Each is chainrule's public function of the same op (Python data becomes tensors,
Python numbers stay weak, the result is a Tensor). The few that NumPy defines by
composition (``nan_to_num``, ``float_power``, ``heaviside`` …) are composed here from
those ops, so they differentiate wherever the ops do.
"""

import numpy as np

from .. import ops
from ..api.names import public_functions
from ._adapt import operand, refuse_out

_PUBLIC = public_functions()

exp, log, log1p, sqrt = _PUBLIC["exp"], _PUBLIC["log"], _PUBLIC["log1p"], _PUBLIC["sqrt"]
sin, cos, tan, tanh = _PUBLIC["sin"], _PUBLIC["cos"], _PUBLIC["tan"], _PUBLIC["tanh"]
absolute = abs = _PUBLIC["abs"]  # noqa: A001
sign = _PUBLIC["sign"]
add, subtract, multiply = _PUBLIC["add"], _PUBLIC["sub"], _PUBLIC["mul"]
divide = true_divide = _PUBLIC["div"]
negative, power = _PUBLIC["neg"], _PUBLIC["power"]
maximum, minimum, matmul = _PUBLIC["maximum"], _PUBLIC["minimum"], _PUBLIC["matmul"]
equal, not_equal, less, less_equal = _PUBLIC["equal"], _PUBLIC["not_equal"], _PUBLIC["less"], _PUBLIC["less_equal"]
greater, greater_equal = _PUBLIC["greater"], _PUBLIC["greater_equal"]
logical_and, logical_or, logical_not = _PUBLIC["logical_and"], _PUBLIC["logical_or"], _PUBLIC["logical_not"]
isfinite, isnan, isinf = _PUBLIC["isfinite"], _PUBLIC["isnan"], _PUBLIC["isinf"]

sinh, cosh = _PUBLIC["sinh"], _PUBLIC["cosh"]
arcsin, arccos, arctan, arctan2 = _PUBLIC["arcsin"], _PUBLIC["arccos"], _PUBLIC["arctan"], _PUBLIC["arctan2"]
arcsinh, arccosh, arctanh = _PUBLIC["arcsinh"], _PUBLIC["arccosh"], _PUBLIC["arctanh"]
log2, log10, expm1, exp2 = _PUBLIC["log2"], _PUBLIC["log10"], _PUBLIC["expm1"], _PUBLIC["exp2"]
logaddexp, logaddexp2, hypot = _PUBLIC["logaddexp"], _PUBLIC["logaddexp2"], _PUBLIC["hypot"]
sinc, square, reciprocal, cbrt = _PUBLIC["sinc"], _PUBLIC["square"], _PUBLIC["reciprocal"], _PUBLIC["cbrt"]
fmax, fmin = _PUBLIC["fmax"], _PUBLIC["fmin"]
degrees, radians, deg2rad, rad2deg = _PUBLIC["degrees"], _PUBLIC["radians"], _PUBLIC["deg2rad"], _PUBLIC["rad2deg"]
floor, ceil, trunc, rint, fix = _PUBLIC["floor"], _PUBLIC["ceil"], _PUBLIC["trunc"], _PUBLIC["rint"], _PUBLIC["fix"]
floor_divide, remainder, mod, fmod = _PUBLIC["floor_divide"], _PUBLIC["remainder"], _PUBLIC["mod"], _PUBLIC["fmod"]


def round(a, decimals=0, out=None):  # noqa: A001 (NumPy's name)
    """``a`` rounded to ``decimals`` decimal places, halves to even.   d/da = 0."""
    refuse_out("round", out)
    return ops.round(operand(a), decimals)


around = round


def positive(x, /):
    """+x, a new tensor (the gradient passes through unchanged)."""
    return ops.mul(operand(x), 1)


def fabs(x, /):
    """|x| for real x (NumPy's ``fabs`` refuses complex numbers; ``abs`` takes them)."""
    x = operand(x)
    if x.dtype.kind == "c":
        raise TypeError("numpy.fabs: not supported for complex input; use np.abs")
    return ops.abs(x)


def float_power(x1, x2, /):
    """x1 ** x2 computed in float64 (complex128 for complex operands), as NumPy's ``float_power``."""
    a, b = operand(x1), operand(x2)
    wide = np.complex128 if "c" in (a.dtype.kind, b.dtype.kind) else np.float64
    return ops.power(ops.astype(a, wide), ops.astype(b, wide))


def divmod(x1, x2, /):  # noqa: A001 (NumPy's name)
    """``(floor_divide(x1, x2), remainder(x1, x2))``."""
    return floor_divide(x1, x2), remainder(x1, x2)


def modf(x, /):
    """``(fractional part, integral part)`` of x, both with x's sign.   The fractional part has gradient 1."""
    x = operand(x)
    whole = ops.trunc(x)
    return x - whole, whole


def heaviside(x1, x2, /):
    """0 for x1 < 0, x2 where x1 = 0, 1 for x1 > 0.   ∂/∂x1 = 0, ∂/∂x2 = 1[x1 = 0]."""
    x1, x2 = operand(x1), operand(x2)
    step = ops.astype(ops.greater(x1, 0), np.result_type(x1.dtype, x2.dtype))
    return ops.where(ops.equal(x1, 0), x2, step)


def copysign(x1, x2, /):
    """|x1| with the sign of x2 (its sign bit: −0.0 counts as negative).   ∂/∂x1 = sign(x1)·(±1), ∂/∂x2 = 0."""
    magnitude = ops.abs(operand(x1))
    return ops.where(ops.signbit(operand(x2)), -magnitude, magnitude)


def signbit(x, /):
    """Whether the sign bit is set (x < 0, or −0.0), boolean."""
    return ops.signbit(operand(x))


def logical_xor(x1, x2, /):
    """Whether exactly one of x1, x2 is true (elementwise), boolean."""
    return ops.not_equal(ops.astype(operand(x1), bool), ops.astype(operand(x2), bool))


def nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None):
    """x with NaN replaced by ``nan``, +inf by ``posinf`` and −inf by ``neginf`` (by default the largest
    finite numbers of x's dtype); real and imaginary parts separately for complex x.

    The gradient is 1 at the finite elements and 0 at the replaced ones.
    """
    x = operand(x)
    if x.dtype.kind == "c":
        real = nan_to_num(ops.real(x), copy, nan, posinf, neginf)
        imag = nan_to_num(ops.imag(x), copy, nan, posinf, neginf)
        return real + imag * 1j
    if x.dtype.kind != "f":
        return x
    largest = np.finfo(x.dtype).max
    x = ops.where(ops.isnan(x), nan, x)
    x = ops.where(ops.equal(x, np.inf), largest if posinf is None else posinf, x)
    return ops.where(ops.equal(x, -np.inf), -largest if neginf is None else neginf, x)


acos, acosh, asin, asinh = arccos, arccosh, arcsin, arcsinh  # the array API's names
atan, atanh, atan2 = arctan, arctanh, arctan2
pow = power  # noqa: A001


def ldexp(x1, x2, /):
    """x1 · 2^x2 for integer x2.   ∂/∂x1 = 2^x2."""
    mantissa = operand(x1)
    if mantissa.dtype.kind not in "fc":
        mantissa = ops.astype(mantissa, np.float64)
    return ops.mul(mantissa, ops.exp2(ops.astype(operand(x2), mantissa.dtype)))
