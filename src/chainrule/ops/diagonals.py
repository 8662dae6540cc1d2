"""The diagonal structure of matrices: diagonal, trace, diag, diagflat, tril, triu.

An (n, m) matrix flattened in C order has its k-th diagonal at a stride of m + 1 from
position k (or |k|·m below the main one), so ``diagonal`` is a basic slice of the
flattened matrix and ``diag`` of a vector writes the vector into that slice: each is
the other's transpose, and neither copies more than the diagonal. ``tril``/``triu``
keep a triangle through ``where`` with a constant mask.
"""

import numpy as np

from ..core.errors import ShapeError
from .elementwise import astype, where
from .indexing import getitem, scatter_add
from .rearrange import moveaxis
from .shape import reshape


def _diagonal_slice(n, m, offset):
    """The slice of a flattened (n, m) matrix that holds its ``offset``-th diagonal."""
    length = max(0, min(n, m - offset)) if offset >= 0 else max(0, min(n + offset, m))
    start = offset if offset >= 0 else -offset * m
    if length == 0:
        return slice(0, 0)
    return slice(start, start + (length - 1) * (m + 1) + 1, m + 1)


def diagonal(x, offset=0, axis1=0, axis2=1):
    """The ``offset``-th diagonal of the matrices in axes (axis1, axis2), as a last axis (``np.diagonal``).

    VJP: the cotangent written back onto the diagonal of zeros.
    """
    ndim = np.ndim(x)
    if ndim < 2:
        raise ValueError(f"diagonal: needs an array of at least 2 dimensions, got shape {np.shape(x)}")
    a1, a2 = (int(a) % ndim if -ndim <= a < ndim else None for a in (axis1, axis2))
    if a1 is None or a2 is None or a1 == a2:
        raise ShapeError(f"diagonal: axis1={axis1} and axis2={axis2} must be two different axes of shape {np.shape(x)}")
    moved = moveaxis(x, (a1, a2), (-2, -1))
    *lead, n, m = np.shape(moved)
    flat = reshape(moved, tuple(lead) + (n * m,))
    return getitem(flat, (Ellipsis, _diagonal_slice(n, m, int(offset))))


def trace(x, offset=0, axis1=0, axis2=1, dtype=None):
    """Σ of the ``offset``-th diagonal, as ``np.trace``.   ∂/∂x = the identity (shifted by offset)."""
    if dtype is not None:
        x = astype(x, dtype)
    return diagonal(x, offset, axis1, axis2).sum(axis=-1)


def diag(v, k=0):
    """The ``k``-th diagonal of a matrix, or the square matrix with vector v on its ``k``-th diagonal (``np.diag``)."""
    ndim = np.ndim(v)
    if ndim == 2:
        return diagonal(v, k)
    if ndim != 1:
        raise ValueError(f"diag: input must be 1-D or 2-D, got shape {np.shape(v)}")
    size = np.shape(v)[0] + abs(int(k))
    flat = scatter_add(v, (size * size,), _diagonal_slice(size, size, int(k)))
    return reshape(flat, (size, size))


def diagflat(v, k=0):
    """The square matrix with the flattened v on its ``k``-th diagonal (``np.diagflat``)."""
    return diag(reshape(v, (-1,)), k)


def _triangle(x, k, lower, name):
    shape = np.shape(x)
    if len(shape) < 1:
        raise ValueError(f"{name}: needs an array of at least 1 dimension")
    n, m = shape[-2:] if len(shape) >= 2 else (shape[-1], shape[-1])
    below = np.tri(n, m, int(k) if lower else int(k) - 1, dtype=bool)
    return where(below if lower else ~below, x, 0)


def tril(x, k=0):
    """The lower triangle of the matrices in the last two axes (below the ``k``-th diagonal set to 0)."""
    return _triangle(x, k, True, "tril")


def triu(x, k=0):
    """The upper triangle of the matrices in the last two axes (above the ``k``-th diagonal set to 0)."""
    return _triangle(x, k, False, "triu")
