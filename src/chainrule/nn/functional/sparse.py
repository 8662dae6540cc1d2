"""Lookups by integer index: ``embedding`` (rows of a weight matrix) and ``one_hot``."""

import numpy as np

from ... import ops
from ...core.errors import OpIndexError, TracerError
from ...core.state import no_grad
from ...core.tensor import Tensor, array_of
from ...core.tracer import staging
from ._args import _as_tensor, _constant, _integer_values


def one_hot(tensor, num_classes=-1):
    """One-hot encoding of integer class indices, as PyTorch's ``one_hot``.

        y[..., c] = 1 if tensor[...] == c else 0,    c = 0, …, num_classes − 1

    ``num_classes=-1`` takes one more than the largest index. The result is int64 and
    carries no gradient.

    Examples
    --------
    >>> F.one_hot(cr.tensor([0, 2]), 3)
    tensor([[1, 0, 0],
            [0, 0, 1]])
    """
    values = _integer_values(tensor, "one_hot", "tensor (class indices)")
    if values.size and values.min() < 0:
        raise ValueError(f"one_hot: class values must be non-negative, got {values.min()}")
    if num_classes == -1:
        if not values.size:
            raise ValueError("one_hot: cannot infer num_classes from an empty tensor; pass num_classes")
        num_classes = int(values.max()) + 1
    elif values.size and values.max() >= num_classes:
        raise ValueError(f"one_hot: class values must be smaller than num_classes={num_classes}, "
                         f"got {values.max()}")
    indices = tensor if isinstance(tensor, Tensor) else values
    return ops.astype(ops.equal(ops.expand_dims(indices, -1), np.arange(num_classes, like=values)), np.int64)


def _renormalize_rows(weight, rows, max_norm, norm_type):
    """PyTorch's ``max_norm``: rescale, in place, each looked-up row whose norm exceeds max_norm."""
    with no_grad():
        table = array_of(weight)
        rows = np.unique(rows)
        norms = np.linalg.norm(table[rows], ord=norm_type, axis=1)
        scale = np.where(norms > max_norm, max_norm / (norms + 1e-7), 1.0).astype(table.dtype)
        updated = table.copy()
        updated[rows] *= scale[:, None]
        if isinstance(weight, Tensor):
            weight.copy_(updated)
        else:
            table[...] = updated


def embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0, scale_grad_by_freq=False,
              sparse=False):
    """Rows of ``weight`` looked up by integer index, as PyTorch's ``embedding``.

        y[..., :] = W[input[...], :],    W̄[i, :] = Σ_{positions p with input[p] = i} s_p · ȳ[p, :]

    where s_p = 1, except 0 at ``padding_idx`` (that row gets no gradient) and
    1/count(input[p]) with ``scale_grad_by_freq``. The scaling acts on the gradient only:
    with e the looked-up rows, the output is sg(e) + s·(e − sg(e)) (sg = stop_gradient),
    whose value is e exactly and whose gradient is s·ȳ.

    Parameters
    ----------
    input : Tensor or array of integers, any shape
    weight : Tensor, shape (num_embeddings, embedding_dim)
    padding_idx : int, optional
        Negative values count from the end.
    max_norm : float, optional
        Rows looked up whose ``norm_type``-norm exceeds it are rescaled to it, in place
        in ``weight`` (as PyTorch), before the lookup.
    norm_type : float
    scale_grad_by_freq : bool
    sparse : bool
        Only False: gradients are dense.

    Examples
    --------
    >>> F.embedding(np.array([1, 0]), cr.tensor([[0., 1.], [2., 3.]]))
    tensor([[2., 3.],
            [0., 1.]])
    """
    if sparse:
        raise NotImplementedError("embedding: sparse gradients are not supported; use sparse=False "
                                  "(the dense gradient holds the same values)")
    w = _as_tensor(weight)
    if w.ndim != 2:
        raise ValueError(f"embedding: weight must have shape (num_embeddings, embedding_dim), got {w.shape}")
    rows = _integer_values(input, "embedding", "input (indices)")
    count = w.shape[0]
    if rows.size and (rows.min() < 0 or rows.max() >= count):
        bad = rows[(rows < 0) | (rows >= count)][0]
        raise OpIndexError(f"embedding: index {bad} is out of range for a weight of {count} rows")
    if padding_idx is not None:
        if not -count <= padding_idx < count:
            raise ValueError(f"embedding: padding_idx {padding_idx} is out of range for a weight of {count} rows")
        padding_idx %= count
    if (max_norm is not None or scale_grad_by_freq) and staging():
        raise TracerError("embedding: max_norm and scale_grad_by_freq read the indices' values, which inside "
                          "cr.trace or cr.jit would be frozen at the example; use them outside compiled code")
    if max_norm is not None:
        _renormalize_rows(weight, rows.ravel(), max_norm, norm_type)
    index = input if isinstance(input, Tensor) else _constant(rows, w)
    looked_up = ops.getitem(w, index)
    if padding_idx is None and not scale_grad_by_freq:
        return looked_up
    share = np.ones(rows.shape, w.dtype, like=array_of(w))
    if scale_grad_by_freq:
        share = (share / _constant(np.bincount(rows.ravel(), minlength=count)[rows], w)).astype(w.dtype)
    if padding_idx is not None:
        share = share * ops.astype(ops.not_equal(index, padding_idx), w.dtype)
    return ops.stop_gradient(looked_up) + (looked_up - ops.stop_gradient(looked_up)) * ops.expand_dims(share, -1)
