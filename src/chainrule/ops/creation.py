"""Tensor creation: zeros, ones, full, eye, linspace, arange and the *_like forms.

Floating results use the default dtype (``cr.set_default_dtype``) unless ``dtype``
is given; every function takes ``requires_grad=``.
"""

import numpy as np

from ..core.dtypes import get_default_dtype
from ..core.tensor import Tensor


def _make(array, requires_grad):
    t = Tensor._wrap(array)
    if requires_grad:
        t.requires_grad = True
    return t


def _dtype(dtype):
    return np.dtype(dtype) if dtype is not None else get_default_dtype()


def _shape(shape):
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        return tuple(shape[0])
    return tuple(shape)


def zeros(*shape, dtype=None, requires_grad=False):
    """A tensor of zeros: ``zeros(2, 3)`` or ``zeros((2, 3))``."""
    return _make(np.zeros(_shape(shape), _dtype(dtype)), requires_grad)


def ones(*shape, dtype=None, requires_grad=False):
    """A tensor of ones: ``ones(2, 3)`` or ``ones((2, 3))``."""
    return _make(np.ones(_shape(shape), _dtype(dtype)), requires_grad)


def full(shape, fill_value, dtype=None, requires_grad=False):
    """A tensor of ``shape`` filled with ``fill_value``."""
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    return _make(np.full(shape, fill_value, _dtype(dtype)), requires_grad)


def _like_dtype(x, dtype):
    return np.dtype(dtype) if dtype is not None else np.asarray(x).dtype


def zeros_like(x, dtype=None, requires_grad=False):
    """Zeros with x's shape and dtype."""
    return _make(np.zeros(np.shape(x), _like_dtype(x, dtype)), requires_grad)


def ones_like(x, dtype=None, requires_grad=False):
    """Ones with x's shape and dtype."""
    return _make(np.ones(np.shape(x), _like_dtype(x, dtype)), requires_grad)


def eye(n, m=None, k=0, dtype=None, requires_grad=False):
    """The n×m identity (ones on diagonal k)."""
    return _make(np.eye(n, m, k, dtype=_dtype(dtype)), requires_grad)


def linspace(start, stop, num=50, endpoint=True, dtype=None, requires_grad=False):
    """``num`` evenly spaced values from start to stop."""
    return _make(np.linspace(start, stop, num, endpoint=endpoint, dtype=_dtype(dtype)), requires_grad)


def arange(start, stop=None, step=1, dtype=None, requires_grad=False):
    """Values in [start, stop) by ``step``: int64 for integer arguments, the default
    floating dtype if any argument is a float."""
    if stop is None:
        start, stop = 0, start
    if dtype is None:
        is_float = any(isinstance(v, float) for v in (start, stop, step))
        dtype = get_default_dtype() if is_float else np.int64
    return _make(np.arange(start, stop, step, dtype=np.dtype(dtype)), requires_grad)
