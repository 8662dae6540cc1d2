"""Matrix decompositions: cholesky, qr, eigh, eigvalsh, eig, eigvals, svd, svdvals (primitives).

Each acts on the last two axes and broadcasts over the leading ones. A decomposition with
several outputs returns them packed into one array (``matrices.pack``); its rules unpack the
cotangent and pack the tangent, and ``chainrule.numpy.linalg`` unpacks the result. The rules,
with S = Vᴴ dA V (eigh), dP = Uᴴ dA V (svd), F_ij = 1/(λ_j − λ_i) off the diagonal and 0 on it:

    cholesky  A = L Lᴴ:      dL = L Φ(L⁻¹ dA L⁻ᴴ),  Φ = lower triangle with half the diagonal;
                             Ā = L⁻ᵀ Φ(Lᵀ L̄) conj(L⁻¹)
    eigh      A = V Λ Vᴴ:    dλ = diag S,  dV = V (F ∘ S);   Ā = conj(V) (diag λ̄ + F ∘ Vᵀ V̄) Vᵀ
    svd       A = U Σ Vᴴ:    dσ = Re diag dP,  dU = U (F ∘ (dP Σ + Σ dPᴴ)) + (I − UUᴴ) dA V Σ⁻¹,
                             dV = V (F ∘ (Σ dP + dPᴴ Σ)) + (I − VVᴴ) dAᴴ U Σ⁻¹,  F_ij = 1/(σ_j² − σ_i²)
    qr        A = Q R:       C = Qᴴ dA R⁻¹, Ω = tril(C, −1) − tril(C, −1)ᴴ + i Im diag C,
                             dQ = Q Ω + (I − QQᴴ) dA R⁻¹,  dR = (C − Ω) R
    eig       A = V Λ V⁻¹:   dλ = diag(V⁻¹ dA V),  dV = V (F ∘ V⁻¹ dA V), then kept at unit norm
                             with its largest component real (LAPACK's normalization)

Each reverse rule is the adjoint of its forward rule under the real pairing Re Σ Ā ⊙ dA, which
is JAX's convention for complex values. ``cholesky``, ``eigh`` and ``eigvalsh`` read one
triangle of A, as LAPACK does (``matrices`` explains how their rules account for it).

**Where the derivative is not defined.** The eigenvector and singular-vector rules divide by
differences of eigenvalues (squared singular values): at a repeated value the vectors are not
unique and the derivative is infinite — as in JAX and PyTorch, the rules give inf or nan
there, and gradients of functions that do not depend on the choice of basis (the eigenvalues,
Σ f(λ_i) v_i v_iᴴ) are only well defined through formulas that avoid the vectors. Complex
eigenvectors (eigh) and singular vectors are defined up to a phase e^{iφ} per vector: the
rules fix it by dV's diagonal in Vᴴ dV being zero (svd: on V, with U taking the rest), which
may differ from LAPACK's choice, so only functions that do not depend on the phase (|v|²,
U diag Vᴴ, …) have meaningful gradients — PyTorch documents the same. ``qr`` and ``eig``
match LAPACK's normalizations exactly (R's diagonal real; eigenvectors of unit norm with the
largest component real). ``qr`` needs R invertible (A of full rank); ``svd`` needs σ > 0 for
the vectors (the singular values themselves are differentiable wherever distinct).
"""

import numpy as np

from ..core.bind import bind
from ..core.tensor import array_of
from . import samples
from .declare import Math, broadcasting, primitive
from .elementwise import conj, equal, imag, real, where
from .inverses import inv, solve_matrices
from .matrices import (check_matrix, check_square, diag_embed, diagonal, hermitian_from_triangle, keep_triangle, mH, mT, off_diagonal_reciprocal,
                       pack, pack_arrays, triangle_cotangent, unpack)
from .reductions import argmax
from .reductions import sum as reduce_sum
from .shape import concatenate


def _positive_definite(rng, n, complex_=False, batch=()):
    """A random Hermitian positive-definite matrix whose unread (upper) triangle holds noise,
    so that the tests see that only the lower triangle is read."""
    m = rng.normal(size=batch + (n, n)) + (1j * rng.normal(size=batch + (n, n)) if complex_ else 0)
    a = m @ np.conj(np.swapaxes(m, -1, -2)) + n * np.eye(n)
    upper = np.triu(np.ones((n, n), dtype=bool), 1)
    return np.where(upper, rng.normal(size=a.shape), a)


def _spread_symmetric(rng, n):
    """A symmetric matrix with well-separated eigenvalues 1, 3, 5, … (and noise above the diagonal)."""
    q, _ = np.linalg.qr(rng.normal(size=(n, n)))
    a = (q * (1.0 + 2 * np.arange(n))) @ q.T
    return np.where(np.triu(np.ones((n, n), dtype=bool), 1), rng.normal(size=(n, n)), a)


def _zero_columns(x, count):
    """x with ``count`` columns of zeros appended (the tangent of vectors held constant)."""
    if count == 0:
        return x
    return concatenate([x, np.zeros(x.shape[:-1] + (count,), dtype=x.dtype, like=array_of(x))], axis=-1)


# -------------------------------------------------------------------------- cholesky
def _phi(x):
    """Φ(X): the lower triangle of X with half its diagonal (so that X = Φ(X) + Φ(X)ᴴ for Hermitian X)."""
    return keep_triangle(x, lower=True, strict=True) + 0.5 * diag_embed(diagonal(x))


def _cholesky_jvp(t, ans, a):
    l_inv = inv(ans)
    return ans @ _phi(l_inv @ hermitian_from_triangle(t) @ mH(l_inv))


def _cholesky_vjp(g, ans, a):
    l_inv = inv(ans)
    return triangle_cotangent(mT(l_inv) @ _phi(mT(ans) @ g) @ conj(l_inv))


cholesky_p = primitive(
    "cholesky", np.linalg.cholesky, vjp=(_cholesky_vjp,), jvp=(_cholesky_jvp,),
    batch=broadcasting(2), complex_rules=True,
    math=Math("chol {0}", tangent=("L Φ(L⁻¹ {d} L⁻ᴴ)",), adjoint=("L⁻ᵀ Φ(Lᵀ {d}) conj(L⁻¹)",), names=("A",)),
    samples=samples.explicit(lambda rng: ((_positive_definite(rng, 3),), {}),
                             lambda rng: ((_positive_definite(rng, 2, complex_=True, batch=(2,)),), {})))


def cholesky(a):
    """The lower Cholesky factor L of a Hermitian positive-definite A = L Lᴴ (lower triangle read).

    dL = L Φ(L⁻¹ dA L⁻ᴴ), Φ the lower triangle with half the diagonal.
    """
    check_square("cholesky", a)
    return bind(cholesky_p, a)


# ------------------------------------------------------------------------------ eigh
def _eigh_impl(a, lower):
    w, v = np.linalg.eigh(a, UPLO="L" if lower else "U")
    return pack_arrays([w, v], a.ndim - 2)


def _eigh_parts(packed, n):
    w, v = unpack(packed, [(n,), (n, n)])
    return real(w), v


def _spectral_gaps(w):
    """F_ij = 1/(w_j − w_i) off the diagonal, 0 on it."""
    return off_diagonal_reciprocal(w[..., None, :] - w[..., :, None])


def _eigh_jvp(t, ans, a, lower):
    w, v = _eigh_parts(ans, a.shape[-1])
    s = mH(v) @ hermitian_from_triangle(t, lower) @ v
    return pack([real(diagonal(s)), v @ (_spectral_gaps(w) * s)], a.ndim - 2)


def _eigh_vjp(g, ans, a, lower):
    n = a.shape[-1]
    w, v = _eigh_parts(ans, n)
    w_bar, v_bar = unpack(g, [(n,), (n, n)])
    inner = diag_embed(real(w_bar)) + _spectral_gaps(w) * (mT(v) @ v_bar)
    return triangle_cotangent(conj(v) @ inner @ mT(v), lower)


eigh_p = primitive(
    "eigh", _eigh_impl, vjp=(_eigh_vjp,), jvp=(_eigh_jvp,),
    batch=broadcasting(2), complex_rules=True,
    math=Math("eigh {0}", tangent=("(diag S, V (F ∘ S)), S = Vᴴ {d} V",),
              adjoint=("conj(V) (diag λ̄ + F ∘ Vᵀ V̄) Vᵀ",), names=("A",)),
    samples=samples.explicit(lambda rng: ((_spread_symmetric(rng, 3),), {"lower": True}),
                             lambda rng: ((_spread_symmetric(rng, 3).T,), {"lower": False})))


def eigh(a, lower=True):
    """Eigenvalues (ascending) and eigenvectors of a Hermitian A, packed (..., n + n²); the
    lower (or upper) triangle is read.   dλ = diag(Vᴴ dA V), dV = V (F ∘ Vᴴ dA V)."""
    check_square("eigh", a)
    return bind(eigh_p, a, lower=bool(lower))


def eigh_parts(packed, n):
    """``(w, V)`` from ``eigh``'s packed result."""
    return _eigh_parts(packed, n)


def _eigvalsh_vjp(g, ans, a, lower):
    _, v = eigh_parts(eigh(a, lower), a.shape[-1])
    return triangle_cotangent(conj(v) @ diag_embed(real(g)) @ mT(v), lower)


def _eigvalsh_jvp(t, ans, a, lower):
    _, v = eigh_parts(eigh(a, lower), a.shape[-1])
    return real(reduce_sum(conj(v) * (hermitian_from_triangle(t, lower) @ v), axis=-2))


eigvalsh_p = primitive(
    "eigvalsh", lambda a, lower: np.linalg.eigvalsh(a, UPLO="L" if lower else "U"),
    vjp=(_eigvalsh_vjp,), jvp=(_eigvalsh_jvp,),
    batch=broadcasting(2), complex_rules=True,
    math=Math("eigvalsh {0}", tangent=("diag(Vᴴ {d} V)",), adjoint=("conj(V) diag({d}) Vᵀ",), names=("A",)),
    samples=samples.explicit(
        lambda rng: ((_spread_symmetric(rng, 3),), {"lower": True}),
        lambda rng: ((_positive_definite(rng, 3, complex_=True),), {"lower": True})))


def eigvalsh(a, lower=True):
    """The eigenvalues (ascending) of a Hermitian A.   dλ = diag(Vᴴ dA V); Ā = conj(V) diag λ̄ Vᵀ."""
    check_square("eigvalsh", a)
    return bind(eigvalsh_p, a, lower=bool(lower))


# ------------------------------------------------------------------------------- svd
def _svd_shapes(m, n, full_matrices):
    k = min(m, n)
    return [(m, m if full_matrices else k), (k,), (n if full_matrices else k, n)]


def _svd_impl(a, full_matrices):
    u, s, vh = np.linalg.svd(a, full_matrices=full_matrices)
    return pack_arrays([u, s, vh], a.ndim - 2)


def svd_parts(packed, m, n, full_matrices=False):
    """``(U, σ, Vh)`` from ``svd``'s packed result."""
    u, s, vh = unpack(packed, _svd_shapes(m, n, full_matrices))
    return u, real(s), vh


def _svd_reduced_parts(packed, a, full_matrices):
    """U and Vᴴ cut to their first k = min(m, n) vectors, σ, and V."""
    m, n = a.shape[-2], a.shape[-1]
    k = min(m, n)
    u, s, vh = svd_parts(packed, m, n, full_matrices)
    return u[..., :, :k], s, vh[..., :k, :]


def _svd_jvp(t, ans, a, full_matrices):
    m, n = a.shape[-2], a.shape[-1]
    u, s, vh = _svd_reduced_parts(ans, a, full_matrices)
    v = mH(vh)
    row, col = s[..., None, :], s[..., :, None]
    gaps = _spectral_gaps(s * s)
    t_v = t @ v
    dp = mH(u) @ t_v
    du = u @ (gaps * (dp * row + col * mH(dp))) + (t_v - u @ dp) / row
    dv = v @ (gaps * (col * dp + mH(dp) * row)) + (mH(t) @ u - v @ mH(dp)) / row
    if a.dtype.kind == "c":
        du = du + u * (1j * imag(diagonal(dp)) / s)[..., None, :]
    if full_matrices:  # the vectors completing a basis are arbitrary: held constant
        du, dv = _zero_columns(du, m - du.shape[-1]), _zero_columns(dv, n - dv.shape[-1])
    return pack([du, real(diagonal(dp)), mH(dv)], a.ndim - 2)


def _svd_vjp(g, ans, a, full_matrices):
    m, n = a.shape[-2], a.shape[-1]
    k = min(m, n)
    u, s, vh = _svd_reduced_parts(ans, a, full_matrices)
    v = mH(vh)
    u_bar, s_bar, vh_bar = unpack(g, _svd_shapes(m, n, full_matrices))
    u_bar, v_bar = u_bar[..., :, :k], mH(vh_bar[..., :k, :])
    row, col = s[..., None, :], s[..., :, None]
    gaps = _spectral_gaps(s * s)
    ut_ubar, vt_vbar = mT(u) @ u_bar, mT(v) @ v_bar
    x, z = gaps * ut_ubar, gaps * vt_vbar
    inner = ((x + mH(x)) * row + col * (z + mH(z)) + diag_embed(real(s_bar))
             - ut_ubar / row - (mH(v_bar) @ conj(v)) / col)
    if a.dtype.kind == "c":
        inner = inner + diag_embed(1j * imag(diagonal(ut_ubar)) / s)
    return (u_bar / row) @ mT(v) + (conj(u) / row) @ mH(v_bar) + conj(u) @ inner @ mT(v)


svd_p = primitive(
    "svd", _svd_impl, vjp=(_svd_vjp,), jvp=(_svd_jvp,),
    batch=broadcasting(2), complex_rules=True,
    math=Math("svd {0}", tangent=("(dU, Re diag dP, dVᴴ), dP = Uᴴ {d} V",),
              adjoint=("the adjoint of the svd tangent map applied to {d}",), names=("A",)),
    samples=samples.explicit(lambda rng: ((rng.normal(size=(4, 3)),), {"full_matrices": False}),
                             lambda rng: ((rng.normal(size=(2, 3)),), {"full_matrices": False}),
                             lambda rng: ((rng.normal(size=(3, 3)),), {"full_matrices": True})))


def svd(a, full_matrices=True):
    """U, σ (descending) and Vh = Vᴴ of A = U diag(σ) Vᴴ, packed (..., m·m_u + k + n_v·n).

    With ``full_matrices`` and m ≠ n, U (or Vh) has extra vectors completing a basis; they
    are not unique, so their derivative is taken as zero (PyTorch's choice) — a function of
    them is differentiated as if they were constants.
    """
    check_matrix("svd", a)
    return bind(svd_p, a, full_matrices=bool(full_matrices))


def _svdvals_vjp(g, ans, a):
    u, _, vh = svd_parts(svd(a, full_matrices=False), a.shape[-2], a.shape[-1])
    return conj((u * real(g)[..., None, :]) @ vh)


def _svdvals_jvp(t, ans, a):
    u, _, vh = svd_parts(svd(a, full_matrices=False), a.shape[-2], a.shape[-1])
    return real(reduce_sum(conj(u) * (t @ mH(vh)), axis=-2))


svdvals_p = primitive(
    "svdvals", lambda a: np.linalg.svd(a, compute_uv=False), vjp=(_svdvals_vjp,), jvp=(_svdvals_jvp,),
    batch=broadcasting(2), complex_rules=True,
    math=Math("σ({0})", tangent=("Re diag(Uᴴ {d} V)",), adjoint=("conj(U diag({d}) Vᴴ)",), names=("A",)),
    samples=samples.explicit(lambda rng: ((rng.normal(size=(2, 4, 3)),), {}),
                             lambda rng: ((rng.normal(size=(2, 3)) + 1j * rng.normal(size=(2, 3)),), {})))


def svdvals(a):
    """The singular values σ (descending).   dσ = Re diag(Uᴴ dA V); Ā = conj(U diag σ̄ Vᴴ)."""
    check_matrix("svdvals", a)
    return bind(svdvals_p, a)


# -------------------------------------------------------------------------------- qr
def _qr_shapes(m, n, complete):
    k = min(m, n)
    return [(m, m if complete else k), (m if complete else k, n)]


def _qr_impl(a, complete):
    q, r = np.linalg.qr(a, mode="complete" if complete else "reduced")
    return pack_arrays([q, r], a.ndim - 2)


def qr_parts(packed, m, n, complete=False):
    """``(Q, R)`` from ``qr``'s packed result."""
    return unpack(packed, _qr_shapes(m, n, complete))


def _times_inverse(x, r):
    """X R⁻¹ for an invertible (triangular) R, as a solve."""
    return mT(solve_matrices(mT(r), mT(x)))


def _skew_part(c):
    """Ω = tril(C, −1) − tril(C, −1)ᴴ + i Im diag C: the skew-Hermitian Qᴴ dQ that keeps dR upper
    triangular with a real diagonal."""
    strict = keep_triangle(c, lower=True, strict=True)
    omega = strict - mH(strict)
    return omega + diag_embed(1j * imag(diagonal(c))) if c.dtype.kind == "c" else omega


def _square_qr_tangent(t, q, r):
    """(dQ, dR) of A = QR with R square (m ≥ n)."""
    t_r = _times_inverse(t, r)
    c = mH(q) @ t_r
    omega = _skew_part(c)
    return q @ omega + t_r - q @ c, (c - omega) @ r


def _square_qr_cotangent(q_bar, r_bar, q, r):
    """Ā = (Q̄ + conj(Q) N′) R⁻ᵀ with N = R̄ Rᵀ − Qᵀ Q̄ and N′ = triu(N, 1) + Re diag N + tril(Nᴴ, −1):
    the adjoint of ``_square_qr_tangent``."""
    n_ = r_bar @ mT(r) - mT(q) @ q_bar
    n_prime = (keep_triangle(n_, lower=False, strict=True) + diag_embed(real(diagonal(n_)))
               + keep_triangle(mH(n_), lower=True, strict=True))
    return _times_inverse(q_bar + conj(q) @ n_prime, mT(r))


def _qr_jvp(t, ans, a, complete):
    m, n = a.shape[-2], a.shape[-1]
    k = min(m, n)
    q, r = qr_parts(ans, m, n, complete)
    q, r = q[..., :, :k], r[..., :k, :]
    dq, dr = _square_qr_tangent(t[..., :, :k], q, r[..., :, :k])
    if n > k:  # wide: A = Q [R₁ | Qᴴ Y] with Y = A[:, k:]
        dr = concatenate([dr, mH(dq) @ a[..., :, k:] + mH(q) @ t[..., :, k:]], axis=-1)
    if complete:  # Q's extra columns are an arbitrary basis: held constant; R's extra rows are 0
        dq, dr = _zero_columns(dq, m - k), mT(_zero_columns(mT(dr), m - k))
    return pack([dq, dr], a.ndim - 2)


def _qr_vjp(g, ans, a, complete):
    m, n = a.shape[-2], a.shape[-1]
    k = min(m, n)
    q, r = qr_parts(ans, m, n, complete)
    q_bar, r_bar = qr_parts(g, m, n, complete)
    q, r, q_bar, r_bar = q[..., :, :k], r[..., :k, :], q_bar[..., :, :k], r_bar[..., :k, :]
    if n == k:
        return _square_qr_cotangent(q_bar, r_bar, q, r)
    y, r2_bar = a[..., :, k:], r_bar[..., :, k:]
    x_bar = _square_qr_cotangent(q_bar + conj(y) @ mH(r2_bar), r_bar[..., :, :k], q, r[..., :, :k])
    return concatenate([x_bar, conj(q) @ r2_bar], axis=-1)


qr_p = primitive(
    "qr", _qr_impl, vjp=(_qr_vjp,), jvp=(_qr_jvp,),
    batch=broadcasting(2), complex_rules=True,
    math=Math("qr {0}", tangent=("(Q Ω + (I − QQᴴ) {d} R⁻¹, (C − Ω) R), C = Qᴴ {d} R⁻¹",),
              adjoint=("(Q̄ + conj(Q) N′) R⁻ᵀ",), names=("A",)),
    samples=samples.explicit(
        lambda rng: ((rng.normal(size=(4, 3)),), {"complete": False}),
        lambda rng: ((rng.normal(size=(2, 3)),), {"complete": False}),
        lambda rng: ((rng.normal(size=(3, 2)) + 1j * rng.normal(size=(3, 2)),), {"complete": False})))


def qr(a, complete=False):
    """Q and R of A = QR (Householder, as LAPACK: R's diagonal real, of either sign), packed.

    With ``complete`` and m > n, Q's extra columns complete a basis; they are not unique, so
    their derivative is taken as zero (see ``svd``).
    """
    check_matrix("qr", a)
    return bind(qr_p, a, complete=bool(complete))


# ------------------------------------------------------------------------------- eig
def _eig_impl(a):
    w, v = np.linalg.eig(a)
    return pack_arrays([w, v], a.ndim - 2)


def eig_parts(packed, n):
    """``(w, V)`` from ``eig``'s packed result."""
    return unpack(packed, [(n,), (n, n)])


def _largest_components(v):
    """The one-hot mask of each eigenvector's largest component (the first at ties, as LAPACK) and
    the component's value, which LAPACK makes real."""
    n = v.shape[-1]
    magnitude = real(v * conj(v))
    mask = equal(np.arange(n, like=array_of(v))[:, None], argmax(magnitude, axis=-2)[..., None, :])
    return mask, real(reduce_sum(where(mask, v, 0), axis=-2))


def _eig_jvp(t, ans, a):
    n = a.shape[-1]
    w, v = eig_parts(ans, n)
    s = inv(v) @ t @ v
    dv = v @ (_spectral_gaps(w) * s)
    dv = dv - v * real(reduce_sum(conj(v) * dv, axis=-2))[..., None, :]      # unit norm
    mask, largest = _largest_components(v)
    turn = -imag(reduce_sum(where(mask, dv, 0), axis=-2)) / largest           # largest component stays real
    return pack([diagonal(s), dv + v * (1j * turn)[..., None, :]], a.ndim - 2)


def _eig_vjp(g, ans, a):
    n = a.shape[-1]
    w, v = eig_parts(ans, n)
    w_bar, v_bar = eig_parts(g, n)
    mask, largest = _largest_components(v)
    turn = -1j * imag(reduce_sum(v * v_bar, axis=-2)) / largest
    v_bar = v_bar + where(mask, turn[..., None, :], 0)
    v_bar = v_bar - conj(v) * real(reduce_sum(v * v_bar, axis=-2))[..., None, :]
    inner = diag_embed(w_bar) + _spectral_gaps(w) * (mT(v) @ v_bar)
    return mT(inv(v)) @ inner @ mT(v)


def _general_matrix(rng, n, complex_=False):
    """A random matrix with well-separated, partly complex eigenvalues."""
    a = rng.normal(size=(n, n)) + (1j * rng.normal(size=(n, n)) if complex_ else 0)
    return a + np.diag(np.arange(n) * 1.5)


eig_p = primitive(
    "eig", _eig_impl, vjp=(_eig_vjp,), jvp=(_eig_jvp,),
    batch=broadcasting(2), complex_rules=True,
    math=Math("eig {0}", tangent=("(diag S, V (F ∘ S) normalized), S = V⁻¹ {d} V",),
              adjoint=("V⁻ᵀ (diag λ̄ + F ∘ Vᵀ V̄′) Vᵀ",), names=("A",)),
    samples=samples.explicit(lambda rng: ((_general_matrix(rng, 3),), {}),
                             lambda rng: ((_general_matrix(rng, 3, complex_=True),), {})))


def eig(a):
    """Eigenvalues and right eigenvectors of a general square A, packed; eigenvectors of unit norm
    with the largest component real (LAPACK).   dλ = diag(V⁻¹ dA V)."""
    check_square("eig", a)
    return bind(eig_p, a)


def _eigvals_vjp(g, ans, a):
    _, v = eig_parts(eig(a), a.shape[-1])
    return mT(inv(v)) @ diag_embed(g) @ mT(v)


def _eigvals_jvp(t, ans, a):
    _, v = eig_parts(eig(a), a.shape[-1])
    return diagonal(inv(v) @ t @ v)


eigvals_p = primitive(
    "eigvals", np.linalg.eigvals, vjp=(_eigvals_vjp,), jvp=(_eigvals_jvp,),
    batch=broadcasting(2), complex_rules=True,
    math=Math("eigvals {0}", tangent=("diag(V⁻¹ {d} V)",), adjoint=("V⁻ᵀ diag({d}) Vᵀ",), names=("A",)),
    samples=samples.explicit(lambda rng: ((_general_matrix(rng, 3),), {})))


def eigvals(a):
    """The eigenvalues of a general square A.   dλ = diag(V⁻¹ dA V); Ā = V⁻ᵀ diag λ̄ Vᵀ."""
    check_square("eigvals", a)
    return bind(eigvals_p, a)
