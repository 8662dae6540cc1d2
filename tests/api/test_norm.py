"""norm: PyTorch's vector p-norms over all elements or along dim, with a zero gradient where the
derivative is 0/0 (at x = 0) instead of NaN."""

import numpy as np
import pytest

import chainrule as cr
from helpers import check_gradient

RNG = np.random.default_rng(4)
X = RNG.normal(size=(3, 4))


@pytest.mark.parametrize("p", ["fro", 2, 1, 3, 0.5, np.inf, -np.inf])
def test_norm_of_all_elements_is_numpys_vector_norm(p):
    expected = np.linalg.norm(X.ravel(), 2 if p == "fro" else p)
    np.testing.assert_allclose(cr.tensor(X).norm(p).numpy(), expected, rtol=1e-12)
    check_gradient(lambda v: v.norm(p), X)


@pytest.mark.parametrize("p, dim", [(2, 1), (1, 0), (3, (0, 1)), ("fro", [0, 1]), (np.inf, -1)])
def test_norm_along_dim_with_and_without_keepdim(p, dim):
    axis = tuple(dim) if isinstance(dim, list) else dim
    expected = np.linalg.norm(X, 2 if p == "fro" else p, axis=axis) if isinstance(axis, int) else \
        np.sum(np.abs(X) ** (2 if p == "fro" else p), axis=axis) ** (1 / (2 if p == "fro" else p))
    np.testing.assert_allclose(cr.norm(X, p, dim=dim).numpy(), expected, rtol=1e-12)
    assert cr.norm(X, p, dim=dim, keepdim=True).shape == np.expand_dims(expected, axis).shape
    check_gradient(lambda v: v.norm(p, dim=dim), X)


def test_norm_zero_counts_nonzero_elements_without_a_gradient():
    x = cr.tensor([1.0, 0.0, -2.0], requires_grad=True)
    n = x.norm(0)
    assert n.item() == 2.0 and n.dtype == np.float32 and not n.requires_grad


@pytest.mark.parametrize("p", [2, 3, 0.5])
def test_norm_gradient_at_zero_is_zero_not_nan(p):
    x = cr.tensor([0.0, 0.0, 0.0], requires_grad=True)
    x.norm(p).backward()
    np.testing.assert_array_equal(x.grad.numpy(), 0.0)
    y = cr.tensor([1.0, 0.0, 2.0], requires_grad=True)
    y.norm(p).backward()
    assert np.isfinite(y.grad.numpy()).all() and y.grad.numpy()[1] == 0.0


def test_norm_second_derivative_is_exact():
    check_gradient(lambda v: v.norm(), X, order=2)


def test_norm_refuses_integer_tensors_and_unknown_p():
    with pytest.raises(TypeError, match="norm: expected a floating or complex tensor, got int64"):
        cr.tensor([3, 4]).norm()
    with pytest.raises(ValueError, match="norm: p must be 'fro' or a number, got 'nuc' .*SVD"):
        cr.tensor(X).norm("nuc")
    assert cr.tensor([3, 4]).norm(dtype=np.float64).item() == 5.0


@pytest.mark.parametrize("p", ["fro", 1, 3, 0.5, float("inf")])
def test_norm_matches_pytorch_including_its_zero_subgradient(against_torch, torch, p):
    x = X.copy()
    x[0, 1] = 0.0
    against_torch(lambda v: v.norm(p, dim=1), lambda v: v.norm(p, dim=1), x)
    against_torch(lambda v: v.norm(p), lambda v: v.norm(p), np.zeros((2, 2)))
