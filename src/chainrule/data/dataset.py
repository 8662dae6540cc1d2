"""Datasets with PyTorch's protocol: ``Dataset``, ``TensorDataset``, ``Subset`` and ``random_split``.

A dataset is anything with ``__getitem__(index)`` returning one sample (and, for a
``DataLoader`` that samples it, ``__len__``); ``DataLoader`` batches the samples.
"""

import math
import numbers
import warnings

import numpy as np

from .. import ops
from ..core.tensor import Tensor
from ..random import generator as global_generator


class Dataset:
    """Base class of map-style datasets: subclasses define ``__getitem__(index)`` and ``__len__()``.

    Examples
    --------
    >>> class Squares(cr.data.Dataset):
    ...     def __len__(self):
    ...         return 10
    ...     def __getitem__(self, i):
    ...         return np.float32(i), np.float32(i * i)
    >>> xb, yb = next(iter(cr.data.DataLoader(Squares(), batch_size=4)))
    >>> yb
    tensor([0., 1., 4., 9.])
    """

    def __getitem__(self, index):
        raise NotImplementedError(f"{type(self).__name__} must define __getitem__(self, index) to be a Dataset")


class TensorDataset(Dataset):
    """Samples that are rows of tensors: ``dataset[i] == (t[i] for t in tensors)``, as PyTorch's.

    Parameters
    ----------
    *tensors : Tensor or array_like
        All with the same first dimension N; arrays become Tensors (keeping their dtype).

    Examples
    --------
    >>> X, y = cr.data.digits()
    >>> dataset = cr.data.TensorDataset(X[:, None], y)
    >>> len(dataset), dataset[0][0].shape
    (1797, (1, 8, 8))
    """

    def __init__(self, *tensors):
        if not tensors:
            raise ValueError("TensorDataset: needs at least one tensor")
        self.tensors = tuple(t if isinstance(t, Tensor) else Tensor(np.asarray(t)) for t in tensors)
        sizes = [t.shape[0] if t.ndim else None for t in self.tensors]
        if None in sizes or len(set(sizes)) != 1:
            raise ValueError(f"TensorDataset: every tensor needs the same first dimension, got shapes "
                             f"{[t.shape for t in self.tensors]}")

    def __getitem__(self, index):
        return tuple(t[index] for t in self.tensors)

    def __len__(self):
        return self.tensors[0].shape[0]

    def _rows(self, indices):
        """The batch of rows ``indices`` (an integer array) of every tensor: what ``default_collate`` makes
        of the samples ``[self[i] for i in indices]``, in one indexing operation per tensor (``DataLoader``'s
        fast path)."""
        return [ops.getitem(t, indices) for t in self.tensors]


class Subset(Dataset):
    """The samples of ``dataset`` at ``indices``: ``Subset(d, idx)[i] == d[idx[i]]``, as PyTorch's."""

    def __init__(self, dataset, indices):
        self.dataset = dataset
        self.indices = indices

    def __getitem__(self, index):
        if isinstance(index, list):
            return [self.dataset[self.indices[i]] for i in index]
        return self.dataset[self.indices[index]]

    def __len__(self):
        return len(self.indices)


def _split_lengths(lengths, n):
    """Absolute lengths: given ones as they are; fractions f_i as ⌊f_i·n⌋, the remainder handed out one
    at a time round-robin from the first split (PyTorch's rule)."""
    lengths = list(lengths)
    if math.isclose(sum(lengths), 1) and sum(lengths) <= 1 and all(0 <= f <= 1 for f in lengths):
        counts = [int(math.floor(n * f)) for f in lengths]
        for i in range(n - sum(counts)):
            counts[i % len(counts)] += 1
        for i, count in enumerate(counts):
            if count == 0:
                warnings.warn(f"random_split: length of split at index {i} is 0; this split will be empty",
                              UserWarning, stacklevel=3)
        return counts
    if any(not isinstance(length, numbers.Integral) or length < 0 for length in lengths):
        raise ValueError(f"random_split: lengths must be non-negative integers or fractions summing to 1, "
                         f"got {lengths}")
    if sum(lengths) != n:
        raise ValueError(f"random_split: the lengths {lengths} sum to {sum(lengths)}, not to the dataset's "
                         f"length {n}")
    return [int(length) for length in lengths]


def random_split(dataset, lengths, generator=None, *, seed=None):
    """Split ``dataset`` into non-overlapping random ``Subset`` s of the given lengths, as PyTorch's.

    ``lengths`` are sample counts summing to len(dataset), or fractions summing to 1
    (⌊f·N⌋ each, the remainder spread round-robin from the first). The samples are
    assigned in the order of one random permutation of range(N).

    Parameters
    ----------
    dataset : Dataset
    lengths : sequence of int or float
    generator : numpy.random.Generator, optional
        Draws the permutation; by default ``cr.random.generator()`` (so ``cr.random.seed``
        makes the split repeat).
    seed : int, optional (keyword-only)
        chainrule's shortcut for ``generator=np.random.default_rng(seed)``.

    Examples
    --------
    >>> train, val = cr.data.random_split(range(10), [0.8, 0.2], seed=0)
    >>> len(train), len(val)
    (8, 2)
    """
    if generator is not None and seed is not None:
        raise ValueError("random_split: give generator or seed, not both")
    rng = generator if generator is not None else np.random.default_rng(seed) if seed is not None \
        else global_generator()
    n = len(dataset)
    counts = _split_lengths(lengths, n)
    order = rng.permutation(n).tolist()
    offsets = np.cumsum([0] + counts)
    return [Subset(dataset, order[start:stop]) for start, stop in zip(offsets[:-1], offsets[1:])]
