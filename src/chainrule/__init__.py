"""chainrule: automatic differentiation and backpropagation on NumPy arrays.

Three ways to a gradient in one system — numerical (finite differences),
analytic (closed forms you write) and automatic (forward and reverse mode) —
each of which can be shown, checked and used.

>>> import chainrule as cr
>>> x = cr.tensor([[1., 2.], [3., 4.]], requires_grad=True)
>>> (x @ x).relu().sum().backward()
>>> x.grad
"""

import numpy as np

from . import data, graph, nn, optim, random
from .api import methods as _methods
from .api.methods import Size
from .api.names import public_functions as _public_functions
from .core.dtypes import as_array as _as_array
from .core.dtypes import get_default_dtype, set_default_dtype
from .core.errors import (AnomalyError, BackwardError, DtypeError, GradientCheckError, ShapeError,
                          TracerError)
from .core.primitive import REGISTRY as primitives
from .core.state import detect_anomaly, enable_grad, is_grad_enabled, no_grad
from .core.tensor import Tensor
from .func import (Function, FunctionCtx, custom_vjp, grad, hessian, hvp, jacobian, jvp, stop_gradient,
                   value_and_grad, vjp)
from .graph import Graph, jit, trace
from .io import load, save
from .numeric import GradCheckReport, check_grad, numerical_grad
from .ops.creation import arange, eye, full, linspace, ones, ones_like, zeros, zeros_like
from .train import Checkpoint, EarlyStopping, History, SchedulerStep, evaluate, fit

__version__ = "0.1.0"

_methods.install()
_PUBLIC = _public_functions()
globals().update(_PUBLIC)


def tensor(data, dtype=None, requires_grad=False):
    """A Tensor holding a copy of ``data`` (Python data, an array or a tensor), as
    ``torch.tensor`` and ``np.array`` do: changing one later never changes the other.

    Python floats become the default dtype (float32), Python ints int64; NumPy
    arrays keep their dtype. ``requires_grad=True`` needs a floating dtype.
    """
    if isinstance(data, Tensor):
        data = data._data
    return Tensor(np.array(_as_array(data, dtype), copy=True), requires_grad=requires_grad)


__all__ = (["tensor", "Tensor", "Size", "set_default_dtype", "get_default_dtype", "grad", "value_and_grad", "vjp",
            "jvp", "jacobian", "hessian", "hvp", "no_grad", "enable_grad", "is_grad_enabled", "stop_gradient",
            "detect_anomaly", "Function", "FunctionCtx", "custom_vjp", "numerical_grad", "check_grad",
            "GradCheckReport", "GradientCheckError", "ShapeError", "DtypeError", "BackwardError",
            "AnomalyError", "TracerError", "random", "nn", "optim", "data", "graph", "Graph", "trace", "jit", "primitives", "arange", "eye", "full", "linspace", "ones",
            "ones_like", "zeros", "zeros_like", "save", "load",
            "fit", "evaluate", "History", "EarlyStopping", "Checkpoint", "SchedulerStep"]
           + sorted(_PUBLIC))
