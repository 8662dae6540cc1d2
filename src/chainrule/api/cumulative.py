"""``cumsum``: running sums, y_k = Σ_{j ≤ k} x_j along an axis, in O(n) work from existing ops.

A running sum is linear, so its VJP is the running sum *from the other end*,
x̄_j = Σ_{k ≥ j} ȳ_k; composing it from chainrule's ops gives that rule (and every
higher derivative) for free. The composition is the pairwise scan (Blelloch's), written
as reshapes and slices rather than a loop over elements:

1. pair neighbours, (x₀, x₁), (x₂, x₃), …, and add each pair: s_k = x_{2k} + x_{2k+1};
2. the running sums of the pairs, t_k = Σ_{j ≤ k} s_j, come from the same scan on s
   (half as long);
3. the odd outputs are y_{2k+1} = t_k and the even ones y_{2k} = t_{k−1} + x_{2k}.

Each level costs a few ops on half as many elements as the one before, so the work is
O(n) and the number of ops O(log n).
"""

import numpy as np

from .. import ops
from .shaping import dim_index


def _scan_last_axis(x):
    """Running sums along the last axis (see the module docstring)."""
    n = x.shape[-1]
    if n <= 1:
        return x
    lead = x.shape[:-1]
    if n % 2:
        x = ops.pad(x, ((0, 0),) * len(lead) + ((0, 1),))
    pairs = ops.reshape(x, lead + (x.shape[-1] // 2, 2))
    evens, odds = pairs[..., 0], pairs[..., 1]
    totals = _scan_last_axis(ops.add(evens, odds))
    before = ops.pad(totals[..., :-1], ((0, 0),) * len(lead) + ((1, 0),))
    interleaved = ops.stack([ops.add(before, evens), totals], axis=-1)
    out = ops.reshape(interleaved, lead + (x.shape[-1],))
    return out[..., :n] if n % 2 else out


def cumsum(input, dim=None, dtype=None, *, axis=None):  # noqa: A002 (PyTorch's argument names)
    """Running sums of ``input`` along ``dim``: y_k = Σ_{j ≤ k} x_j.   VJP: running sums from the end.

    PyTorch's ``cumsum(input, dim, dtype=None)``; NumPy's spelling (``axis``, and no axis
    for the running sums of the flattened tensor) is accepted too. Boolean and integer
    tensors sum in int64, as in PyTorch.

    Examples
    --------
    >>> cr.cumsum(cr.tensor([1.0, 2.0, 3.0]), dim=0)
    tensor([1., 3., 6.])
    """
    if axis is not None:
        if dim is not None:
            raise TypeError("cumsum: give dim or axis, not both")
        dim = axis
    if dtype is not None:
        input = ops.astype(input, dtype)
    elif input.dtype.kind in "biu":
        input = ops.astype(input, np.int64)
    if dim is None:
        input, dim = ops.reshape(input, (-1,)), 0
    if input.ndim == 0:
        return input
    dim = dim_index(dim, input.ndim, "cumsum")
    last = input.ndim - 1
    return ops.swapaxes(_scan_last_axis(ops.swapaxes(input, dim, last)), dim, last)
