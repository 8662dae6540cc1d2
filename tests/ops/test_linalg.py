"""matmul's VJP for every rank combination NumPy allows (the registry samples cover them too)."""

import numpy as np
import pytest

import chainrule as cr

SHAPES = [((3,), (2, 3, 4)), ((3,), (5, 2, 3, 4)), ((2, 4, 3), (3,)), ((3,), (3,)), ((2, 3), (3,)),
          ((3,), (3, 4)), ((2, 1, 2, 3), (3, 3, 2)), ((2, 3), (4, 3, 2)), ((4, 2, 3), (3, 2))]


@pytest.mark.parametrize("a_shape, b_shape", SHAPES, ids=str)
def test_matmul_gradients_match_finite_differences_for_every_rank_combination(a_shape, b_shape):
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=a_shape), rng.normal(size=b_shape)
    weights = rng.normal(size=np.matmul(a, b).shape)
    f = lambda a, b: (cr.matmul(a, b) * cr.tensor(weights)).sum()  # noqa: E731
    cr.check_grad(f, a, b, order=2)
    ta, tb = cr.tensor(a, requires_grad=True), cr.tensor(b, requires_grad=True)
    f(ta, tb).backward()
    expected = cr.numerical_grad(f, a, b, argnums=(0, 1))
    np.testing.assert_allclose(ta.grad.numpy(), expected[0].numpy(), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(tb.grad.numpy(), expected[1].numpy(), rtol=1e-6, atol=1e-8)
