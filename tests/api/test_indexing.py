"""PyTorch's indexing functions: masked_fill, index_select, gather and scatter_add — values against
NumPy's indexing, gradients against finite differences, and against PyTorch where installed."""

import numpy as np
import pytest

import chainrule as cr
from helpers import check_gradient

RNG = np.random.default_rng(11)
M = RNG.normal(size=(3, 4))
INDEX = np.array([[0, 2, 2], [1, 0, 3], [3, 3, 3]])  # repeats, to check that gradients accumulate


def test_masked_fill_puts_the_value_where_the_mask_is_true_and_keeps_the_dtype():
    x = cr.tensor(M.astype(np.float32))
    mask = x > 0
    out = x.masked_fill(mask, -np.inf)
    np.testing.assert_array_equal(out.numpy(), np.where(M > 0, -np.inf, M).astype(np.float32))
    assert out.dtype == np.float32
    assert cr.tensor([1, 2, 3]).masked_fill(cr.tensor([True, False, True]), 0.7).tolist() == [0, 2, 0]
    check_gradient(lambda v: v.masked_fill(cr.tensor(M > 0), 0.5), M)


def test_masked_fill_broadcasts_the_mask_and_passes_a_tensor_values_gradient():
    row_mask = np.array([True, False, False, True])
    np.testing.assert_array_equal(cr.masked_fill(M, row_mask, 0.0).numpy(), np.where(row_mask, 0.0, M))
    check_gradient(lambda v, value: v.masked_fill(cr.tensor(row_mask), value), M, np.array(2.0))


@pytest.mark.parametrize("mask, value, kind, match", [
    (np.ones((3, 4), int), 0.0, TypeError, "mask must be a boolean tensor"),
    (np.ones((2, 3, 4), bool), 0.0, ValueError, "mask of shape \\(2, 3, 4\\) does not broadcast"),
    (np.ones(5, bool), 0.0, ValueError, "mask of shape \\(5,\\) does not broadcast"),
    (np.ones((3, 4), bool), np.zeros(2), ValueError, "value must be a number or a 0-d tensor")])
def test_masked_fill_refuses_bad_masks_and_values_naming_them(mask, value, kind, match):
    with pytest.raises(kind, match=f"masked_fill: .*{match}"):
        cr.tensor(M).masked_fill(mask, value)


def test_index_select_takes_whole_slices_along_dim():
    x = cr.tensor(M)
    np.testing.assert_array_equal(x.index_select(1, cr.tensor([3, 0, 3])).numpy(), M[:, [3, 0, 3]])
    np.testing.assert_array_equal(cr.index_select(x, 0, cr.tensor(1)).numpy(), M[[1]])
    check_gradient(lambda v: v.index_select(1, cr.tensor([3, 0, 3])), M)


@pytest.mark.parametrize("index, kind, match", [(np.array([0.0]), TypeError, "index must hold integers"),
                                                (np.zeros((1, 1), int), ValueError, "index must be 1-D")])
def test_index_select_refuses_bad_indices(index, kind, match):
    with pytest.raises(kind, match=f"index_select: {match}"):
        cr.tensor(M).index_select(0, index)


@pytest.mark.parametrize("dim", [0, 1, -1])
def test_gather_reads_along_dim_as_take_along_axis(dim):
    index = INDEX if dim == 1 or dim == -1 else INDEX[:, :3] % 3
    np.testing.assert_array_equal(cr.tensor(M).gather(dim, cr.tensor(index)).numpy(),
                                  np.take_along_axis(M[:, :index.shape[1]] if dim == 0 else M, index, axis=dim))
    check_gradient(lambda v: v.gather(dim, cr.tensor(index)), M)


def test_gather_accepts_an_index_smaller_than_the_input_off_dim():
    np.testing.assert_array_equal(cr.gather(M, 1, np.array([[1], [0]])).numpy(), [[M[0, 1]], [M[1, 0]]])
    with pytest.raises(ValueError, match="gather: index of shape \\(2, 5\\)"):
        cr.gather(M, 0, np.zeros((2, 5), int))


def test_scatter_add_accumulates_repeated_positions():
    src = RNG.normal(size=(3, 3))
    expected = M.copy()
    for i in range(3):
        for j in range(3):
            expected[i, INDEX[i, j]] += src[i, j]
    np.testing.assert_allclose(cr.tensor(M).scatter_add(1, cr.tensor(INDEX), cr.tensor(src)).numpy(), expected)
    check_gradient(lambda v, s: v.scatter_add(1, cr.tensor(INDEX), s), M, src)


def test_scatter_add_uses_the_leading_block_of_a_larger_src_and_refuses_other_dtypes():
    src = RNG.normal(size=(2, 5))
    out = cr.scatter_add(np.zeros((3, 4)), 0, np.array([[0, 2], [2, 2]]), src)
    np.testing.assert_allclose(out.numpy()[:, :2], [[src[0, 0], 0], [0, 0], [src[1, 0], src[0, 1] + src[1, 1]]])
    with pytest.raises(TypeError, match="scatter_add: src \\(float32\\) must have the input's dtype"):
        cr.scatter_add(np.zeros((3, 4)), 0, np.array([[0]]), np.ones((1, 1), np.float32))


def test_gather_and_scatter_add_match_pytorch(against_torch, torch):
    index = torch.tensor(INDEX)
    against_torch(lambda v: v.gather(1, cr.tensor(INDEX)), lambda v: v.gather(1, index), M)
    src = RNG.normal(size=(3, 3))
    against_torch(lambda v, s: v.scatter_add(1, cr.tensor(INDEX), s), lambda v, s: v.scatter_add(1, index, s), M, src)
    against_torch(lambda v: v.masked_fill(cr.tensor(M > 0), 3.0).index_select(0, cr.tensor([2, 0])),
                  lambda v: v.masked_fill(torch.tensor(M > 0), 3.0).index_select(0, torch.tensor([2, 0])), M)
