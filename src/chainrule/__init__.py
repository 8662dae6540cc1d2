"""chainrule: automatic differentiation and backpropagation on NumPy arrays.

Three ways to a gradient in one system — numerical (finite differences),
analytic (closed forms you write) and automatic (forward and reverse mode) —
each of which can be shown, checked and used.

>>> import chainrule as cr
>>> x = cr.tensor([[1., 2.], [3., 4.]], requires_grad=True)
>>> (x @ x).relu().sum().backward()
>>> x.grad
"""

import builtins
import functools

import numpy as np

from . import data, graph, models, nn, optim, random
from . import ops as _ops
from .core.dtypes import as_array as _as_array
from .core.dtypes import get_default_dtype, set_default_dtype
from .core.errors import (AnomalyError, BackwardError, DtypeError, GradientCheckError, ShapeError,
                          TracerError)
from .core.function import Function, FunctionCtx, custom_vjp
from .core.primitive import REGISTRY as primitives
from .core.state import detect_anomaly, enable_grad, is_grad_enabled, no_grad
from .core.tensor import Tensor
from .graph import Graph, jit, trace
from .core.transforms import grad, hessian, hvp, jacobian, jvp, stop_gradient, value_and_grad, vjp
from .numeric import GradCheckReport, check_grad, numerical_grad

__version__ = "0.1.0"


def tensor(data, dtype=None, requires_grad=False):
    """A Tensor holding a copy of ``data`` (Python data, an array or a tensor), as
    ``torch.tensor`` and ``np.array`` do: changing one later never changes the other.

    Python floats become the default dtype (float32), Python ints int64; NumPy
    arrays keep their dtype. ``requires_grad=True`` needs a floating dtype.
    """
    if isinstance(data, Tensor):
        data = data._data
    return Tensor(np.array(_as_array(data, dtype), copy=True), requires_grad=requires_grad)


def _coerce(value):
    if isinstance(value, (list, tuple, float, int)) and not isinstance(value, bool):
        return Tensor(_as_array(value))
    return value


def _prepare(args, arrays):
    head = args[:arrays]
    if not builtins.any(isinstance(a, (Tensor, np.ndarray)) for a in head):
        return tuple(_coerce(a) for a in head) + args[arrays:]
    return tuple(Tensor(_as_array(a)) if isinstance(a, (list, tuple)) else a for a in head) + args[arrays:]


def _public(fn, arrays=1):
    """``fn`` as a public function: Python data in its first ``arrays`` arguments becomes
    tensors when no tensor or array is among them, and the result is always a Tensor."""
    @functools.wraps(fn)
    def public(*args, **kwargs):
        second_is_data = arrays > 1 and len(args) > 1 and isinstance(args[1], (list, tuple))
        if not (args and isinstance(args[0], Tensor)) or second_is_data:
            args = _prepare(args, arrays)
        out = fn(*args, **kwargs)
        return out if isinstance(out, Tensor) else Tensor._wrap(np.asarray(out))

    return public


_UNARY = ("exp log log1p sqrt sin cos tan tanh sigmoid relu softplus abs sign erf logical_not isfinite "
          "sum mean var max min prod logsumexp any all argmax argmin "
          "reshape transpose swapaxes expand_dims squeeze broadcast_to pad flip flatten astype").split()
_BINARY = ("add sub mul div power maximum minimum matmul dot outer equal not_equal less less_equal "
           "greater greater_equal logical_and logical_or").split()
_TERNARY = ("where clip").split()
_SEQUENCE = ("concatenate stack einsum").split()

for _name in _UNARY:
    globals()[_name] = _public(getattr(_ops, _name), 1)
for _name in _BINARY:
    globals()[_name] = _public(getattr(_ops, _name), 2)
for _name in _TERNARY:
    globals()[_name] = _public(getattr(_ops, _name), 3)
for _name in _SEQUENCE:
    globals()[_name] = _public(getattr(_ops, _name), 0)
subtract, multiply, divide, negative = sub, mul, div, _public(_ops.neg)  # noqa: F821 (NumPy's spellings)
neg = negative

from .ops.creation import arange, eye, full, linspace, ones, ones_like, zeros, zeros_like  # noqa: E402
from .io import load, save  # noqa: E402
from .train import Checkpoint, EarlyStopping, History, SchedulerStep, evaluate, fit  # noqa: E402

__all__ = (["tensor", "Tensor", "set_default_dtype", "get_default_dtype", "grad", "value_and_grad", "vjp",
            "jvp", "jacobian", "hessian", "hvp", "no_grad", "enable_grad", "is_grad_enabled", "stop_gradient",
            "detect_anomaly", "Function", "FunctionCtx", "custom_vjp", "numerical_grad", "check_grad",
            "GradCheckReport", "GradientCheckError", "ShapeError", "DtypeError", "BackwardError",
            "AnomalyError", "TracerError", "random", "nn", "optim", "data", "graph", "Graph", "trace", "jit", "primitives", "arange", "eye", "full", "linspace", "ones",
            "ones_like", "zeros", "zeros_like", "subtract", "multiply", "divide", "negative", "neg", "save", "load",
            "fit", "evaluate", "History", "EarlyStopping", "Checkpoint", "SchedulerStep"]
           + _UNARY + _BINARY + _TERNARY + _SEQUENCE)
