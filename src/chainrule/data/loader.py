"""``DataLoader``: mini-batches of a dataset, with PyTorch's signature and default collation.

Each pass over a loader is one epoch: the sample indices (in order, or in a fresh random
order with ``shuffle``) are cut into batches of ``batch_size``, each batch's samples are
fetched from the dataset and merged by ``collate_fn`` (``default_collate``: tensors,
arrays and numbers stacked into Tensors, tuples, lists and dicts merged field by field).
"""

import collections.abc
import inspect
import math

import numpy as np

from .. import ops
from ..core.tensor import Tensor
from ..random import generator as global_generator
from .dataset import Subset, TensorDataset
from .transforms import Transform


# ------------------------------------------------------------------------ collation
def _stack_tensors(batch):
    shapes = {t.shape for t in batch}
    if len(shapes) != 1:
        raise ValueError(f"default_collate: cannot stack tensors of different shapes {sorted(shapes)}; "
                         f"pass a collate_fn that pads or keeps them apart")
    if any(t.requires_grad for t in batch):
        return ops.stack(batch)
    return Tensor(np.stack([t.numpy() for t in batch]))


def default_collate(batch):
    """Merge a list of samples into a batch, as PyTorch's ``default_collate``.

    - Tensors and NumPy arrays of one shape → one Tensor with a new leading batch axis;
    - NumPy scalars keep their dtype; Python floats → float64, ints → int64, bools → bool Tensors;
    - strings and bytes → the list as it is;
    - a dict (mapping) → a dict of the collated values of each key;
    - a namedtuple → the namedtuple of the collated fields;
    - a tuple or list → a list of the collated fields (all samples need the same length).

    Examples
    --------
    >>> xb, yb = cr.data.default_collate([(np.zeros(3), 1), (np.ones(3), 0)])
    >>> xb.shape, yb
    ((2, 3), tensor([1, 0]))
    """
    if not batch:
        raise ValueError("default_collate: the batch is empty")
    elem = batch[0]
    if isinstance(elem, Tensor):
        return _stack_tensors(batch)
    if isinstance(elem, (np.ndarray, np.generic)) and elem.dtype.kind not in "OSUV":
        return _stack_tensors([Tensor(np.asarray(b)) for b in batch])
    if isinstance(elem, bool):
        return Tensor(np.array(batch, dtype=bool))
    if isinstance(elem, int):
        return Tensor(np.array(batch, dtype=np.int64))
    if isinstance(elem, float):
        return Tensor(np.array(batch, dtype=np.float64))
    if isinstance(elem, (str, bytes)):
        return list(batch)
    if isinstance(elem, collections.abc.Mapping):
        merged = {key: default_collate([sample[key] for sample in batch]) for key in elem}
        try:
            return type(elem)(merged)
        except TypeError:
            return merged
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):
        return type(elem)(*(default_collate(list(field)) for field in zip(*batch)))
    if isinstance(elem, collections.abc.Sequence):
        if any(len(sample) != len(elem) for sample in batch):
            raise RuntimeError("default_collate: each element in list of batch should be of equal size")
        return [default_collate(list(field)) for field in zip(*batch)]
    raise TypeError(f"default_collate: a batch must contain Tensors, NumPy arrays, numbers, strings, dicts or "
                    f"lists; found {type(elem).__name__}")


def default_convert(sample):
    """A sample with its NumPy arrays as Tensors (what an unbatched loader yields), as PyTorch's."""
    if isinstance(sample, np.ndarray) and sample.dtype.kind not in "OSUV":
        return Tensor(sample)
    if isinstance(sample, collections.abc.Mapping):
        return {key: default_convert(value) for key, value in sample.items()}
    if isinstance(sample, tuple) and hasattr(sample, "_fields"):
        return type(sample)(*(default_convert(value) for value in sample))
    if isinstance(sample, (list, tuple)):
        return [default_convert(value) for value in sample]
    return sample


def _tensor_rows(dataset):
    """``(tensor dataset, index map)`` when a batch of ``dataset`` is rows of a TensorDataset, else None."""
    mapping = None
    while isinstance(dataset, Subset):
        indices = np.asarray(dataset.indices)
        mapping = indices if mapping is None else indices[mapping]
        dataset = dataset.dataset
    return (dataset, mapping) if isinstance(dataset, TensorDataset) else None


# ------------------------------------------------------------------------- loader
class DataLoader:
    r"""Iterate over a dataset in mini-batches, as PyTorch's ``DataLoader``.

    Each pass (``for xb, yb in loader``) is one epoch. With ``shuffle`` the samples are
    visited in a fresh random order every epoch. The epoch's N samples form
    :math:`\lceil N / B \rceil` batches of B samples (the last one smaller), or
    :math:`\lfloor N / B \rfloor` with ``drop_last``.

    Parameters
    ----------
    dataset : Dataset
        Anything with ``__getitem__`` and ``__len__`` (``TensorDataset(X, y)`` for arrays).
    batch_size : int or None, default 1
        B; None yields the samples one by one, unbatched.
    shuffle : bool, default False
    sampler, batch_sampler : iterable, optional
        The sample indices to visit (exclusive with ``shuffle``), or the lists of indices
        that form each batch (exclusive with batch_size, shuffle, sampler and drop_last).
    num_workers : int
        Accepted; samples are always loaded in the main process, in order, which gives
        the same batches as PyTorch's workers with ``in_order=True``.
    collate_fn : callable, optional
        Merges a list of samples into a batch; ``default_collate`` by default.
    drop_last : bool, default False
        Leave out the last, incomplete batch.
    generator : numpy.random.Generator, optional
        Draws the shuffling (and the random transforms). Without it and without ``seed``,
        ``cr.random.generator()`` does, so ``cr.random.seed`` makes the epochs repeat.
    seed : int, optional (keyword-only, chainrule's)
        Seeds the shuffling and the random transforms (two independent streams spawned
        from it): a new loader with the same seed repeats every epoch exactly.
    transform : callable, optional (keyword-only, chainrule's)
        Applied to the first field of each batch (the inputs) as a NumPy array: a
        chainrule ``Transform``, which then draws from the loader's generator, or any
        function of one batch. Later fields (targets) are not transformed.

    Yields
    ------
    batch
        What ``collate_fn`` makes of the batch's samples: for a ``TensorDataset(X, y)``,
        the list ``[xb, yb]`` of Tensors holding copies of the batch's rows.

    Examples
    --------
    >>> X, y = cr.data.digits()
    >>> loader = cr.data.DataLoader(cr.data.TensorDataset(X, y), batch_size=64, shuffle=True, seed=0)
    >>> len(loader)
    29
    >>> xb, yb = next(iter(loader))
    >>> xb.shape, yb.shape
    ((64, 8, 8), (64,))
    """

    def __init__(self, dataset, *args, **kwargs):
        if args and isinstance(args[0], (np.ndarray, Tensor, list, tuple)):
            raise TypeError("DataLoader(X, y, ...) is no longer accepted: DataLoader follows PyTorch, whose second "
                            "argument is batch_size and whose shuffle defaults to False; write "
                            "DataLoader(TensorDataset(X, y), batch_size=..., shuffle=True)")
        self._configure(dataset, *args, **kwargs)

    def _configure(self, dataset, batch_size=1, shuffle=None, sampler=None, batch_sampler=None, num_workers=0,
                   collate_fn=None, pin_memory=False, drop_last=False, timeout=0, worker_init_fn=None,
                   multiprocessing_context=None, generator=None, *, prefetch_factor=None, persistent_workers=False,
                   pin_memory_device="", in_order=True, seed=None, transform=None):
        """PyTorch's signature (plus chainrule's ``seed`` and ``transform``), behind the check of ``__init__``."""
        if batch_size is not None and (int(batch_size) != batch_size or batch_size < 1):
            raise ValueError(f"DataLoader: batch_size must be a positive integer or None, got {batch_size!r}")
        if sampler is not None and shuffle:
            raise ValueError("DataLoader: sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None and (batch_size != 1 or shuffle or sampler is not None or drop_last):
            raise ValueError("DataLoader: batch_sampler option is mutually exclusive with batch_size, shuffle, "
                             "sampler, and drop_last")
        if generator is not None and seed is not None:
            raise ValueError("DataLoader: give generator or seed, not both")
        if int(num_workers) != num_workers or num_workers < 0:
            raise ValueError(f"DataLoader: num_workers must be a non-negative integer, got {num_workers!r}")
        self.dataset = dataset
        self.batch_size = None if batch_size is None or batch_sampler is not None else int(batch_size)
        self.shuffle = bool(shuffle)
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        self.num_workers = num_workers
        self.collate_fn = collate_fn
        self.drop_last = drop_last
        self.generator = generator
        self.seed = seed
        self.transform = transform
        if seed is not None:
            shuffle_seed, transform_seed = np.random.SeedSequence(seed).spawn(2)
            self._shuffle_rng = np.random.default_rng(shuffle_seed)
            self._transform_rng = np.random.default_rng(transform_seed)
        else:
            self._shuffle_rng = self._transform_rng = generator
        self._row_source = _tensor_rows(dataset) if collate_fn is None else None

    def _order(self):
        """The epoch's sample indices."""
        if self.sampler is not None:
            return self.sampler
        n = len(self.dataset)
        if not self.shuffle:
            return range(n)
        return (self._shuffle_rng or global_generator()).permutation(n)

    def _index_batches(self):
        if self.batch_sampler is not None:
            yield from self.batch_sampler
            return
        order = self._order()
        if isinstance(order, (range, np.ndarray)):
            stop = len(order) - len(order) % self.batch_size if self.drop_last else len(order)
            for start in range(0, stop, self.batch_size):
                yield order[start:start + self.batch_size]
            return
        batch = []
        for index in order:
            batch.append(index)
            if len(batch) == self.batch_size:
                yield batch
                batch = []
        if batch and not self.drop_last:
            yield batch

    def _fetch(self, indices):
        if self._row_source is not None:
            dataset, mapping = self._row_source
            rows = np.asarray(indices, dtype=np.intp)
            return dataset._rows(rows if mapping is None else mapping[rows])
        samples = [self.dataset[int(i) if isinstance(i, np.integer) else i] for i in indices]
        return (self.collate_fn or default_collate)(samples)

    def _transformed(self, batch):
        if self.transform is None:
            return batch
        if not isinstance(batch, (list, tuple)) or not batch:
            raise TypeError(f"DataLoader: transform= applies to the first field of a batch, but a batch is a "
                            f"{type(batch).__name__}")
        inputs = batch[0].numpy() if isinstance(batch[0], Tensor) else np.asarray(batch[0])
        if isinstance(self.transform, Transform):
            inputs = self.transform(inputs, self._transform_rng or global_generator())
        else:
            inputs = self.transform(inputs)
        return type(batch)([Tensor(np.asarray(inputs))] + list(batch[1:]))

    def __iter__(self):
        if self.batch_size is None and self.batch_sampler is None:
            for index in self._order():
                sample = self.dataset[int(index) if isinstance(index, np.integer) else index]
                yield (self.collate_fn or default_convert)(sample)
            return
        for indices in self._index_batches():
            yield self._transformed(self._fetch(indices))

    def __len__(self):
        if self.batch_sampler is not None:
            return len(self.batch_sampler)
        n = len(self.sampler) if self.sampler is not None else len(self.dataset)
        if self.batch_size is None:
            return n
        return n // self.batch_size if self.drop_last else math.ceil(n / self.batch_size)

    def __repr__(self):
        return (f"DataLoader(N={len(self.dataset)}, batch_size={self.batch_size}, shuffle={self.shuffle}, "
                f"drop_last={self.drop_last}, batches={len(self)})")


DataLoader.__init__.__signature__ = inspect.signature(DataLoader._configure)
