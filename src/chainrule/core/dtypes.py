"""The default floating dtype and the rules that turn Python data into arrays.

Python floats become the default dtype (float32 unless changed, per thread), Python
ints int64, bools bool; NumPy arrays and scalars keep their dtype.
"""

import numbers

import numpy as np

from .devices import is_device_array
from .state import STATE


def set_default_dtype(dtype):
    """Set the dtype that Python floats and the creation functions use (in this thread)."""
    dtype = np.dtype(dtype)
    if dtype.kind != "f":
        raise TypeError(f"set_default_dtype: expected a floating dtype, got {dtype}")
    STATE.default_dtype = dtype


def get_default_dtype():
    """The current default floating dtype (a ``numpy.dtype``)."""
    return STATE.default_dtype


def _has_python_float(data):
    """Whether nested Python data holds a float that is not already a NumPy value."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, (list, tuple)):
            stack.extend(item)
        elif isinstance(item, float) and not isinstance(item, np.generic):
            return True
    return False


def as_array(data, dtype=None):
    """An array for ``data`` following chainrule's dtype rules: an ndarray, or ``data`` itself when
    it is a device array (never copied to the host)."""
    if is_device_array(data):
        return data if dtype is None or data.dtype == np.dtype(dtype) else data.astype(np.dtype(dtype))
    if dtype is not None:
        return np.asarray(data, dtype=np.dtype(dtype))
    if isinstance(data, (np.ndarray, np.generic)):
        return np.asarray(data)
    array = np.asarray(data)
    if array.dtype == np.float64 and _has_python_float(data):
        return array.astype(STATE.default_dtype)
    if array.dtype.kind == "i" and array.dtype != np.int64 and not isinstance(data, np.ndarray):
        return array.astype(np.int64)
    return array


def is_python_scalar(value):
    return isinstance(value, (numbers.Number, bool)) and not isinstance(value, np.generic)


def promote_types(dtypes):
    """The common dtype of tensors: NumPy 2's rules, except that integers and bools meeting
    a floating (or complex) dtype take that dtype, as in PyTorch and JAX — so a float32
    model stays float32 when it meets int64 data."""
    dtypes = [np.dtype(d) for d in dtypes]
    inexact = [d for d in dtypes if d.kind in "fc"]
    return np.result_type(*(inexact or dtypes))
