"""DataLoader: batching, shuffling with a seed, drop_last, transforms."""

import numpy as np
import pytest

import chainrule as cr

X = np.arange(10 * 2 * 3, dtype=np.float32).reshape(10, 2, 3)
Y = np.arange(10, dtype=np.int64)


def epoch(loader):
    return [(xb.numpy().copy(), yb.numpy().copy()) for xb, yb in loader]


def test_batches_in_order_without_shuffle_with_a_short_last_batch():
    loader = cr.data.DataLoader(X, Y, batch_size=4, shuffle=False)
    batches = epoch(loader)
    assert len(loader) == 3 and [len(yb) for _, yb in batches] == [4, 4, 2]
    np.testing.assert_array_equal(np.concatenate([yb for _, yb in batches]), Y)
    np.testing.assert_array_equal(batches[1][0], X[4:8])


def test_batches_are_tensors_that_keep_the_dtypes():
    xb, yb = next(iter(cr.data.DataLoader(X.astype(np.float64), Y, batch_size=3)))
    assert isinstance(xb, cr.Tensor) and isinstance(yb, cr.Tensor)
    assert xb.dtype == np.float64 and yb.dtype == np.int64 and xb.shape == (3, 2, 3)


def test_drop_last_leaves_out_the_short_batch():
    loader = cr.data.DataLoader(X, Y, batch_size=4, drop_last=True, seed=0)
    assert len(loader) == 2
    assert [len(yb) for _, yb in epoch(loader)] == [4, 4]
    assert len(cr.data.DataLoader(X, Y, batch_size=5, drop_last=True)) == 2


def test_shuffled_epoch_visits_every_row_once_with_inputs_and_labels_together():
    batches = epoch(cr.data.DataLoader(X, Y, batch_size=3, seed=1))
    labels = np.concatenate([yb for _, yb in batches])
    assert sorted(labels) == list(range(10)) and not np.array_equal(labels, Y)
    for xb, yb in batches:
        np.testing.assert_array_equal(xb, X[yb])


def test_same_seed_repeats_every_epoch_and_epochs_differ():
    first, second = (cr.data.DataLoader(X, Y, batch_size=4, seed=7) for _ in range(2))
    epochs_a = [np.concatenate([yb for _, yb in epoch(first)]) for _ in range(3)]
    epochs_b = [np.concatenate([yb for _, yb in epoch(second)]) for _ in range(3)]
    for a, b in zip(epochs_a, epochs_b):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(epochs_a[0], epochs_a[1])
    other = np.concatenate([yb for _, yb in epoch(cr.data.DataLoader(X, Y, batch_size=4, seed=8))])
    assert not np.array_equal(other, epochs_a[0])


def test_batches_are_copies_of_the_data():
    X_copy = X.copy()
    for xb, _ in cr.data.DataLoader(X_copy, Y, batch_size=5, shuffle=False):
        xb.numpy()[:] = -1
    np.testing.assert_array_equal(X_copy, X)


def test_a_plain_function_transforms_the_inputs_only():
    loader = cr.data.DataLoader(X, Y, batch_size=5, shuffle=False, transform=lambda xb: xb * 2)
    xb, yb = next(iter(loader))
    np.testing.assert_array_equal(xb.numpy(), X[:5] * 2)
    np.testing.assert_array_equal(yb.numpy(), Y[:5])


def test_random_transforms_repeat_with_the_loader_seed():
    def run(seed):
        noise = cr.data.GaussianNoise(0.5)
        return epoch(cr.data.DataLoader(X, Y, batch_size=4, seed=seed, transform=noise))

    a, b, c = run(3), run(3), run(4)
    for (xa, ya), (xb, yb) in zip(a, b):
        np.testing.assert_array_equal(xa, xb)
        np.testing.assert_array_equal(ya, yb)
    assert not np.array_equal(a[0][0], c[0][0])
    assert not np.array_equal(a[0][0], X[a[0][1]])


def test_accepts_tensors():
    loader = cr.data.DataLoader(cr.tensor(X), cr.tensor(Y), batch_size=10, shuffle=False)
    np.testing.assert_array_equal(next(iter(loader))[0].numpy(), X)


@pytest.mark.parametrize("args, match", [((X, Y[:9], 2), "same number of rows"), ((X, Y, 0), "batch_size"),
                                         ((X, Y, 2.5), "batch_size")])
def test_refuses_bad_arguments(args, match):
    with pytest.raises(ValueError, match=match):
        cr.data.DataLoader(*args)
