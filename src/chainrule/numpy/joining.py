"""Joining arrays and splitting them, with NumPy's signatures: concatenate, stack, vstack, hstack,
dstack, column_stack, row_stack, append, split, array_split, hsplit, vsplit, dsplit, and the
index tricks ``r_`` and ``c_``.

Joining is ``concatenate`` (its VJP slices the cotangent back into the pieces); splitting
is slicing (its VJP writes each piece's cotangent back into place).
"""

import numpy as np

from .. import ops
from ..core.errors import ShapeError
from ..core.tensor import Tensor
from ._adapt import operand, refuse_out


def concatenate(arrays, /, axis=0, out=None, *, dtype=None, casting="same_kind"):
    """The arrays joined along an existing axis (``axis=None`` flattens them first)."""
    refuse_out("concatenate", out)
    parts = [operand(a, dtype) for a in arrays]
    if axis is None:
        parts, axis = [ops.reshape(p, (-1,)) for p in parts], 0
    return ops.concatenate(parts, axis=axis)


def concat(arrays, /, axis=0, out=None, *, dtype=None, casting="same_kind"):
    """``concatenate`` (the array API's name)."""
    return concatenate(arrays, axis, out, dtype=dtype, casting=casting)


def stack(arrays, axis=0, out=None, *, dtype=None, casting="same_kind"):
    """The arrays joined along a new axis."""
    refuse_out("stack", out)
    return ops.stack([operand(a, dtype) for a in arrays], axis=axis)


def _sequence(tup, name):
    if isinstance(tup, (Tensor, np.ndarray)):
        raise TypeError(f"numpy.{name}: arrays to stack must be passed as a sequence (a list or tuple)")
    return [operand(a) for a in tup]


def vstack(tup, *, dtype=None, casting="same_kind"):
    """The arrays joined along axis 0, vectors first made rows (1, n)."""
    return concatenate([ops.atleast_2d(a) for a in _sequence(tup, "vstack")], 0, dtype=dtype)


row_stack = vstack


def hstack(tup, *, dtype=None, casting="same_kind"):
    """The arrays joined along axis 1 (axis 0 for vectors)."""
    parts = [ops.atleast_1d(a) for a in _sequence(tup, "hstack")]
    return concatenate(parts, 0 if parts and parts[0].ndim == 1 else 1, dtype=dtype)


def dstack(tup):
    """The arrays joined along axis 2 (depth), each made at least 3-D first."""
    return concatenate([ops.atleast_3d(a) for a in _sequence(tup, "dstack")], 2)


def column_stack(tup):
    """Vectors as the columns of a matrix (arrays of 2 or more dimensions joined along axis 1)."""
    parts = [ops.reshape(a, (-1, 1)) if a.ndim < 2 else a for a in _sequence(tup, "column_stack")]
    return concatenate(parts, 1)


def append(arr, values, axis=None):
    """``values`` joined after ``arr`` along ``axis`` (both flattened when None)."""
    return concatenate([operand(arr), operand(values)], axis)


# ---------------------------------------------------------------------------- splitting
def _split_points(length, indices_or_sections, name, equal):
    if np.ndim(indices_or_sections) == 0:
        sections = int(indices_or_sections)
        if sections <= 0:
            raise ValueError(f"numpy.{name}: number of sections must be larger than 0")
        if equal and length % sections:
            raise ValueError(f"numpy.{name}: array split does not result in an equal division ({length} into "
                             f"{sections})")
        size, extra = divmod(length, sections)
        sizes = [size + 1] * extra + [size] * (sections - extra)
        return list(np.cumsum([0] + sizes))
    return [0] + [int(i) for i in indices_or_sections] + [length]


def _split(ary, indices_or_sections, axis, name, equal):
    x = operand(ary)
    if not -x.ndim <= axis < x.ndim:
        raise ShapeError(f"numpy.{name}: axis {axis} is out of bounds for an array of shape {x.shape}")
    axis %= x.ndim
    points = _split_points(x.shape[axis], indices_or_sections, name, equal)
    before = (slice(None),) * axis
    return [x[before + (slice(start, stop),)] for start, stop in zip(points[:-1], points[1:])]


def split(ary, indices_or_sections, axis=0):
    """``ary`` cut along ``axis`` into equal sections, or at the given indices: a list of tensors."""
    return _split(ary, indices_or_sections, axis, "split", True)


def array_split(ary, indices_or_sections, axis=0):
    """``split`` that allows sections of unequal length (the first ones one longer)."""
    return _split(ary, indices_or_sections, axis, "array_split", False)


def _split_along(name, axis, needed):
    def split_fn(ary, indices_or_sections):
        x = operand(ary)
        if x.ndim < needed:
            raise ValueError(f"numpy.{name}: needs an array of at least {needed} dimensions, got shape {x.shape}")
        return _split(x, indices_or_sections, axis if axis != 1 or x.ndim > 1 else 0, name, True)

    split_fn.__name__ = split_fn.__qualname__ = name
    split_fn.__doc__ = f"``split`` along axis {axis}" + (" (axis 0 for vectors)." if axis == 1 else ".")
    return split_fn


hsplit = _split_along("hsplit", 1, 1)
vsplit = _split_along("vsplit", 0, 2)
dsplit = _split_along("dsplit", 2, 3)


# --------------------------------------------------------------------------- r_ and c_
class _Concatenator:
    """NumPy's ``r_`` and ``c_``: index an object with arrays, numbers and slices to join them.

    A slice ``start:stop:step`` stands for ``arange`` (``linspace`` when the step is a complex
    number ``Nj``: N points); a leading string sets the axis, the minimum number of
    dimensions and where a vector's axis goes ("0,2,-1"), or "r"/"c" for a row or column
    matrix. Tensors keep their gradient.
    """

    def __init__(self, axis, ndmin, trans1d):
        self.axis, self.ndmin, self.trans1d = axis, ndmin, trans1d

    def __getitem__(self, key):
        items = key if isinstance(key, tuple) else (key,)
        axis, ndmin, trans1d, matrix = self.axis, self.ndmin, self.trans1d, None
        if items and isinstance(items[0], str):
            directive, items = items[0], items[1:]
            if directive in ("r", "c"):
                matrix = directive
            else:
                numbers = [int(n) for n in directive.split(",")]
                axis = numbers[0]
                ndmin = numbers[1] if len(numbers) > 1 else ndmin
                trans1d = numbers[2] if len(numbers) > 2 else trans1d
        parts = []
        for item in items:
            if isinstance(item, slice):
                part = _range(item)
            else:
                part = operand(item)
            if part.ndim < ndmin:
                part = _raise_ndim(part, ndmin, trans1d)
            parts.append(part)
        if not parts:
            return operand(np.array([]))
        dtype = np.result_type(*[p.dtype for p in parts])
        result = ops.concatenate([ops.astype(ops.atleast_1d(p), dtype) for p in parts], axis=axis)
        if matrix is not None:
            result = ops.atleast_2d(result)
            if matrix == "c":
                result = ops.transpose(result)
        return result

    def __len__(self):
        return 0


def _range(item):
    start = 0 if item.start is None else item.start
    step = 1 if item.step is None else item.step
    if isinstance(step, complex):
        return operand(np.linspace(start, item.stop, int(abs(step))))
    return operand(np.arange(start, item.stop, step))


def _raise_ndim(part, ndmin, trans1d):
    """``part`` with leading axes of length 1 up to ``ndmin`` dimensions; with ``trans1d`` ≠ −1 its own axes
    then start at position ``trans1d`` (NumPy's rule for the r_/c_ directives)."""
    old = part.ndim
    expanded = ops.reshape(part, (1,) * (ndmin - old) + part.shape)
    if trans1d == -1:
        return expanded
    added = ndmin - old
    start = trans1d + added + 1 if trans1d < 0 else trans1d
    axes = list(range(ndmin))
    return ops.transpose(expanded, axes[:start] + axes[added:] + axes[start:added])


r_ = _Concatenator(0, 1, -1)
c_ = _Concatenator(-1, 2, 0)


def unstack(x, /, *, axis=0):
    """The slices of ``x`` along ``axis``, a tuple (the inverse of ``stack``)."""
    x = operand(x)
    if not -x.ndim <= axis < x.ndim:
        raise ShapeError(f"numpy.unstack: axis {axis} is out of bounds for an array of shape {x.shape}")
    axis %= x.ndim
    return tuple(x[(slice(None),) * axis + (i,)] for i in range(x.shape[axis]))


def block(arrays):
    """An array assembled from nested lists of blocks, as ``np.block``: the innermost lists are joined
    along the last axis, the next ones along the one before, and so on."""
    def depth(item):
        if isinstance(item, list):
            if not item:
                raise ValueError("numpy.block: lists cannot be empty")
            depths = {depth(i) for i in item}
            if len(depths) != 1:
                raise ValueError("numpy.block: list depths are mismatched")
            return depths.pop() + 1
        if isinstance(item, tuple):
            raise TypeError("numpy.block: arrays is a tuple; only lists can be used to arrange blocks")
        return 0

    levels = depth(arrays)
    leaves = []

    def collect(item):
        if isinstance(item, list):
            for i in item:
                collect(i)
        else:
            leaves.append(operand(item))

    collect(arrays)
    ndim = max(levels, max(leaf.ndim for leaf in leaves))

    def assemble(item, level):
        if not isinstance(item, list):
            x = operand(item)
            return ops.reshape(x, (1,) * (ndim - x.ndim) + x.shape)
        return ops.concatenate([assemble(i, level + 1) for i in item], axis=-(levels - level))

    return assemble(arrays, 0)
