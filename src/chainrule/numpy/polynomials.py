"""Polynomials as coefficient sequences (highest power first), with NumPy's signatures: polyval, polyadd,
polysub, polymul, polyder, polyint, poly, vander.

All are compositions of products and sums (polymul is ``convolve``), so they differentiate in the
coefficients and in the points. Fitting and roots (``polyfit``, ``roots``) need linear algebra.
"""

import numpy as np

from .. import ops
from ._adapt import operand
from .signals import convolve


def _coefficients(p, name):
    p = ops.atleast_1d(operand(p))
    if p.ndim != 1:
        raise ValueError(f"numpy.{name}: the coefficients must be 1-D, got shape {p.shape}")
    return p


def polyval(p, x):
    """p[0]·x^(n−1) + … + p[n−1] at x, by Horner's rule."""
    p, x = _coefficients(p, "polyval"), operand(x)
    value = ops.zeros_like(x) if p.shape[0] == 0 else ops.broadcast_to(p[0], x.shape) * 1
    for k in range(1, p.shape[0]):
        value = value * x + p[k]
    return value


def _aligned(a1, a2, name):
    a1, a2 = _coefficients(a1, name), _coefficients(a2, name)
    width = max(a1.shape[0], a2.shape[0])
    return (ops.pad(a1, ((width - a1.shape[0], 0),)), ops.pad(a2, ((width - a2.shape[0], 0),)))


def polyadd(a1, a2):
    """The sum of two polynomials."""
    first, second = _aligned(a1, a2, "polyadd")
    return first + second


def polysub(a1, a2):
    """The difference of two polynomials."""
    first, second = _aligned(a1, a2, "polysub")
    return first - second


def polymul(a1, a2):
    """The product of two polynomials (the convolution of their coefficients)."""
    return convolve(_coefficients(a1, "polymul"), _coefficients(a2, "polymul"))


def polyder(p, m=1):
    """The ``m``-th derivative of a polynomial."""
    p = _coefficients(p, "polyder")
    if m < 0:
        raise ValueError("numpy.polyder: order of derivative must be positive (see polyint)")
    for _ in range(m):
        p = p[:-1] * np.arange(p.shape[0] - 1, 0, -1)
    return p


def polyint(p, m=1, k=None):
    """The ``m``-th antiderivative of a polynomial, with integration constants ``k`` (0 by default)."""
    p = _coefficients(p, "polyint")
    if m < 0:
        raise ValueError("numpy.polyint: order of integral must be positive (see polyder)")
    constants = operand(np.zeros(m) if k is None else k)
    constants = ops.broadcast_to(ops.atleast_1d(constants), (m,))
    for i in range(m):
        n = p.shape[0]
        p = ops.concatenate([p / np.arange(n, 0, -1), ops.astype(constants[i:i + 1], np.result_type(p.dtype, 1.0))])
    return p


def poly(seq_of_zeros):
    """The coefficients of the monic polynomial with the given roots (1-D roots only; a matrix's
    characteristic polynomial needs its eigenvalues)."""
    roots = ops.atleast_1d(operand(seq_of_zeros))
    if roots.ndim != 1:
        raise ValueError("numpy.poly: chainrule computes polynomials from 1-D roots only")
    dtype = np.result_type(roots.dtype, np.float64)
    roots = ops.astype(roots, dtype)
    coefficients = ops.ones((1,), dtype=dtype)
    for i in range(roots.shape[0]):
        coefficients = convolve(coefficients, ops.concatenate([ops.ones((1,), dtype=dtype), -roots[i:i + 1]]))
    return coefficients


def vander(x, N=None, increasing=False):  # noqa: N803 (NumPy's name)
    """The Vandermonde matrix: columns x^(N−1), …, x, 1 (or increasing powers)."""
    x = operand(x)
    if x.ndim != 1:
        raise ValueError("numpy.vander: x must be a one-dimensional array or sequence")
    n = x.shape[0] if N is None else int(N)
    powers = np.arange(n) if increasing else np.arange(n - 1, -1, -1)
    if n == 0:
        return ops.zeros((x.shape[0], 0), dtype=x.dtype)
    return ops.power(ops.reshape(x, (-1, 1)), powers.astype(x.dtype if x.dtype.kind in "fc" else np.int64))
