"""cholesky, qr, eigh, eigvalsh, eig, eigvals, svd, svdvals: closed-form derivatives on well-separated
spectra, complex values by JAX's and PyTorch's conventions, the triangle LAPACK reads, the vectors
held constant, and the batching rules (the registry test checks every view against finite differences)."""

import numpy as np
import pytest

import chainrule as cr
from chainrule.ops import decompositions as dec
from helpers import check_batching_rule

RNG = np.random.default_rng(0)
Q, _ = np.linalg.qr(RNG.normal(size=(4, 4)))
SYMMETRIC = (Q * np.array([1.0, 2.5, 4.0, 6.0])) @ Q.T          # eigenvalues 1, 2.5, 4, 6: well separated
TALL = RNG.normal(size=(5, 3))
HERMITIAN = (lambda m: m @ m.conj().T + np.diag([1.0, 3.0, 6.0]))(RNG.normal(size=(3, 3)) + 1j * RNG.normal(size=(3, 3)))
COMPLEX_TALL = RNG.normal(size=(4, 3)) + 1j * RNG.normal(size=(4, 3))


def _eigenvalue_sum(a):  # Σ λ_k³ = tr A³ for a symmetric A, whose gradient is 3 (A²) read from the lower triangle
    w, _ = dec.eigh_parts(dec.eigh(a), a.shape[-1])
    return (w ** 3).sum()


def test_the_eigenvalues_of_a_symmetric_matrix_differentiate_as_the_trace_of_its_cube():
    g = cr.grad(_eigenvalue_sum)(SYMMETRIC).numpy()
    full = 3 * SYMMETRIC @ SYMMETRIC          # the gradient for symmetric perturbations
    lower = np.tril(full + full.T, -1) + np.diag(np.diag(full))   # each lower entry stands for two
    np.testing.assert_allclose(g, lower, rtol=1e-10)


def test_the_eigenvectors_match_first_order_perturbation_theory():
    # dv_i = Σ_{j≠i} v_j (v_jᵀ dA v_i) / (λ_i − λ_j) for a symmetric dA
    da = RNG.normal(size=(4, 4))
    da = da + da.T
    w, v = np.linalg.eigh(SYMMETRIC)
    _, tangent = cr.jvp(lambda a: dec.eigh(a), (SYMMETRIC,), (da,))
    _, dv = dec.eigh_parts(tangent, 4)
    expected = np.stack([sum(v[:, j] * (v[:, j] @ da @ v[:, i]) / (w[i] - w[j]) for j in range(4) if j != i)
                         for i in range(4)], axis=1)
    np.testing.assert_allclose(dv.numpy(), expected, rtol=1e-9, atol=1e-12)


def test_the_nuclear_norm_has_gradient_u_vt():
    u, _, vh = np.linalg.svd(TALL, full_matrices=False)
    g = cr.grad(lambda a: dec.svdvals(a).sum())(TALL)
    np.testing.assert_allclose(g.numpy(), u @ vh, rtol=1e-10)


def test_singular_vectors_against_finite_differences_on_a_well_separated_spectrum():
    weights = RNG.normal(size=(5 * 3 + 3 + 3 * 3,))
    cr.check_grad(lambda a: (dec.svd(a, full_matrices=False) * cr.tensor(weights)).sum(), TALL @ np.diag([1, 3, 6]))


def _phase_free(parts):
    """A real function of a decomposition's values and the moduli of its vectors, which do not
    depend on the phase that LAPACK picks for each complex vector."""
    return sum((cr.abs(p) ** 2 * cr.tensor(np.random.default_rng(k).normal(size=p.shape))).sum()
               for k, p in enumerate(parts))


@pytest.mark.parametrize("decompose", [
    lambda a: dec.eigh_parts(dec.eigh(a), 3),
    lambda a: dec.svd_parts(dec.svd(a, full_matrices=False), 3, 3),
    lambda a: (dec.eigvalsh(a), dec.svdvals(a)),
], ids=["eigh", "svd", "values"])
def test_complex_decompositions_follow_jax_in_grad_and_pytorch_in_backward(decompose):
    f = lambda a: _phase_free(decompose(a))  # noqa: E731
    cr.check_grad(f, HERMITIAN)        # cr.grad against finite differences in the real and imaginary parts
    numerical = cr.numerical_grad(f, HERMITIAN).numpy()
    leaf = cr.tensor(HERMITIAN, requires_grad=True)
    f(leaf).backward()                 # PyTorch's .grad: the conjugate
    np.testing.assert_allclose(leaf.grad.numpy(), np.conj(numerical), rtol=1e-5, atol=1e-7)


def test_complex_qr_and_eig_match_lapacks_normalization_so_every_entry_differentiates():
    weights = RNG.normal(size=(4 * 3 + 3 * 3,)) + 1j * RNG.normal(size=(4 * 3 + 3 * 3,))
    cr.check_grad(lambda a: cr.real((dec.qr(a) * cr.tensor(weights)).sum()), COMPLEX_TALL)
    square = COMPLEX_TALL[:3] + np.diag([0.0, 2.0, 4.0])
    cr.check_grad(lambda a: cr.real((dec.eig(a) * cr.tensor(weights[:12])).sum()), square)


def test_cholesky_reads_only_the_lower_triangle():
    a = SYMMETRIC + np.triu(RNG.normal(size=(4, 4)), 1)       # noise above the diagonal, never read
    g = cr.grad(lambda m: (dec.cholesky(m) ** 2).sum())(a).numpy()
    assert np.all(np.triu(g, 1) == 0)
    cr.check_grad(lambda m: (dec.cholesky(m) ** 2).sum(), a)


def test_the_extra_vectors_of_a_complete_basis_are_held_constant():
    k = 3
    f_extra = lambda a: (dec.svd_parts(dec.svd(a, True), 5, 3, True)[0][:, k:] ** 2).sum()  # noqa: E731
    np.testing.assert_array_equal(cr.grad(f_extra)(TALL).numpy(), 0)
    f_kept = lambda a: (dec.qr_parts(dec.qr(a, complete=True), 5, 3, True)[0][:, :k] * 1.5).sum()  # noqa: E731
    f_reduced = lambda a: (dec.qr_parts(dec.qr(a), 5, 3)[0] * 1.5).sum()  # noqa: E731
    np.testing.assert_allclose(cr.grad(f_kept)(TALL).numpy(), cr.grad(f_reduced)(TALL).numpy(), rtol=1e-12)


@pytest.mark.parametrize("prim", [dec.cholesky_p, dec.qr_p, dec.eigh_p, dec.eigvalsh_p, dec.eig_p, dec.eigvals_p,
                                  dec.svd_p, dec.svdvals_p], ids=lambda p: p.name)
def test_the_batching_rule_equals_the_examples_stacked(prim):
    check_batching_rule(prim)
