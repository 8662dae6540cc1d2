"""Mini-batches of a data set, shuffled reproducibly and optionally augmented."""

import math

import numpy as np

from ..core.tensor import Tensor
from .transforms import Transform


class DataLoader:
    r"""Iterate over ``(X, y)`` in mini-batches of Tensors.

    Each pass (``for xb, yb in loader``) is one epoch. With ``shuffle`` the rows
    are visited in a fresh random order every epoch; with a ``seed`` the whole
    sequence of orders and augmentations repeats exactly for a new loader with
    the same seed. The epoch's N rows form :math:`\lceil N / B \rceil` batches of
    B rows (the last one smaller), or :math:`\lfloor N / B \rfloor` with
    ``drop_last``.

    Parameters
    ----------
    X : array_like or Tensor, shape (N, ...)
        Inputs, one per row (kept in their dtype).
    y : array_like or Tensor, shape (N, ...)
        Targets (labels), one per row.
    batch_size : int
        B.
    shuffle : bool, default True
    seed : int, optional
        Seeds both the shuffling and the random transforms (through two
        independent streams spawned from it); fresh entropy when omitted.
    transform : callable, optional
        Applied to each input batch (a NumPy array): a chainrule transform,
        which then draws from the loader's generator, or any function of one
        batch. Targets are not transformed.
    drop_last : bool, default False
        Leave out the last, incomplete batch.

    Yields
    ------
    xb, yb : Tensor
        Copies of a batch of rows of ``X`` (transformed) and ``y``.

    Examples
    --------
    >>> X, y = cr.data.digits()
    >>> loader = cr.data.DataLoader(X, y, batch_size=64, seed=0)
    >>> len(loader)
    29
    >>> xb, yb = next(iter(loader))
    >>> xb.shape, yb.shape
    ((64, 8, 8), (64,))
    """

    def __init__(self, X, y, batch_size, shuffle=True, seed=None, transform=None, drop_last=False):
        self.X = X._data if isinstance(X, Tensor) else np.asarray(X)
        self.y = y._data if isinstance(y, Tensor) else np.asarray(y)
        if self.X.ndim == 0 or self.y.ndim == 0 or len(self.X) != len(self.y):
            raise ValueError(f"DataLoader: X and y need the same number of rows, got shapes {self.X.shape} "
                             f"and {self.y.shape}")
        if int(batch_size) != batch_size or batch_size < 1:
            raise ValueError(f"DataLoader: batch_size must be a positive integer, got {batch_size!r}")
        self.batch_size = int(batch_size)
        self.shuffle = shuffle
        self.seed = seed
        self.transform = transform
        self.drop_last = drop_last
        shuffle_seed, transform_seed = np.random.SeedSequence(seed).spawn(2)
        self._shuffle_rng = np.random.default_rng(shuffle_seed)
        self._transform_rng = np.random.default_rng(transform_seed)

    def __len__(self):
        n = len(self.X)
        return n // self.batch_size if self.drop_last else math.ceil(n / self.batch_size)

    def __iter__(self):
        n = len(self.X)
        order = self._shuffle_rng.permutation(n) if self.shuffle else np.arange(n)
        for start in range(0, len(self) * self.batch_size, self.batch_size):
            rows = order[start:start + self.batch_size]
            xb, yb = self.X[rows], self.y[rows]
            if isinstance(self.transform, Transform):
                xb = self.transform(xb, self._transform_rng)
            elif self.transform is not None:
                xb = self.transform(xb)
            yield Tensor(np.asarray(xb)), Tensor(yb)

    def __repr__(self):
        return (f"DataLoader(N={len(self.X)}, batch_size={self.batch_size}, shuffle={self.shuffle}, "
                f"drop_last={self.drop_last}, batches={len(self)})")
