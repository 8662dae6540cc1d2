"""What every function of ``chainrule.numpy`` does with NumPy's extra parameters.

``out=`` writes into an existing array, which a differentiable function cannot do:
it is refused with an error that says to use the result. ``dtype=`` converts the input
first, as NumPy computes in that dtype.
"""

import numpy as np

from ..api.wrap import as_tensor

NO_VALUE = np._NoValue
"""NumPy's marker for a parameter that was not given."""


def given(value):
    return value is not NO_VALUE and value is not None


def refuse_out(name, out):
    if out is not None:
        raise TypeError(f"numpy.{name}: out= writes into an existing array, which chainrule's differentiable "
                        f"version cannot do; use the returned tensor (y = np.{name}(...))")


def operand(a, dtype=None):
    """An argument as a tensor (sequences holding tensors are stacked), converted to ``dtype``."""
    return as_tensor(a, None if dtype is None else np.dtype(dtype))
