"""``chainrule.numpy.linalg``: NumPy's linear algebra, differentiable, returning Tensors.

Names, signatures, defaults and results are NumPy's (2.x): decompositions return NumPy's
named tuples (``EighResult(eigenvalues, eigenvectors)``, ``SVDResult(U, S, Vh)``, …), every
function broadcasts over leading axes where NumPy's does, and a singular or non-positive-definite
matrix raises ``LinAlgError`` (a ``ValueError``) naming the function. The derivative rules are
the primitives' (``chainrule.ops.inverses`` and ``chainrule.ops.decompositions``, whose
docstrings give them in textbook notation); everything else here is a composition of ops.

Where a derivative is not defined, the rules say so rather than guess: eigenvectors and
singular vectors at repeated eigenvalues (singular values) have no derivative (inf/nan, as in
JAX and PyTorch); complex eigenvectors of ``eigh`` and singular vectors are unique only up to a
phase, so only functions that do not depend on it have meaningful gradients; the extra vectors
of ``svd(full_matrices=True)`` and ``qr(mode="complete")`` for non-square matrices are an
arbitrary basis and are held constant. ``norm`` and the 2-norm of a zero vector have gradient
0 (a subgradient, as PyTorch), not nan.
"""

import collections
import functools
import math

import numpy as np

from .. import ops
from ..core.errors import ShapeError
from ..core.tensor import array_of
from ..ops import decompositions, inverses
from ..ops.matrices import check_square, hermitian_from_triangle
from ._adapt import NO_VALUE, operand, refuse_out

LinAlgError = np.linalg.LinAlgError


class _FailedLinAlg(ShapeError, LinAlgError):
    """A singular or non-positive-definite matrix: catchable as NumPy's ``LinAlgError`` (and as
    chainrule's ``ShapeError``, both ``ValueError``s), with chainrule's message naming the op."""


def _linalg_errors(function):
    """NumPy's ``LinAlgError`` for the failures LAPACK reports (chainrule's op error wraps them)."""
    @functools.wraps(function)
    def checked(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except ShapeError as error:
            if isinstance(error.__cause__, LinAlgError) and not isinstance(error, LinAlgError):
                raise _FailedLinAlg(str(error)) from error.__cause__
            raise
    return checked

EigResult = collections.namedtuple("EigResult", "eigenvalues eigenvectors")
EighResult = collections.namedtuple("EighResult", "eigenvalues eigenvectors")
QRResult = collections.namedtuple("QRResult", "Q R")
SlogdetResult = collections.namedtuple("SlogdetResult", "sign logabsdet")
SVDResult = collections.namedtuple("SVDResult", "U S Vh")
"""NumPy's result types, field for field."""


def _floating(a):
    """An argument as a tensor of a floating (or complex) dtype: NumPy's linalg computes integers in float64."""
    x = operand(a)
    return x if x.dtype.kind in "fc" else ops.astype(x, np.float64)


def _uplo(name, UPLO):  # noqa: N803 (NumPy's name)
    if UPLO not in ("L", "U"):
        raise ValueError(f"{name}: UPLO must be 'L' or 'U', got {UPLO!r}")
    return UPLO == "L"


# ------------------------------------------------------------------- inverses, solves
@_linalg_errors
def inv(a):
    """The inverse A⁻¹ of a square matrix (or each of a stack).

    d(A⁻¹) = −A⁻¹ dA A⁻¹, so Ā = −A⁻ᵀ Ḡ A⁻ᵀ (plain transposes for complex A: inv is holomorphic).
    """
    return inverses.inv(_floating(a))


@_linalg_errors
def solve(a, b):
    """The solution x of A x = b; b is a vector (n,) or a stack of matrices (..., n, k), as in NumPy 2.

    dx = A⁻¹ (db − dA x), so b̄ = A⁻ᵀ ḡ (a solve with Aᵀ) and Ā = −b̄ xᵀ.
    """
    return inverses.solve(_floating(a), _floating(b))


@_linalg_errors
def det(a):
    """The determinant.   d det A = det A · tr(A⁻¹ dA), so Ā = ḡ det A · A⁻ᵀ (A must be invertible)."""
    return inverses.det(_floating(a))


@_linalg_errors
def slogdet(a):
    """``SlogdetResult(sign, logabsdet)``: det A = sign · exp(logabsdet), without overflow.

    d ln|det A| = Re tr(A⁻¹ dA); the sign of a real matrix is piecewise constant (derivative 0),
    that of a complex one moves by d sign = sign · i Im tr(A⁻¹ dA).
    """
    x = _floating(a)
    packed = inverses.slogdet(x)
    return SlogdetResult(packed[..., 0], ops.real(packed[..., 1]))


@_linalg_errors
def pinv(a, rcond=None, hermitian=False, *, rtol=NO_VALUE):
    """The Moore–Penrose pseudo-inverse A⁺, singular values below rcond·σ_max dropped (NumPy's defaults).

    dA⁺ = −A⁺ dA A⁺ + A⁺A⁺ᴴ dAᴴ (I − AA⁺) + (I − A⁺A) dAᴴ A⁺ᴴA⁺ — valid where no singular
    value crosses the cut-off. ``hermitian=True`` reads the lower triangle, as NumPy does.
    """
    x = _floating(a)
    if rcond is None:
        if rtol is NO_VALUE:
            rcond = 1e-15
        elif rtol is None:
            rcond = max(x.shape[-2:]) * np.finfo(x.dtype).eps
        else:
            rcond = rtol
    elif rtol is not NO_VALUE:
        raise ValueError("pinv: `rtol` and `rcond` can't be both set")
    return inverses.pinv(x, float(rcond) if np.ndim(rcond) == 0 else np.asarray(rcond), hermitian)


@_linalg_errors
def lstsq(a, b, rcond=None):
    """``(x, residuals, rank, s)``: the minimum-norm least-squares solution of a x ≈ b, as NumPy's.

    x = A⁺b is differentiated through the pseudo-inverse (b̄ = A⁺ᵀ x̄; Ā by pinv's rule for x̄ bᵀ);
    the residuals ‖b − A x‖² (given when rank = n < m, as NumPy) and the singular values s are
    differentiable too; the rank is an integer, read from the values (so it is fixed in a
    ``jit``-compiled function, as the shape of the residuals must be).
    """
    x_a, x_b = _floating(a), _floating(b)
    vector = x_b.ndim == 1
    solution = inverses.lstsq(x_a, x_b[:, None] if vector else x_b, rcond)
    if vector:
        solution = solution[:, 0]
    s = decompositions.svdvals(x_a)
    values = array_of(s)
    rank = int(np.sum(values > inverses.lstsq_rcond(x_a, rcond) * (values.max() if values.size else 0)))
    m, n = x_a.shape
    if rank == n and m > n:
        squares = _squared_magnitude(x_b - x_a @ solution)
        residuals = ops.reshape(ops.sum(squares), (1,)) if vector else ops.sum(squares, axis=0)
    else:
        residuals = operand(np.empty((0,), dtype=np.finfo(x_a.dtype).dtype))
    return solution, residuals, np.int32(rank), s


@_linalg_errors
def tensorinv(a, ind=2):
    """The inverse of a tensor seen as a square matrix (the first ``ind`` axes against the rest)."""
    x = _floating(a)
    if ind <= 0:
        raise ValueError(f"tensorinv: ind must be positive, got {ind}")
    rows = x.shape[:ind]
    columns = x.shape[ind:]
    size = math.prod(columns)
    if math.prod(rows) != size:
        raise ShapeError(f"tensorinv: the first {ind} axes {rows} and the rest {columns} of shape {x.shape} must "
                         f"hold as many elements for the tensor to be invertible")
    return ops.reshape(inverses.inv(ops.reshape(x, (size, size))), columns + rows)


@_linalg_errors
def tensorsolve(a, b, axes=None):
    """x with ``tensordot(a, x, axes=x.ndim) == b``, by reshaping to a square solve."""
    x_a, x_b = _floating(a), _floating(b)
    if axes is not None:
        order = [k for k in range(x_a.ndim) if k not in [ax % x_a.ndim for ax in axes]]
        x_a = ops.transpose(x_a, order + [ax % x_a.ndim for ax in axes])
    unknowns = x_a.shape[x_b.ndim:]
    size = math.prod(unknowns)
    if math.prod(x_a.shape[:x_b.ndim]) != size or x_a.shape[:x_b.ndim] != x_b.shape:
        raise ShapeError(f"tensorsolve: a of shape {x_a.shape} does not match b of shape {x_b.shape}: "
                         f"a's leading axes must be b's shape and hold as many elements as the rest")
    solution = inverses.solve(ops.reshape(x_a, (size, size)), ops.reshape(x_b, (size,)))
    return ops.reshape(solution, unknowns)


@_linalg_errors
def matrix_power(a, n):
    """A raised to the integer power n by repeated squaring (n < 0 inverts first, n = 0 gives I), as NumPy."""
    x = operand(a)
    check_square("matrix_power", x)
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool):
        raise TypeError(f"matrix_power: the exponent must be an integer, got {n!r}")
    if n == 0:
        return ops.broadcast_to(operand(np.eye(x.shape[-1], dtype=x.dtype)), x.shape)
    if n < 0:
        x, n = inv(x), -n
    square = result = None
    while n > 0:
        square = x if square is None else square @ square
        n, bit = divmod(n, 2)
        if bit:
            result = square if result is None else result @ square
    return result


@_linalg_errors
def multi_dot(arrays, *, out=None):
    """The product of two or more matrices, multiplied in the cheapest order (NumPy's choice);
    the first and last may be vectors."""
    refuse_out("linalg.multi_dot", out)
    arrays = [operand(a) for a in arrays]
    if len(arrays) < 2:
        raise ValueError("multi_dot: expecting at least two arrays")
    if len(arrays) == 2:
        return ops.dot(arrays[0], arrays[1])
    first_vector, last_vector = arrays[0].ndim == 1, arrays[-1].ndim == 1
    if first_vector:
        arrays[0] = arrays[0][None, :]
    if last_vector:
        arrays[-1] = arrays[-1][:, None]
    for a in arrays:
        if a.ndim != 2:
            raise ShapeError(f"multi_dot: every array but the first and last must be 2-D (those may be 1-D), "
                             f"got shapes {[tuple(x.shape) for x in arrays]}")
    result = _chain_product(arrays, _chain_order([a.shape[0] for a in arrays] + [arrays[-1].shape[1]]),
                            0, len(arrays) - 1)
    if first_vector and last_vector:
        return result[0, 0]
    if first_vector:
        return result[0]
    return result[:, 0] if last_vector else result


def _chain_order(dims):
    """The split points of the cheapest parenthesization of a matrix chain (dynamic programming)."""
    n = len(dims) - 1
    cost = [[0] * n for _ in range(n)]
    split = [[0] * n for _ in range(n)]
    for length in range(1, n):
        for i in range(n - length):
            j = i + length
            cost[i][j] = math.inf
            for k in range(i, j):
                c = cost[i][k] + cost[k + 1][j] + dims[i] * dims[k + 1] * dims[j + 1]
                if c < cost[i][j]:
                    cost[i][j], split[i][j] = c, k
    return split


def _chain_product(arrays, split, i, j):
    if i == j:
        return arrays[i]
    k = split[i][j]
    return _chain_product(arrays, split, i, k) @ _chain_product(arrays, split, k + 1, j)


# -------------------------------------------------------------------- decompositions
@_linalg_errors
def cholesky(a, /, *, upper=False):
    """The Cholesky factor of a Hermitian positive-definite A: lower L with A = L Lᴴ (or upper Lᴴ).

    Only the lower triangle of A is read (the upper one with ``upper=True``), as NumPy does.
    dL = L Φ(L⁻¹ dA L⁻ᴴ), Φ taking the lower triangle with half the diagonal.
    """
    x = _floating(a)
    if upper:  # the upper triangle of A is the lower one of Aᴴ, and the factor is the conjugate transpose
        return ops.conj(ops.swapaxes(decompositions.cholesky(ops.conj(ops.swapaxes(x, -1, -2))), -1, -2))
    return decompositions.cholesky(x)


@_linalg_errors
def qr(a, mode="reduced"):
    """``QRResult(Q, R)`` of A = QR (``mode`` "reduced", "complete" or "r"; "raw" is not differentiable).

    With C = Qᴴ dA R⁻¹ and Ω its skew-Hermitian part built from the lower triangle:
    dQ = QΩ + (I − QQᴴ) dA R⁻¹, dR = (C − Ω) R. R must be invertible (A of full rank).
    """
    x = _floating(a)
    if mode not in ("reduced", "complete", "r", "raw"):
        raise ValueError(f"qr: unrecognized mode {mode!r}; use 'reduced', 'complete', 'r' or 'raw'")
    if mode == "raw":
        raise TypeError("numpy.linalg.qr(mode='raw') returns LAPACK's Householder reflectors, which chainrule does "
                        "not differentiate; use mode='reduced' (or call it on a.detach().numpy())")
    complete = mode == "complete"
    packed = decompositions.qr(x, complete)
    q, r = decompositions.qr_parts(packed, x.shape[-2], x.shape[-1], complete)
    return r if mode == "r" else QRResult(q, r)


@_linalg_errors
def eigh(a, UPLO="L"):  # noqa: N803
    """``EighResult(eigenvalues, eigenvectors)`` of a Hermitian A, eigenvalues ascending.

    With S = Vᴴ dA V: dλ = diag S, dV = V (F ∘ S), F_ij = 1/(λ_j − λ_i) off the diagonal — infinite
    at a repeated eigenvalue, where the eigenvectors are not unique. Complex eigenvectors are
    unique up to a phase each: only phase-independent functions have meaningful gradients.
    """
    x = _floating(a)
    packed = decompositions.eigh(x, _uplo("eigh", UPLO))
    return EighResult(*decompositions.eigh_parts(packed, x.shape[-1]))


@_linalg_errors
def eigvalsh(a, UPLO="L"):  # noqa: N803
    """The eigenvalues (ascending) of a Hermitian A.   dλ = diag(Vᴴ dA V), defined wherever they are distinct."""
    return decompositions.eigvalsh(_floating(a), _uplo("eigvalsh", UPLO))


@_linalg_errors
def eig(a):
    """``EigResult(eigenvalues, eigenvectors)`` of a general square A (real when every eigenvalue is, as NumPy).

    dλ = diag(V⁻¹ dA V); dV = V (F ∘ V⁻¹ dA V), F_ij = 1/(λ_j − λ_i), then kept at unit norm with the
    largest component real (LAPACK's normalization, so the derivative is that of NumPy's result).
    Not defined at repeated eigenvalues.
    """
    x = _floating(a)
    packed = decompositions.eig(x)
    return EigResult(*decompositions.eig_parts(packed, x.shape[-1]))


@_linalg_errors
def eigvals(a):
    """The eigenvalues of a general square A.   dλ = diag(V⁻¹ dA V), Ā = V⁻ᵀ diag(λ̄) Vᵀ."""
    return decompositions.eigvals(_floating(a))


@_linalg_errors
def svd(a, full_matrices=True, compute_uv=True, hermitian=False):
    """``SVDResult(U, S, Vh)`` with A = U diag(S) Vh, S descending; ``compute_uv=False`` gives S alone.

    dσ = Re diag(Uᴴ dA V); the singular vectors' derivative divides by σ_j² − σ_i² (not defined at
    repeated singular values) and by σ (not defined at rank deficiency). The extra vectors of
    ``full_matrices=True`` for a non-square A are held constant. ``hermitian=True`` (NumPy's
    speed hint) takes the SVD of the Hermitian matrix read from the lower triangle: the same S,
    singular vectors possibly of other signs than NumPy's eigh-based ones.
    """
    x = _floating(a)
    if hermitian:
        check_square("svd", x)
        x = hermitian_from_triangle(x)
    if not compute_uv:
        return decompositions.svdvals(x)
    packed = decompositions.svd(x, full_matrices)
    return SVDResult(*decompositions.svd_parts(packed, x.shape[-2], x.shape[-1], full_matrices))


@_linalg_errors
def svdvals(x, /):
    """The singular values, descending.   dσ = Re diag(Uᴴ dA V), Ā = conj(U diag(σ̄) Vᴴ)."""
    return decompositions.svdvals(_floating(x))


@_linalg_errors
def matrix_rank(A, tol=None, hermitian=False, *, rtol=None):  # noqa: N803
    """The number of singular values above the tolerance (an integer tensor; no derivative)."""
    if rtol is not None and tol is not None:
        raise ValueError("matrix_rank: `tol` and `rtol` can't be both set")
    x = ops.stop_gradient(_floating(A))
    if x.ndim < 2:
        return ops.astype(ops.any(ops.not_equal(x, 0)), np.int64)
    s = svd(x, compute_uv=False, hermitian=hermitian)
    if tol is None:
        relative = max(x.shape[-2:]) * np.finfo(s.dtype).eps if rtol is None else np.asarray(rtol)[..., None]
        tol = ops.max(s, axis=-1, keepdims=True) * relative
    else:
        tol = np.asarray(tol)[..., None]
    return ops.sum(ops.astype(ops.greater(s, tol), np.int64), axis=-1)


# ----------------------------------------------------------------------------- norms
def _safe_sqrt(squares):
    """√s with the derivative taken as 0 at s = 0 (the norm's subgradient at the zero vector)."""
    zero = ops.equal(squares, 0)
    return ops.where(zero, 0, ops.sqrt(ops.where(zero, 1, squares)))


def _squared_magnitude(x):
    return ops.real(x * ops.conj(x)) if x.dtype.kind == "c" else x * x


def _vector_norm(x, ord, axis, keepdims):  # noqa: A002 (NumPy's name)
    if ord == math.inf:
        return ops.max(ops.abs(x), axis=axis, keepdims=keepdims)
    if ord == -math.inf:
        return ops.min(ops.abs(x), axis=axis, keepdims=keepdims)
    if ord == 0:
        real_dtype = np.finfo(x.dtype).dtype
        return ops.sum(ops.astype(ops.not_equal(x, 0), real_dtype), axis=axis, keepdims=keepdims)
    if ord == 1:
        return ops.sum(ops.abs(x), axis=axis, keepdims=keepdims)
    if ord is None or ord == 2:
        return _safe_sqrt(ops.sum(_squared_magnitude(x), axis=axis, keepdims=keepdims))
    if isinstance(ord, str):
        raise ValueError(f"norm: invalid norm order {ord!r} for vectors")
    return ops.sum(ops.abs(x) ** ord, axis=axis, keepdims=keepdims) ** (1.0 / ord)


def _singular_values_over(x, row, col):
    """The singular values of the matrices spanned by axes ``row`` and ``col``, over the remaining axes."""
    rest = [k for k in range(x.ndim) if k not in (row, col)]
    return decompositions.svdvals(ops.transpose(x, rest + [row, col]))


def _matrix_norm(x, ord, row, col):  # noqa: A002
    if ord == 2:
        return ops.max(_singular_values_over(x, row, col), axis=-1)
    if ord == -2:
        return ops.min(_singular_values_over(x, row, col), axis=-1)
    if ord == "nuc":
        return ops.sum(_singular_values_over(x, row, col), axis=-1)
    if ord in (None, "fro", "f"):
        return _safe_sqrt(ops.sum(_squared_magnitude(x), axis=(row, col)))
    if ord in (1, -1):
        extremum = ops.max if ord == 1 else ops.min
        return extremum(ops.sum(ops.abs(x), axis=row), axis=col - 1 if col > row else col)
    if ord in (math.inf, -math.inf):
        extremum = ops.max if ord == math.inf else ops.min
        return extremum(ops.sum(ops.abs(x), axis=col), axis=row - 1 if row > col else row)
    raise ValueError(f"norm: invalid norm order {ord!r} for matrices")


@_linalg_errors
def norm(x, ord=None, axis=None, keepdims=False):  # noqa: A002
    """A vector or matrix norm, every ``ord`` NumPy has, over ``axis`` (an int: vectors; a pair: matrices).

    Vectors: 2 (default) √Σ|x|², 1, inf, −inf, 0 (the count of nonzeros; no derivative), any p
    (Σ|x|ᵖ)^(1/p). Matrices: "fro" (default), "nuc" Σσ, 2 σ_max, −2 σ_min (through the singular
    values), 1, −1, inf, −inf (column and row sums of |x|). Derivatives: d‖x‖₂ = Re(x̄ · dx)/‖x‖₂
    (0 at x = 0), dσ = Re diag(Uᴴ dA V); max and min split the gradient among ties.
    """
    t = _floating(x)
    nd = t.ndim
    if axis is None:
        if ord is None or (ord in ("f", "fro") and nd == 2) or (ord == 2 and nd == 1):
            result = _safe_sqrt(ops.sum(_squared_magnitude(t)))
            return ops.reshape(result, (1,) * nd) if keepdims else result
        axis = tuple(range(nd))
    elif not isinstance(axis, tuple):
        try:
            axis = (int(axis),)
        except (TypeError, ValueError) as error:
            raise TypeError("norm: 'axis' must be None, an integer or a tuple of integers") from error
    for a in axis:
        if not -nd <= a < nd:
            raise ShapeError(f"norm: axis {a} is out of bounds for an array of shape {t.shape}")
    axis = tuple(int(a) % nd for a in axis)
    if len(axis) == 1:
        return _vector_norm(t, ord, axis, keepdims)
    if len(axis) != 2:
        raise ValueError(f"norm: improper number of dimensions to norm: axis {axis} of an array of shape {t.shape}")
    row, col = axis
    if row == col:
        raise ValueError(f"norm: duplicate axes given: {axis}")
    result = _matrix_norm(t, ord, row, col)
    if keepdims:
        result = ops.reshape(result, tuple(1 if k in axis else s for k, s in enumerate(t.shape)))
    return result


@_linalg_errors
def vector_norm(x, /, *, axis=None, keepdims=False, ord=2):  # noqa: A002
    """The vector norm over ``axis`` (all axes, flattened, by default), NumPy 2's array-API function."""
    t = _floating(x)
    axes = tuple(range(t.ndim)) if axis is None else (axis,) if not isinstance(axis, tuple) else axis
    return _vector_norm_over(t, ord, axes, keepdims)


def _vector_norm_over(t, ord, axis, keepdims):  # noqa: A002
    """The vector norm of the elements spanned by several axes (moved last and flattened)."""
    axis = tuple(a % t.ndim for a in axis)
    rest = [k for k in range(t.ndim) if k not in axis]
    moved = ops.transpose(t, rest + list(axis))
    flat = ops.reshape(moved, tuple(t.shape[k] for k in rest) + (-1,))
    result = _vector_norm(flat, ord, (flat.ndim - 1,), False)
    if keepdims:
        result = ops.reshape(result, tuple(1 if k in axis else s for k, s in enumerate(t.shape)))
    return result


@_linalg_errors
def matrix_norm(x, /, *, keepdims=False, ord="fro"):  # noqa: A002
    """The matrix norm of each matrix in the last two axes, NumPy 2's array-API function."""
    return norm(x, ord, (-2, -1), keepdims)


@_linalg_errors
def cond(x, p=None):
    """The condition number ‖A‖ ‖A⁻¹‖ in norm ``p`` (σ_max/σ_min for None and 2), as NumPy."""
    t = _floating(x)
    if p is None or p in (2, -2):
        s = decompositions.svdvals(t)
        return s[..., -1] / s[..., 0] if p == -2 else s[..., 0] / s[..., -1]
    check_square("cond", t)
    return norm(t, p, axis=(-2, -1)) * norm(inv(t), p, axis=(-2, -1))


# ------------------------------------------------------- array-API spellings of products
def matmul(x1, x2, /):
    """The matrix product (NumPy 2's ``linalg.matmul``)."""
    return ops.matmul(operand(x1), operand(x2))


def matrix_transpose(x, /):
    """The transpose of the last two axes."""
    t = operand(x)
    if t.ndim < 2:
        raise ShapeError(f"matrix_transpose: needs at least 2 dimensions, got shape {t.shape}")
    return ops.swapaxes(t, -1, -2)


def vecdot(x1, x2, /, *, axis=-1):
    """Σ conj(x1) · x2 over ``axis`` (the vector dot product, conjugating the first argument)."""
    a, b = operand(x1), operand(x2)
    return ops.sum(ops.conj(a) * b, axis=axis)


def outer(x1, x2, /):
    """The outer product of two vectors."""
    a, b = operand(x1), operand(x2)
    if a.ndim != 1 or b.ndim != 1:
        raise ShapeError(f"linalg.outer: both arguments must be vectors, got shapes {a.shape} and {b.shape}")
    return ops.outer(a, b)


def diagonal(x, /, *, offset=0):
    """The diagonal (``offset`` above it, or below for negative) of each matrix in the last two axes."""
    t = operand(x)
    if t.ndim < 2:
        raise ShapeError(f"linalg.diagonal: needs at least 2 dimensions, got shape {t.shape}")
    rows, columns = t.shape[-2:]
    start_row, start_col = max(-offset, 0), max(offset, 0)
    length = max(min(rows - start_row, columns - start_col), 0)
    index = np.arange(length)
    return t[..., index + start_row, index + start_col]


def trace(x, /, *, offset=0, dtype=None):
    """The sum of each matrix's diagonal (``offset`` as in ``diagonal``)."""
    d = diagonal(x, offset=offset)
    return ops.sum(d if dtype is None else ops.astype(d, dtype), axis=-1)
