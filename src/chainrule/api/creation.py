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
from ..core.tensor import Tensor
from . import device as devices
from .wrap import as_tensor as _as_tensor
from .wrap import holds_tensor


def on_device(fn):
    """``fn`` with PyTorch's keyword argument ``device=None`` added (it must name the CPU)."""
    @functools.wraps(fn)
    def create(*args, device=None, **kwargs):
        devices.check(device, fn.__name__)
        return fn(*args, **kwargs)

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
    transform, where it would drop the derivative being taken.) ``device`` must name the CPU.
    """
    devices.check(device, "tensor")
    if holds_tensor(data):
        if requires_grad:
            return Tensor(np.array(as_array(_values(data), dtype), copy=True), requires_grad=True)
        copied = _as_tensor(data, dtype)
        if copied is data:  # a tensor itself: copy its values, keeping its place in the computation
            copied = copied * 1 if copied.dtype.kind in "fc" else Tensor(np.array(copied._data, copy=True))
        return copied
    return Tensor(np.array(as_array(data, dtype), copy=True), requires_grad=requires_grad)


def _values(data):
    """Nested data with every tensor replaced by its values (for a new leaf)."""
    if isinstance(data, Tensor):
        return data.numpy()
    return [_values(item) for item in data] if isinstance(data, (list, tuple)) else data


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


def public_creation():
    """``{name: function}`` of every creation function of ``cr``, each taking ``device=``."""
    functions = {fn.__name__: on_device(fn) for fn in (ops.zeros, ops.ones, ops.full, ops.eye, ops.arange,
                                                        ops.linspace, ops.zeros_like, ops.ones_like, full_like,
                                                        empty, empty_like)}
    functions.update(tensor=tensor, as_tensor=as_tensor, from_numpy=from_numpy)
    return functions
