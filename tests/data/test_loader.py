"""DataLoader: PyTorch's signature and default collation, batching, seeded shuffling, drop_last, transforms."""

import collections

import numpy as np
import pytest

import chainrule as cr
from chainrule.data import DataLoader, TensorDataset

X = np.arange(10 * 2 * 3, dtype=np.float32).reshape(10, 2, 3)
Y = np.arange(10, dtype=np.int64)
DATA = TensorDataset(X, Y)


def epoch(loader):
    return [(xb.numpy().copy(), yb.numpy().copy()) for xb, yb in loader]


def labels_of(loader):
    return np.concatenate([yb for _, yb in epoch(loader)])


def test_defaults_are_pytorchs_one_sample_batches_in_order():
    loader = DataLoader(DATA)
    assert len(loader) == 10 and not loader.shuffle
    np.testing.assert_array_equal(labels_of(loader), Y)


def test_batches_in_order_with_a_short_last_batch():
    loader = DataLoader(DATA, batch_size=4)
    batches = epoch(loader)
    assert len(loader) == 3 and [len(yb) for _, yb in batches] == [4, 4, 2]
    np.testing.assert_array_equal(np.concatenate([yb for _, yb in batches]), Y)
    np.testing.assert_array_equal(batches[1][0], X[4:8])


def test_batches_are_tensors_that_keep_the_dtypes():
    xb, yb = next(iter(DataLoader(TensorDataset(X.astype(np.float64), Y), batch_size=3)))
    assert isinstance(xb, cr.Tensor) and isinstance(yb, cr.Tensor)
    assert xb.dtype == np.float64 and yb.dtype == np.int64 and xb.shape == (3, 2, 3)


def test_drop_last_leaves_out_the_short_batch():
    loader = DataLoader(DATA, batch_size=4, drop_last=True, shuffle=True, seed=0)
    assert len(loader) == 2
    assert [len(yb) for _, yb in epoch(loader)] == [4, 4]
    assert len(DataLoader(DATA, batch_size=5, drop_last=True)) == 2


def test_shuffled_epoch_visits_every_sample_once_with_inputs_and_labels_together():
    batches = epoch(DataLoader(DATA, batch_size=3, shuffle=True, seed=1))
    labels = np.concatenate([yb for _, yb in batches])
    assert sorted(labels) == list(range(10)) and not np.array_equal(labels, Y)
    for xb, yb in batches:
        np.testing.assert_array_equal(xb, X[yb])


def test_same_seed_repeats_every_epoch_and_epochs_differ():
    first, second = (DataLoader(DATA, batch_size=4, shuffle=True, seed=7) for _ in range(2))
    epochs_a = [labels_of(first) for _ in range(3)]
    epochs_b = [labels_of(second) for _ in range(3)]
    for a, b in zip(epochs_a, epochs_b):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(epochs_a[0], epochs_a[1])
    assert not np.array_equal(labels_of(DataLoader(DATA, batch_size=4, shuffle=True, seed=8)), epochs_a[0])


def test_without_seed_or_generator_shuffling_follows_cr_random_seed():
    cr.random.seed(5)
    a = labels_of(DataLoader(DATA, batch_size=4, shuffle=True))
    cr.random.seed(5)
    b = labels_of(DataLoader(DATA, batch_size=4, shuffle=True, generator=None))
    np.testing.assert_array_equal(a, b)
    c = labels_of(DataLoader(DATA, batch_size=4, shuffle=True, generator=np.random.default_rng(5)))
    d = labels_of(DataLoader(DATA, batch_size=4, shuffle=True, generator=np.random.default_rng(5)))
    np.testing.assert_array_equal(c, d)


def test_batches_are_copies_of_the_data():
    X_copy = X.copy()
    for xb, _ in DataLoader(TensorDataset(X_copy, Y), batch_size=5):
        xb.numpy()[:] = -1
    np.testing.assert_array_equal(X_copy, X)


def test_a_plain_function_transforms_the_inputs_only():
    xb, yb = next(iter(DataLoader(DATA, batch_size=5, transform=lambda xb: xb * 2)))
    np.testing.assert_array_equal(xb.numpy(), X[:5] * 2)
    np.testing.assert_array_equal(yb.numpy(), Y[:5])


def test_random_transforms_repeat_with_the_loader_seed():
    def run(seed):
        return epoch(DataLoader(DATA, batch_size=4, shuffle=True, seed=seed, transform=cr.data.GaussianNoise(0.5)))

    a, b, c = run(3), run(3), run(4)
    for (xa, ya), (xb, yb) in zip(a, b):
        np.testing.assert_array_equal(xa, xb)
        np.testing.assert_array_equal(ya, yb)
    assert not np.array_equal(a[0][0], c[0][0])
    assert not np.array_equal(a[0][0], X[a[0][1]])


def test_subsets_of_tensor_datasets_batch_their_own_rows():
    subset = cr.data.Subset(cr.data.Subset(DATA, [9, 8, 7, 6, 5]), [4, 0, 2])
    xb, yb = next(iter(DataLoader(subset, batch_size=3)))
    np.testing.assert_array_equal(yb.numpy(), [5, 9, 7])
    np.testing.assert_array_equal(xb.numpy(), X[[5, 9, 7]])


class Pairs(cr.data.Dataset):
    """Samples of every kind default_collate merges: arrays, numbers, strings, dicts, namedtuples."""

    Point = collections.namedtuple("Point", "x y")

    def __len__(self):
        return 5

    def __getitem__(self, i):
        return {"image": np.full((2, 2), i, np.float32), "label": i, "weight": 0.5 * i, "name": f"s{i}",
                "point": self.Point(np.float32(i), True)}


def test_default_collation_follows_pytorch():
    batch = next(iter(DataLoader(Pairs(), batch_size=3)))
    assert batch["image"].shape == (3, 2, 2) and batch["image"].dtype == np.float32
    assert batch["label"].dtype == np.int64 and batch["weight"].dtype == np.float64
    assert batch["name"] == ["s0", "s1", "s2"]
    assert isinstance(batch["point"], Pairs.Point) and batch["point"].y.dtype == bool
    xb, yb = cr.data.default_collate([(np.zeros(3), 1), (np.ones(3), 0)])
    assert xb.shape == (2, 3) and yb.numpy().tolist() == [1, 0]


def test_collate_fn_sampler_batch_sampler_and_unbatched_loading():
    firsts = DataLoader(DATA, batch_size=4, collate_fn=lambda samples: [int(s[1]) for s in samples])
    assert list(firsts) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert labels_of(DataLoader(DATA, batch_size=2, sampler=[9, 1, 3])).tolist() == [9, 1, 3]
    batches = DataLoader(DATA, batch_sampler=[[0, 5], [2]])
    assert len(batches) == 2 and [yb.numpy().tolist() for _, yb in batches] == [[0, 5], [2]]
    samples = list(DataLoader(DATA, batch_size=None))
    assert len(samples) == 10 and samples[3][0].shape == (2, 3)


def test_the_old_x_y_signature_is_refused_with_the_replacement():
    with pytest.raises(TypeError, match=r"DataLoader\(TensorDataset\(X, y\), batch_size=..., shuffle=True\)"):
        DataLoader(X, Y, batch_size=4)


@pytest.mark.parametrize("kwargs, match", [({"batch_size": 0}, "batch_size"), ({"batch_size": 2.5}, "batch_size"),
                                           ({"sampler": [0], "shuffle": True}, "mutually exclusive"),
                                           ({"batch_sampler": [[0]], "batch_size": 2}, "mutually exclusive"),
                                           ({"seed": 0, "generator": np.random.default_rng(0)}, "not both")])
def test_refuses_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        DataLoader(DATA, **kwargs)


def test_matches_pytorchs_batches_without_shuffling(torch):
    ours = list(DataLoader(Pairs(), batch_size=2, drop_last=True))
    theirs = list(torch.utils.data.DataLoader(Pairs(), batch_size=2, drop_last=True))
    assert len(ours) == len(theirs) == 2
    for a, b in zip(ours, theirs):
        assert a.keys() == b.keys() and a["name"] == b["name"]
        for key in ("image", "label", "weight"):
            assert a[key].dtype == b[key].numpy().dtype
            np.testing.assert_array_equal(a[key].numpy(), b[key].numpy())
