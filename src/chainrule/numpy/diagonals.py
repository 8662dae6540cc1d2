"""Diagonals and triangles of matrices, with NumPy's signatures: diagonal, trace, diag, diagflat, tril, triu."""

from .. import ops
from ._adapt import operand, refuse_out


def diagonal(a, offset=0, axis1=0, axis2=1):
    """The ``offset``-th diagonal of the matrices in (axis1, axis2), as a last axis."""
    return ops.diagonal(operand(a), offset, axis1, axis2)


def trace(a, offset=0, axis1=0, axis2=1, dtype=None, out=None):
    """Σ of the ``offset``-th diagonal.   ∂/∂a = the identity (shifted by offset)."""
    refuse_out("trace", out)
    return ops.trace(operand(a), offset, axis1, axis2, dtype)


def diag(v, k=0):
    """The ``k``-th diagonal of a matrix, or the matrix with vector v on its ``k``-th diagonal."""
    return ops.diag(operand(v), k)


def diagflat(v, k=0):
    """The matrix with the flattened v on its ``k``-th diagonal."""
    return ops.diagflat(operand(v), k)


def tril(m, k=0):
    """The lower triangle: elements above the ``k``-th diagonal set to 0."""
    return ops.tril(operand(m), k)


def triu(m, k=0):
    """The upper triangle: elements below the ``k``-th diagonal set to 0."""
    return ops.triu(operand(m), k)
