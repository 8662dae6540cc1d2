"""Matrix helpers shared by the linear-algebra primitives' rules: transposes, triangles,
diagonals, the Hermitian matrix a solver reads from one triangle, and the packing of a
decomposition's several outputs into one array.

Everything here is a composition of chainrule ops on the last two axes (stacks of matrices
broadcast over the leading ones), so the rules built from it run on arrays, tensors and
tracers and are differentiable again.

Triangle readers. LAPACK's Hermitian solvers (``cholesky``, ``eigh``, ``eigvalsh``) read one
triangle of their argument and take the rest from Hermitian symmetry — the imaginary part of
the diagonal is never read. Such an op is a function of

    H(A) = tril(A, −1) + tril(A, −1)ᴴ + Re diag(A)        (lower triangle; upper: triu(A, 1))

and its cotangent is the adjoint of H applied to the cotangent C of the Hermitian matrix:

    Hᵀ(C) = tril(C + Cᴴ, −1) + Re diag(C)

(an off-diagonal entry A_ij is read twice, at (i, j) and conjugated at (j, i)). So the rules of
these primitives differentiate exactly what NumPy computes: an entry of the unread triangle
gets a zero gradient, as finite differences of ``np.linalg.cholesky`` show.
"""

import numpy as np

from ..core.errors import ShapeError
from ..core.tensor import array_of
from .elementwise import conj, mul, real, where
from .linalg import einsum
from .shape import concatenate, reshape


def check_square(name, a):
    """Refuse anything but a stack of square matrices, naming the function and the shape."""
    shape = np.shape(a)
    if len(shape) < 2 or shape[-1] != shape[-2]:
        raise ShapeError(f"{name}: expected a square matrix or a stack of them, shape (..., n, n), got shape {shape}")


def check_matrix(name, a):
    shape = np.shape(a)
    if len(shape) < 2:
        raise ShapeError(f"{name}: expected a matrix or a stack of them, shape (..., m, n), got shape {shape}")


def mT(x):  # noqa: N802 (the array API's name)
    """The transpose of the last two axes."""
    return x.swapaxes(-1, -2)


def mH(x):  # noqa: N802
    """The conjugate transpose of the last two axes (the transpose for real x)."""
    return conj(x.swapaxes(-1, -2))


def diagonal(x):
    """The diagonals of a stack of square matrices, shape (..., n)."""
    return einsum("...ii->...i", x)


def trace(x):
    """tr X for a stack of square matrices."""
    return einsum("...ii->...", x)


def diag_embed(v):
    """The stack of diagonal matrices with diagonals v (shape (..., n) -> (..., n, n))."""
    n = v.shape[-1]
    return mul(v[..., None, :], np.eye(n, dtype=v.dtype, like=array_of(v)))


def triangle_mask(n, lower, strict, like):
    """The boolean (n, n) mask of the lower (or upper) triangle, with or without the diagonal, on
    the device of ``like``."""
    ones = np.ones((n, n), dtype=bool, like=array_of(like))
    if lower:
        return np.tril(ones, -1 if strict else 0)
    return np.triu(ones, 1 if strict else 0)


def keep_triangle(x, lower, strict=False):
    """tril(x) (or triu(x)), with the diagonal unless ``strict``; named apart from NumPy's
    ``tril``/``triu``, which ``chainrule.numpy`` provides with their own signatures."""
    return where(triangle_mask(x.shape[-1], lower, strict, x), x, 0)


def hermitian_from_triangle(a, lower=True):
    """H(A): the Hermitian matrix a LAPACK solver reads from one triangle of A (module docstring)."""
    strict = keep_triangle(a, lower, strict=True)
    return strict + mH(strict) + diag_embed(real(diagonal(a)))


def triangle_cotangent(c, lower=True):
    """Hᵀ(C): the cotangent of A given the cotangent C of H(A) (module docstring)."""
    return keep_triangle(c + mH(c), lower, strict=True) + diag_embed(real(diagonal(c)))


def off_diagonal_reciprocal(d):
    """1/d off the diagonal of a stack of square matrices and 0 on it, written so that no
    derivative of it meets 1/0 on the diagonal."""
    eye = np.eye(d.shape[-1], dtype=bool, like=array_of(d))
    return where(eye, 0, 1 / where(eye, 1, d))


# ------------------------------------------------------------------- several outputs
def pack(arrays, lead):
    """Several results of one decomposition as one array (..., total): each flattened over its
    axes after the ``lead`` leading (batch) axes and joined along the last one. A primitive
    returns one array; ``unpack`` takes it (or its cotangent, or its tangent) apart."""
    return concatenate([reshape(a, a.shape[:lead] + (-1,)) for a in arrays], axis=-1)


def pack_arrays(arrays, lead):
    """``pack`` for the NumPy implementations: plain arrays in their common dtype."""
    dtype = np.result_type(*arrays)
    return np.concatenate([a.reshape(a.shape[:lead] + (-1,)).astype(dtype, copy=False) for a in arrays], axis=-1)


def unpack(packed, shapes):
    """The pieces of a packed value, ``shapes`` their core shapes (after the leading axes)."""
    lead = packed.shape[:-1]
    pieces, offset = [], 0
    for shape in shapes:
        size = int(np.prod(shape, dtype=int))
        pieces.append(reshape(packed[..., offset:offset + size], lead + tuple(shape)))
        offset += size
    return pieces
