"""The primitive set, grouped by kind, and the compositions built on it.

These functions take plain arrays, tensors or tracers; on plain arrays they return
plain arrays (so derivative rules cost one NumPy call), on tensors tensors. The
public ``cr.*`` functions wrap them to always return tensors.
"""

from . import conv  # the convolution and pooling primitives (used through chainrule.ops.conv)
from . import correlation  # 1-D correlation (used through chainrule.ops.correlation by convolve/correlate)
from . import decompositions, fourier, inverses  # linear algebra and Fourier transforms (chainrule.numpy.linalg, .fft)
from .creation import arange, eye, full, linspace, ones, ones_like, zeros, zeros_like
from .cumulative import cumprod, cumsum
from .diagonals import diag, diagflat, diagonal, trace, tril, triu
from .elementwise import (abs, add, astype, clip, conj, conjugate, copy, cos, div, equal, erf, exp, fmax, fmin,
                          greater, greater_equal, imag, isfinite, isinf, isnan, less, less_equal, log, log1p,
                          logical_and, logical_not, logical_or, maximum, minimum, mul, neg, not_equal, power, real,
                          relu, sigmoid, sign, signbit, sin, softplus, sqrt, stop_gradient, sub, tan, tanh, where)
from .indexing import concrete_index, getitem, index_update, scatter_add, take, take_along_axis
from .linalg import dot, einsum, matmul, outer
from .rearrange import (atleast_1d, atleast_2d, atleast_3d, flipud, fliplr, moveaxis, ravel, repeat, roll, rollaxis,
                        rot90, tile)
from .reductions import all, any, argmax, argmin, logsumexp, max, mean, min, prod, std, sum, var
from .rounding import around, ceil, fix, floor, floor_divide, fmod, mod, remainder, rint, round, trunc
from .shape import (broadcast_to, concatenate, expand_dims, flatten, flip, pad, reshape, squeeze, stack,
                    sum_to, swapaxes, transpose)
from .sorting import argpartition, argsort, partition, searchsorted, sort
from .special import digamma, entr, erfc, erfinv, gammaln, polygamma, xlog1py, xlogy
from .tensor_products import cross, inner, kron, tensordot, vdot
from .transcendental import (arccos, arccosh, arcsin, arcsinh, arctan, arctan2, arctanh, cbrt, cosh, deg2rad, degrees,
                             exp2, expm1, hypot, log2, log10, logaddexp, logaddexp2, rad2deg, radians, reciprocal, sinc,
                             sinh, square)

__all__ = [name for name in dir() if not name.startswith("_")]
