"""Tensor creation: zeros, ones, full, eye, linspace, arange and the *_like forms.

Floating results use the default dtype (``cr.set_default_dtype``) unless ``dtype``
is given; every function takes ``requires_grad=``. ``full`` and ``linspace`` given
tensors (a fill value, end points) are built from chainrule ops, so their results carry
the gradient; ``arange`` refuses such tensors (its length depends on their values).
"""

import numpy as np

from ..core import devices
from ..core.dtypes import get_default_dtype
from ..core.errors import TracerError
from ..core.tensor import Tensor, array_of
from .elementwise import add, astype, mul, sub
from .shape import reshape


def _in_graph(*values):
    """Whether any of ``values`` is a tensor (gradients flow from tensors: they may require grad or be traced)."""
    return any(isinstance(v, Tensor) for v in values)


def _new_leaf(name, requires_grad):
    if requires_grad:
        raise ValueError(f"{name}: requires_grad=True makes a new leaf, but the arguments are tensors whose "
                         f"gradient the result carries; drop requires_grad, or pass numbers")


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
    """A tensor of ``shape`` filled with ``fill_value`` (a number or a tensor, broadcast)."""
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    if _in_graph(fill_value):
        _new_leaf("full", requires_grad)
        target = np.dtype(dtype) if dtype is not None else fill_value.dtype
        return add(zeros(shape, dtype=target), astype(fill_value, target))
    return _make(np.full(shape, fill_value, _dtype(dtype)), requires_grad)


def _like_dtype(x, dtype):
    return np.dtype(dtype) if dtype is not None else (x.dtype if hasattr(x, "dtype") else np.asarray(x).dtype)


def zeros_like(x, dtype=None, requires_grad=False):
    """Zeros with x's shape, dtype and device."""
    return _make(np.zeros(np.shape(x), _like_dtype(x, dtype), like=devices.like(array_of(x))), requires_grad)


def ones_like(x, dtype=None, requires_grad=False):
    """Ones with x's shape, dtype and device."""
    return _make(np.ones(np.shape(x), _like_dtype(x, dtype), like=devices.like(array_of(x))), requires_grad)


def eye(n, m=None, k=0, dtype=None, requires_grad=False):
    """The n×m identity (ones on diagonal k)."""
    return _make(np.eye(n, m, k, dtype=_dtype(dtype)), requires_grad)


def linspace(start, stop, num=50, endpoint=True, dtype=None, requires_grad=False):
    """``num`` evenly spaced values from start to stop: start + (stop − start)·k/(num − 1)
    (``/num`` without the endpoint). Tensor end points give a result that carries their gradient."""
    if not _in_graph(start, stop):
        return _make(np.linspace(start, stop, num, endpoint=endpoint, dtype=_dtype(dtype)), requires_grad)
    _new_leaf("linspace", requires_grad)
    target = _dtype(dtype)
    start, stop = astype(start, target) if isinstance(start, Tensor) else start, \
        astype(stop, target) if isinstance(stop, Tensor) else stop
    fractions = np.linspace(0.0, 1.0, num, endpoint=endpoint, dtype=target)
    fractions = devices.placed_like(fractions, array_of(stop if isinstance(stop, Tensor) else start))
    fractions = fractions.reshape((num,) + (1,) * max(np.ndim(start), np.ndim(stop)))
    return add(mul(sub(stop, start), fractions), start) if num else reshape(fractions, (0,))


def arange(start, stop=None, step=1, dtype=None, requires_grad=False):
    """Values in [start, stop) by ``step``: int64 for integer arguments, the default
    floating dtype if any argument is a float."""
    if _in_graph(start, stop, step):
        raise TracerError("arange: start, stop and step must be numbers (its length depends on their values); "
                          "use cr.linspace for a grid that is differentiated in its end points")
    if stop is None:
        start, stop = 0, start
    if dtype is None:
        is_float = any(isinstance(v, float) for v in (start, stop, step))
        dtype = get_default_dtype() if is_float else np.int64
    return _make(np.arange(start, stop, step, dtype=np.dtype(dtype)), requires_grad)
