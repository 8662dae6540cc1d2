"""Array creation and questions about arrays, with NumPy's names and signatures.

``array``/``asarray`` keep the graph: a sequence holding tensors is stacked
differentiably. ``shape``, ``ndim``, ``size`` and ``result_type`` answer with plain
values, as NumPy does.
"""

import numpy as np

from .. import ops
from ._adapt import operand


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
