"""chainrule: automatic differentiation and backpropagation on NumPy arrays.

Three ways to a gradient in one system — numerical (finite differences),
analytic (closed forms you write) and automatic (forward and reverse mode) —
each of which can be shown, checked and used.

>>> import chainrule as cr
>>> x = cr.tensor([[1., 2.], [3., 4.]], requires_grad=True)
>>> (x @ x).relu().sum().backward()
>>> x.grad
"""

from . import autograd, cuda, data, func, graph, models, nn, optim, random
from .api import methods as _methods
from .api.conversion import public_dtypes as _public_dtypes
from .api.creation import public_creation as _public_creation
from .api.device import device
from .api.methods import Size
from .api.names import public_functions as _public_functions
from .core.dtypes import get_default_dtype, set_default_dtype
from .core.errors import (AnomalyError, BackwardError, DtypeError, GradientCheckError, ShapeError,
                          TracerError)
from .core.primitive import REGISTRY as primitives
from .core.state import detect_anomaly, enable_grad, is_grad_enabled, no_grad
from .core.tensor import Tensor
from .func import (Function, FunctionCtx, checkpoint, custom_vjp, grad, hessian, hvp, jacobian, jvp,
                   stop_gradient, value_and_grad, vjp, vmap)
from .graph import Graph, jit, trace
from .io import load, save
from .numeric import GradCheckReport, check_grad, numerical_grad
from .random import Generator, manual_seed, rand, rand_like, randint, randn, randn_like, randperm
from .train import Checkpoint, EarlyStopping, History, SchedulerStep, evaluate, fit

__version__ = "0.1.0"

_methods.install()
_PUBLIC = {**_public_functions(), **_public_creation(), **_public_dtypes()}
globals().update(_PUBLIC)

# cr.bool, cr.float and cr.int are dtypes: a star import must not hide Python's bool(), float() and int()
__all__ = (["Tensor", "Size", "device", "cuda", "autograd", "Generator", "manual_seed", "randn", "rand", "randint",
            "randperm", "randn_like", "rand_like", "set_default_dtype", "get_default_dtype", "grad", "value_and_grad",
            "vjp", "jvp", "jacobian", "hessian", "hvp", "vmap", "checkpoint", "no_grad", "enable_grad",
            "is_grad_enabled", "stop_gradient", "detect_anomaly", "Function", "FunctionCtx", "custom_vjp",
            "numerical_grad", "check_grad", "GradCheckReport", "GradientCheckError", "ShapeError", "DtypeError",
            "BackwardError", "AnomalyError", "TracerError", "random", "func", "nn", "optim", "data", "graph", "Graph",
            "trace", "jit", "primitives", "save", "load",
            "fit", "evaluate", "History", "EarlyStopping", "Checkpoint", "SchedulerStep"]
           + sorted(name for name in _PUBLIC if name not in ("bool", "float", "int")))
