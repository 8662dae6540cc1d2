"""toeplitz: the banded matrix W with W @ x == conv1d(x, kernel)."""

import numpy as np
import pytest

import chainrule as cr
from chainrule.nn import functional as F

RNG = np.random.default_rng(1)


@pytest.mark.parametrize("n,k,padding", [(8, 3, 0), (8, 3, 1), (7, 4, 2), (9, 5, "same"), (6, 4, "same"),
                                         (5, 5, 0), (6, 2, "valid")])
def test_toeplitz_times_x_equals_conv1d(n, k, padding):
    kernel, x = RNG.normal(size=k), RNG.normal(size=n)
    W = F.toeplitz(kernel, n, padding)
    p = 0 if padding == "valid" else (k - 1) / 2 if padding == "same" else padding
    assert W.shape == (int(n + 2 * p - k + 1), n)
    np.testing.assert_allclose((W @ x).numpy(), F.conv1d(x, kernel, padding=padding).numpy(), rtol=1e-12, atol=1e-12)


def test_toeplitz_is_the_banded_matrix_of_shifted_kernels():
    W = F.toeplitz(np.array([1.0, 2.0, 3.0]), 5)
    np.testing.assert_array_equal(W.numpy(), [[1, 2, 3, 0, 0], [0, 1, 2, 3, 0], [0, 0, 1, 2, 3]])


def test_toeplitz_is_differentiable_in_the_kernel():
    x, a = RNG.normal(size=6), RNG.normal(size=6)
    kernel = cr.tensor(RNG.normal(size=3), requires_grad=True)
    (a @ (F.toeplitz(kernel, 6, padding=1) @ x)).backward()
    # d/dkernel[t] of a·(W x) = Σ_i a_i x_pad[i + t]
    x_pad = np.pad(x, 1)
    np.testing.assert_allclose(kernel.grad.numpy(), [a @ x_pad[t:t + 6] for t in range(3)], rtol=1e-12)
    cr.check_grad(lambda k: (F.toeplitz(k, 6, "same") @ x).sum() ** 2, kernel.numpy(), order=2)


def test_toeplitz_refuses_a_kernel_longer_than_the_padded_input():
    with pytest.raises(ValueError, match="shorter than the kernel"):
        F.toeplitz(np.ones(5), 3)
