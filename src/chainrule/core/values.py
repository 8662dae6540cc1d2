"""Helpers on *values*: plain arrays, Python scalars, tensors and tracers alike."""

import numpy as np

from .dtypes import is_python_scalar
from .tensor import Tensor


def data_of(value):
    """The concrete ndarray behind a value (unwrapping every level)."""
    return value._data if isinstance(value, Tensor) else np.asarray(value)


def zeros_like_value(value):
    """A constant zero shaped like ``value`` (a Python zero for a Python scalar)."""
    if is_python_scalar(value):
        return type(value)(0)
    data = data_of(value)
    return np.zeros(data.shape, data.dtype)
