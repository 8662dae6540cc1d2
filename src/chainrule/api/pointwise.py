"""PyTorch's spellings of elementwise arithmetic: ``add``/``sub`` with ``alpha``, ``mul``, ``div``,
``pow`` and ``clamp(min, max)``, each also a Tensor method (``x.add(y, alpha=2)``).

Each is one or two of chainrule's elementwise ops, so the derivatives are theirs:
∂(x + αy)/∂y = α, ∂clamp(x)/∂x = 1[min ≤ x ≤ max]. (``square`` is NumPy's and PyTorch's alike.)
"""

import numpy as np

from .. import ops
from ..core.dtypes import is_python_scalar


def scaled(other, alpha):
    """alpha · other, a Python number when both are (so that it stays weak: float32 + 0.5·1 is float32)."""
    if alpha == 1:
        return other
    return other * alpha if is_python_scalar(other) else ops.mul(other, alpha)


def add(input, other, *, alpha=1):  # noqa: A002 (PyTorch's argument names)
    """input + alpha · other (NumPy broadcasting; ``alpha`` a number)."""
    return ops.add(input, scaled(other, alpha))


def sub(input, other, *, alpha=1):  # noqa: A002
    """input − alpha · other (NumPy broadcasting; ``alpha`` a number)."""
    return ops.sub(input, scaled(other, alpha))


def mul(input, other):  # noqa: A002
    """input · other (NumPy broadcasting).   ∂/∂input = other, ∂/∂other = input."""
    return ops.mul(input, other)


def div(input, other, *, rounding_mode=None):  # noqa: A002
    """input / other (NumPy broadcasting): true division, or rounded toward zero (``rounding_mode="trunc"``)
    or down (``"floor"``, Python's //), integers staying integers as in PyTorch.

    ∂/∂input = 1/other, ∂/∂other = −input/other² for true division; 0 for the rounded ones.
    """
    if rounding_mode is None:
        return ops.div(input, other)
    if rounding_mode == "floor":
        return ops.floor_divide(input, other)
    if rounding_mode == "trunc":
        quotient = ops.trunc(ops.div(input, other))
        dtypes = [np.asarray(v).dtype if is_python_scalar(v) else v.dtype for v in (input, other)]
        if all(t.kind in "iub" for t in dtypes):
            return ops.astype(quotient, np.result_type(*dtypes))
        return quotient
    raise ValueError(f"div: rounding_mode must be None, 'trunc' or 'floor', got {rounding_mode!r}")


def pow(input, exponent):  # noqa: A001, A002
    """input ** exponent (either may be a number).   ∂/∂input = exponent·input^(exponent − 1)."""
    return ops.power(input, exponent)


def clamp(input, min=None, max=None):  # noqa: A001, A002
    """input limited to [min, max] (either may be None, or a tensor that broadcasts).

    ``clip`` with PyTorch's argument names: min(max(input, min), max), so where
    min > max every element becomes max.   d/dx = 1 where min ≤ x ≤ max, else 0.
    """
    if min is None and max is None:
        raise ValueError("clamp: give min, max or both (both are None)")
    return ops.clip(input, min, max)
