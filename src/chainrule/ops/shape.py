"""Shape primitives: reshape, transpose, broadcast_to, concatenate, pad, flip — and the
compositions built from them (swapaxes, expand_dims, squeeze, stack, sum_to).

All are linear, so their VJP is their transpose: reshape back, transpose back,
sum the broadcast away, slice the pieces, crop the padding, flip again.
"""

import numpy as np

from ..core.bind import bind
from ..core.errors import ShapeError
from . import samples
from .declare import Math, batch_to_front, primitive, rebinding


def _shape_tuple(shape):
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    return tuple(int(s) for s in shape)


# ------------------------------------------------------------------------ batching
def _front(prim, args, dims, params, **changed):
    """The op applied to its one argument with the batch axis in front and some params changed."""
    return bind(prim, batch_to_front(args[0], dims[0]), **dict(params, **changed)), 0


def _reshape_batch(prim, args, dims, params):
    x = batch_to_front(args[0], dims[0])
    return bind(prim, x, shape=(x.shape[0],) + params["shape"]), 0


def _transpose_batch(prim, args, dims, params):
    return _front(prim, args, dims, params, axes=(0,) + tuple(a + 1 for a in params["axes"]))


def _broadcast_to_batch(prim, args, dims, params):
    x = batch_to_front(args[0], dims[0])
    target = params["shape"]
    x = reshape(x, x.shape[:1] + (1,) * (len(target) - (x.ndim - 1)) + x.shape[1:])
    return bind(prim, x, shape=x.shape[:1] + target), 0


def _pad_batch(prim, args, dims, params):
    return _front(prim, args, dims, params, pad_width=((0, 0),) + params["pad_width"])


def _flip_batch(prim, args, dims, params):
    return _front(prim, args, dims, params, axis=tuple(a + 1 for a in params["axis"]))


def _concatenate_batch(prim, args, dims, params):
    """Every piece with the batch axis in front (a piece shared by all examples is repeated)."""
    size = next(a.shape[d] for a, d in zip(args, dims) if d is not None)
    pieces = [batch_to_front(a, d) if d is not None else broadcast_to(expand_dims(a, 0), (size,) + tuple(a.shape))
              for a, d in zip(args, dims)]
    return bind(prim, *pieces, axis=params["axis"] + 1), 0


# -------------------------------------------------------------------------- reshape
reshape_p = primitive(
    "reshape", lambda x, shape: np.reshape(x, shape), linear="all", batch=rebinding(_reshape_batch),
    vjp=(lambda g, ans, x, shape: reshape(g, x.shape),),
    math=Math("reshape {0}", tangent=("reshape {d}",), adjoint=("{d} reshaped back",)),
    samples=samples.uniform(((2, 3),), params={"shape": (3, 2)}))


def reshape(x, shape):
    """x with a new shape (one entry may be −1), as ``np.reshape``.   VJP: reshape back."""
    shape = _shape_tuple(shape)
    if x.shape == shape:
        return x
    return bind(reshape_p, x, shape=shape)


# ------------------------------------------------------------------------ transpose
transpose_p = primitive(
    "transpose", lambda x, axes: np.transpose(x, axes), linear="all", batch=rebinding(_transpose_batch),
    vjp=(lambda g, ans, x, axes: transpose(g, tuple(np.argsort(axes))),),
    math=Math("{0}ᵀ", tangent=("{d}ᵀ",), adjoint=("{d} transposed back",)),
    samples=samples.uniform(((2, 3, 4),), params={"axes": (2, 0, 1)}))


def transpose(x, axes=None):
    """Permute the axes (reverse them by default), as ``np.transpose``.   VJP: the inverse permutation."""
    ndim = np.ndim(x)
    axes = tuple(range(ndim))[::-1] if axes is None else tuple(int(a) % max(ndim, 1) for a in axes)
    if sorted(axes) != list(range(ndim)):
        raise ShapeError(f"transpose: axes {axes} are not a permutation of the {ndim} axes of shape {np.shape(x)}")
    if axes == tuple(range(ndim)):
        return x
    return bind(transpose_p, x, axes=axes)


def swapaxes(x, axis1, axis2):
    """x with two axes exchanged, as ``np.swapaxes``."""
    ndim = np.ndim(x)
    axes = list(range(ndim))
    axes[axis1], axes[axis2] = axes[axis2], axes[axis1]
    return transpose(x, axes)


def expand_dims(x, axis):
    """x with new axes of length 1 at ``axis`` (int or tuple), as ``np.expand_dims``."""
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    ndim = np.ndim(x) + len(axes)
    positions = sorted(a % ndim for a in axes)
    shape = list(np.shape(x))
    for p in positions:
        shape.insert(p, 1)
    return reshape(x, tuple(shape))


def squeeze(x, axis=None):
    """x without axes of length 1 (all, or those in ``axis``), as ``np.squeeze``."""
    shape = np.shape(x)
    if axis is None:
        axes = {i for i, s in enumerate(shape) if s == 1}
    else:
        axes = {a % len(shape) for a in ((axis,) if isinstance(axis, int) else axis)}
        for a in axes:
            if shape[a] != 1:
                raise ShapeError(f"squeeze: axis {a} of shape {shape} has length {shape[a]}, not 1")
    return reshape(x, tuple(s for i, s in enumerate(shape) if i not in axes))


def flatten(x):
    """x as a 1-D tensor (C order)."""
    return reshape(x, (-1,))


# --------------------------------------------------------------------- broadcasting
broadcast_to_p = primitive(
    "broadcast_to", lambda x, shape: np.broadcast_to(x, shape), linear="all", batch=rebinding(_broadcast_to_batch),
    vjp=(lambda g, ans, x, shape: sum_to(g, x.shape),),
    math=Math("broadcast {0}", tangent=("broadcast {d}",), adjoint=("Σ {d} over the broadcast axes",)),
    samples=samples.uniform(((3,),), ((2, 1),), params={"shape": (2, 3)}))


def broadcast_to(x, shape):
    """x broadcast to ``shape`` (NumPy rules).   VJP: sum over the broadcast axes."""
    shape = _shape_tuple(shape)
    if np.shape(x) == shape:
        return x
    return bind(broadcast_to_p, x, shape=shape)


def sum_to(x, shape):
    """Sum ``x`` over the axes that broadcasting added or stretched, giving ``shape``."""
    x_shape = x.shape
    if x_shape == shape:
        return x
    lead = len(x_shape) - len(shape)
    axes = tuple(range(lead)) + tuple(lead + i for i, s in enumerate(shape) if s == 1 and x_shape[lead + i] != 1)
    if axes:
        x = x.sum(axis=axes, keepdims=True)
    return reshape(x, shape)


# ----------------------------------------------------------------------- concatenate
def _concatenate_vjp(needed, g, ans, *arrays, axis):
    out, start = [], 0
    for need, a in zip(needed, arrays):
        stop = start + a.shape[axis]
        out.append(g[(slice(None),) * axis + (slice(start, stop),)] if need else None)
        start = stop
    return out


concatenate_p = primitive(
    "concatenate", lambda *arrays, axis: np.concatenate(arrays, axis=axis), linear="all",
    batch=rebinding(_concatenate_batch),
    vjp_joint=_concatenate_vjp,
    math=Math("concatenate({0}, …)", tangent=("{d} in its block",) * 2, adjoint=("its block of {d}",) * 2),
    samples=samples.uniform(((2, 3), (1, 3), (4, 3)), params={"axis": 0}))


def concatenate(arrays, axis=0):
    """Join tensors along an existing axis, as ``np.concatenate``.   VJP: slice the pieces back."""
    arrays = list(arrays)
    if not arrays:
        raise ValueError("concatenate: needs at least one array")
    ndim = np.ndim(arrays[0])
    if ndim == 0:
        raise ShapeError("concatenate: zero-dimensional arrays cannot be concatenated")
    return bind(concatenate_p, *arrays, axis=axis % ndim)


def stack(arrays, axis=0):
    """Join tensors along a new axis, as ``np.stack``."""
    arrays = list(arrays)
    if not arrays:
        raise ValueError("stack: needs at least one array")
    shapes = {tuple(np.shape(a)) for a in arrays}
    if len(shapes) != 1:
        raise ShapeError(f"stack: all arrays must have the same shape, got {sorted(shapes)}")
    ndim = np.ndim(arrays[0]) + 1
    return concatenate([expand_dims(a, axis % ndim) for a in arrays], axis=axis % ndim)


# ------------------------------------------------------------------------------ pad
def _crop(g, pad_width):
    return g[tuple(slice(before, g.shape[i] - after) for i, (before, after) in enumerate(pad_width))]


pad_p = primitive(
    "pad", lambda x, pad_width, constant_values: np.pad(x, pad_width, constant_values=constant_values),
    batch=rebinding(_pad_batch),
    vjp=(lambda g, ans, x, pad_width, constant_values: _crop(g, pad_width),),
    jvp=(lambda t, ans, x, pad_width, constant_values: bind(pad_p, t, pad_width=pad_width, constant_values=0),),
    math=Math("pad {0}", tangent=("pad {d} with 0",), adjoint=("{d} cropped",)), complex_rules=True,
    samples=lambda rng: samples.uniform(((2, 3),), params={"pad_width": ((1, 0), (2, 1)), "constant_values": 0.5})(rng)
    + [((rng.normal(size=(3,)) + 1j * rng.normal(size=(3,)),), {"pad_width": ((2, 1),), "constant_values": 1j})])


def pad(x, pad_width, mode="constant", constant_values=0):
    """x padded with a constant, as ``np.pad(x, pad_width, constant_values=c)``.

    VJP: crop the padding off the cotangent. Only ``mode="constant"`` is supported.
    """
    if mode != "constant":
        raise ValueError(f"pad: only mode='constant' is supported, got {mode!r}")
    ndim = np.ndim(x)
    try:
        widths = np.broadcast_to(np.asarray(pad_width, dtype=int), (ndim, 2))
    except ValueError:
        raise ShapeError(f"pad: pad_width {pad_width!r} does not fit an array of {ndim} dimensions") from None
    if (widths < 0).any():
        raise ValueError(f"pad: pad_width must be non-negative, got {pad_width!r}")
    widths = tuple((int(a), int(b)) for a, b in widths)
    return bind(pad_p, x, pad_width=widths, constant_values=constant_values)


# ----------------------------------------------------------------------------- flip
flip_p = primitive(
    "flip", lambda x, axis: np.flip(x, axis), linear="all", batch=rebinding(_flip_batch),
    vjp=(lambda g, ans, x, axis: flip(g, axis),),
    math=Math("flip {0}", tangent=("flip {d}",), adjoint=("flip {d}",)),
    samples=samples.uniform(((2, 3),), params={"axis": (1,)}))


def flip(x, axis=None):
    """x reversed along ``axis`` (all axes by default), as ``np.flip``.   VJP: flip back."""
    ndim = np.ndim(x)
    if axis is None:
        axis = tuple(range(ndim))
    elif isinstance(axis, int):
        axis = (axis % ndim,)
    else:
        axis = tuple(a % ndim for a in axis)
    return bind(flip_p, x, axis=axis)
