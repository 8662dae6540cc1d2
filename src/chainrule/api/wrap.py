"""``as_tensor``: the one way a value becomes a Tensor.

A Tensor (or a tracer) stays itself; a Python sequence that holds tensors is stacked
with chainrule's own ``stack``, so the result carries the gradient of its elements
(as HIPS autograd's ``np.array`` does) instead of silently detaching them; anything
else (an array, a number, nested Python data) becomes a tensor by chainrule's dtype
rules (Python floats take the default dtype, NumPy arrays keep theirs).
"""

import numpy as np

from .. import ops
from ..core.dtypes import promote_types
from ..core.tensor import Tensor


def holds_tensor(value):
    """Whether nested Python sequences ``value`` hold a Tensor anywhere."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, Tensor):
            return True
        if isinstance(item, (list, tuple)):
            stack.extend(item)
    return False


def as_tensor(value, dtype=None):
    """``value`` as a Tensor (see the module docstring); ``dtype`` converts it."""
    dtype = None if dtype is None else np.dtype(dtype)
    if isinstance(value, Tensor):
        return value if dtype is None or value.dtype == dtype else ops.astype(value, dtype)
    if isinstance(value, (list, tuple)) and holds_tensor(value):
        parts = [as_tensor(item, dtype) for item in value]
        common = promote_types([p.dtype for p in parts])
        return ops.stack([ops.astype(p, common) for p in parts])
    return Tensor(value, dtype)
