"""The public creation functions: ``cr.tensor``, ``cr.as_tensor``, ``cr.from_numpy``, and the
creation ops (``zeros`` … ``linspace``, the ``*_like`` forms, ``empty``) with PyTorch's
``device=`` argument.

``cr.tensor`` copies its data (as ``torch.tensor`` and ``np.array`` do), ``cr.as_tensor``
shares memory with an array when it can, and ``cr.from_numpy`` always does (as
``torch.from_numpy``): changing the array changes the tensor. ``device`` must name the
CPU (see ``chainrule.api.device``).
"""

import functools
import inspect

import numpy as np

from .. import ops
from ..core.dtypes import as_array
from ..core.tensor import Tensor, array_of
from ..core.tracer import Tracer
from ..core import devices as backends
from . import device as devices
from .wrap import as_tensor as _as_tensor
from .wrap import holds_tensor


def _on(result, where_to):
    """A new tensor moved to ``where_to``: a leaf stays a leaf (with its requires_grad), a result of
    ops is moved differentiably."""
    if backends.device_of(result._data) == where_to.type:
        return result
    leaf = Tensor(backends.to_device(result._data, where_to.type))
    leaf.requires_grad = result.requires_grad and result.is_leaf
    return leaf if result.is_leaf else devices.place(result, where_to)


def on_device(fn):
    """``fn`` with PyTorch's keyword argument ``device=None`` added: the new tensor is made there;
    by default on the device of its first tensor argument (the input of a ``*_like`` function, the
    end points of ``linspace``), else on the CPU."""
    @functools.wraps(fn)
    def create(*args, device=None, **kwargs):
        if device is None:
            given = [a for a in (*args, *kwargs.values()) if isinstance(a, Tensor) or backends.is_device_array(a)]
            device = backends.device_of(array_of(given[0])) if given else None
        return _on(fn(*args, **kwargs), devices.check(device, fn.__name__))

    signature = inspect.signature(fn)
    device_parameter = inspect.Parameter("device", inspect.Parameter.KEYWORD_ONLY, default=None)
    create.__signature__ = signature.replace(parameters=[*signature.parameters.values(), device_parameter])
    return create


def tensor(data, dtype=None, device=None, requires_grad=False):
    """A Tensor holding a copy of ``data`` (Python data, an array or a tensor), as
    ``torch.tensor`` and ``np.array`` do: changing one later never changes the other.

    Python floats become the default dtype (float32), Python ints int64; NumPy
    arrays keep their dtype. ``requires_grad=True`` makes a new leaf (it needs a
    floating dtype). Data holding tensors — a tensor, or a list of them, as in
    ``cr.tensor([x, 2 * x])`` — keeps their gradient: the copy is part of the
    computation, never silently detached. (``requires_grad=True`` on such data starts a
    new leaf from their values, as ``torch.tensor`` does; it is refused inside a
    transform, where it would drop the derivative being taken.) ``device`` says where it lives.
    """
    where_to = None if device is None else devices.check(device, "tensor")
    if holds_tensor(data):
        if requires_grad:
            _refuse_traced(data)
            result = Tensor(_copy(_as_tensor(data, dtype).detach()._data), requires_grad=True)
        else:
            result = _as_tensor(data, dtype)
            if result is data:  # a tensor itself: copy its values, keeping its place in the computation
                result = result * 1 if result.dtype.kind in "fc" else Tensor(_copy(result._data))
    else:
        result = Tensor(_copy(as_array(data, dtype)), requires_grad=requires_grad)
    return result if where_to is None else _on(result, where_to)


def _copy(array):
    """A copy of ``array`` on its own device."""
    return np.array(array, copy=True) if isinstance(array, (np.ndarray, np.generic)) else array.copy()


def _refuse_traced(data):
    """A new leaf made from values a transform is differentiating would drop their derivative."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, Tracer) and item._trace.alive:
            item.numpy()  # raises TracerError, saying so
        if isinstance(item, (list, tuple)):
            stack.extend(item)


@on_device
def as_tensor(data, dtype=None):
    """``data`` as a Tensor without copying where possible, as ``torch.as_tensor``: a tensor of
    the dtype stays itself, an ndarray is shared; Python data (lists holding tensors are
    stacked, differentiably) becomes a new tensor."""
    return _as_tensor(data, dtype)


def from_numpy(ndarray):
    """A Tensor sharing memory with ``ndarray``, as ``torch.from_numpy``: a change to either is seen by both.

    The dtype is the array's. Anything but a NumPy array of numbers or booleans raises ``TypeError``.
    """
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"from_numpy: expected a numpy.ndarray, got {type(ndarray).__name__}; "
                        f"use cr.tensor(data) for Python data")
    if ndarray.dtype.kind not in "biufc":
        raise TypeError(f"from_numpy: cannot make a tensor of an array of dtype {ndarray.dtype}; "
                        f"only numbers and booleans")
    return Tensor._wrap(ndarray)


def full_like(input, fill_value, dtype=None, requires_grad=False):  # noqa: A002 (PyTorch's argument names)
    """A tensor of input's shape (and dtype, unless ``dtype`` is given) filled with ``fill_value``."""
    if dtype is None:
        dtype = input.dtype if isinstance(input, (Tensor, np.ndarray)) else as_array(input).dtype
    return ops.full(np.shape(input), fill_value, dtype=dtype, requires_grad=requires_grad)


def empty(*shape, dtype=None, requires_grad=False):
    """A tensor of ``shape`` whose values are to be overwritten (chainrule fills it with zeros)."""
    return ops.zeros(*shape, dtype=dtype, requires_grad=requires_grad)


def empty_like(input, dtype=None, requires_grad=False):  # noqa: A002
    """A tensor of input's shape and dtype whose values are to be overwritten (zeros in chainrule)."""
    return ops.zeros_like(input, dtype=dtype, requires_grad=requires_grad)


# ------------------------------------------------------------ PyTorch's x.new_* methods
def _new(self, fn, args, dtype, device, requires_grad):
    """A new tensor from ``fn(*args, dtype=...)`` with this tensor's dtype and device unless given."""
    made = fn(*args, dtype=self.dtype if dtype is None else dtype, requires_grad=requires_grad)
    return _on(made, devices.check(backends.device_of(self._data) if device is None else device, fn.__name__))


def new_zeros(self, *size, dtype=None, device=None, requires_grad=False):
    """Zeros of shape ``size`` with this tensor's dtype and device (PyTorch's ``x.new_zeros``)."""
    return _new(self, ops.zeros, size, dtype, device, requires_grad)


def new_ones(self, *size, dtype=None, device=None, requires_grad=False):
    """Ones of shape ``size`` with this tensor's dtype and device (PyTorch's ``x.new_ones``)."""
    return _new(self, ops.ones, size, dtype, device, requires_grad)


def new_empty(self, *size, dtype=None, device=None, requires_grad=False):
    """A tensor of shape ``size`` to be overwritten (zeros), with this tensor's dtype and device."""
    return _new(self, empty, size, dtype, device, requires_grad)


def new_full(self, size, fill_value, dtype=None, device=None, requires_grad=False):
    """``size`` filled with ``fill_value``, with this tensor's dtype and device (PyTorch's ``x.new_full``)."""
    return _new(self, ops.full, (size, fill_value), dtype, device, requires_grad)


def new_tensor(self, data, dtype=None, device=None, requires_grad=False):
    """A new leaf tensor of ``data`` (copied), with this tensor's dtype and device unless given."""
    return tensor(data, dtype=self.dtype if dtype is None else dtype,
                  device=backends.device_of(self._data) if device is None else device, requires_grad=requires_grad)


def install(cls):
    """PyTorch's ``x.new_zeros``, ``new_ones``, ``new_empty``, ``new_full`` and ``new_tensor`` on ``cls``."""
    cls.new_zeros, cls.new_ones, cls.new_empty = new_zeros, new_ones, new_empty
    cls.new_full, cls.new_tensor = new_full, new_tensor


def public_creation():
    """``{name: function}`` of every creation function of ``cr``, each taking ``device=``."""
    functions = {fn.__name__: on_device(fn) for fn in (ops.zeros, ops.ones, ops.full, ops.eye, ops.arange,
                                                        ops.linspace, ops.zeros_like, ops.ones_like, full_like,
                                                        empty, empty_like)}
    functions.update(tensor=tensor, as_tensor=as_tensor, from_numpy=from_numpy)
    return functions
