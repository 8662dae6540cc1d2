"""Dataset, TensorDataset, Subset and random_split: PyTorch's dataset protocol."""

import numpy as np
import pytest

import chainrule as cr
from chainrule.data import Subset, TensorDataset, random_split


def test_tensor_dataset_samples_are_rows_of_every_tensor():
    X, y = np.arange(12.0).reshape(4, 3), np.array([3, 1, 0, 2])
    dataset = TensorDataset(X, cr.tensor(y))
    assert len(dataset) == 4 and all(isinstance(t, cr.Tensor) for t in dataset.tensors)
    x2, y2 = dataset[2]
    np.testing.assert_array_equal(x2.numpy(), X[2])
    assert y2.item() == 0


def test_tensor_dataset_refuses_tensors_of_different_lengths():
    with pytest.raises(ValueError, match="same first dimension"):
        TensorDataset(np.zeros((3, 2)), np.zeros(4))


def test_a_dataset_without_getitem_says_what_to_define():
    with pytest.raises(NotImplementedError, match="__getitem__"):
        cr.data.Dataset()[0]


def test_subset_maps_positions_to_the_chosen_indices():
    subset = Subset(list("abcdef"), [5, 0, 3])
    assert len(subset) == 3 and subset[0] == "f" and subset[[1, 2]] == ["a", "d"]


def test_random_split_by_lengths_partitions_the_samples():
    parts = random_split(range(10), [3, 7], seed=0)
    assert [len(p) for p in parts] == [3, 7]
    assert sorted(parts[0].indices + parts[1].indices) == list(range(10))
    assert random_split(range(10), [3, 7], seed=0)[0].indices == parts[0].indices


def test_random_split_by_fractions_spreads_the_remainder_round_robin():
    with pytest.warns(UserWarning, match="split at index 2 is 0"):
        parts = random_split(range(11), [0.5, 0.45, 0.05], generator=np.random.default_rng(1))
    # floor gives 5, 4, 0 (9 of 11); the two left over go to the first two splits
    assert [len(p) for p in parts] == [6, 5, 0]


def test_random_split_follows_cr_random_seed_without_a_generator():
    cr.random.seed(3)
    a = random_split(range(8), [4, 4])[0].indices
    cr.random.seed(3)
    assert random_split(range(8), [4, 4])[0].indices == a


def test_random_split_refuses_lengths_that_do_not_add_up():
    with pytest.raises(ValueError, match="sum to 9"):
        random_split(range(10), [4, 5])


def test_random_split_lengths_match_pytorchs(torch):
    for lengths in ([0.3, 0.3, 0.4], [0.5, 0.25, 0.25], [0.1, 0.9]):
        ours = [len(p) for p in random_split(range(17), lengths, seed=0)]
        theirs = [len(p) for p in torch.utils.data.random_split(range(17), lengths)]
        assert ours == theirs
