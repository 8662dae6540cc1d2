"""PyTorch's shape functions, composed from chainrule's shape ops (so each differentiates).

``unsqueeze``, ``permute``, ``t``, ``flatten(start_dim, end_dim)``, ``cat``, ``chunk``
(public functions and Tensor methods), and the Tensor-only methods ``repeat``,
``expand`` and ``split``, whose NumPy namesakes mean something else (``np.repeat``
repeats elements, ``np.split`` cuts into *n* parts), so they are not ``cr.X``.

All are linear: each is a reshape, transpose, broadcast or slice, whose VJP is the
reverse move (a broadcast's is a sum over the copies).
"""

import math
import operator

import numpy as np

from .. import ops
from ..core.errors import ShapeError


def dim_index(dim, ndim, where):
    """``dim`` (negative counts from the end) as an index in ``range(ndim)``; ``ShapeError`` if out of range."""
    try:
        dim = operator.index(dim)
    except TypeError:
        raise TypeError(f"{where}: dim must be an integer, got {dim!r}") from None
    if not -ndim <= dim < ndim:
        raise ShapeError(f"{where}: dim {dim} is out of range for {ndim} dimensions "
                         f"(expected a value in [{-ndim}, {ndim - 1}])")
    return dim % ndim


def sizes_of(sizes, where):
    """``f(2, 3)`` or ``f((2, 3))``: PyTorch's two spellings of a list of sizes, as a tuple of ints."""
    if len(sizes) == 1 and isinstance(sizes[0], (tuple, list)):
        sizes = sizes[0]
    try:
        return tuple(operator.index(s) for s in sizes)
    except TypeError:
        raise TypeError(f"{where}: sizes must be integers, got {tuple(sizes)!r}") from None


def unsqueeze(input, dim):  # noqa: A002 (PyTorch's argument names)
    """``input`` with a new axis of length 1 at ``dim`` (in ``[-ndim − 1, ndim]``).

    Examples
    --------
    >>> cr.zeros(2, 3).unsqueeze(1).shape
    (2, 1, 3)
    """
    return ops.expand_dims(input, dim_index(dim, np.ndim(input) + 1, "unsqueeze"))


def permute(input, dims):  # noqa: A002
    """``input`` with its axes reordered: axis ``i`` of the result is axis ``dims[i]`` of ``input``.

    Examples
    --------
    >>> cr.zeros(2, 3, 4).permute(2, 0, 1).shape
    (4, 2, 3)
    """
    ndim = np.ndim(input)
    dims = sizes_of((dims,), "permute")
    if len(dims) != ndim:
        raise ShapeError(f"permute: dims {dims} name {len(dims)} axes, but the tensor has {ndim} "
                         f"(shape {np.shape(input)})")
    order = tuple(dim_index(d, ndim, "permute") for d in dims)
    if len(set(order)) != ndim:
        raise ShapeError(f"permute: dims {dims} repeat an axis; give each of the {ndim} axes once")
    return ops.transpose(input, order)


def t(input):  # noqa: A002
    """The transpose of a matrix; a vector or a scalar is returned as it is (as ``torch.t``)."""
    if np.ndim(input) > 2:
        raise ShapeError(f"t: expects a tensor with at most 2 dimensions, got shape {np.shape(input)}; "
                         f"use permute or transpose(dim0, dim1)")
    return ops.transpose(input)


def flatten(input, start_dim=0, end_dim=-1):  # noqa: A002
    """``input`` with the axes ``start_dim`` … ``end_dim`` merged into one (all of them by default).

    A 0-d tensor becomes a 1-element vector, as in PyTorch.

    Examples
    --------
    >>> cr.zeros(2, 3, 4, 5).flatten(1, 2).shape
    (2, 12, 5)
    """
    shape = np.shape(input)
    if not shape:
        return ops.reshape(input, (1,))
    start, end = dim_index(start_dim, len(shape), "flatten"), dim_index(end_dim, len(shape), "flatten")
    if start > end:
        raise ShapeError(f"flatten: start_dim {start_dim} comes after end_dim {end_dim} for shape {shape}")
    return ops.reshape(input, shape[:start] + (math.prod(shape[start:end + 1]),) + shape[end + 1:])


def cat(tensors, dim=0):
    """The tensors joined along the existing axis ``dim`` (``concatenate`` with PyTorch's name)."""
    return ops.concatenate(tensors, axis=dim)


def _pieces(input, dim, lengths):
    """The slices of ``input`` along ``dim`` of the given lengths, in order (views; VJP: scatter back)."""
    out, start = [], 0
    for length in lengths:
        out.append(ops.getitem(input, (slice(None),) * dim + (slice(start, start + length),)))
        start += length
    return tuple(out)


def chunk(input, chunks, dim=0):  # noqa: A002
    """``input`` cut along ``dim`` into at most ``chunks`` pieces of ⌈n / chunks⌉ (the last may be shorter).

    As in PyTorch, fewer pieces come back when ``n`` is not enough for ``chunks`` of
    that length: ``chunk`` of 6 elements into 4 gives 3 pieces of 2.
    """
    if isinstance(chunks, bool) or not isinstance(chunks, (int, np.integer)) or chunks < 1:
        raise ValueError(f"chunk: chunks must be a positive integer, got {chunks!r}")
    dim = dim_index(dim, np.ndim(input), "chunk")
    n = np.shape(input)[dim]
    if n == 0:
        return _pieces(input, dim, [0] * chunks)
    size = -(-n // chunks)
    return _pieces(input, dim, [min(size, n - start) for start in range(0, n, size)])


def split(self, split_size_or_sections, dim=0):
    """The tensor cut along ``dim``: into pieces of ``split_size_or_sections`` elements (the last may be
    shorter), or, given a list, into pieces of those lengths (which must add up to the axis' length).

    PyTorch's ``Tensor.split``; not ``np.split``, which takes a number of parts or cut points.
    """
    dim = dim_index(dim, np.ndim(self), "split")
    n = self.shape[dim]
    if isinstance(split_size_or_sections, (list, tuple)):
        lengths = sizes_of((split_size_or_sections,), "split")
        if sum(lengths) != n or min(lengths, default=0) < 0:
            raise ShapeError(f"split: section lengths {list(lengths)} must be non-negative and add up to {n}, "
                             f"the length of dim {dim} (shape {self.shape})")
        return _pieces(self, dim, lengths)
    size = split_size_or_sections
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 1:
        raise ValueError(f"split: split_size must be a positive integer or a list of lengths, got {size!r}")
    return _pieces(self, dim, [min(size, n - start) for start in range(0, n, size)] or [0])


def repeat(self, *sizes):
    """The tensor tiled ``sizes[i]`` times along axis ``i`` (PyTorch's ``Tensor.repeat``, NumPy's ``tile``).

    ``sizes`` may name more axes than the tensor has: it gains leading axes of length 1
    first. Built as one broadcast: shape (s₀, s₁, …) is viewed as (1, s₀, 1, s₁, …),
    broadcast to (r₀, s₀, r₁, s₁, …) and merged pairwise into (r₀·s₀, r₁·s₁, …); the VJP
    sums the copies.

    Examples
    --------
    >>> cr.tensor([1, 2]).repeat(2, 2)
    tensor([[1, 2, 1, 2],
            [1, 2, 1, 2]])
    """
    repeats = sizes_of(sizes, "repeat")
    if len(repeats) < self.ndim:
        raise ShapeError(f"repeat: {len(repeats)} repeat counts {repeats} for a tensor of {self.ndim} dimensions "
                         f"(shape {self.shape}); give at least one per dimension")
    if min(repeats, default=0) < 0:
        raise ValueError(f"repeat: repeat counts must be non-negative, got {repeats}")
    shape = (1,) * (len(repeats) - self.ndim) + self.shape
    interleaved = ops.reshape(self, tuple(n for s in shape for n in (1, s)))
    tiled = ops.broadcast_to(interleaved, tuple(n for r, s in zip(repeats, shape) for n in (r, s)))
    return ops.reshape(tiled, tuple(r * s for r, s in zip(repeats, shape)))


def expand(self, *sizes):
    """The tensor broadcast to ``sizes`` (−1 keeps an axis' length); new axes may be added in front.

    As in PyTorch, only axes of length 1 can grow. The result is a read-only view; its
    VJP sums over the broadcast axes.
    """
    target = sizes_of(sizes, "expand")
    lead = len(target) - self.ndim
    if lead < 0:
        raise ShapeError(f"expand: {len(target)} sizes {target} for a tensor of {self.ndim} dimensions "
                         f"(shape {self.shape}); give at least one per dimension")
    shape = []
    for i, size in enumerate(target):
        old = self.shape[i - lead] if i >= lead else None
        if size == -1:
            if old is None:
                raise ShapeError(f"expand: -1 is not allowed for the new leading dimension {i} of {target}")
            size = old
        elif old is not None and old != 1 and old != size:
            raise ShapeError(f"expand: cannot expand dimension {i - lead} of length {old} to {size} "
                             f"(shape {self.shape} to {target}); only dimensions of length 1 can grow")
        shape.append(size)
    return ops.broadcast_to(self, tuple(shape))
