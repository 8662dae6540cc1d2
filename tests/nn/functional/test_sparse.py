"""embedding and one_hot: lookups by integer index."""

import numpy as np
import pytest

import chainrule as cr
from chainrule.nn import functional as F

RNG = np.random.default_rng(5)


def test_one_hot_marks_each_class_and_infers_the_number_of_classes():
    y = F.one_hot(cr.tensor([[0, 2], [1, 2]]))
    assert y.dtype == np.int64 and y.shape == (2, 2, 3)
    np.testing.assert_array_equal(y.numpy()[1], [[0, 1, 0], [0, 0, 1]])
    assert F.one_hot(np.array([1]), num_classes=4).shape == (1, 4)


@pytest.mark.parametrize("values, num_classes, match", [([-1, 0], -1, "non-negative"), ([0, 3], 3, "smaller than"),
                                                        ([0.0], -1, "integer")])
def test_one_hot_refuses_bad_classes(values, num_classes, match):
    with pytest.raises((ValueError, TypeError), match=match):
        F.one_hot(np.array(values), num_classes)


def test_embedding_looks_up_rows_and_accumulates_their_gradients():
    weight = cr.tensor(RNG.normal(size=(4, 3)), requires_grad=True)
    index = np.array([[1, 3], [1, 0]])
    out = F.embedding(index, weight)
    np.testing.assert_array_equal(out.numpy(), weight.numpy()[index])
    g = RNG.normal(size=(2, 2, 3))
    (out * g).sum().backward()
    expected = np.zeros((4, 3))
    np.add.at(expected, index, g)
    np.testing.assert_allclose(weight.grad.numpy(), expected)


def test_embedding_padding_row_gets_no_gradient_and_frequency_scaling_divides_by_counts():
    weight = cr.tensor(RNG.normal(size=(4, 2)), requires_grad=True)
    index = np.array([2, 2, 0, 3])
    out = F.embedding(index, weight, padding_idx=0, scale_grad_by_freq=True)
    np.testing.assert_array_equal(out.numpy(), weight.numpy()[index])
    out.sum().backward()
    np.testing.assert_allclose(weight.grad.numpy(), [[0, 0], [0, 0], [1, 1], [1, 1]])


def test_embedding_max_norm_renormalizes_the_looked_up_rows_in_place():
    weight = cr.tensor(np.array([[3.0, 4.0], [0.3, 0.4], [6.0, 8.0]]))
    F.embedding(np.array([0, 1]), weight, max_norm=1.0)
    np.testing.assert_allclose(np.linalg.norm(weight.numpy(), axis=1), [1.0, 0.5, 10.0], rtol=1e-6)


def test_embedding_refuses_out_of_range_indices_and_sparse_gradients():
    with pytest.raises(IndexError, match="index 4 is out of range"):
        F.embedding(np.array([4]), np.zeros((4, 2)))
    with pytest.raises(NotImplementedError, match="sparse=False"):
        F.embedding(np.array([0]), np.zeros((4, 2)), sparse=True)


@pytest.mark.parametrize("kwargs", [{}, {"padding_idx": 1}, {"scale_grad_by_freq": True, "padding_idx": -1}])
def test_embedding_matches_pytorch(against_torch, torch, kwargs):
    index = np.array([[0, 1, 4], [4, 4, 2]])
    against_torch(lambda w: F.embedding(index, w, **kwargs),
                  lambda w: torch.nn.functional.embedding(torch.tensor(index), w, **kwargs), RNG.normal(size=(5, 3)))
