"""The primitive set, grouped by kind, and the compositions built on it.

These functions take plain arrays, tensors or tracers; on plain arrays they return
plain arrays (so derivative rules cost one NumPy call), on tensors tensors. The
public ``cr.*`` functions wrap them to always return tensors.
"""

from . import conv  # the convolution and pooling primitives (used through chainrule.ops.conv)
from . import decompositions, fourier, inverses  # linear algebra and Fourier transforms (chainrule.numpy.linalg, .fft)
from .creation import arange, eye, full, linspace, ones, ones_like, zeros, zeros_like
from .elementwise import (abs, add, astype, clip, conj, cos, div, equal, erf, exp, greater, greater_equal, imag,
                          isfinite, less, less_equal, log, log1p, logical_and, logical_not, logical_or, maximum,
                          minimum, mul, neg, not_equal, power, real, relu, sigmoid, sign, sin, softplus, sqrt,
                          stop_gradient, sub, tan, tanh, where)
from .indexing import concrete_index, getitem, index_update, scatter_add
from .linalg import dot, einsum, matmul, outer
from .reductions import all, any, argmax, argmin, logsumexp, max, mean, min, prod, sum, var
from .shape import (broadcast_to, concatenate, expand_dims, flatten, flip, pad, reshape, squeeze, stack,
                    sum_to, swapaxes, transpose)

__all__ = [name for name in dir() if not name.startswith("_")]
