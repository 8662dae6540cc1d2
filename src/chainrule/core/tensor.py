"""The Tensor: a NumPy array plus the bookkeeping of the eager tape.

A Tensor holds ``_data`` (an ndarray, shared with ``x.numpy()``), a
``requires_grad`` flag, ``grad`` (a Tensor once a backward pass reached it),
``_node`` (the op that produced it on the tape; ``None`` for leaves) and a
``_version`` counter bumped by every in-place change. A tensor whose array is a view
of another tensor's array (a slice, a reshape, ``detach()``) keeps that tensor as its
``_base`` and shares its version counter, as in PyTorch: changing either in place is
seen by a backward pass that saved the other.

This module is the engine's view of a tensor: storage, metadata and conversions. Its
operators and op methods (``x + y``, ``x.exp()``, ``x.backward()``) are generated,
from the table of public names, by ``chainrule.api.methods``; transforms box Tensors
into subclasses (tracers) that reuse every method.
"""

import numpy as np

from .devices import device_of, is_device_array, to_host
from .dtypes import as_array, is_python_scalar
from .errors import DtypeError


class Tensor:
    __slots__ = ("_data", "_requires_grad", "grad", "_node", "_version", "_base", "_hooks", "__weakref__")

    __array_ufunc__ = None  # until chainrule.api gives it NumPy's dispatch protocols: ndarray * Tensor -> Tensor

    def __init__(self, data, dtype=None, requires_grad=False):
        if isinstance(data, Tensor):
            data = data._data
        self._init(as_array(data, dtype))
        if requires_grad:
            self.requires_grad = True

    def _init(self, array):
        """Every field of a fresh tensor around ``array`` (the one place they are set)."""
        self._data = array
        self._requires_grad = False
        self.grad = None
        self._node = None
        self._version = 0
        self._base = None
        self._hooks = None  # {key: hook} once register_hook is called (chainrule.core.hooks)

    @classmethod
    def _wrap(cls, array):
        """A Tensor around an ndarray, without copying or checking (internal fast path)."""
        t = object.__new__(Tensor)
        t._init(array)
        return t

    @property
    def version(self):
        """How many in-place changes this tensor (or the tensor it is a view of) has seen."""
        return self._version if self._base is None else self._base._version

    def _bump_version(self):
        owner = self if self._base is None else self._base
        owner._version += 1

    # ----------------------------------------------------------------- metadata
    @property
    def requires_grad(self):
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, flag):
        if flag and self._data.dtype.kind not in "fc":
            raise DtypeError(
                f"requires_grad=True needs a floating dtype, but this tensor is {self._data.dtype}; "
                f"only floating tensors can require gradients (use cr.tensor(..., dtype=np.float64))")
        if not flag and self._node is not None:
            raise RuntimeError("requires_grad can only be turned off on leaf tensors; use .detach()")
        self._requires_grad = bool(flag)

    def requires_grad_(self, flag=True):
        self.requires_grad = flag
        return self

    @property
    def shape(self):
        return self._data.shape

    @property
    def dtype(self):
        return self._data.dtype

    @property
    def ndim(self):
        return self._data.ndim

    def numel(self):
        return self._data.size

    @property
    def is_leaf(self):
        return self._node is None

    @property
    def grad_fn(self):
        """The tape node that produced this tensor (``None`` for leaves)."""
        return self._node

    def __len__(self):
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    # --------------------------------------------------------------- conversions
    def numpy(self):
        """The underlying ndarray; shares memory with the tensor (as in PyTorch). A tensor on a
        device refuses, as PyTorch's does: copy it to the host with ``t.cpu()`` first."""
        if is_device_array(self._data):
            raise TypeError(f"numpy(): this tensor lives on {device_of(self._data)!r}; copy it to the host first "
                            f"with t.cpu().numpy()")
        return self._data

    def item(self):
        if self._data.size != 1:
            raise ValueError(f"item(): only one-element tensors can be converted, this one has shape {self.shape}")
        return self._data.item()

    def tolist(self):
        return to_host(self._data).tolist()

    def __array__(self, dtype=None, copy=None):
        """Implicit conversion (``numpy.asarray(t)``): refused for a tensor that requires grad,
        whose gradient the array would drop (PyTorch's rule); ``t.numpy()`` is explicit."""
        if self._requires_grad:
            raise TypeError("converting a tensor that requires grad to a NumPy array would drop its gradient; "
                            "use t.detach().numpy() for the values, or chainrule's functions (chainrule.numpy has "
                            "NumPy's names) to keep the gradient")
        data = self.numpy()
        data = data if dtype is None else data.astype(dtype)
        return data.copy() if copy else data

    def __float__(self):
        return float(self.item())

    def __int__(self):
        return int(self.item())

    def __index__(self):
        if self._data.dtype.kind not in "iu" or self._data.size != 1:
            raise TypeError(f"only integer tensors of one element can be used as an index (got {self.dtype}, shape {self.shape})")
        return int(self._data.item())

    def __bool__(self):
        if self._data.size != 1:
            raise ValueError(f"the truth value of a tensor of shape {self.shape} is ambiguous; use .any() or .all()")
        return bool(self._data.item())

    def detach(self):
        """A tensor sharing this one's data (and version counter), outside every gradient computation."""
        t = Tensor._wrap(self._data)
        t._base = self if self._base is None else self._base
        return t

    def __repr__(self):
        body = np.array2string(to_host(self._data), separator=", ", prefix="tensor(")
        extras = []
        if is_device_array(self._data):
            extras.append(f"device='{device_of(self._data)}'")
        if self._data.dtype not in (np.float32, np.int64, np.bool_):
            extras.append(f"dtype={self._data.dtype}")
        if self._node is not None:
            extras.append(f"grad_fn=<{self._node.name}>")
        elif self._requires_grad:
            extras.append("requires_grad=True")
        return "tensor(" + ", ".join([body] + extras) + ")"

    __hash__ = object.__hash__


def array_of(value):
    """The concrete array behind a value (a tensor or tracer at any level, an array, a number)."""
    if isinstance(value, Tensor):
        return value._data
    return value if is_device_array(value) else np.asarray(value)


def zero_like(value):
    """A constant zero shaped like ``value`` (a Python zero for a Python scalar)."""
    if is_python_scalar(value):
        return type(value)(0)
    data = array_of(value)
    return np.zeros_like(data)
