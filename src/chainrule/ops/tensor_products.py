"""Products of tensors beyond matmul: tensordot, inner, kron, cross, vdot.

``tensordot`` is NumPy's own algorithm — the contracted axes moved to meet, both operands
reshaped to matrices, one ``matmul`` (BLAS) — so its gradient is two matrix products as well;
``inner`` is a tensordot over the last axes. ``kron`` is an outer product (a broadcast ``mul``)
with interleaved axes merged. ``cross`` is the textbook formula on the components.
"""

import numpy as np

from ..core.errors import ShapeError
from .elementwise import conj, mul
from .linalg import matmul
from .rearrange import moveaxis
from .shape import broadcast_to, reshape, stack, transpose


def _contracted_axes(axes, a_ndim, b_ndim):
    if isinstance(axes, (int, np.integer)):
        n = int(axes)
        if n < 0 or n > min(a_ndim, b_ndim):
            raise ValueError(f"tensordot: cannot contract {n} axes of arrays with {a_ndim} and {b_ndim} dimensions")
        return tuple(range(a_ndim - n, a_ndim)), tuple(range(n))
    a_axes, b_axes = axes
    a_axes = (a_axes,) if isinstance(a_axes, (int, np.integer)) else tuple(a_axes)
    b_axes = (b_axes,) if isinstance(b_axes, (int, np.integer)) else tuple(b_axes)
    if len(a_axes) != len(b_axes):
        raise ValueError(f"tensordot: axes {a_axes} and {b_axes} are not the same number of axes")
    return tuple(int(a) % a_ndim for a in a_axes), tuple(int(b) % b_ndim for b in b_axes)


def tensordot(a, b, axes=2):
    """Σ over the ``axes`` of a and of b paired, as ``np.tensordot``: the free axes of a, then those of b.

    Computed as one matrix product of reshaped operands (so its VJP is two).
    """
    a_shape, b_shape = np.shape(a), np.shape(b)
    a_axes, b_axes = _contracted_axes(axes, len(a_shape), len(b_shape))
    for i, j in zip(a_axes, b_axes):
        if a_shape[i] != b_shape[j]:
            raise ShapeError(f"tensordot: shape-mismatch for sum: axis {i} of {a_shape} has length {a_shape[i]}, "
                             f"axis {j} of {b_shape} has length {b_shape[j]}")
    a_free = [i for i in range(len(a_shape)) if i not in a_axes]
    b_free = [j for j in range(len(b_shape)) if j not in b_axes]
    size = int(np.prod([a_shape[i] for i in a_axes]))
    left = reshape(transpose(a, a_free + list(a_axes)), (-1, size))
    right = reshape(transpose(b, list(b_axes) + b_free), (size, -1))
    return reshape(matmul(left, right), tuple(a_shape[i] for i in a_free) + tuple(b_shape[j] for j in b_free))


def inner(a, b):
    """Σ over the last axes of a and b, as ``np.inner`` (a product when either is a scalar)."""
    if np.ndim(a) == 0 or np.ndim(b) == 0:
        return mul(a, b)
    return tensordot(a, b, ((-1,), (-1,)))


def vdot(a, b):
    """Σ conj(a)·b over the flattened operands, as ``np.vdot``."""
    return (conj(reshape(a, (-1,))) * reshape(b, (-1,))).sum()


def kron(a, b):
    """The Kronecker product, blocks a_ij·b, as ``np.kron`` (the shorter shape padded with leading 1s)."""
    a_shape, b_shape = tuple(np.shape(a)), tuple(np.shape(b))
    ndim = max(len(a_shape), len(b_shape))
    a_shape = (1,) * (ndim - len(a_shape)) + a_shape
    b_shape = (1,) * (ndim - len(b_shape)) + b_shape
    blocks = mul(reshape(a, tuple(d for n in a_shape for d in (n, 1))),
                 reshape(b, tuple(d for n in b_shape for d in (1, n))))
    return reshape(blocks, tuple(m * n for m, n in zip(a_shape, b_shape)))


def cross(a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """The cross product of the 2- or 3-vectors along ``axisa`` of a and ``axisb`` of b, as ``np.cross``
    (2-vectors count as 3-vectors with a zero z; two 2-vectors give the z component alone)."""
    if axis is not None:
        axisa = axisb = axisc = axis
    a, b = moveaxis(a, axisa, -1), moveaxis(b, axisb, -1)
    na, nb = np.shape(a)[-1], np.shape(b)[-1]
    if na not in (2, 3) or nb not in (2, 3):
        raise ValueError(f"cross: incompatible dimensions for cross product (dimension must be 2 or 3), "
                         f"got {na} and {nb}")
    lead = np.broadcast_shapes(np.shape(a)[:-1], np.shape(b)[:-1])
    a = broadcast_to(a, lead + (na,))
    b = broadcast_to(b, lead + (nb,))
    a0, a1, b0, b1 = a[..., 0], a[..., 1], b[..., 0], b[..., 1]
    z = a0 * b1 - a1 * b0
    if na == 2 and nb == 2:
        return z
    if na == 3 and nb == 3:
        a2, b2 = a[..., 2], b[..., 2]
        x, y = a1 * b2 - a2 * b1, a2 * b0 - a0 * b2
    elif na == 2:
        b2 = b[..., 2]
        x, y = a1 * b2, -(a0 * b2)
    else:
        a2 = a[..., 2]
        x, y = -(a2 * b1), a2 * b0
    out = stack([x, y, z], axis=-1)
    return moveaxis(out, -1, axisc)
