"""Complex numbers: the function transforms follow JAX, the eager tape and optimizers PyTorch;
an op whose rules do not hold for complex values refuses to differentiate through them."""

import numpy as np
import pytest

import chainrule as cr

DFT = np.fft.fft(np.eye(8))


def test_parseval_gradient_through_a_dft_matrix():
    # Σ |F X|² = n Σ X² (Parseval), so the gradient is 2nX
    x = np.random.default_rng(0).normal(size=8)
    g = cr.grad(lambda v: (cr.abs(cr.tensor(DFT) @ v) ** 2).sum())(x)
    np.testing.assert_allclose(g.numpy(), 2 * 8 * x, rtol=1e-12)


def test_grad_of_a_complex_valued_function_raises_unless_holomorphic():
    with pytest.raises(TypeError, match="holomorphic=True"):
        cr.grad(lambda v: (cr.tensor(DFT[0]) @ v))(np.ones(8))
    z = np.array([1.0 + 2.0j, -0.5 + 0.25j])
    np.testing.assert_allclose(cr.grad(lambda v: (v * v * v).sum(), holomorphic=True)(z).numpy(), 3 * z ** 2)
    with pytest.raises(TypeError, match="complex inputs"):
        cr.grad(lambda v: v.sum(), holomorphic=True)(np.ones(2))


def test_grad_follows_jax_and_backward_follows_pytorch():
    z0 = np.array([3.0 + 4.0j])
    np.testing.assert_allclose(cr.grad(lambda v: (cr.abs(v) ** 2).sum())(z0).numpy(), [6.0 - 8.0j])
    z = cr.tensor(z0, requires_grad=True)
    (cr.abs(z) ** 2).sum().backward()
    np.testing.assert_allclose(z.grad.numpy(), [6.0 + 8.0j])     # a step z − lr·grad goes downhill


def test_gradient_descent_on_a_complex_parameter_goes_downhill():
    target = np.array([1.0 - 2.0j, 0.5 + 0.5j])
    z = cr.tensor(np.zeros(2, np.complex128), requires_grad=True)
    opt = cr.optim.SGD([z], lr=0.25)
    for _ in range(50):
        opt.zero_grad()
        (cr.abs(z - cr.tensor(target)) ** 2).sum().backward()
        opt.step()
    np.testing.assert_allclose(z.numpy(), target, atol=1e-8)


def test_real_imag_and_conj_against_finite_differences_in_both_parts():
    z = np.array([0.3 - 1.2j, 2.0 + 0.5j])
    for f in (lambda v: (cr.real(v) ** 2 + 3 * cr.imag(v)).sum(),
              lambda v: cr.real((cr.conj(v) * v * v).sum()),
              lambda v: cr.abs(cr.exp(v) * cr.sin(v)).sum()):
        cr.check_grad(f, z, order=2)


def test_ops_without_complex_rules_refuse_to_differentiate_through_complex_values():
    z = cr.tensor(np.array([1.0 + 1.0j]), requires_grad=True)
    with pytest.raises(TypeError, match="relu: differentiating through complex values"):
        cr.relu(z)
    with pytest.raises(TypeError, match="maximum"):
        cr.grad(lambda v: cr.abs(cr.maximum(v, v)).sum())(np.array([1.0 + 1.0j]))
    np.testing.assert_array_equal(cr.relu(cr.tensor(np.array([1.0 + 1.0j]))).numpy(), [1.0 + 1.0j])  # no gradient: fine
