"""inv, solve, det, slogdet, pinv, lstsq: the closed forms of their derivatives, complex values in both
conventions, and their batching rules (the registry test checks every view against finite differences)."""

import numpy as np
import pytest

import chainrule as cr
from chainrule.ops import inverses
from helpers import check_batching_rule

RNG = np.random.default_rng(0)
A = RNG.normal(size=(4, 4)) + 4 * np.eye(4)
DA = RNG.normal(size=(4, 4))


def test_the_tangent_of_the_determinant_is_det_times_the_trace_of_inverse_times_the_tangent():
    _, tangent = cr.jvp(inverses.det, (A,), (DA,))
    expected = np.linalg.det(A) * np.trace(np.linalg.inv(A) @ DA)
    np.testing.assert_allclose(tangent.item(), expected, rtol=1e-12)
    np.testing.assert_allclose(cr.grad(inverses.det)(A).numpy(), np.linalg.det(A) * np.linalg.inv(A).T, rtol=1e-12)


def test_the_tangent_of_the_inverse_is_minus_inverse_tangent_inverse():
    _, tangent = cr.jvp(inverses.inv, (A,), (DA,))
    a_inv = np.linalg.inv(A)
    np.testing.assert_allclose(tangent.numpy(), -a_inv @ DA @ a_inv, rtol=1e-12)
    g = RNG.normal(size=(4, 4))
    _, vjp = cr.vjp(inverses.inv, A)
    np.testing.assert_allclose(vjp(g)[0].numpy(), -a_inv.T @ g @ a_inv.T, rtol=1e-12)


def test_the_gradient_of_a_solve_is_a_solve_with_the_transpose():
    b = RNG.normal(size=(4, 2))
    g = RNG.normal(size=(4, 2))
    _, vjp = cr.vjp(inverses.solve, A, b)
    a_bar, b_bar = vjp(g)
    x = np.linalg.solve(A, b)
    np.testing.assert_allclose(b_bar.numpy(), np.linalg.solve(A.T, g), rtol=1e-12)
    np.testing.assert_allclose(a_bar.numpy(), -np.linalg.solve(A.T, g) @ x.T, rtol=1e-12)


def test_the_log_determinant_of_a_negative_determinant_matrix_has_gradient_inverse_transpose():
    a = -A  # det < 0 (n = 4: det(−A) = det A > 0, so flip one row)
    a[0] *= -1
    packed = inverses.slogdet(cr.tensor(a))
    assert packed.numpy()[0] == -1.0
    grad = cr.grad(lambda m: inverses.slogdet(m)[1])(a)
    np.testing.assert_allclose(grad.numpy(), np.linalg.inv(a).T, rtol=1e-12)


def test_complex_determinants_follow_jax_in_grad_and_pytorch_in_backward():
    z = RNG.normal(size=(3, 3)) + 1j * RNG.normal(size=(3, 3)) + 3 * np.eye(3)

    def f(m):  # a real function of the complex log-determinant and the sign
        packed = inverses.slogdet(m)
        return cr.real(packed[1]) + cr.imag(packed[0]) + cr.abs(inverses.det(m))

    cr.check_grad(f, z)  # cr.grad against finite differences in the real and imaginary parts
    leaf = cr.tensor(z, requires_grad=True)
    f(leaf).backward()
    np.testing.assert_allclose(leaf.grad.numpy(), np.conj(cr.numerical_grad(f, z).numpy()), rtol=1e-6)


def test_pinv_of_a_full_rank_tall_matrix_differentiates_as_the_left_inverse():
    tall = RNG.normal(size=(5, 3))
    left_inverse = lambda m: inverses.inv(m.T @ m) @ m.T  # noqa: E731 (A⁺ = (AᵀA)⁻¹Aᵀ at full column rank)
    g = RNG.normal(size=(3, 5))
    _, ours = cr.vjp(lambda m: inverses.pinv(m), tall)
    _, reference = cr.vjp(left_inverse, tall)
    np.testing.assert_allclose(ours(g)[0].numpy(), reference(g)[0].numpy(), rtol=1e-9)


@pytest.mark.parametrize("prim", [inverses.inv_p, inverses.solve_p, inverses.det_p, inverses.slogdet_p,
                                  inverses.pinv_p, inverses.lstsq_p], ids=lambda p: p.name)
def test_the_batching_rule_equals_the_examples_stacked(prim):
    check_batching_rule(prim)
    if prim in (inverses.solve_p, inverses.lstsq_p):
        check_batching_rule(prim, batched_args=(1,))  # the matrix shared by every example
