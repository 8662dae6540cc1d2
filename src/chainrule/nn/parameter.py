"""``Parameter``: a tensor that a ``Module`` registers as one of its learnable weights."""

import numpy as np

from ..core.dtypes import get_default_dtype
from ..core.tensor import Tensor


class Parameter(Tensor):
    """A leaf tensor that requires grad and that modules collect in ``parameters()``.

    Assigning a ``Parameter`` to a module attribute registers it (``self.weight =
    Parameter(...)``); a plain ``Tensor`` attribute is not a parameter.

    Parameters
    ----------
    data : Tensor, array-like or None
        The initial value. A Tensor or ndarray is shared, not copied, and keeps its
        dtype (as in PyTorch); Python data follows ``cr.tensor``'s rules; ``None``
        gives an empty tensor of the default dtype.
    requires_grad : bool
        Whether backward passes accumulate into ``.grad`` (default True).

    Examples
    --------
    >>> w = cr.nn.Parameter(np.zeros((2, 3)))
    >>> w.requires_grad, w.dtype
    (True, dtype('float64'))
    """

    __slots__ = ()

    def __init__(self, data=None, requires_grad=True):
        if data is None:
            data = np.empty((0,), get_default_dtype())
        super().__init__(data, requires_grad=requires_grad)

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()


def factory_dtype(dtype=None, device=None):
    """The dtype a new module's tensors get: ``dtype``, or the default dtype when None.

    ``device`` exists for PyTorch's factory signatures; only None or "cpu" is accepted.
    """
    if device not in (None, "cpu"):
        raise ValueError(f"device={device!r} is not supported: chainrule computes on the CPU with NumPy")
    return np.dtype(dtype) if dtype is not None else get_default_dtype()


def empty_parameter(shape, dtype=None, device=None):
    """An uninitialized ``Parameter`` of ``shape`` in ``factory_dtype(dtype, device)``."""
    return Parameter(np.empty(shape, factory_dtype(dtype, device)))
