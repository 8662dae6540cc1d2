"""Complex numbers, with NumPy's signatures: real, imag, conj, conjugate, angle, real_if_close.

In JAX's convention (chainrule's for transforms), the cotangent of z = x + iy is
∂L/∂x − i·∂L/∂y; ``real``, ``imag`` and ``conj`` have rules in that convention, and
``angle`` is arctan2(Im z, Re z) composed from them.
"""

import numpy as np

from .. import ops
from ._adapt import concrete, operand


def real(val):
    """The real part (the tensor itself for real input)."""
    x = operand(val)
    return x if x.dtype.kind != "c" else ops.real(x)


def imag(val):
    """The imaginary part (zeros for real input)."""
    return ops.imag(operand(val))


def conj(x, /):
    """The complex conjugate (the tensor itself for real input)."""
    return ops.conj(operand(x))


conjugate = conj


def angle(z, deg=False):
    """The argument of z, arctan2(Im z, Re z), in radians (degrees with ``deg``).

    For z = x + iy: ∂/∂x = −y/|z|², ∂/∂y = x/|z|².
    """
    z = operand(z)
    if z.dtype.kind == "c":
        result = ops.arctan2(ops.imag(z), ops.real(z))
    else:
        result = ops.arctan2(ops.mul(z, 0), z)
    if result.dtype.kind not in "fc":
        result = ops.astype(result, np.float64)
    return ops.degrees(result) if deg else result


def real_if_close(a, tol=100):
    """The real part of ``a`` if every imaginary part is within ``tol`` machine epsilons of 0, else ``a``."""
    x = operand(a)
    if x.dtype.kind != "c":
        return x
    limit = tol * np.finfo(x.dtype).eps if tol > 1 else tol
    if np.all(np.abs(concrete(x, "real_if_close").imag) < limit):
        return ops.real(x)
    return x
