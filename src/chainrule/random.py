"""Random tensors from one seeded generator: ``cr.random.seed``, ``normal``, ``uniform``.

Results use the default floating dtype; ``seed(s)`` makes every later draw reproducible.
"""

import numpy as np

from .core.dtypes import get_default_dtype
from .core.tensor import Tensor

_generator = [np.random.default_rng()]


def seed(value):
    """Reset the generator so that the following draws repeat."""
    _generator[0] = np.random.default_rng(value)


def generator():
    """The NumPy ``Generator`` behind chainrule's random functions."""
    return _generator[0]


def _finish(array, dtype, requires_grad):
    t = Tensor._wrap(np.asarray(array, dtype=np.dtype(dtype) if dtype is not None else get_default_dtype()))
    if requires_grad:
        t.requires_grad = True
    return t


def normal(loc=0.0, scale=1.0, size=None, dtype=None, requires_grad=False):
    """Samples of N(loc, scale²) with shape ``size``."""
    return _finish(_generator[0].normal(loc, scale, size), dtype, requires_grad)


def uniform(low=0.0, high=1.0, size=None, dtype=None, requires_grad=False):
    """Samples of U[low, high) with shape ``size``."""
    return _finish(_generator[0].uniform(low, high, size), dtype, requires_grad)
