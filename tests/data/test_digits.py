"""The embedded digits set and the fixed train/test split."""

import numpy as np
import pytest

import chainrule as cr


@pytest.fixture(scope="module")
def digits():
    return cr.data.digits()


def test_digits_are_1797_images_of_8x8_in_0_1_with_int64_labels(digits):
    X, y = digits
    assert X.shape == (1797, 8, 8) and X.dtype == np.float32
    assert y.shape == (1797,) and y.dtype == np.int64
    assert X.min() == 0.0 and X.max() == 1.0
    assert set(np.unique(y)) == set(range(10))


def test_digits_are_sklearns_pixels_divided_by_16(digits):
    from sklearn.datasets import load_digits

    raw = load_digits()
    X, y = digits
    np.testing.assert_allclose(X, raw.images / 16, rtol=1e-7)
    np.testing.assert_array_equal(y, raw.target)


def test_digits_takes_a_dtype_and_returns_fresh_arrays():
    X64, _ = cr.data.digits(dtype=np.float64)
    assert X64.dtype == np.float64
    X64[0] = -1
    assert cr.data.digits()[0][0].min() == 0.0
    with pytest.raises(TypeError, match="floating"):
        cr.data.digits(dtype=np.int32)


def test_default_split_of_the_digits_is_1437_train_and_360_test(digits):
    X_train, X_test, y_train, y_test = cr.data.train_test_split(*digits)
    assert (len(X_train), len(X_test), len(y_train), len(y_test)) == (1437, 360, 1437, 360)


def test_split_is_a_seeded_permutation_that_covers_every_row_once():
    rows = np.arange(50)
    train, test, train_labels, test_labels = cr.data.train_test_split(rows, rows * 10, test_fraction=0.3, seed=4)
    order = np.random.default_rng(4).permutation(50)
    np.testing.assert_array_equal(test, order[:15])
    np.testing.assert_array_equal(train, order[15:])
    np.testing.assert_array_equal(train_labels, train * 10)
    again = cr.data.train_test_split(rows, rows, test_fraction=0.3, seed=4)
    np.testing.assert_array_equal(again[1], test)
    other = cr.data.train_test_split(rows, rows, test_fraction=0.3, seed=5)
    assert not np.array_equal(other[1], test)


def test_split_accepts_tensors():
    X = cr.tensor(np.arange(10.0))
    X_train, X_test, _, _ = cr.data.train_test_split(X, np.arange(10), test_fraction=0.5)
    assert isinstance(X_train, np.ndarray) and len(X_test) == 5


@pytest.mark.parametrize("fraction", [0.0, 1.0, -0.1, 1.5])
def test_split_refuses_fractions_outside_0_1(fraction):
    with pytest.raises(ValueError, match="between 0 and 1"):
        cr.data.train_test_split(np.arange(3), np.arange(3), test_fraction=fraction)


def test_split_refuses_to_leave_the_training_part_empty():
    with pytest.raises(ValueError, match="cannot be split"):
        cr.data.train_test_split(np.arange(1), np.arange(1), test_fraction=0.5)


def test_split_refuses_mismatched_lengths():
    with pytest.raises(ValueError, match="3 rows but y has 2"):
        cr.data.train_test_split(np.zeros(3), np.zeros(2))
