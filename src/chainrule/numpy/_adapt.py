"""What every function of ``chainrule.numpy`` does with NumPy's extra parameters.

``out=`` writes into an existing array, which a differentiable function cannot do:
it is refused with an error that says to use the result. ``dtype=`` converts the input
first, as NumPy computes in that dtype. A function whose result is read off the input's
values (the positions of its nonzero elements) reads them with ``concrete``, which
refuses while a program is being recorded, where it would freeze them.
"""

import numpy as np

from ..api.wrap import as_tensor
from ..core.errors import TracerError
from ..core.tensor import array_of
from ..core.tracer import Tracer, staging

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


def concrete(value, name):
    """The values of ``value`` now, for a function whose result (its shape, or indices) is read off them in
    a way no primitive records: refused for a value that ``cr.trace`` or ``cr.jit`` is recording, where it
    would be frozen (a constant of the recorded program is fine)."""
    if staging() and isinstance(value, Tracer):
        raise TracerError(f"numpy.{name}: its result is read off the values of its input, which cr.trace and "
                          f"cr.jit cannot record (the recorded program would keep this input's answer); call it "
                          f"outside the traced function")
    return array_of(value)
