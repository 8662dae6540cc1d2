"""A fixed, seeded train/test split."""

import math

import numpy as np

from ..core.tensor import Tensor


def _array(value):
    return value._data if isinstance(value, Tensor) else np.asarray(value)


def train_test_split(X, y, test_fraction=0.2, seed=0):
    r"""Split ``(X, y)`` into a training and a test part, the same way every time.

    The rows are put in the order of ``numpy.random.default_rng(seed).permutation(N)``;
    the first :math:`N_{test} = \lceil f \cdot N \rceil` of that order form the test
    set and the rest the training set (each part keeps the permuted order).
    ``train_test_split(*cr.data.digits())`` is chainrule's fixed split of the
    digits: 1,437 training and 360 test images.

    Parameters
    ----------
    X, y : array_like or Tensor
        Inputs and labels with the same first dimension N.
    test_fraction : float, default 0.2
        :math:`f`, strictly between 0 and 1.
    seed : int, default 0

    Returns
    -------
    X_train, X_test, y_train, y_test : ndarray
        scikit-learn's order.

    Examples
    --------
    >>> X_train, X_test, y_train, y_test = cr.data.train_test_split(*cr.data.digits())
    >>> len(X_train), len(X_test)
    (1437, 360)
    """
    X, y = _array(X), _array(y)
    if len(X) != len(y):
        raise ValueError(f"train_test_split: X has {len(X)} rows but y has {len(y)}")
    if not 0 < test_fraction < 1:
        raise ValueError(f"train_test_split: test_fraction must be between 0 and 1, got {test_fraction!r}")
    n_test = math.ceil(test_fraction * len(X))
    if not 0 < n_test < len(X):
        raise ValueError(f"train_test_split: {len(X)} rows cannot be split with test_fraction={test_fraction}")
    order = np.random.default_rng(seed).permutation(len(X))
    test, train = order[:n_test], order[n_test:]
    return X[train], X[test], y[train], y[test]
