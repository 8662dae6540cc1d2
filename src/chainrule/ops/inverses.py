"""Inverses, solves and determinants: inv, solve, det, slogdet, pinv, lstsq (primitives).

Each acts on the last two axes and broadcasts over the leading ones, as NumPy's do. With
X = A⁻¹ (or the solution X of A X = B) and Ḡ the cotangent of the result:

    inv      dX = −X dA X                     Ā = −Xᵀ Ḡ Xᵀ
    solve    dX = A⁻¹ (dB − dA X)             B̄ = A⁻ᵀ Ḡ (a solve with Aᵀ),  Ā = −B̄ Xᵀ
    det      d det A = det A · tr(A⁻¹ dA)     Ā = ḡ · det A · A⁻ᵀ
    slogdet  d ln|det A| = Re tr(A⁻¹ dA),  d sign = sign · i Im tr(A⁻¹ dA)   (complex A)
    pinv     dA⁺ = −A⁺ dA A⁺ + A⁺A⁺ᴴ dAᴴ (I − AA⁺) + (I − A⁺A) dAᴴ A⁺ᴴA⁺   (locally constant rank)
    lstsq    X = A⁺B: the pinv rule with dB carried by A⁺

inv, solve, det and slogdet are holomorphic, so for complex matrices their rules are the real
ones with plain transposes (JAX's convention); pinv is not (it conjugates), and its reverse
rule is the adjoint of its forward rule under the real pairing Re Σ Ā ⊙ dA.

NumPy's LAPACK calls do not return their LU factors, so a solve's reverse rule factors Aᵀ
again (one more LU, the cost of the forward call); inv's rules reuse the inverse itself.
At a singular matrix det's rule raises (A⁻¹ does not exist) — the gradient there is the
adjugate, which needs a rank-revealing factorization.
"""

import numpy as np

from ..core.bind import bind
from ..core.errors import ShapeError
from ..core.tensor import array_of
from . import samples
from .declare import Math, batch_to_front, broadcasting, primitive
from .elementwise import conj, imag, real
from .matrices import check_matrix, check_square, hermitian_from_triangle, mH, mT, trace, triangle_cotangent
from .shape import stack


def _well_conditioned(rng, *shape, complex_=False):
    """A random stack of square matrices with eigenvalues near 3 (far from singular)."""
    n = shape[-1]
    a = rng.normal(size=shape) * 0.5
    if complex_:
        a = a + 0.5j * rng.normal(size=shape)
    return a + 3 * np.eye(n)


# ------------------------------------------------------------------------------- inv
inv_p = primitive(
    "inv", np.linalg.inv,
    vjp=(lambda g, ans, a: -(mT(ans) @ g @ mT(ans)),),
    jvp=(lambda t, ans, a: -(ans @ t @ ans),),
    batch=broadcasting(2), complex_rules=True,
    math=Math("{0}⁻¹", tangent=("−{0}⁻¹ {d} {0}⁻¹",), adjoint=("−{0}⁻ᵀ {d} {0}⁻ᵀ",), names=("A",)),
    samples=samples.explicit(lambda rng: ((_well_conditioned(rng, 3, 3),), {}),
                             lambda rng: ((_well_conditioned(rng, 2, 2, 2, complex_=True),), {})))


def inv(a):
    """A⁻¹ for a square matrix (or a stack).   d(A⁻¹) = −A⁻¹ dA A⁻¹; Ā = −A⁻ᵀ Ḡ A⁻ᵀ."""
    check_square("inv", a)
    return bind(inv_p, a)


# ----------------------------------------------------------------------------- solve
def _solve_vjp(needed, g, ans, a, b):
    b_bar = solve_matrices(mT(a), g)
    return [-(b_bar @ mT(ans)) if needed[0] else None, b_bar]


def _solve_jvp(tangents, ans, a, b):
    ta, tb = tangents
    if ta is None:
        rhs = tb
    else:
        rhs = -(ta @ ans) if tb is None else tb - ta @ ans
    return solve_matrices(a, rhs)


solve_p = primitive(
    "solve", np.linalg.solve,
    vjp_joint=_solve_vjp, jvp_joint=_solve_jvp,
    batch=broadcasting(2), complex_rules=True,
    math=Math("{0}⁻¹ {1}", tangent=("−{0}⁻¹ {d} X", "{0}⁻¹ {d}"), adjoint=("−{0}⁻ᵀ {d} Xᵀ", "{0}⁻ᵀ {d}"),
              names=("A", "B")),
    samples=samples.explicit(
        lambda rng: ((_well_conditioned(rng, 3, 3), rng.normal(size=(3, 2))), {}),
        lambda rng: ((_well_conditioned(rng, 2, 2, 2, complex_=True), rng.normal(size=(2, 1)) + 1j), {})))


def solve_matrices(a, b):
    """X with A X = B for stacks of matrices B (..., n, k), broadcast over the leading axes."""
    return bind(solve_p, a, b)


def solve(a, b):
    """The solution X of A X = B, as NumPy 2's ``solve``: B is a vector (n,) or a stack of
    matrices (..., n, k).   B̄ = A⁻ᵀ Ḡ, Ā = −B̄ Xᵀ."""
    check_square("solve", a)
    n = np.shape(a)[-1]
    if np.ndim(b) == 1:
        if np.shape(b)[0] != n:
            raise ShapeError(f"solve: a vector b must have length {n} to match a of shape {np.shape(a)}, "
                             f"got shape {np.shape(b)}")
        return solve_matrices(a, b[:, None])[..., 0]
    if np.ndim(b) < 2 or np.shape(b)[-2] != n:
        raise ShapeError(f"solve: b must have shape ({n},) or (..., {n}, k) to match a of shape {np.shape(a)}, "
                         f"got shape {np.shape(b)}")
    return solve_matrices(a, b)


# ------------------------------------------------------------------------------- det
def _trace_of_solve(a, t):
    """tr(A⁻¹ Ȧ), the common factor of the determinant's tangents."""
    return trace(solve_matrices(a, t))


det_p = primitive(
    "det", np.linalg.det,
    vjp=(lambda g, ans, a: (g * ans)[..., None, None] * mT(inv(a)),),
    jvp=(lambda t, ans, a: ans * _trace_of_solve(a, t),),
    batch=broadcasting(2), complex_rules=True,
    math=Math("det {0}", tangent=("det {0} · tr({0}⁻¹ {d})",), adjoint=("{d} · det {0} · {0}⁻ᵀ",), names=("A",)),
    samples=samples.explicit(lambda rng: ((_well_conditioned(rng, 3, 3),), {}),
                             lambda rng: ((_well_conditioned(rng, 2, 2, complex_=True),), {})))


def det(a):
    """det A (batched).   d det A = det A · tr(A⁻¹ dA); Ā = ḡ · det A · A⁻ᵀ."""
    check_square("det", a)
    return bind(det_p, a)


# --------------------------------------------------------------------------- slogdet
def _slogdet_impl(a):
    sign, logabsdet = np.linalg.slogdet(a)
    return np.stack([sign, logabsdet.astype(sign.dtype)], axis=-1)


def _slogdet_vjp(g, ans, a):
    """Ā = κ A⁻ᵀ with κ = Re ḡ_log + i Im(ḡ_sign · sign): the sign of a real matrix is
    piecewise constant, so κ = ḡ_log there."""
    weight = g[..., 1]
    if a.dtype.kind == "c":
        weight = real(weight) + 1j * imag(g[..., 0] * ans[..., 0])
    return weight[..., None, None] * mT(inv(a))


def _slogdet_jvp(t, ans, a):
    change = _trace_of_solve(a, t)
    if a.dtype.kind == "c":
        return stack([ans[..., 0] * (1j * imag(change)), real(change)], axis=-1)
    return stack([0 * change, change], axis=-1)


slogdet_p = primitive(
    "slogdet", _slogdet_impl, vjp=(_slogdet_vjp,), jvp=(_slogdet_jvp,),
    batch=broadcasting(2), complex_rules=True,
    math=Math("(sign, ln|det {0}|)", tangent=("(sign · i Im t, Re t), t = tr({0}⁻¹ {d})",),
              adjoint=("(Re {d}_log + i Im({d}_sign sign)) {0}⁻ᵀ",), names=("A",)),
    samples=samples.explicit(lambda rng: ((-_well_conditioned(rng, 3, 3),), {}),
                             lambda rng: ((_well_conditioned(rng, 3, 3, complex_=True),), {})))


def slogdet(a):
    """``(sign, ln|det A|)`` as one array (..., 2) in A's dtype: unpacked by ``chainrule.numpy.linalg``."""
    check_square("slogdet", a)
    return bind(slogdet_p, a)


# ------------------------------------------------------------------------------ pinv
def _pinv_operand(a, hermitian):
    """The matrix NumPy pseudo-inverts: with ``hermitian=True`` it reads only the lower triangle."""
    return hermitian_from_triangle(a) if hermitian else a


def _pinv_tangent(t, p, a):
    """dA⁺ for a tangent t of A (rank locally constant)."""
    m, n = a.shape[-2], a.shape[-1]
    th = mH(t)
    left = np.eye(m, dtype=p.dtype, like=array_of(p)) - a @ p   # I − AA⁺, the projector onto range(A)'s complement
    right = np.eye(n, dtype=p.dtype, like=array_of(p)) - p @ a  # I − A⁺A, onto null(A)
    return -(p @ t @ p) + (p @ mH(p)) @ th @ left + right @ th @ (mH(p) @ p)


def _pinv_cotangent(g, p, a):
    """Ā for a cotangent Ḡ of A⁺: the adjoint of ``_pinv_tangent`` under Re Σ Ā ⊙ dA."""
    m, n = a.shape[-2], a.shape[-1]
    gh = mH(g)
    left = np.eye(m, dtype=p.dtype, like=array_of(p)) - a @ p
    right = np.eye(n, dtype=p.dtype, like=array_of(p)) - p @ a
    return -(mT(p) @ g @ mT(p)) + conj(left) @ gh @ conj(p @ mH(p)) + conj(mH(p) @ p) @ gh @ conj(right)


def _pinv_vjp(g, ans, a, rcond, hermitian):
    cotangent = _pinv_cotangent(g, ans, _pinv_operand(a, hermitian))
    return triangle_cotangent(cotangent) if hermitian else cotangent


def _pinv_jvp(t, ans, a, rcond, hermitian):
    if hermitian:
        t = hermitian_from_triangle(t)
    return _pinv_tangent(t, ans, _pinv_operand(a, hermitian))


pinv_p = primitive(
    "pinv", lambda a, rcond, hermitian: np.linalg.pinv(a, rcond=rcond, hermitian=hermitian),
    vjp=(_pinv_vjp,), jvp=(_pinv_jvp,),
    batch=broadcasting(2), complex_rules=True,
    math=Math("{0}⁺", tangent=("−{0}⁺ {d} {0}⁺ + {0}⁺{0}⁺ᴴ {d}ᴴ (I − {0}{0}⁺) + (I − {0}⁺{0}) {d}ᴴ {0}⁺ᴴ{0}⁺",),
              adjoint=("−{0}⁺ᵀ {d} {0}⁺ᵀ + the adjoints of the two projector terms",), names=("A",)),
    samples=samples.explicit(
        lambda rng: ((rng.normal(size=(4, 3)),), {"rcond": 1e-15, "hermitian": False}),
        lambda rng: ((rng.normal(size=(2, 3)) + 1j * rng.normal(size=(2, 3)),), {"rcond": 1e-15, "hermitian": False}),
        lambda rng: ((_well_conditioned(rng, 3, 3),), {"rcond": 1e-15, "hermitian": True})))


def pinv(a, rcond=1e-15, hermitian=False):
    """The Moore–Penrose pseudo-inverse A⁺ (singular values below rcond·σ_max dropped).

    dA⁺ = −A⁺ dA A⁺ + A⁺A⁺ᴴ dAᴴ (I − AA⁺) + (I − A⁺A) dAᴴ A⁺ᴴA⁺, valid where the rank is
    locally constant (no singular value crosses the cutoff).
    """
    check_matrix("pinv", a)
    return bind(pinv_p, a, rcond=rcond, hermitian=bool(hermitian))


# ----------------------------------------------------------------------------- lstsq
def _lstsq_impl(a, b, rcond):
    return np.linalg.lstsq(a, b, rcond=rcond)[0]


def _lstsq_vjp(needed, g, ans, a, b, rcond):
    """X = A⁺B: B̄ = A⁺ᵀ Ḡ; Ā is pinv's cotangent for A⁺'s cotangent Ḡ Bᵀ."""
    p = pinv(a, rcond)
    return [_pinv_cotangent(g @ mT(b), p, a) if needed[0] else None, mT(p) @ g if needed[1] else None]


def _lstsq_jvp(tangents, ans, a, b, rcond):
    ta, tb = tangents
    p = pinv(a, rcond)
    total = None if tb is None else p @ tb
    if ta is not None:
        term = _pinv_tangent(ta, p, a) @ b
        total = term if total is None else total + term
    return total


def _lstsq_batch(args, dims, params):
    """NumPy's lstsq takes one matrix at a time: one call per batch element, stacked."""
    moved = [batch_to_front(x, d) if d is not None else None for x, d in zip(args, dims)]
    size = next(x.shape[0] for x in moved if x is not None)
    rows = [bind(lstsq_p, *[x[i] if x is not None else arg for x, arg in zip(moved, args)], **params)
            for i in range(size)]
    return stack(rows), 0


lstsq_p = primitive(
    "lstsq", _lstsq_impl, vjp_joint=_lstsq_vjp, jvp_joint=_lstsq_jvp, batch=_lstsq_batch, complex_rules=True,
    math=Math("{0}⁺ {1}", tangent=("d({0}⁺) {1}", "{0}⁺ {d}"), adjoint=("pinv's cotangent for {d} {1}ᵀ", "{0}⁺ᵀ {d}"),
              names=("A", "B")),
    samples=samples.explicit(
        lambda rng: ((rng.normal(size=(4, 3)), rng.normal(size=(4, 2))), {"rcond": 1e-15})))


def lstsq_rcond(a, rcond):
    """NumPy's cut-off: ``None`` (or a negative value) means machine precision (× max(m, n) for None)."""
    eps = np.finfo(a.dtype).eps
    if rcond is None:
        return float(eps * max(np.shape(a)[-2:]))
    return float(eps) if rcond < 0 else float(rcond)


def lstsq(a, b, rcond=None):
    """The minimum-norm least-squares solution X = A⁺B of A X ≈ B (B a matrix (m, k)).

    Its derivative is pinv's, carried through X = A⁺B: B̄ = A⁺ᵀ Ḡ and Ā the pinv cotangent for
    Ḡ Bᵀ — valid where the rank is locally constant.
    """
    if np.ndim(a) != 2 or np.ndim(b) != 2 or np.shape(b)[0] != np.shape(a)[0]:
        raise ShapeError(f"lstsq: expected a of shape (m, n) and b of shape (m,) or (m, k), got shapes "
                         f"{np.shape(a)} and {np.shape(b)}")
    return bind(lstsq_p, a, b, rcond=lstsq_rcond(a, rcond))
