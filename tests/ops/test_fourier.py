"""fft, ifft, rfft, irfft: Parseval's identity and its gradient, complex values by both conventions,
reverse modes that are transforms (never dense matrices), and the batching rules."""

import numpy as np
import pytest

import chainrule as cr
from chainrule.ops import fourier
from helpers import check_batching_rule

RNG = np.random.default_rng(0)
X = RNG.normal(size=(3, 8))
Z = RNG.normal(size=(3, 8)) + 1j * RNG.normal(size=(3, 8))


def _energy(y):
    return (cr.abs(y) ** 2).sum()


@pytest.mark.parametrize("norm, scale", [("backward", 8.0), ("ortho", 1.0), ("forward", 1 / 8)])
def test_parseval_and_its_gradient_for_real_and_complex_signals(norm, scale):
    # Σ_k |X_k|² = scale · Σ_j |x_j|², so ∇ = 2·scale·x; for complex z, cr.grad gives ∂/∂x − i∂/∂y = 2·scale·z̄
    energy = lambda v: _energy(fourier.fft(v, (1,), norm))  # noqa: E731
    np.testing.assert_allclose(energy(cr.tensor(X)).item(), scale * np.sum(X ** 2), rtol=1e-12)
    np.testing.assert_allclose(cr.grad(energy)(X).numpy(), 2 * scale * X, rtol=1e-12)
    np.testing.assert_allclose(cr.grad(energy)(Z).numpy(), 2 * scale * np.conj(Z), rtol=1e-12)
    leaf = cr.tensor(Z, requires_grad=True)
    energy(leaf).backward()                              # PyTorch's .grad, the conjugate: a step downhill
    np.testing.assert_allclose(leaf.grad.numpy(), 2 * scale * Z, rtol=1e-12)


def test_parseval_for_the_half_spectrum_of_a_real_signal():
    # Σ_j x_j² = (1/n) Σ_k w_k |X_k|² over the n//2 + 1 kept frequencies, w = 1 at 0 and n/2, 2 elsewhere
    for n in (8, 7):
        x = X[:, :n]
        weights = cr.tensor(fourier.half_spectrum_weights(n, 2.0, np.float64))
        energy = lambda v: ((cr.abs(fourier.rfft(v, (1,))) ** 2) * weights).sum() / n  # noqa: E731
        np.testing.assert_allclose(energy(cr.tensor(x)).item(), np.sum(x ** 2), rtol=1e-12)
        np.testing.assert_allclose(cr.grad(energy)(x).numpy(), 2 * x, rtol=1e-12)


@pytest.mark.parametrize("transform", [
    lambda v: fourier.fft(v, (0, 1), "ortho"), lambda v: fourier.ifft(v, (1,)),
    lambda v: fourier.irfft(v, (1,), 14, "forward"), lambda v: fourier.irfft(v, (0, 1), 15)],
    ids=["fft", "ifft", "irfft-even", "irfft-odd"])
def test_complex_inputs_against_finite_differences_in_real_and_imaginary_parts(transform):
    weights = cr.tensor(np.random.default_rng(1).normal(size=np.shape(transform(cr.tensor(Z)))))
    f = lambda v: cr.real((transform(v) * weights).sum()) + _energy(transform(v))  # noqa: E731
    cr.check_grad(f, Z, order=2)
    leaf = cr.tensor(Z, requires_grad=True)
    f(leaf).backward()
    np.testing.assert_allclose(leaf.grad.numpy(), np.conj(cr.grad(f)(Z).numpy()), rtol=1e-12)


def test_irfft_ignores_the_imaginary_parts_at_frequencies_zero_and_nyquist():
    g = cr.grad(lambda v: _energy(fourier.irfft(v, (1,), 14)))(Z).numpy()
    np.testing.assert_array_equal(g[:, 0].imag, 0)
    np.testing.assert_array_equal(g[:, 7].imag, 0)


@pytest.mark.parametrize("transform", [lambda v: fourier.rfft(v, (1,)), lambda v: fourier.fft(v, (1,))],
                         ids=["rfft", "fft"])
def test_reverse_mode_is_a_transform_never_a_dense_matrix(transform):
    gradient_graph = cr.trace(cr.grad(lambda v: _energy(transform(v))), X)
    used = {node.prim.name for node in gradient_graph.nodes}
    assert used & {"fft", "ifft", "rfft", "irfft"}
    assert not used & {"matmul", "einsum"}


@pytest.mark.parametrize("prim", [fourier.fft_p, fourier.ifft_p, fourier.rfft_p, fourier.irfft_p],
                         ids=lambda p: p.name)
def test_the_batching_rule_equals_the_examples_stacked(prim):
    check_batching_rule(prim)
