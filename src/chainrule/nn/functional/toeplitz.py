"""``toeplitz``: the banded matrix of 1-D cross-correlation (the lecture's W1, W2)."""

import numpy as np

from ... import ops
from ...core.errors import ShapeError
from ._args import _as_tensor, _result
from .conv import _padding_widths


def toeplitz(kernel, n, padding=0):
    """The banded Toeplitz matrix W of 1-D cross-correlation: ``W @ x == conv1d(x, kernel, padding=padding)``.

    For a kernel of length k and padding p (before and after), W has shape
    (n + 2p − k + 1, n) and entries

        W[i, j] = kernel[j − i + p]   if 0 ≤ j − i + p < k,   else 0

    so row i holds the kernel shifted i places right (the lecture's W1, W2).
    ``padding="same"`` gives an n×n matrix (an even kernel's extra zero on the right).
    W is built by scattering kernel entries into a zero matrix, so it is differentiable
    in the kernel: ∂L/∂kernel[t] = Σ_{j − i + p = t} ∂L/∂W[i, j].

    Parameters
    ----------
    kernel : Tensor, shape (k,)
    n : int
        Length of the input x.
    padding : int, ``"valid"`` or ``"same"``

    Examples
    --------
    >>> F.toeplitz(cr.tensor([1., 2.]), 3).numpy()
    array([[1., 2., 0.],
           [0., 1., 2.]], dtype=float32)
    """
    kernel = _as_tensor(kernel)
    if kernel.ndim != 1 or kernel.shape[0] == 0:
        raise ShapeError(f"toeplitz: kernel must be 1-D and non-empty, got shape {kernel.shape}")
    k = kernel.shape[0]
    (before, after), = _padding_widths(padding, (k,), (1,), (1,), "toeplitz")
    rows = n + before + after - k + 1
    if n < 1 or rows < 1:
        raise ShapeError(f"toeplitz: an input of length {n} with padding {padding!r} is shorter than the kernel ({k})")
    tap = np.arange(n)[None, :] - np.arange(rows)[:, None] + before
    i, j = np.nonzero((tap >= 0) & (tap < k))
    return _result(ops.scatter_add(ops.getitem(kernel, tap[i, j]), (rows, n), (i, j)))
