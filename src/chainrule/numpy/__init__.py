"""``import chainrule.numpy as np``: NumPy's names and signatures, differentiable, returning Tensors.

The functions take what NumPy takes (arrays, tensors, Python data, sequences holding
tensors — stacked differentiably) and follow NumPy's parameter names and defaults;
``out=`` is refused (a differentiable function returns a new tensor). NumPy functions
called directly on tensors (``numpy.sum(t)``, ``numpy.sin(t)``) run these versions
through NumPy's dispatch protocols; see ``chainrule.api.numpy_protocol``.
"""

from .creation import (arange, array, asarray, eye, full, full_like, linspace, ndim, ones, ones_like, result_type,
                       shape, size, zeros, zeros_like)
from .elementwise import (abs, absolute, add, cos, divide, equal, exp, greater, greater_equal, isfinite, less,  # noqa: A004
                          less_equal, log, log1p, logical_and, logical_not, logical_or, matmul, maximum, minimum,
                          multiply, negative, not_equal, power, sign, sin, sqrt, subtract, tan, tanh, true_divide)
from .reductions import all, amax, amin, any, argmax, argmin, max, mean, min, prod, std, sum, var  # noqa: A004
from .manipulation import (broadcast_to, clip, concatenate, dot, einsum, expand_dims, flip, outer, pad, ravel, reshape,
                    squeeze, stack, swapaxes, transpose, where)
from . import fft, linalg  # noqa: E402 (NumPy's submodules: numpy.fft, numpy.linalg)

__all__ = [name for name, value in globals().items() if not name.startswith("_") and callable(value)]
