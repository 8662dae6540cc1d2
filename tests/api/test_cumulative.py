"""cumsum as PyTorch users call it (cr.cumsum(x, dim), x.cumsum(dim)): running sums against np.cumsum,
with the gradient (the running sum from the other end)."""

import numpy as np
import pytest

import chainrule as cr
from helpers import check_gradient

RNG = np.random.default_rng(8)


@pytest.mark.parametrize("n", [1, 2, 3, 5, 8, 13, 64, 100])
def test_cumsum_matches_numpy_for_any_length(n):
    x = RNG.normal(size=n)
    np.testing.assert_allclose(cr.cumsum(x, dim=0).numpy(), np.cumsum(x), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("dim", [0, 1, -1])
def test_cumsum_along_dim_and_its_gradient(dim):
    x = RNG.normal(size=(3, 5, 2))
    np.testing.assert_allclose(cr.tensor(x).cumsum(dim).numpy(), np.cumsum(x, axis=dim), rtol=1e-12)
    check_gradient(lambda v: v.cumsum(dim), x, order=2)


def test_cumsum_gradient_is_the_running_sum_from_the_end():
    x = cr.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    (x.cumsum(0) * cr.tensor([1.0, 10.0, 100.0, 1000.0])).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [1111.0, 1110.0, 1100.0, 1000.0])


def test_cumsum_without_dim_runs_over_the_flattened_tensor_as_numpy():
    x = RNG.normal(size=(2, 3))
    np.testing.assert_allclose(cr.cumsum(x).numpy(), np.cumsum(x), rtol=1e-12)
    np.testing.assert_allclose(cr.cumsum(x, axis=1).numpy(), np.cumsum(x, axis=1), rtol=1e-12)


def test_cumsum_sums_booleans_and_integers_in_int64_and_keeps_float32():
    assert cr.tensor([True, False, True]).cumsum(0).tolist() == [1, 1, 2]
    assert cr.tensor(np.array([1, 2, 3], np.int32)).cumsum(0).dtype == np.int64
    assert cr.tensor([1.0, 2.0]).cumsum(0).dtype == np.float32
    assert cr.tensor([1, 2]).cumsum(0, dtype=np.float64).dtype == np.float64


def test_cumsum_takes_a_few_ops_not_one_per_element():
    graphs = {n: cr.trace(lambda v: cr.cumsum(v, 0), np.ones(n)) for n in (1024, 2048)}
    assert len(graphs[2048].nodes) - len(graphs[1024].nodes) <= 15  # doubling n adds one level
    np.testing.assert_array_equal(graphs[1024](np.ones(1024)).numpy(), np.arange(1, 1025))


def test_cumsum_matches_pytorch(against_torch, torch):
    against_torch(lambda v: v.cumsum(1), lambda v: v.cumsum(1), RNG.normal(size=(3, 7)))
