"""Tensor's operators and methods, generated once the ops exist.

The engine's ``Tensor`` (``chainrule.core.tensor``) knows storage and bookkeeping only;
this module gives it what users call: the arithmetic operators (each binds its
primitive directly, the fast path), the op methods of the public table (``x.exp()``,
``x.sum(axis=0)``), ``backward``, and the in-place methods. Tracers inherit all of
it; their ``detach`` is ``stop_gradient``, which cuts the value out of every level.
"""

import numpy as np

from .. import ops
from ..core import tape
from ..core.bind import bind
from ..core.tensor import Tensor
from ..core.tracer import Tracer
from ..ops.elementwise import add_p, div_p, mul_p, neg_p, power_p, sub_p
from ..ops.rounding import floor_divide_p, remainder_p
from . import inplace, numpy_protocol
from .names import TABLE

_ARITHMETIC = {"add": add_p, "sub": sub_p, "mul": mul_p, "truediv": div_p, "pow": power_p, "mod": remainder_p,
               "floordiv": floor_divide_p}
_FUNCTIONS = {"matmul": ops.matmul, "eq": ops.equal, "ne": ops.not_equal, "lt": ops.less, "le": ops.less_equal,
              "gt": ops.greater, "ge": ops.greater_equal, "and": ops.logical_and, "or": ops.logical_or}
_REFLECTED = ("add", "sub", "mul", "truediv", "pow", "matmul", "and", "or")


def _binary_operator(prim):
    def operator(self, other):
        return bind(prim, self, other)
    return operator


def _reflected_operator(prim):
    def operator(self, other):
        return bind(prim, other, self)
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
    """``x.transpose()``, ``x.transpose(1, 0, 2)`` or ``x.transpose((1, 0, 2))``."""
    if len(axes) == 1 and (axes[0] is None or isinstance(axes[0], (tuple, list))):
        axes = axes[0]
    return ops.transpose(self, axes or None)


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
    Tensor.transpose = transpose
    Tensor.trace = ops.trace  # a method only: cr.trace is the graph tracer; np.trace is chainrule.numpy.trace
    Tensor.T = property(ops.transpose, doc="The tensor with its axes reversed.")
    Tensor.real = property(ops.real, doc="The real part (the tensor itself when real).")
    Tensor.imag = property(ops.imag, doc="The imaginary part (zeros when real).")
    Tensor.astype = lambda self, dtype: ops.astype(self, np.dtype(dtype))
    Tensor.float = lambda self: ops.astype(self, np.float32)
    Tensor.double = lambda self: ops.astype(self, np.float64)
    Tensor.backward = backward
    Tensor.__array_function__ = numpy_protocol.array_function
    Tensor.__array_ufunc__ = numpy_protocol.array_ufunc
    inplace.install(Tensor)
    Tracer.detach = ops.stop_gradient
