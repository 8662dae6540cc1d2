"""PyTorch's indexing functions, composed from ``where``, ``getitem`` and ``scatter_add``.

``masked_fill``, ``index_select``, ``gather`` and ``scatter_add(input, dim, index, src)``.
Each is one advanced index: ``gather`` reads ``input`` at the positions

    out[i₀, …, i_d, …] = input[i₀, …, index[i₀, …, i_d, …], …]     (d = dim)

and ``scatter_add`` adds ``src`` at the same positions, so each is the other's VJP in
``src`` (repeated indices accumulate). Index tensors are operands of the index, not
constants, so they stay part of a traced program.
"""

import numpy as np

from .. import ops
from ..core.errors import ShapeError
from ..core.tensor import Tensor
from .shaping import dim_index


def _integers(index, where):
    """``index`` (a tensor, array or list of integers) as a Tensor or an integer ndarray; ``TypeError`` if not."""
    if not isinstance(index, Tensor):
        index = np.asarray(index)
    if index.dtype.kind not in "iu":
        raise TypeError(f"{where}: index must hold integers, got dtype {index.dtype}")
    return index


def masked_fill(input, mask, value):  # noqa: A002 (PyTorch's argument names)
    """``input`` with ``value`` wherever the boolean ``mask`` (broadcast to input's shape) is true.

    ``value`` is a number or a 0-d tensor (which then receives the gradient of the
    filled elements); the result keeps input's dtype.   ∂/∂input = 1[¬mask].
    """
    mask = mask if isinstance(mask, Tensor) else np.asarray(mask)
    if mask.dtype != np.bool_:
        raise TypeError(f"masked_fill: mask must be a boolean tensor, got dtype {mask.dtype}")
    shape = np.shape(input)
    try:
        fits = np.broadcast_shapes(np.shape(mask), shape) == shape
    except ValueError:
        fits = False
    if not fits:
        raise ShapeError(f"masked_fill: a mask of shape {np.shape(mask)} does not broadcast to the input's shape "
                         f"{shape}")
    if np.ndim(value) != 0:
        raise ShapeError(f"masked_fill: value must be a number or a 0-d tensor, got shape {np.shape(value)}")
    return ops.astype(ops.where(mask, value, input), input.dtype)


def index_select(input, dim, index):  # noqa: A002
    """The slices of ``input`` at the positions ``index`` (a 1-D integer tensor) along ``dim``.

    Examples
    --------
    >>> cr.index_select(cr.tensor([[1, 2], [3, 4]]), 1, cr.tensor([1, 1, 0]))
    tensor([[2, 2, 1],
            [4, 4, 3]])
    """
    dim = dim_index(dim, np.ndim(input), "index_select")
    index = _integers(index, "index_select")
    if index.ndim > 1:
        raise ShapeError(f"index_select: index must be 1-D (or a single number), got shape {index.shape}")
    if index.ndim == 0:
        index = ops.reshape(index, (1,))
    return ops.getitem(input, (slice(None),) * dim + (index,))


def _positions(input, dim, index, where):
    """The advanced index that reads ``input`` at ``index`` along ``dim`` and at the own position elsewhere."""
    dim = dim_index(dim, np.ndim(input), where)
    index = _integers(index, where)
    shape = np.shape(input)
    if index.ndim != len(shape) or any(i > s for d, (i, s) in enumerate(zip(index.shape, shape)) if d != dim):
        raise ShapeError(f"{where}: index of shape {index.shape} must have the input's {len(shape)} dimensions, "
                         f"none longer than the input's {shape} except dim {dim}")
    grid = [np.arange(n).reshape((-1,) + (1,) * (index.ndim - 1 - d)) for d, n in enumerate(index.shape)]
    grid[dim] = index
    return tuple(grid)


def gather(input, dim, index):  # noqa: A002
    """The elements of ``input`` at ``index`` along ``dim`` (``np.take_along_axis``); the result has index's shape.

    out[i][j] = input[index[i][j]][j] for dim = 0 and input[i][index[i][j]] for dim = 1.
    VJP: the cotangent scatter-added back to those positions.
    """
    return ops.getitem(input, _positions(input, dim, index, "gather"))


def scatter_add(input, dim, index, src):  # noqa: A002
    """``input`` plus ``src`` added at ``index`` along ``dim`` (repeated positions accumulate).

    out[index[i][j]][j] += src[i][j] for dim = 0. ``src`` may be larger than ``index``:
    its leading block of index's shape is used, as in PyTorch.
    ∂/∂input = 1, ∂/∂src = the cotangent gathered at ``index``.
    """
    positions = _positions(input, dim, index, "scatter_add")
    index_shape = positions[dim].shape
    if np.ndim(src) != len(index_shape) or any(n > s for n, s in zip(index_shape, np.shape(src))):
        raise ShapeError(f"scatter_add: src of shape {np.shape(src)} must have index's {len(index_shape)} "
                         f"dimensions, none shorter than index's {index_shape}")
    src = src if isinstance(src, Tensor) else np.asarray(src)
    if src.dtype != input.dtype:
        raise TypeError(f"scatter_add: src ({src.dtype}) must have the input's dtype ({input.dtype})")
    if np.shape(src) != index_shape:
        src = ops.getitem(src, tuple(slice(0, n) for n in index_shape))
    return ops.add(input, ops.scatter_add(src, np.shape(input), positions))
