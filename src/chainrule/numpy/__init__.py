"""``import chainrule.numpy as np``: NumPy's names and signatures, differentiable, returning Tensors.

The functions take what NumPy takes (arrays, tensors, Python data, sequences holding
tensors — stacked differentiably) and follow NumPy's parameter names and defaults;
``out=`` is refused (a differentiable function returns a new tensor). NumPy functions
called directly on tensors (``numpy.sum(t)``, ``numpy.sin(t)``) run these versions
through NumPy's dispatch protocols; see ``chainrule.api.numpy_protocol``.

NumPy's constants (``pi``, ``inf``, ``newaxis`` …), dtypes (``float64`` …) and its ``random``
module are NumPy's own: random numbers are data, not part of any gradient. Which of
NumPy's names are here, and how each differentiates, is listed in ``docs/numpy_coverage.md``
(``python -m chainrule.numpy.coverage``).
"""

from numpy import (bool_, complex64, complex128, dtype, e, euler_gamma, finfo, float16, float32, float64, iinfo,  # noqa: F401
                   inf, int8, int16, int32, int64, intp, issubdtype, nan, newaxis, pi, promote_types, random, uint8,
                   uint16, uint32, uint64)
from numpy import can_cast, complexfloating, floating, generic, inexact, integer, number, signedinteger  # noqa: F401

from .complex import angle, conj, conjugate, imag, real
from .creation import (arange, array, asarray, eye, full, full_like, geomspace, linspace, logspace, ndim, ones,
                       ones_like, result_type, shape, size, zeros, zeros_like)
from .cumulative import cumprod, cumsum, cumulative_prod, cumulative_sum, diff, ediff1d, trapezoid
from .diagonals import diag, diagflat, diagonal, trace, tril, triu
from .elementwise import (abs, absolute, add, arccos, arccosh, arcsin, arcsinh, arctan, arctan2, arctanh, around,  # noqa: A004
                          cbrt, ceil, copysign, cos, cosh, deg2rad, degrees, divide, divmod, equal, exp, exp2, expm1,
                          fabs, fix, float_power, floor, floor_divide, fmax, fmin, fmod, greater, greater_equal,
                          heaviside, hypot, isfinite, isinf, isnan, less, less_equal, log, log1p, log2, log10,
                          logaddexp, logaddexp2, logical_and, logical_not, logical_or, logical_xor, matmul, maximum,
                          minimum, mod, modf, multiply, nan_to_num, negative, not_equal, positive, power, rad2deg,
                          radians, reciprocal, remainder, rint, round, sign, signbit, sin, sinc, sinh, sqrt, square,
                          subtract, tan, tanh, true_divide, trunc)
from .joining import (append, array_split, c_, column_stack, concat, concatenate, dsplit, dstack, hsplit, hstack, r_,
                      row_stack, split, stack, vsplit, vstack)
from .logic import (allclose, array_equal, array_equiv, iscomplex, iscomplexobj, isclose, isneginf, isposinf, isreal,
                    isrealobj, isscalar)
from .manipulation import (atleast_1d, atleast_2d, atleast_3d, broadcast_arrays, broadcast_to, copy, expand_dims, flip,
                           fliplr, flipud, moveaxis, pad, ravel, repeat, reshape, roll, rollaxis, rot90, squeeze,
                           swapaxes, tile, transpose)
from .nanfunctions import (nanargmax, nanargmin, nancumprod, nancumsum, nanmax, nanmean, nanmin, nanprod, nanstd,
                           nansum, nanvar)
from .products import cross, dot, einsum, inner, kron, outer, tensordot, vdot
from .reductions import (all, amax, amin, any, argmax, argmin, count_nonzero, max, mean, min, prod, ptp, std,  # noqa: A004
                         sum, var)
from .selection import (argwhere, choose, clip, compress, extract, flatnonzero, nonzero, put_along_axis, select, take,
                        take_along_axis, where)
from .sorting import argpartition, argsort, lexsort, partition, searchsorted, sort
from .statistics import average, median, nanmedian, nanpercentile, nanquantile, percentile, quantile

__all__ = [name for name, value in globals().items() if not name.startswith("_") and callable(value)]
