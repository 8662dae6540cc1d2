"""Argument handling shared by the functional ops: tensors, int tuples, batch axes."""

import numpy as np

from ... import ops
from ...core import devices
from ...core.errors import ShapeError
from ...core.tensor import Tensor, array_of


def _integer_values(value, op, what):
    """The concrete values of an integer tensor or array (for checks only; on the value's own device),
    or a TypeError naming ``op``."""
    values = array_of(value)
    if values.dtype.kind not in "iu":
        raise TypeError(f"{op}: {what} must hold integers, got dtype {values.dtype} "
                        f"(convert with .astype(np.int64))")
    return values


def _constant(array, like):
    """A constant made on the host from shapes and sizes (a mask, interpolation weights, a pooling
    matrix), placed on the device of the tensor ``like`` it will meet."""
    return devices.placed_like(array, array_of(like))


def _as_tensor(value):
    return value if isinstance(value, Tensor) else Tensor(value)


def _result(value):
    return value if isinstance(value, Tensor) else Tensor._wrap(array_of(value))


def _ntuple(value, n, name, op, minimum=0):
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        out = (int(value),) * n
    else:
        try:
            out = tuple(int(v) for v in value)
        except TypeError:
            raise TypeError(f"{op}: {name} must be an int or a tuple of {n} ints, got {value!r}") from None
        if len(out) != n:
            raise ValueError(f"{op}: {name} must be an int or a tuple of {n} ints, got {value!r}")
    if any(v < minimum for v in out):
        raise ValueError(f"{op}: {name} must be at least {minimum}, got {value!r}")
    return out


def _batched(x, n, op):
    """``(x with a batch axis, whether one was added)`` for an (N, C, *S) or unbatched (C, *S) input."""
    if x.ndim == n + 2:
        return x, False
    if x.ndim == n + 1:
        return ops.expand_dims(x, 0), True
    layout = "(N, C, L)" if n == 1 else "(N, C, H, W)"
    raise ShapeError(f"{op}: expected a {layout} input (or one without the batch axis), got shape {x.shape}")
