"""Array creation and questions about arrays, with NumPy's names and signatures.

``array``/``asarray`` (and ``asanyarray``, ``ascontiguousarray`` …) keep the graph: a
sequence holding tensors is stacked differentiably. Constant arrays (``zeros``, ``tri``,
``indices``, the ``*_indices`` functions) are tensors without a gradient; ``meshgrid``
and ``fromfunction`` build on their arguments, so they carry gradients. ``shape``, ``ndim``,
``size`` and ``result_type`` answer with plain values, as NumPy does.
"""

import numpy as np

from .. import ops
from ._adapt import concrete, operand


def array(object, dtype=None, *, copy=True, order="K", subok=False, ndmin=0, like=None):  # noqa: A002
    """A tensor of ``object``, a copy by default; a tensor (or a sequence of tensors) keeps its gradient."""
    if copy and isinstance(object, np.ndarray):
        object = np.array(object, copy=True)  # noqa: A001
    out = operand(object, dtype)
    if copy and out is object:
        out = ops.mul(out, 1) if out.dtype.kind in "fc" else operand(np.array(out._data, copy=True))
    while out.ndim < ndmin:
        out = ops.expand_dims(out, 0)
    return out


def asarray(a, dtype=None, order=None, *, device=None, copy=None, like=None):
    """``a`` as a tensor, without a copy where none is needed."""
    return operand(a, dtype)


def asanyarray(a, dtype=None, order=None, *, device=None, copy=None, like=None):
    """``asarray`` (chainrule has no array subclasses)."""
    return operand(a, dtype)


def ascontiguousarray(a, dtype=None, *, like=None):
    """``asarray``: chainrule's ops need no particular memory layout."""
    return ops.atleast_1d(operand(a, dtype))


def asfortranarray(a, dtype=None, *, like=None):
    """``asarray``: chainrule's ops need no particular memory layout."""
    return ops.atleast_1d(operand(a, dtype))


def require(a, dtype=None, requirements=None, *, like=None):
    """``asarray`` in ``dtype`` (layout requirements need nothing of chainrule's ops)."""
    return operand(a, dtype)


def asarray_chkfinite(a, dtype=None, order=None):
    """``asarray`` that raises ValueError if ``a`` holds NaN or inf."""
    x = operand(a, dtype)
    if x.dtype.kind in "fc" and not np.isfinite(concrete(x, "asarray_chkfinite")).all():
        raise ValueError("numpy.asarray_chkfinite: array must not contain infs or NaNs")
    return x


def astype(x, dtype, /, *, copy=True, device=None):
    """``x`` converted to ``dtype`` (the array API's function).   The cotangent is converted back."""
    return ops.astype(operand(x), dtype)


def empty(shape, dtype=None, order="C", *, device=None, like=None):
    """A new tensor of ``shape`` (zeros: chainrule never hands out uninitialized memory)."""
    return ops.zeros(shape, dtype=dtype)


def empty_like(prototype, dtype=None, order="K", subok=True, shape=None, *, device=None):
    """A new tensor shaped like ``prototype`` (zeros)."""
    return zeros_like(prototype, dtype, shape=shape)


def identity(n, dtype=None, *, like=None):
    """The n×n identity matrix."""
    return ops.eye(n, dtype=dtype)


def tri(N, M=None, k=0, dtype=float, *, like=None):  # noqa: N803 (NumPy's names)
    """Ones at and below the ``k``-th diagonal of an N×M matrix, zeros above."""
    return operand(np.tri(N, M, k, dtype))


def meshgrid(*xi, copy=True, sparse=False, indexing="xy"):
    """Coordinate matrices from coordinate vectors (``indexing`` "xy": the first two axes swapped, as in
    plotting; "ij": matrix order), each carrying its vector's gradient."""
    if indexing not in ("xy", "ij"):
        raise ValueError("numpy.meshgrid: indexing must be 'xy' or 'ij'")
    vectors = [ops.reshape(operand(x), (-1,)) for x in xi]
    ndim = len(vectors)
    shapes = []
    for i, v in enumerate(vectors):
        shape = [1] * ndim
        position = {0: 1, 1: 0}.get(i, i) if indexing == "xy" and ndim > 1 else i
        shape[position] = v.shape[0]
        shapes.append(tuple(shape))
    grids = [ops.reshape(v, s) for v, s in zip(vectors, shapes)]
    if not sparse:
        full = np.broadcast_shapes(*shapes)
        grids = [ops.broadcast_to(g, full) for g in grids]
    return tuple(grids)


def fromfunction(function, shape, *, dtype=float, like=None, **kwargs):
    """``function(*indices)`` on the index grids of ``shape`` (tensors of ``dtype``)."""
    return function(*[operand(i) for i in np.indices(shape, dtype=dtype)], **kwargs)


def indices(dimensions, dtype=int, sparse=False):
    """The index grids of an array of shape ``dimensions``: a tensor (k, *dimensions), or a tuple when sparse."""
    grids = np.indices(dimensions, dtype=dtype, sparse=sparse)
    return tuple(operand(g) for g in grids) if sparse else operand(grids)


def _index_tuple(fn, *args, **kwargs):
    return tuple(operand(i) for i in fn(*args, **kwargs))


def ix_(*args):
    """Open index grids for indexing the cross product of the given sequences."""
    return _index_tuple(np.ix_, *[np.asarray(concrete(operand(a), "ix_")) for a in args])


def diag_indices(n, ndim=2):
    return _index_tuple(np.diag_indices, n, ndim)


def diag_indices_from(arr):
    return diag_indices(shape(arr)[0], ndim(arr))


def tril_indices(n, k=0, m=None):
    return _index_tuple(np.tril_indices, n, k, m)


def tril_indices_from(arr, k=0):
    rows, cols = shape(arr)[-2:]
    return tril_indices(rows, k, cols)


def triu_indices(n, k=0, m=None):
    return _index_tuple(np.triu_indices, n, k, m)


def triu_indices_from(arr, k=0):
    rows, cols = shape(arr)[-2:]
    return triu_indices(rows, k, cols)


def zeros_like(a, dtype=None, order="K", subok=True, shape=None, *, device=None):
    x = operand(a)
    return ops.zeros(shape if shape is not None else x.shape, dtype=dtype or x.dtype)


def ones_like(a, dtype=None, order="K", subok=True, shape=None, *, device=None):
    x = operand(a)
    return ops.ones(shape if shape is not None else x.shape, dtype=dtype or x.dtype)


def full_like(a, fill_value, dtype=None, order="K", subok=True, shape=None, *, device=None):
    x = operand(a)
    return ops.full(shape if shape is not None else x.shape, fill_value, dtype=dtype or x.dtype)


def zeros(shape, dtype=None, order="C", *, device=None, like=None):
    return ops.zeros(shape, dtype=dtype)


def ones(shape, dtype=None, order="C", *, device=None, like=None):
    return ops.ones(shape, dtype=dtype)


def full(shape, fill_value, dtype=None, order="C", *, device=None, like=None):
    return ops.full(shape, fill_value, dtype=dtype)


def eye(N, M=None, k=0, dtype=None, order="C", *, device=None, like=None):  # noqa: N803 (NumPy's names)
    return ops.eye(N, M, k, dtype=dtype)


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0, *, device=None):
    """``num`` evenly spaced values from start to stop (tensor end points keep their gradient, array ones their dtype);
    with array end points the values run along ``axis``; ``retstep`` also returns the spacing."""
    typed = [v.dtype for v in (start, stop) if hasattr(v, "dtype")]
    if dtype is None and typed:  # arrays and tensors keep their dtype (Python numbers take the default)
        dtype = np.result_type(*typed, np.float32)
    values = ops.linspace(start, stop, num, endpoint=endpoint, dtype=dtype)
    if axis != 0:
        values = ops.moveaxis(values, 0, axis)
    if not retstep:
        return values
    divisions = (num - 1 if endpoint else num) or 1
    return values, ops.div(ops.sub(stop, start), divisions) if num > 1 or not endpoint else np.nan


def logspace(start, stop, num=50, endpoint=True, base=10.0, dtype=None, axis=0):
    """base ** linspace(start, stop): ``num`` values evenly spaced on a log scale."""
    return ops.power(base, linspace(start, stop, num, endpoint, dtype=dtype, axis=axis))


def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    """``num`` values from start to stop in a geometric progression (both of the same sign)."""
    first, last = operand(start), operand(stop)
    sign = ops.sign(first)
    exponents = linspace(ops.log10(ops.abs(first)), ops.log10(ops.abs(last)), num, endpoint, dtype=dtype, axis=axis)
    return sign * ops.power(10.0, exponents)


def arange(start, stop=None, step=1, dtype=None, *, device=None, like=None):
    return ops.arange(start, stop, step, dtype=dtype)


def shape(a):
    """The shape, a tuple."""
    return tuple(a.shape) if hasattr(a, "shape") else np.shape(a)


def ndim(a):
    """The number of axes, an int."""
    return a.ndim if hasattr(a, "ndim") else np.ndim(a)


def size(a, axis=None):
    """The number of elements (along ``axis``), an int."""
    dims = shape(a)
    return int(np.prod(dims)) if axis is None else dims[axis]


def result_type(*arrays_and_dtypes):
    """NumPy's type promotion over the dtypes of tensors, arrays, dtypes and numbers."""
    return np.result_type(*[a.dtype if hasattr(a, "dtype") and not isinstance(a, (np.dtype, type)) else a
                            for a in arrays_and_dtypes])


def broadcast_shapes(*args):
    """The shape that arrays of the given shapes broadcast to."""
    return np.broadcast_shapes(*args)
