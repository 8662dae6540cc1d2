"""Convolution (cross-correlation) with PyTorch's layouts: ``conv1d``, ``conv2d``."""

from ... import ops
from ...core.errors import ShapeError
from ...ops import conv as conv_ops
from ._args import _as_tensor, _batched, _ntuple


def _padding_widths(padding, kernel_size, stride, dilation, op):
    """``((before, after), …)`` per spatial axis for an int, a tuple, ``"valid"`` or ``"same"``.

    ``"same"`` pads d·(k − 1) in total, the odd extra zero on the right/bottom (as PyTorch).
    """
    if isinstance(padding, str):
        if padding == "valid":
            return ((0, 0),) * len(kernel_size)
        if padding == "same":
            if any(s != 1 for s in stride):
                raise ValueError(f"{op}: padding='same' needs stride 1, got stride={stride}")
            totals = [d * (k - 1) for k, d in zip(kernel_size, dilation)]
            return tuple((t // 2, t - t // 2) for t in totals)
        raise ValueError(f"{op}: padding must be an int, a tuple, 'same' or 'valid', got {padding!r}")
    return tuple((p, p) for p in _ntuple(padding, len(kernel_size), "padding", op))


def _pad_spatial(x, widths, fill=0):
    if not any(a or b for a, b in widths):
        return x
    return ops.pad(x, ((0, 0), (0, 0)) + tuple(widths), constant_values=fill)


def _check_fits(x, kernel_size, dilation, op):
    for size, k, d in zip(x.shape[2:], kernel_size, dilation):
        if size < d * (k - 1) + 1:
            raise ShapeError(f"{op}: the (padded) input of spatial shape {x.shape[2:]} is smaller than the "
                             f"kernel {kernel_size} with dilation {dilation}")


def _conv(input, weight, bias, stride, padding, dilation, groups, n, op):
    x, w = _as_tensor(input), _as_tensor(weight)
    if groups != 1:
        raise NotImplementedError(f"{op}: only groups=1 is supported, got groups={groups}")
    if w.ndim != n + 2:
        raise ShapeError(f"{op}: weight must have shape (out_channels, in_channels, {n} kernel sizes), got {w.shape}")
    x, unbatched = _batched(x, n, op)
    if x.shape[1] != w.shape[1]:
        raise ShapeError(f"{op}: input of shape {x.shape} has {x.shape[1]} channels but weight of shape "
                         f"{w.shape} expects {w.shape[1]}")
    kernel_size = w.shape[2:]
    stride = _ntuple(stride, n, "stride", op, minimum=1)
    dilation = _ntuple(dilation, n, "dilation", op, minimum=1)
    x = _pad_spatial(x, _padding_widths(padding, kernel_size, stride, dilation, op))
    _check_fits(x, kernel_size, dilation, op)
    y = conv_ops.conv(x, w, stride, dilation)
    if bias is not None:
        b = _as_tensor(bias)
        if b.shape != (w.shape[0],):
            raise ShapeError(f"{op}: bias must have shape ({w.shape[0]},), got {b.shape}")
        y = y + ops.reshape(b, (1, -1) + (1,) * n)
    return ops.squeeze(y, 0) if unbatched else y


def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """1-D cross-correlation, as PyTorch's ``conv1d``.

        y[n, o, i] = b[o] + Σ_c Σ_{t<k} x_pad[n, c, i·s + t·d] · w[o, c, t]

    The output has ⌊(L + 2p − d(k − 1) − 1)/s⌋ + 1 positions.

    Parameters
    ----------
    input : Tensor, shape (N, C_in, L) or (C_in, L); or shape (L,) with a 1-D weight
        A 1-D ``input`` with a 1-D ``weight`` is the single-channel case and gives a 1-D result.
    weight : Tensor, shape (C_out, C_in, k) or (k,)
    bias : Tensor, shape (C_out,), optional
    stride, dilation : int or tuple of one int
    padding : int, tuple of one int, ``"valid"`` or ``"same"``
        Zeros on both sides; ``"same"`` keeps the length (stride 1 only) and puts the
        extra zero of an even kernel on the right, as PyTorch.
    groups : int
        Only 1 is supported.

    Examples
    --------
    >>> F.conv1d(cr.tensor([1., 2., 3., 4.]), cr.tensor([1., -1.]))
    tensor([-1., -1., -1.])
    """
    x, w = _as_tensor(input), _as_tensor(weight)
    if x.ndim == 1 and w.ndim == 1:
        b = None if bias is None else ops.reshape(_as_tensor(bias), (1,))
        y = _conv(ops.reshape(x, (1, 1, -1)), ops.reshape(w, (1, 1, -1)), b, stride, padding, dilation, groups, 1,
                  "conv1d")
        return ops.reshape(y, (-1,))
    return _conv(x, w, bias, stride, padding, dilation, groups, 1, "conv1d")


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """2-D cross-correlation, as PyTorch's ``conv2d``.

        y[n, o, i, j] = b[o] + Σ_{c,u,v} x_pad[n, c, i·s_h + u·d_h, j·s_w + v·d_w] · w[o, c, u, v]

    VJP: x̄ is the transposed convolution of ȳ with w (cropped back through the padding),
    w̄ the correlation of x with ȳ, b̄ = Σ_{n,i,j} ȳ.

    Parameters
    ----------
    input : Tensor, shape (N, C_in, H, W) or (C_in, H, W)
    weight : Tensor, shape (C_out, C_in, kH, kW)
    bias : Tensor, shape (C_out,), optional
    stride, dilation : int or (int, int)
    padding : int, (int, int), ``"valid"`` or ``"same"``
        ``"same"`` needs stride 1 and pads an even kernel's extra zero at the right/bottom.
    groups : int
        Only 1 is supported.
    """
    return _conv(input, weight, bias, stride, padding, dilation, groups, 2, "conv2d")
