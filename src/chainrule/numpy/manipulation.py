"""Array manipulation (shapes, joins) and products with NumPy's signatures (``np.reshape(a, shape)``, ``np.stack(arrays, axis)``)."""

from .. import ops
from ._adapt import NO_VALUE, given, operand, refuse_out


def reshape(a, /, shape=None, order="C", *, newshape=None, copy=None):
    """``a`` with a new shape (C order)."""
    if order != "C":
        raise ValueError(f"numpy.reshape: only order='C' is supported, got {order!r}")
    return ops.reshape(operand(a), shape if shape is not None else newshape)


def ravel(a, order="C"):
    """``a`` flattened (C order)."""
    return reshape(a, (-1,), order)


def transpose(a, axes=None):
    """The axes permuted (reversed by default)."""
    return ops.transpose(operand(a), axes)


def swapaxes(a, axis1, axis2):
    return ops.swapaxes(operand(a), axis1, axis2)


def expand_dims(a, axis):
    return ops.expand_dims(operand(a), axis)


def squeeze(a, axis=None):
    return ops.squeeze(operand(a), axis)


def broadcast_to(array, shape, subok=False):
    return ops.broadcast_to(operand(array), shape)


def pad(array, pad_width, mode="constant", **kwargs):
    """``array`` padded with a constant (``constant_values``); other modes are not differentiated yet."""
    return ops.pad(operand(array), pad_width, mode=mode, **kwargs)


def flip(m, axis=None):
    return ops.flip(operand(m), axis)


def concatenate(arrays, /, axis=0, out=None, *, dtype=None, casting="same_kind"):
    """The arrays joined along an existing axis (``axis=None`` flattens them first)."""
    refuse_out("concatenate", out)
    parts = [operand(a, dtype) for a in arrays]
    if axis is None:
        parts, axis = [ops.reshape(p, (-1,)) for p in parts], 0
    return ops.concatenate(parts, axis=axis)


def stack(arrays, axis=0, out=None, *, dtype=None, casting="same_kind"):
    """The arrays joined along a new axis."""
    refuse_out("stack", out)
    return ops.stack([operand(a, dtype) for a in arrays], axis=axis)


def where(condition, x=NO_VALUE, y=NO_VALUE, /):
    """``x`` where ``condition`` else ``y``."""
    if not (given(x) and given(y)):
        raise TypeError("numpy.where with one argument gives indices (np.nonzero), which chainrule does not "
                        "differentiate; pass x and y, or use np.nonzero on a detached array")
    return ops.where(operand(condition), operand(x), operand(y))


def clip(a, a_min=NO_VALUE, a_max=NO_VALUE, out=None, *, min=NO_VALUE, max=NO_VALUE, **kwargs):  # noqa: A002
    """``a`` limited to [a_min, a_max] (either may be None)."""
    refuse_out("clip", out)
    low = a_min if given(a_min) else (min if given(min) else None)
    high = a_max if given(a_max) else (max if given(max) else None)
    return ops.clip(operand(a), low, high)


def einsum(*operands, out=None, optimize=False, **kwargs):
    """Einstein summation with a subscripts string (the sublist form is not supported yet)."""
    refuse_out("einsum", out)
    subscripts, *arrays = operands
    return ops.einsum(subscripts, *[operand(a) for a in arrays])


def dot(a, b, out=None):
    refuse_out("dot", out)
    return ops.dot(operand(a), operand(b))


def outer(a, b, out=None):
    refuse_out("outer", out)
    return ops.outer(operand(a), operand(b))
