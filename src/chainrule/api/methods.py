"""Tensor's operators and methods, generated once the ops exist.

The engine's ``Tensor`` (``chainrule.core.tensor``) knows storage and bookkeeping only;
this module gives it what users call: the arithmetic operators (each binds its
primitive directly, the fast path), the op methods of the public table (``x.exp()``,
``x.sum(axis=0)``), ``backward``, the in-place methods, and the methods PyTorch users
call that have no function of their own (``x.size()``, ``x.view(2, 3)``, ``x.permute(1, 0)``,
``x.clone()``, ``x.data``, ``x.to(...)`` …). Tracers inherit all of it; their ``detach``
is ``stop_gradient``, which cuts the value out of every level.
"""

import math

import numpy as np

from .. import ops
from ..core import hooks, tape
from ..core.bind import bind
from ..core.errors import TracerError
from ..core.tensor import Tensor
from ..core.tracer import Tracer
from ..ops.declare import promote_pair
from ..ops.elementwise import add_p, div_p, mul_p, neg_p, power_p, sub_p
from ..ops.rounding import floor_divide_p, remainder_p
from . import conversion, creation, device, inplace, numpy_protocol, shaping, sorting
from .names import TABLE

_ARITHMETIC = {"add": add_p, "sub": sub_p, "mul": mul_p, "truediv": div_p, "pow": power_p, "mod": remainder_p,
               "floordiv": floor_divide_p}
_FUNCTIONS = {"matmul": ops.matmul, "eq": ops.equal, "ne": ops.not_equal, "lt": ops.less, "le": ops.less_equal,
              "gt": ops.greater, "ge": ops.greater_equal, "and": ops.logical_and, "or": ops.logical_or}
_REFLECTED = ("add", "sub", "mul", "truediv", "pow", "matmul", "and", "or")


def _binary_operator(prim):
    def operator(self, other):
        return bind(prim, *promote_pair(self, other))
    return operator


def _reflected_operator(prim):
    def operator(self, other):
        return bind(prim, *promote_pair(other, self))
    return operator


def _binary_function(fn):
    def operator(self, other):
        return fn(self, other)
    return operator


def _reflected_function(fn):
    def operator(self, other):
        return fn(other, self)
    return operator


def reshape(self, *shape):
    """``x.reshape(2, 3)`` or ``x.reshape((2, 3))``, as in NumPy."""
    return ops.reshape(self, shape[0] if len(shape) == 1 else shape)


def transpose(self, *axes):
    """``x.transpose(dim0, dim1)`` swaps two axes (PyTorch); ``x.transpose()``, ``x.transpose(1, 0, 2)``
    or ``x.transpose((1, 0, 2))`` permutes them (NumPy).

    Two integers always swap, also on a matrix, where NumPy would read ``(0, 1)`` as
    the identity permutation (which no one writes to mean "unchanged").
    """
    if len(axes) == 2 and all(isinstance(a, (int, np.integer)) for a in axes):
        dim0, dim1 = (shaping.dim_index(a, self.ndim, "transpose") for a in axes)
        return ops.swapaxes(self, dim0, dim1)
    if len(axes) == 1 and (axes[0] is None or isinstance(axes[0], (tuple, list))):
        axes = axes[0]
    return ops.transpose(self, axes or None)


def view_as(self, other):
    """x reshaped to other's shape (PyTorch's ``x.view_as(other)``)."""
    return ops.reshape(self, other.shape)


def permute(self, *dims):
    """``x.permute(2, 0, 1)`` or ``x.permute((2, 0, 1))``: axis i of the result is axis dims[i] of x."""
    return shaping.permute(self, shaping.sizes_of(dims, "permute"))


class Size(tuple):
    """A tensor's shape as PyTorch's ``torch.Size``: a tuple of ints, with ``numel()``."""

    __slots__ = ()

    def numel(self):
        """The number of elements of a tensor of this shape."""
        return math.prod(self)

    def __repr__(self):
        return f"Size({list(self)})"


def size(self, dim=None):
    """PyTorch's ``x.size()``: the shape as a ``Size``, or with ``dim`` the length of that axis.

    (NumPy's ``x.size``, the number of elements, is ``x.numel()``.)
    """
    if dim is None:
        return Size(self.shape)
    return self.shape[shaping.dim_index(dim, self.ndim, "size")]


def _data(self):
    """``x.data``: the values, outside every gradient computation, sharing memory with x (PyTorch's
    ``.data``: unlike ``detach()``, in-place changes through it are *not* seen by autograd)."""
    if isinstance(self, Tracer):
        return ops.stop_gradient(self)
    return Tensor._wrap(self._data)


def _set_data(self, value):
    """``x.data = v``: x now holds v's values (shared), as in PyTorch; not recorded by autograd."""
    if isinstance(self, Tracer):
        raise TracerError("x.data = ...: values traced by a transform cannot be replaced; compute a new value")
    self._data = value._data if isinstance(value, Tensor) else np.asarray(value)


def clone(self, memory_format=None):  # noqa: ARG001 (PyTorch's signature)
    """A copy of x with its own memory that stays in the graph (the gradient passes through unchanged).

    Built as ``where(True, x, x)``, the one op that copies an array of any dtype and shape.
    """
    return ops.where(True, self, self)


def contiguous(self, memory_format=None):  # noqa: ARG001 (PyTorch's signature)
    """x itself: NumPy arrays need no contiguous copy for any chainrule op."""
    return self


def backward(self, gradient=None, retain_graph=False, create_graph=False):
    """Accumulate d(self)/d(leaf) into ``leaf.grad`` for every leaf requiring grad.

    ``gradient`` is the cotangent (required unless ``self`` has one element);
    ``retain_graph`` keeps the graph for another backward; ``create_graph``
    records the backward pass so that gradients can be differentiated again.
    """
    tape.backward(self, gradient, retain_graph, create_graph)


def install():
    """Give ``Tensor`` its operators and methods (called once, when chainrule is imported)."""
    for name, prim in _ARITHMETIC.items():
        setattr(Tensor, f"__{name}__", _binary_operator(prim))
        setattr(Tensor, f"__r{name}__", _reflected_operator(prim))
    for name, fn in _FUNCTIONS.items():
        setattr(Tensor, f"__{name}__", _binary_function(fn))
        if name in _REFLECTED:
            setattr(Tensor, f"__r{name}__", _reflected_function(fn))
    Tensor.__neg__ = lambda self: bind(neg_p, self)
    Tensor.__pos__ = lambda self: self
    Tensor.__abs__ = ops.abs
    Tensor.__invert__ = ops.logical_not
    Tensor.__getitem__ = ops.getitem
    for op in TABLE:
        if op.method:
            setattr(Tensor, op.name, op.function)
    Tensor.reshape = Tensor.view = reshape
    Tensor.view_as = view_as
    Tensor.transpose = transpose
    Tensor.trace = ops.trace  # a method only: cr.trace is the graph tracer; np.trace is chainrule.numpy.trace
    Tensor.permute = permute
    Tensor.repeat, Tensor.expand, Tensor.split = shaping.repeat, shaping.expand, shaping.split
    Tensor.sort = sorting.sort  # PyTorch's (values, indices); cr.sort and np.sort are NumPy's (the values)
    Tensor.T = property(ops.transpose, doc="The tensor with its axes reversed.")
    Tensor.size = size
    Tensor.dim = lambda self: self.ndim
    Tensor.data = property(_data, _set_data)
    Tensor.clone, Tensor.contiguous = clone, contiguous
    Tensor.real = property(ops.real, doc="The real part (the tensor itself when real).")
    Tensor.imag = property(ops.imag, doc="The imaginary part (zeros when real).")
    Tensor.astype = lambda self, dtype: ops.astype(self, np.dtype(dtype))
    Tensor.backward = backward
    conversion.install(Tensor)
    creation.install(Tensor)
    device.install(Tensor)
    Tensor.register_hook = hooks.register_hook
    Tensor.retain_grad = hooks.retain_grad
    Tensor.retains_grad = property(hooks.retains_grad)
    Tensor.__array_function__ = numpy_protocol.array_function
    Tensor.__array_ufunc__ = numpy_protocol.array_ufunc
    inplace.install(Tensor)
    Tracer.detach = ops.stop_gradient
