"""PyTorch's shape functions and methods: unsqueeze, permute, t, flatten, cat, chunk, split, repeat,
expand, transpose(dim0, dim1) and the ``dim`` spelling of NumPy-named ops — values against NumPy,
gradients against finite differences, and (where installed) both against PyTorch."""

import numpy as np
import pytest

import chainrule as cr
from helpers import check_gradient

RNG = np.random.default_rng(5)
X = RNG.normal(size=(2, 3, 4))


def test_unsqueeze_adds_an_axis_at_dim_counting_from_either_end():
    x = cr.tensor(X)
    assert x.unsqueeze(0).shape == (1, 2, 3, 4)
    assert x.unsqueeze(3).shape == (2, 3, 4, 1)
    assert x.unsqueeze(-1).shape == (2, 3, 4, 1)
    assert cr.unsqueeze(x, -4).shape == (1, 2, 3, 4)
    check_gradient(lambda v: v.unsqueeze(1), X)


def test_unsqueeze_refuses_a_dim_out_of_range_naming_it():
    with pytest.raises(ValueError, match=r"unsqueeze: dim 4 is out of range .*\[-4, 3\]"):
        cr.zeros(2, 3, 4).unsqueeze(4)


def test_permute_takes_the_order_as_arguments_or_as_a_tuple():
    x = cr.tensor(X)
    np.testing.assert_array_equal(x.permute(2, 0, 1).numpy(), X.transpose(2, 0, 1))
    np.testing.assert_array_equal(x.permute((2, 0, 1)).numpy(), X.transpose(2, 0, 1))
    np.testing.assert_array_equal(cr.permute(x, (-1, 0, 1)).numpy(), X.transpose(2, 0, 1))
    check_gradient(lambda v: v.permute(1, 2, 0), X)


@pytest.mark.parametrize("dims, match", [((0, 1), "name 2 axes"), ((0, 0, 1), "repeat an axis")])
def test_permute_refuses_what_is_not_a_permutation(dims, match):
    with pytest.raises(ValueError, match=f"permute: .*{match}"):
        cr.zeros(2, 3, 4).permute(*dims)


def test_t_transposes_a_matrix_keeps_a_vector_and_refuses_more_dimensions():
    m = RNG.normal(size=(2, 3))
    np.testing.assert_array_equal(cr.tensor(m).t().numpy(), m.T)
    np.testing.assert_array_equal(cr.t(cr.tensor([1.0, 2.0])).numpy(), [1.0, 2.0])
    with pytest.raises(ValueError, match="t: expects a tensor with at most 2 dimensions"):
        cr.zeros(2, 3, 4).t()
    check_gradient(lambda v: v.t(), m)


def test_flatten_merges_the_axes_from_start_dim_to_end_dim():
    x = cr.zeros(2, 3, 4, 5)
    assert x.flatten().shape == (120,)
    assert x.flatten(1).shape == (2, 60)
    assert x.flatten(1, 2).shape == (2, 12, 5)
    assert cr.flatten(x, -3, -2).shape == (2, 12, 5)
    assert cr.tensor(3.0).flatten().shape == (1,)
    check_gradient(lambda v: v.flatten(0, 1), X)


def test_flatten_refuses_a_start_after_the_end():
    with pytest.raises(ValueError, match="flatten: start_dim 2 comes after end_dim 1"):
        cr.zeros(2, 3, 4).flatten(2, 1)


def test_cat_is_concatenate_with_pytorchs_dim():
    a, b = RNG.normal(size=(2, 3)), RNG.normal(size=(2, 1))
    np.testing.assert_array_equal(cr.cat([cr.tensor(a), cr.tensor(b)], dim=1).numpy(), np.concatenate([a, b], 1))
    np.testing.assert_array_equal(cr.cat((a, a)).numpy(), np.concatenate([a, a]))
    check_gradient(lambda u, v: cr.cat([u, v], dim=-1), a, b)


@pytest.mark.parametrize("n, chunks, lengths", [(10, 4, [3, 3, 3, 1]), (10, 3, [4, 4, 2]), (6, 4, [2, 2, 2]),
                                                (3, 5, [1, 1, 1]), (0, 3, [0, 0, 0])])
def test_chunk_cuts_into_pieces_of_the_rounded_up_share_as_pytorch(n, chunks, lengths):
    pieces = cr.arange(float(n)).chunk(chunks)
    assert [len(p) for p in pieces] == lengths
    np.testing.assert_array_equal(np.concatenate([p.numpy() for p in pieces]), np.arange(float(n)))


def test_chunk_along_a_dim_differentiates_each_piece():
    check_gradient(lambda v: cr.chunk(v, 2, dim=2)[1], X)
    assert [p.shape for p in cr.tensor(X).chunk(2, -1)] == [(2, 3, 2), (2, 3, 2)]
    with pytest.raises(ValueError, match="chunk: chunks must be a positive integer"):
        cr.tensor(X).chunk(0)


def test_split_takes_a_piece_length_or_a_list_of_lengths():
    x = cr.arange(10.0)
    assert [len(p) for p in x.split(3)] == [3, 3, 3, 1]
    assert [len(p) for p in x.split([2, 8])] == [2, 8]
    assert [p.shape for p in cr.tensor(X).split([1, 2], dim=1)] == [(2, 1, 4), (2, 2, 4)]
    check_gradient(lambda v: v.split([1, 3], dim=-1)[1], X)


@pytest.mark.parametrize("sections, kind, match", [([2, 3], ValueError, "add up to 10"),
                                                   (0, ValueError, "positive integer"),
                                                   (2.5, ValueError, "positive integer")])
def test_split_refuses_bad_sections_naming_them(sections, kind, match):
    with pytest.raises(kind, match=f"split: .*{match}"):
        cr.arange(10.0).split(sections)


def test_split_is_pytorchs_not_numpys():
    assert not hasattr(cr, "split"), "np.split(x, 3) makes 3 parts, torch.split(x, 3) parts of 3: no cr.split"


def test_repeat_tiles_as_numpy_tile_adding_leading_axes():
    m = RNG.normal(size=(2, 3))
    np.testing.assert_array_equal(cr.tensor(m).repeat(2, 3).numpy(), np.tile(m, (2, 3)))
    np.testing.assert_array_equal(cr.tensor(m).repeat((4, 1, 2)).numpy(), np.tile(m, (4, 1, 2)))
    assert cr.tensor([1.0, 2.0]).repeat(2, 0).shape == (2, 0)
    check_gradient(lambda v: v.repeat(2, 1, 3), m)


def test_repeat_needs_a_count_per_dimension():
    with pytest.raises(ValueError, match="repeat: 1 repeat counts"):
        cr.zeros(2, 3).repeat(2)


def test_expand_broadcasts_axes_of_length_one_and_keeps_minus_one():
    v = RNG.normal(size=(3, 1))
    np.testing.assert_array_equal(cr.tensor(v).expand(2, -1, 4).numpy(), np.broadcast_to(v, (2, 3, 4)))
    assert cr.tensor(v).expand((3, 5)).shape == (3, 5)
    check_gradient(lambda u: u.expand(2, 3, 4), v)


@pytest.mark.parametrize("sizes, match", [((3, 4, 2), "cannot expand dimension 0 of length 3 to 4"),
                                          ((-1, -1, 2), "-1 is not allowed for the new leading dimension"),
                                          ((5,), "1 sizes")])
def test_expand_refuses_what_broadcasting_cannot_do(sizes, match):
    with pytest.raises(ValueError, match=f"expand: .*{match}"):
        cr.zeros(3, 1).expand(*sizes)


def test_transpose_with_two_dims_swaps_them_as_pytorch_and_otherwise_permutes_as_numpy():
    m = RNG.normal(size=(2, 3))
    np.testing.assert_array_equal(cr.tensor(m).transpose(0, 1).numpy(), m.T)
    np.testing.assert_array_equal(cr.tensor(X).transpose(1, 2).numpy(), X.swapaxes(1, 2))
    np.testing.assert_array_equal(cr.tensor(X).transpose(-1, 0).numpy(), X.swapaxes(-1, 0))
    np.testing.assert_array_equal(cr.tensor(X).transpose(2, 0, 1).numpy(), X.transpose(2, 0, 1))
    np.testing.assert_array_equal(cr.tensor(m).transpose((0, 1)).numpy(), m)
    np.testing.assert_array_equal(cr.tensor(X).transpose().numpy(), X.T)
    check_gradient(lambda v: v.transpose(0, 2), X)


def test_numpy_named_ops_accept_pytorchs_dim():
    a = RNG.normal(size=(2, 3))
    np.testing.assert_array_equal(cr.stack([a, a], dim=1).numpy(), np.stack([a, a], 1))
    np.testing.assert_array_equal(cr.concatenate([a, a], dim=1).numpy(), np.concatenate([a, a], 1))
    assert cr.tensor(a[:1]).squeeze(dim=0).shape == (3,)
    assert cr.tensor(a).expand_dims(dim=0).shape == (1, 2, 3)
    np.testing.assert_array_equal(cr.tensor(a).flip(dims=(0,)).numpy(), a[::-1])
    with pytest.raises(TypeError, match="stack: give axis or dim, not both"):
        cr.stack([a, a], axis=0, dim=1)


def test_shape_functions_match_pytorch(against_torch, torch):
    against_torch(lambda v: v.permute(2, 0, 1).flatten(1).unsqueeze(0).repeat(2, 1, 1),
                  lambda v: v.permute(2, 0, 1).flatten(1).unsqueeze(0).repeat(2, 1, 1), X)
    against_torch(lambda v: cr.cat(v.chunk(3, dim=1)[::-1], dim=1),
                  lambda v: torch.cat(v.chunk(3, dim=1)[::-1], dim=1), X)
    against_torch(lambda v: v[:, :1].expand(2, 5, 4).transpose(0, 1), lambda v: v[:, :1].expand(2, 5, 4).transpose(0, 1), X)
    against_torch(lambda v: v.split([1, 2], 1)[1].flatten(1).t(), lambda v: v.split([1, 2], 1)[1].flatten(1).t(), X)
