"""Pooling over (N, C, *S) inputs: ``max_pool1d``, ``max_pool2d``, ``avg_pool1d``, ``avg_pool2d``,
``adaptive_avg_pool1d``, ``adaptive_avg_pool2d``."""

import math

import numpy as np

from ... import ops
from ...core.errors import ShapeError
from ...core.tensor import array_of
from ...ops import conv as conv_ops
from ._args import _as_tensor, _batched, _constant, _ntuple
from .conv import _check_fits, _pad_spatial


def _pool_setup(input, kernel_size, stride, padding, dilation, n, op):
    x, unbatched = _batched(_as_tensor(input), n, op)
    kernel_size = _ntuple(kernel_size, n, "kernel_size", op, minimum=1)
    stride = kernel_size if stride is None or stride == () or stride == [] else _ntuple(stride, n, "stride", op, 1)
    padding = _ntuple(padding, n, "padding", op)
    dilation = _ntuple(dilation, n, "dilation", op, minimum=1)
    for p, k, d in zip(padding, kernel_size, dilation):
        if 2 * p > d * (k - 1) + 1:
            raise ValueError(f"{op}: padding should be at most half of the (dilated) kernel size, "
                             f"got padding={padding} for kernel_size={kernel_size}")
    return x, unbatched, kernel_size, stride, tuple((p, p) for p in padding), dilation


def _max_pool(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, n, op):
    if ceil_mode or return_indices:
        raise NotImplementedError(f"{op}: ceil_mode=True and return_indices=True are not supported")
    x, unbatched, kernel_size, stride, widths, dilation = _pool_setup(input, kernel_size, stride, padding,
                                                                       dilation, n, op)
    lowest = np.finfo(x.dtype).min if x.dtype.kind == "f" else np.iinfo(x.dtype).min
    x = _pad_spatial(x, widths, fill=lowest)
    _check_fits(x, kernel_size, dilation, op)
    y = conv_ops.max_pool(x, kernel_size, stride, dilation)
    return ops.squeeze(y, 0) if unbatched else y


def max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """1-D max pooling over (N, C, L) or (C, L), as PyTorch's ``max_pool1d``.

        y[n, c, i] = max_{t<k} x_pad[n, c, i·s + t·d]

    ``stride`` defaults to ``kernel_size``; padding is the dtype's lowest finite value (never
    selected, and no inf for ``detect_anomaly`` to flag). The gradient goes to the
    argmax of each window; among tied maxima, to the first (leftmost) one.
    """
    return _max_pool(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, 1, "max_pool1d")


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """2-D max pooling over (N, C, H, W) or (C, H, W), as PyTorch's ``max_pool2d``.

        y[n, c, i, j] = max_{u,v} x_pad[n, c, i·s_h + u·d_h, j·s_w + v·d_w]

    ``stride`` defaults to ``kernel_size``; padding is the dtype's lowest finite value (never
    selected, and no inf for ``detect_anomaly`` to flag). The gradient goes to the
    argmax of each window; among tied maxima, to the first in row-major order.
    """
    return _max_pool(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, 2, "max_pool2d")


def _avg_pool(input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override, n, op):
    if ceil_mode:
        raise NotImplementedError(f"{op}: ceil_mode=True is not supported")
    x, unbatched, kernel_size, stride, widths, _ = _pool_setup(input, kernel_size, stride, padding, 1, n, op)
    inner = x.shape[2:]
    x = _pad_spatial(x, widths)
    _check_fits(x, kernel_size, (1,) * n, op)
    y = conv_ops.avg_pool(x, kernel_size, stride)
    if divisor_override is not None:
        y = y * (math.prod(kernel_size) / divisor_override)
    elif not count_include_pad and any(a for a, _ in widths):
        inside = _pad_spatial(np.ones((1, 1) + inner, y.dtype, like=array_of(y)), widths)
        y = y / conv_ops.avg_pool(inside, kernel_size, stride)
    return ops.squeeze(y, 0) if unbatched else y


def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
    """1-D average pooling over (N, C, L) or (C, L), as PyTorch's ``avg_pool1d``.

        y[n, c, i] = (1/k) Σ_{t<k} x_pad[n, c, i·s + t]

    ``stride`` defaults to ``kernel_size``; padding is zeros, counted in the average unless
    ``count_include_pad=False``. Linear: x̄ spreads each ȳ evenly over its window.
    """
    return _avg_pool(input, kernel_size, stride, padding, ceil_mode, count_include_pad, None, 1, "avg_pool1d")


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
               divisor_override=None):
    """2-D average pooling over (N, C, H, W) or (C, H, W), as PyTorch's ``avg_pool2d``.

        y[n, c, i, j] = (1 / (k_h·k_w)) Σ_{u,v} x_pad[n, c, i·s_h + u, j·s_w + v]

    ``stride`` defaults to ``kernel_size``; padding is zeros. With
    ``count_include_pad=False`` each window is divided by the number of its elements
    inside the input instead; ``divisor_override`` replaces the divisor altogether.
    Linear: x̄ spreads each ȳ evenly over its window.
    """
    return _avg_pool(input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override, 2,
                     "avg_pool2d")


# ------------------------------------------------------------------ adaptive
def _adaptive_sizes(output_size, size, n, op):
    single = output_size is None or isinstance(output_size, (int, np.integer))
    sizes = (output_size,) * n if single else tuple(output_size)
    if len(sizes) != n:
        raise ValueError(f"{op}: output_size must be an int or a tuple of {n}, got {output_size!r}")
    sizes = tuple(s if o is None else int(o) for o, s in zip(sizes, size))
    if any(o < 1 for o in sizes):
        raise ValueError(f"{op}: output_size must be positive, got {output_size!r}")
    return sizes


def _bin_average_matrix(size, out, dtype):
    """The (out, size) matrix A with A[i, j] = 1/|bin i| for j in bin i = [⌊i·size/out⌋, ⌈(i + 1)·size/out⌉)."""
    A = np.zeros((out, size), dtype)
    for i in range(out):
        start, stop = (i * size) // out, -((-(i + 1) * size) // out)
        A[i, start:stop] = 1 / (stop - start)
    return A


def _adaptive_avg_pool(input, output_size, n, op):
    x, unbatched = _batched(_as_tensor(input), n, op)
    if any(s == 0 for s in x.shape[2:]):
        raise ShapeError(f"{op}: expected non-empty spatial axes, got input of shape {x.shape}")
    out = _adaptive_sizes(output_size, x.shape[2:], n, op)
    if all(s % o == 0 for s, o in zip(x.shape[2:], out)):
        window = tuple(s // o for s, o in zip(x.shape[2:], out))
        y = conv_ops.avg_pool(x, window, window)
    else:
        y = x
        for axis, (s, o) in enumerate(zip(x.shape[2:], out), start=2):
            last = ops.swapaxes(y, axis, -1)
            y = ops.swapaxes(ops.matmul(last, _constant(_bin_average_matrix(s, o, x.dtype).T, x)), axis, -1)
    return ops.squeeze(y, 0) if unbatched else y


def adaptive_avg_pool1d(input, output_size):
    """1-D adaptive average pooling to ``output_size`` positions, as PyTorch's ``adaptive_avg_pool1d``.

        y[n, c, i] = mean of x[n, c, ⌊i·L/O⌋ : ⌈(i + 1)·L/O⌉]

    Bins overlap when O does not divide L. Linear; x̄ spreads each ȳ evenly over its bin.
    """
    return _adaptive_avg_pool(input, output_size, 1, "adaptive_avg_pool1d")


def adaptive_avg_pool2d(input, output_size):
    """2-D adaptive average pooling to ``output_size`` = (O_h, O_w), as PyTorch's ``adaptive_avg_pool2d``.

        y[n, c, i, j] = mean of x[n, c, ⌊i·H/O_h⌋ : ⌈(i + 1)·H/O_h⌉, ⌊j·W/O_w⌋ : ⌈(j + 1)·W/O_w⌉]

    ``output_size`` is an int (square), or a pair in which None keeps the input's size.
    ``adaptive_avg_pool2d(x, 1)`` is global average pooling. Computed as an average pool
    when the sizes divide, else as one averaging matrix per axis (separable bins).
    """
    return _adaptive_avg_pool(input, output_size, 2, "adaptive_avg_pool2d")
