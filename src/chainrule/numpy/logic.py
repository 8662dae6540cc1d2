"""Questions about values, with NumPy's signatures: isclose, allclose, array_equal, array_equiv,
iscomplex, isreal, iscomplexobj, isrealobj, isposinf, isneginf, isscalar.

Elementwise answers (isclose, iscomplex, isreal, isposinf, isneginf) are boolean tensors;
whole-array answers (allclose, array_equal, iscomplexobj …) are Python bools, as in NumPy.
None carries a gradient.
"""

import numpy as np

from .. import ops
from ..core.tensor import Tensor
from ._adapt import concrete, operand


def isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    """|a − b| ≤ atol + rtol·|b| elementwise (infinities equal only to themselves; NaN to NaN with ``equal_nan``)."""
    x, y = operand(a), operand(b)
    finite = ops.logical_and(ops.isfinite(x), ops.isfinite(y))
    close = ops.less_equal(ops.abs(x - y), atol + rtol * ops.abs(y))
    result = ops.where(finite, close, ops.equal(x, y))
    if equal_nan:
        result = ops.logical_or(result, ops.logical_and(ops.isnan(x), ops.isnan(y)))
    return result


def allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Whether every pair is close (``isclose``): a Python bool."""
    return bool(concrete(isclose(a, b, rtol, atol, equal_nan), "allclose").all())


def array_equal(a1, a2, equal_nan=False):
    """Whether the arrays have the same shape and elements: a Python bool."""
    x, y = operand(a1), operand(a2)
    if x.shape != y.shape:
        return False
    same = ops.equal(x, y)
    if equal_nan:
        same = ops.logical_or(same, ops.logical_and(ops.isnan(x), ops.isnan(y)))
    return bool(concrete(same, "array_equal").all())


def array_equiv(a1, a2):
    """Whether the arrays are equal after broadcasting: a Python bool."""
    x, y = operand(a1), operand(a2)
    try:
        np.broadcast_shapes(x.shape, y.shape)
    except ValueError:
        return False
    return bool(concrete(ops.equal(x, y), "array_equiv").all())


def iscomplex(x):
    """Whether each element has a nonzero imaginary part (boolean tensor)."""
    return ops.not_equal(ops.imag(operand(x)), 0)


def isreal(x):
    """Whether each element has a zero imaginary part (boolean tensor)."""
    return ops.equal(ops.imag(operand(x)), 0)


def _dtype(x):
    return x.dtype if hasattr(x, "dtype") else np.asarray(x).dtype


def iscomplexobj(x):
    """Whether x has a complex dtype (whatever its values)."""
    return _dtype(x).kind == "c"


def isrealobj(x):
    """Whether x does not have a complex dtype."""
    return _dtype(x).kind != "c"


def isposinf(x, out=None):
    """Whether each element is +inf (boolean tensor)."""
    return ops.equal(operand(x), np.inf)


def isneginf(x, out=None):
    """Whether each element is −inf (boolean tensor)."""
    return ops.equal(operand(x), -np.inf)


def isscalar(element):
    """Whether ``element`` is a scalar: a Python or NumPy number, string or bytes (a tensor is not, as an array)."""
    return not isinstance(element, Tensor) and np.isscalar(element)
