"""``interpolate``: resampling of the spatial axes — nearest, (bi/tri)linear, area — as PyTorch's.

Each spatial axis is resampled on its own (the methods are separable): output position j
reads input position(s) computed by PyTorch's source-index rules, then

    nearest   y_j = x_{i(j)}
    linear    y_j = (1 − λ_j)·x_{i0(j)} + λ_j·x_{i1(j)}

both gathers (``getitem`` with an index array), so the VJP scatters the cotangent back
onto the positions that were read. ``area`` is adaptive average pooling.
"""

import math

import numpy as np

from ... import ops
from ...core.errors import ShapeError
from ._args import _as_tensor, _constant
from .pooling import _adaptive_avg_pool

_LINEAR = {"linear": 1, "bilinear": 2, "trilinear": 3}
_MODES = ("nearest", "nearest-exact", "area") + tuple(_LINEAR)


def _sizes_and_scales(shape, size, scale_factor, recompute_scale_factor, n):
    """The output size per axis and the scale factor the index rules read (None: use in/out)."""
    if (size is None) == (scale_factor is None):
        raise ValueError("interpolate: give exactly one of size and scale_factor")
    if size is not None:
        if recompute_scale_factor:
            raise ValueError("interpolate: recompute_scale_factor is not meaningful with an explicit size")
        sizes = tuple(size) if isinstance(size, (tuple, list)) else (size,) * n
        if len(sizes) != n or any(int(s) != s or s < 1 for s in sizes):
            raise ValueError(f"interpolate: size must be a positive int or {n} of them for an input of shape "
                             f"{shape}, got {size!r}")
        return tuple(int(s) for s in sizes), (None,) * n
    scales = tuple(scale_factor) if isinstance(scale_factor, (tuple, list)) else (scale_factor,) * n
    if len(scales) != n or any(not s > 0 for s in scales):
        raise ValueError(f"interpolate: scale_factor must be a positive number or {n} of them for an input of "
                         f"shape {shape}, got {scale_factor!r}")
    sizes = tuple(int(math.floor(length * float(s))) for length, s in zip(shape[2:], scales))
    if any(s < 1 for s in sizes):
        raise ShapeError(f"interpolate: scale_factor {scale_factor!r} gives the empty output size {sizes} "
                         f"for an input of shape {shape}")
    return sizes, ((None,) * n if recompute_scale_factor else tuple(float(s) for s in scales))


def _nearest_index(size, out, scale, exact, dtype):
    """Nearest-neighbour source positions: ⌊j·r⌋ (or ⌊(j + ½)·r⌋ for nearest-exact), at most size − 1,
    with r = 1/scale_factor when one was given, else size/out (in the input's float precision)."""
    if not exact and (out == size or out == 2 * size):
        return np.arange(out) * size // out
    ratio = dtype.type(1 / scale if scale is not None else size / out)
    j = np.arange(out, dtype=dtype) + (dtype.type(0.5) if exact else 0)
    return np.minimum(np.floor(j * ratio).astype(np.intp), size - 1)


def _linear_weights(size, out, scale, align_corners, dtype):
    """``(i0, i1, λ)``: the two source positions of each output position and the weight of the second.

    With align_corners the corner pixels' centres coincide: s_j = j·(size − 1)/(out − 1).
    Otherwise pixel areas do: s_j = max((j + ½)·r − ½, 0) with r = 1/scale_factor (or size/out).
    """
    j = np.arange(out, dtype=dtype)
    if align_corners:
        ratio = dtype.type((size - 1) / (out - 1) if out > 1 else 0)
        source = j * ratio
    else:
        ratio = dtype.type(1 / scale if scale is not None else size / out)
        source = np.maximum((j + dtype.type(0.5)) * ratio - dtype.type(0.5), 0)
    i0 = np.minimum(source.astype(np.intp), size - 1)
    i1 = np.minimum(i0 + 1, size - 1)
    return i0, i1, (source - i0).astype(dtype)


def _along(x, axis, index):
    return ops.getitem(x, (slice(None),) * axis + (index,))


def interpolate(input, size=None, scale_factor=None, mode="nearest", align_corners=None, recompute_scale_factor=None,
                antialias=False):
    """Resample the spatial axes of an (N, C, *S) input, as PyTorch's ``interpolate``.

    Give the output ``size`` or a ``scale_factor`` (output size ⌊S·scale⌋). Per axis of
    input length S and output length O, with r = 1/scale_factor when a scale factor is
    given (and ``recompute_scale_factor`` is not set), else r = S/O:

    - ``"nearest"``: y_j = x_i with i = min(⌊j·r⌋, S − 1) (PyTorch's legacy rule);
    - ``"nearest-exact"``: i = min(⌊(j + ½)·r⌋, S − 1);
    - ``"linear"`` (3-D input), ``"bilinear"`` (4-D), ``"trilinear"`` (5-D): linear interpolation
      between the neighbours of s_j = max((j + ½)·r − ½, 0), or of s_j = j·(S − 1)/(O − 1)
      with ``align_corners=True``;
    - ``"area"``: adaptive average pooling to the output size.

    Linear in ``input``; the VJP scatters each output's cotangent back onto the input
    positions it read, with the same weights.

    Parameters
    ----------
    input : Tensor, shape (N, C, L), (N, C, H, W) or (N, C, D, H, W)
    size : int or tuple of ints, optional
    scale_factor : float or tuple of floats, optional
    mode : {"nearest", "nearest-exact", "linear", "bilinear", "trilinear", "area"}
    align_corners : bool, optional
        Only for the linear modes; default False.
    recompute_scale_factor : bool, optional
        Use r = S/O even when a scale factor was given.
    antialias : bool
        Only False.

    Examples
    --------
    >>> F.interpolate(cr.tensor([[[1., 2.]]]), scale_factor=2, mode="linear")
    tensor([[[1.  , 1.25, 1.75, 2.  ]]])
    """
    x = _as_tensor(input)
    if mode not in _MODES:
        message = f"interpolate: mode must be one of {_MODES}, got {mode!r}"
        raise (NotImplementedError if mode == "bicubic" else ValueError)(message)
    if antialias:
        raise NotImplementedError("interpolate: antialias=True is not supported")
    if x.ndim not in (3, 4, 5):
        raise ShapeError(f"interpolate: expected an (N, C, L), (N, C, H, W) or (N, C, D, H, W) input, "
                         f"got shape {x.shape}")
    n = x.ndim - 2
    if mode in _LINEAR and _LINEAR[mode] != n:
        raise ShapeError(f"interpolate: mode {mode!r} needs a {_LINEAR[mode] + 2}-D input, got shape {x.shape}")
    if mode not in _LINEAR and align_corners is not None:
        raise ValueError("interpolate: align_corners can only be set with the linear modes (linear, bilinear, "
                         "trilinear)")
    if mode in _LINEAR and x.dtype.kind != "f":
        raise TypeError(f"interpolate: mode {mode!r} needs a floating input, got dtype {x.dtype}")
    sizes, scales = _sizes_and_scales(x.shape, size, scale_factor, recompute_scale_factor, n)
    if mode == "area":
        return _adaptive_avg_pool(x, sizes, n, "interpolate")
    dtype = np.dtype(np.float32) if x.dtype == np.float32 else np.dtype(np.float64)
    for axis, (length, out, scale) in enumerate(zip(x.shape[2:], sizes, scales), start=2):
        if mode in _LINEAR:
            i0, i1, lam = _linear_weights(length, out, scale, bool(align_corners), dtype)
            lam = _constant(lam.astype(x.dtype).reshape((-1,) + (1,) * (x.ndim - axis - 1)), x)
            x = _along(x, axis, i0) * (1 - lam) + _along(x, axis, i1) * lam
        else:
            x = _along(x, axis, _nearest_index(length, out, scale, mode == "nearest-exact", dtype))
    return x
