"""``import chainrule.numpy as np``: NumPy's names and signatures, differentiable, returning Tensors.

The functions take what NumPy takes (arrays, tensors, Python data, sequences holding
tensors — stacked differentiably) and follow NumPy's parameter names and defaults;
``out=`` is refused (a differentiable function returns a new tensor). NumPy functions
called directly on tensors (``numpy.sum(t)``, ``numpy.sin(t)``) run these versions
through NumPy's dispatch protocols; see ``chainrule.api.numpy_protocol``.

NumPy's constants (``pi``, ``inf``, ``newaxis`` …), dtypes (``float64`` …) and its ``random``
module are NumPy's own: random numbers are data, not part of any gradient. Every other name
NumPy has and this module does not define is NumPy's own function too, so code written for
NumPy runs unchanged: on arrays it computes as in NumPy, and given tensors it raises
``TypeError`` naming itself rather than drop a gradient. Which of NumPy's names chainrule
implements, and how each differentiates, is listed in ``docs/numpy_coverage.md``
(``python -m chainrule.numpy.coverage``).
"""

import numpy as _numpy

from numpy import (bool_, complex64, complex128, dtype, e, euler_gamma, finfo, float16, float32,  # noqa: F401
                   float64, iinfo, inf, int8, int16, int32, int64, intp, issubdtype, nan, newaxis, pi, promote_types,
                   random, uint8, uint16, uint32, uint64)
from numpy import can_cast, complexfloating, floating, generic, inexact, integer, number, signedinteger  # noqa: F401

from .complex import angle, conj, conjugate, imag, real, real_if_close
from .creation import (arange, array, asanyarray, asarray, asarray_chkfinite, ascontiguousarray, asfortranarray, astype,
                       broadcast_shapes, diag_indices, diag_indices_from, empty, empty_like, eye, fromfunction, full,
                       full_like, geomspace, identity, indices, ix_, linspace, logspace, meshgrid, ndim, ones,
                       ones_like, require, result_type, shape, size, tri, tril_indices, tril_indices_from,
                       triu_indices, triu_indices_from, zeros, zeros_like)
from .cumulative import cumprod, cumsum, cumulative_prod, cumulative_sum, diff, ediff1d, gradient, trapezoid
from .diagonals import diag, diagflat, diagonal, trace, tril, triu
from .elementwise import (abs, absolute, acos, acosh, add, arccos, arccosh, arcsin, arcsinh, arctan,  # noqa: A004
                          arctan2, arctanh, around, asin, asinh, atan, atan2, atanh, cbrt, ceil, copysign, cos, cosh,
                          deg2rad, degrees, divide, divmod, equal, exp, exp2, expm1, fabs, fix, float_power, floor,
                          floor_divide, fmax, fmin, fmod, greater, greater_equal, heaviside, hypot, isfinite, isinf,
                          isnan, ldexp, less, less_equal, log, log1p, log2, log10, logaddexp, logaddexp2, logical_and,
                          logical_not, logical_or, logical_xor, matmul, maximum, minimum, mod, modf, multiply,
                          nan_to_num, negative, not_equal, positive, pow, power, rad2deg, radians, reciprocal,
                          remainder, rint, round, sign, signbit, sin, sinc, sinh, sqrt, square, subtract, tan, tanh,
                          true_divide, trunc)
from .functional import apply_along_axis, apply_over_axes, piecewise
from .inplace import copyto, fill_diagonal, place, put, put_along_axis, putmask
from .joining import (append, array_split, block, c_, column_stack, concat, concatenate, dsplit, dstack, hsplit, hstack,
                      r_, row_stack, split, stack, unstack, vsplit, vstack)
from .logic import (allclose, array_equal, array_equiv, iscomplex, iscomplexobj, isclose, isneginf, isposinf, isreal,
                    isrealobj, isscalar)
from .manipulation import (atleast_1d, atleast_2d, atleast_3d, broadcast_arrays, broadcast_to, copy, delete,
                           expand_dims, flip, fliplr, flipud, insert, moveaxis, pad, permute_dims,
                           ravel, repeat, reshape, resize, roll, rollaxis, rot90, squeeze, swapaxes, tile, transpose,
                           trim_zeros)
from .nanfunctions import (nanargmax, nanargmin, nancumprod, nancumsum, nanmax, nanmean, nanmin, nanprod, nanstd,
                           nansum, nanvar)
from .polynomials import poly, polyadd, polyder, polyint, polymul, polysub, polyval, vander
from .products import cross, dot, einsum, inner, kron, matvec, outer, tensordot, vdot, vecmat
from .reductions import (all, amax, amin, any, argmax, argmin, count_nonzero, max, mean, min, prod,  # noqa: A004
                         ptp, std, sum, var)
from .selection import (argwhere, choose, clip, compress, extract, flatnonzero, nonzero, ravel_multi_index, select,
                        take, take_along_axis, unravel_index, where)
from .sets import (intersect1d, isin, setdiff1d, setxor1d, union1d, unique, unique_all, unique_counts, unique_inverse,
                   unique_values)
from .signals import bartlett, blackman, convolve, correlate, hamming, hanning, interp, kaiser, unwrap
from .sorting import argpartition, argsort, lexsort, partition, searchsorted, sort, sort_complex
from .statistics import (average, bincount, corrcoef, cov, digitize, median, nanmedian, nanpercentile, nanquantile,
                         percentile, quantile)
from . import fft, linalg  # NumPy's submodules: numpy.fft, numpy.linalg
from .linalg import matrix_transpose, vecdot  # also in NumPy's namespace

__all__ = [name for name, value in globals().items() if not name.startswith("_") and callable(value)]


def __getattr__(name):
    """NumPy's own attribute for a name chainrule.numpy does not define (see the module docstring)."""
    try:
        return getattr(_numpy, name)
    except AttributeError:
        raise AttributeError(f"module 'chainrule.numpy' has no attribute {name!r} (nor has NumPy)") from None
