"""chainrule.numpy.linalg: NumPy's results, names and errors, and gradients through every function
(the primitives' rules are checked by tests/ops; here the compositions and NumPy's parameters)."""

import math

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp

L = cnp.linalg
RNG = np.random.default_rng(0)
A = RNG.normal(size=(4, 4)) + 3 * np.eye(4)
SPD = A @ A.T + np.eye(4)
TALL = RNG.normal(size=(5, 3))
WIDE = RNG.normal(size=(3, 5))
STACK = RNG.normal(size=(2, 4, 3))


def _same(ours, theirs):
    if isinstance(theirs, tuple):
        assert type(ours).__name__ == type(theirs).__name__ and len(ours) == len(theirs)
        for o, t in zip(ours, theirs):
            _same(o, t)
        return
    value = ours.numpy() if isinstance(ours, cr.Tensor) else np.asarray(ours)
    assert value.shape == np.shape(theirs) and value.dtype == np.asarray(theirs).dtype
    np.testing.assert_allclose(value, theirs, rtol=1e-10, atol=1e-12)


RESULTS = [
    ("inv", (A,), {}), ("det", (STACK[:, :3],), {}), ("slogdet", (-A,), {}), ("solve", (A, A[0]), {}),
    ("solve", (np.stack([A, SPD]), TALL[:4]), {}), ("cholesky", (SPD,), {}), ("cholesky", (SPD,), {"upper": True}),
    ("qr", (TALL,), {}), ("qr", (WIDE,), {}), ("qr", (TALL,), {"mode": "complete"}), ("qr", (TALL,), {"mode": "r"}),
    ("eigh", (SPD,), {}), ("eigh", (SPD,), {"UPLO": "U"}), ("eigvalsh", (SPD,), {}), ("eig", (A,), {}),
    ("eigvals", (A,), {}), ("svd", (TALL,), {}), ("svd", (STACK,), {"full_matrices": False}),
    ("svd", (WIDE,), {"compute_uv": False}), ("svd", (SPD,), {"hermitian": True, "compute_uv": False}),
    ("svdvals", (WIDE,), {}), ("pinv", (TALL,), {}), ("pinv", (WIDE,), {"rtol": None}),
    ("pinv", (SPD,), {"hermitian": True}), ("lstsq", (TALL, TALL[:, 0] + 1), {}), ("lstsq", (TALL, TALL[:, :2]), {}),
    ("lstsq", (WIDE, WIDE[:, :2]), {}), ("matrix_power", (A, 0), {}), ("matrix_power", (A, 5), {}),
    ("matrix_power", (A, -3), {}), ("multi_dot", ([TALL[:, 0], TALL, WIDE, TALL[:, 1]],), {}),
    ("multi_dot", ([WIDE, TALL, WIDE],), {}), ("cond", (A,), {}), ("cond", (A,), {"p": 1}),
    ("cond", (A,), {"p": -2}), ("matrix_rank", (TALL @ WIDE,), {}), ("tensorinv", (A.reshape(2, 2, 4),), {"ind": 2}),
    ("tensorsolve", (A.reshape(2, 2, 2, 2), TALL[:2, :2]), {}), ("vector_norm", (STACK,), {"axis": (0, 2), "ord": 3}),
    ("vector_norm", (STACK,), {"keepdims": True}), ("matrix_norm", (STACK,), {"ord": "nuc"}),
    ("diagonal", (WIDE,), {"offset": 1}), ("trace", (TALL,), {"offset": -1}), ("vecdot", (TALL, TALL), {}),
    ("matrix_transpose", (STACK,), {}), ("outer", (TALL[0], WIDE[0]), {}), ("matmul", (STACK, WIDE), {}),
]


@pytest.mark.parametrize("name, args, kwargs", RESULTS, ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(RESULTS)])
def test_results_are_numpys(name, args, kwargs):
    _same(getattr(L, name)(*args, **kwargs), getattr(np.linalg, name)(*args, **kwargs))


@pytest.mark.parametrize("ord", [None, 1, 2, math.inf, -math.inf, 0, 3, -1.5])
def test_vector_norms_are_numpys_and_differentiate(ord):  # noqa: A002
    _same(L.norm(STACK, ord, axis=1, keepdims=True), np.linalg.norm(STACK, ord, axis=1, keepdims=True))
    if ord != 0:  # the count of nonzeros has no derivative
        cr.check_grad(lambda x: L.norm(x, ord, axis=-1).sum(), STACK)


@pytest.mark.parametrize("ord", [None, "fro", "nuc", 1, -1, 2, -2, math.inf, -math.inf])
def test_matrix_norms_are_numpys_and_differentiate(ord):  # noqa: A002
    _same(L.norm(STACK, ord, axis=(2, 1), keepdims=True), np.linalg.norm(STACK, ord, axis=(2, 1), keepdims=True))
    _same(L.norm(TALL, ord), np.linalg.norm(TALL, ord))
    cr.check_grad(lambda x: L.norm(x, ord, axis=(2, 1)).sum(), STACK)


def test_norms_of_complex_values_follow_both_conventions():
    z = RNG.normal(size=(3, 4)) + 1j * RNG.normal(size=(3, 4))
    f = lambda v: L.norm(v) + L.norm(v, "nuc") + L.norm(v, 1, axis=0).sum()  # noqa: E731
    _same(f(cr.tensor(z)), np.linalg.norm(z) + np.linalg.norm(z, "nuc") + np.linalg.norm(z, 1, axis=0).sum())
    cr.check_grad(f, z)
    leaf = cr.tensor(z, requires_grad=True)
    f(leaf).backward()
    np.testing.assert_allclose(leaf.grad.numpy(), np.conj(cr.grad(f)(z).numpy()), rtol=1e-12)


def test_the_two_norm_of_zero_has_gradient_zero_to_second_order():
    zero = np.zeros(3)
    np.testing.assert_array_equal(cr.grad(L.norm)(zero).numpy(), 0)
    np.testing.assert_array_equal(cr.hessian(L.norm)(zero).numpy(), 0)


GRADIENTS = [
    ("inv", lambda x: L.inv(x), A), ("solve", lambda x: L.solve(x, A[0]), A), ("det", L.det, A),
    ("slogdet", lambda x: L.slogdet(x).logabsdet, A), ("cholesky upper", lambda x: L.cholesky(x, upper=True), SPD),
    ("qr r", lambda x: L.qr(x, mode="r"), WIDE), ("eigh", lambda x: L.eigh(x, "U").eigenvalues, SPD),
    ("svd values", lambda x: L.svd(x, compute_uv=False, hermitian=True), SPD),
    ("pinv", lambda x: L.pinv(x, rtol=None), TALL), ("lstsq solution", lambda x: L.lstsq(x, TALL[:, 0] + 1)[0], TALL),
    ("lstsq residuals", lambda x: L.lstsq(x, TALL[:, :2] + 1)[1], TALL), ("lstsq s", lambda x: L.lstsq(x, TALL)[3], TALL),
    ("matrix_power", lambda x: L.matrix_power(x, 5), A), ("matrix_power -2", lambda x: L.matrix_power(x, -2), A),
    ("multi_dot", lambda x: L.multi_dot([x, x.T, x]), TALL), ("cond", lambda x: L.cond(x, "fro"), A),
    ("tensorsolve", lambda x: L.tensorsolve(x.reshape(2, 2, 2, 2), TALL[:2, :2]), A),
    ("tensorinv", lambda x: L.tensorinv(x.reshape(2, 2, 4)), A), ("trace", lambda x: L.trace(x, offset=1), WIDE),
    ("vector_norm", lambda x: L.vector_norm(x, ord=3), TALL),
]


@pytest.mark.parametrize("name, f, x", GRADIENTS, ids=[g[0] for g in GRADIENTS])
def test_gradients_through_numpys_parameters_match_finite_differences(name, f, x):
    weights = np.random.default_rng(1).normal(size=np.shape(f(cr.tensor(x))))
    cr.check_grad(lambda v: (f(v) * cr.tensor(weights)).sum(), x)


def test_numpy_functions_on_tensors_run_chainrules_versions():
    x = cr.tensor(A, requires_grad=True)
    (np.linalg.det(x) + np.linalg.norm(x, 2) + np.linalg.svd(x).S.sum()).backward()  # d‖A‖₂ = u₁v₁ᵀ, d Σσ = UVᵀ
    u, _, vh = np.linalg.svd(A)
    expected = np.linalg.det(A) * np.linalg.inv(A).T + np.outer(u[:, 0], vh[0]) + u @ vh
    np.testing.assert_allclose(x.grad.numpy(), expected, rtol=1e-9)


def test_failures_name_the_function_and_are_numpys_linalg_errors():
    with pytest.raises(np.linalg.LinAlgError, match="inv: .*Singular matrix"):
        L.inv(np.zeros((2, 2)))
    with pytest.raises(np.linalg.LinAlgError, match="cholesky: .*not positive definite"):
        L.cholesky(-np.eye(2))
    with pytest.raises(ValueError, match=r"det: expected a square matrix .* got shape \(2, 3\)"):
        L.det(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"solve: .* got shape \(2,\)"):
        L.solve(np.eye(3), np.ones(2))
    with pytest.raises(ValueError, match="invalid norm order 'nuc' for vectors"):
        L.norm(np.ones(3), "nuc")
    with pytest.raises(TypeError, match="mode='raw'"):
        L.qr(np.eye(2), mode="raw")
    with pytest.raises(TypeError, match="matrix_power: the exponent must be an integer"):
        L.matrix_power(np.eye(2), 0.5)


def test_vmap_of_a_per_example_gradient_equals_the_loop():
    stack = RNG.normal(size=(3, 4, 4)) + 4 * np.eye(4)
    per_example = cr.vmap(cr.grad(lambda a: L.slogdet(a).logabsdet + L.norm(a, 2)))(stack).numpy()
    looped = np.stack([cr.grad(lambda a: L.slogdet(a).logabsdet + L.norm(a, 2))(a).numpy() for a in stack])
    np.testing.assert_allclose(per_example, looped, rtol=1e-12)
    np.testing.assert_allclose(cr.vmap(lambda a: L.lstsq(a, a[:, 0])[0])(stack).numpy(),
                               np.stack([np.linalg.lstsq(a, a[:, 0])[0] for a in stack]), rtol=1e-10)
