"""Convolution (cross-correlation) and its transpose, with PyTorch's layouts:
``conv1d``, ``conv2d``, ``conv_transpose1d``, ``conv_transpose2d``.

Groups split the channels: group g convolves input channels [g·C_in/G, (g+1)·C_in/G) with
its own slice of the weight into its own slice of the output channels; the groups are
computed one after another and concatenated along the channel axis."""

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


def _grouped(fn, x, w, groups):
    """``fn(x, w)`` per group: x split along its channel axis 1, w along its axis 0, results concatenated."""
    if groups == 1:
        return fn(x, w)
    xs, ws = x.shape[1] // groups, w.shape[0] // groups
    parts = [fn(ops.getitem(x, (slice(None), slice(g * xs, (g + 1) * xs))), ops.getitem(w, slice(g * ws, (g + 1) * ws)))
             for g in range(groups)]
    return ops.concatenate(parts, axis=1)


def _check_groups(groups, in_channels, out_channels, op):
    if int(groups) != groups or groups < 1:
        raise ValueError(f"{op}: groups must be a positive integer, got {groups!r}")
    for name, count in (("in_channels", in_channels), ("out_channels", out_channels)):
        if count % groups:
            raise ValueError(f"{op}: {name} ({count}) must be divisible by groups ({groups})")


def _add_bias(y, bias, channels, n, op):
    if bias is None:
        return y
    b = _as_tensor(bias)
    if b.shape != (channels,):
        raise ShapeError(f"{op}: bias must have shape ({channels},), got {b.shape}")
    return y + ops.reshape(b, (1, -1) + (1,) * n)


def _conv(input, weight, bias, stride, padding, dilation, groups, n, op):
    x, w = _as_tensor(input), _as_tensor(weight)
    if w.ndim != n + 2:
        raise ShapeError(f"{op}: weight must have shape (out_channels, in_channels/groups, {n} kernel sizes), "
                         f"got {w.shape}")
    x, unbatched = _batched(x, n, op)
    _check_groups(groups, x.shape[1], w.shape[0], op)
    if x.shape[1] != w.shape[1] * groups:
        raise ShapeError(f"{op}: input of shape {x.shape} has {x.shape[1]} channels but weight of shape "
                         f"{w.shape} expects {w.shape[1] * groups}" + (f" ({groups} groups)" if groups > 1 else ""))
    kernel_size = w.shape[2:]
    stride = _ntuple(stride, n, "stride", op, minimum=1)
    dilation = _ntuple(dilation, n, "dilation", op, minimum=1)
    x = _pad_spatial(x, _padding_widths(padding, kernel_size, stride, dilation, op))
    _check_fits(x, kernel_size, dilation, op)
    y = _grouped(lambda xg, wg: conv_ops.conv(xg, wg, stride, dilation), x, w, groups)
    y = _add_bias(y, bias, w.shape[0], n, op)
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
        Split the channels into this many independent groups (weight shape (C_out, C_in/groups, k)).

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
        Split the channels into this many independent groups (weight shape (C_out, C_in/groups, kH, kW)).
    """
    return _conv(input, weight, bias, stride, padding, dilation, groups, 2, "conv2d")


# -------------------------------------------------------------------- transposed
def transposed_output_size(size, kernel_size, stride, padding, output_padding, dilation):
    """Spatial output size of a transposed convolution: (L − 1)·s − 2p + d·(k − 1) + output_padding + 1."""
    return tuple((L - 1) * s - 2 * p + d * (k - 1) + op + 1
                 for L, k, s, p, op, d in zip(size, kernel_size, stride, padding, output_padding, dilation))


def _conv_transpose(input, weight, bias, stride, padding, output_padding, groups, dilation, n, op):
    x, w = _as_tensor(input), _as_tensor(weight)
    if w.ndim != n + 2:
        raise ShapeError(f"{op}: weight must have shape (in_channels, out_channels/groups, {n} kernel sizes), "
                         f"got {w.shape}")
    x, unbatched = _batched(x, n, op)
    if x.shape[1] != w.shape[0]:
        raise ShapeError(f"{op}: input of shape {x.shape} has {x.shape[1]} channels but weight of shape "
                         f"{w.shape} expects {w.shape[0]}")
    _check_groups(groups, w.shape[0], w.shape[1] * groups, op)
    kernel_size = w.shape[2:]
    stride = _ntuple(stride, n, "stride", op, minimum=1)
    padding = _ntuple(padding, n, "padding", op)
    output_padding = _ntuple(output_padding, n, "output_padding", op)
    dilation = _ntuple(dilation, n, "dilation", op, minimum=1)
    if any(e >= max(s, d) for e, s, d in zip(output_padding, stride, dilation)):
        raise ValueError(f"{op}: output_padding {output_padding} must be smaller than either stride {stride} "
                         f"or dilation {dilation}")
    out = transposed_output_size(x.shape[2:], kernel_size, stride, padding, output_padding, dilation)
    if any(o < 1 for o in out):
        raise ShapeError(f"{op}: an input of spatial shape {x.shape[2:]} with kernel {kernel_size}, stride {stride}, "
                         f"padding {padding} and dilation {dilation} gives the empty output shape {out}")
    full = transposed_output_size(x.shape[2:], kernel_size, stride, (0,) * n, (0,) * n, dilation)
    y = _grouped(lambda xg, wg: conv_ops.conv_transpose(xg, wg, stride, dilation, full), x, w, groups)
    if any(output_padding):
        y = ops.pad(y, ((0, 0), (0, 0)) + tuple((0, e) for e in output_padding))
    if any(padding):
        y = ops.getitem(y, (slice(None), slice(None)) + tuple(slice(p, p + o) for p, o in zip(padding, out)))
    y = _add_bias(y, bias, w.shape[1] * groups, n, op)
    return ops.squeeze(y, 0) if unbatched else y


def conv_transpose1d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """1-D transposed convolution, as PyTorch's ``conv_transpose1d``: the adjoint of ``conv1d`` in its input.

        y_full[n, o, q] = Σ_c Σ_{i,t : i·s + t·d = q} x[n, c, i] · w[c, o, t]
        y[n, o, j]      = b[o] + y_full[n, o, j + p]

    so each input position scatters a copy of the kernel, scaled by its value, at stride s.
    ``output_padding`` e adds e positions at the end (which only the bias reaches before
    cropping), so the output has L_out = (L − 1)·s − 2p + d·(k − 1) + e + 1 positions:
    ``conv_transpose1d`` inverts the shape change of ``conv1d`` with the same arguments.
    Built on the ``conv_transpose`` primitive (padding and output_padding are a pad and a
    crop around it), so its derivatives are convolutions again.

    Parameters
    ----------
    input : Tensor, shape (N, C_in, L) or (C_in, L)
    weight : Tensor, shape (C_in, C_out/groups, k)
        PyTorch's layout for transposed convolutions (input channels first).
    bias : Tensor, shape (C_out,), optional
    stride, padding, output_padding, dilation : int or tuple of one int
        output_padding must be smaller than stride or dilation.
    groups : int

    Examples
    --------
    >>> F.conv_transpose1d(cr.tensor([[[1., 2.]]]), cr.tensor([[[1., 1., 1.]]]), stride=2)
    tensor([[[1., 1., 3., 2., 2.]]])
    """
    return _conv_transpose(input, weight, bias, stride, padding, output_padding, groups, dilation, 1,
                           "conv_transpose1d")


def conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """2-D transposed convolution, as PyTorch's ``conv_transpose2d``: the adjoint of ``conv2d`` in its input.

        y_full[n, o, q, r] = Σ_c Σ_{i·s_h + u·d_h = q, j·s_w + v·d_w = r} x[n, c, i, j] · w[c, o, u, v]
        y[n, o, q, r]      = b[o] + y_full[n, o, q + p_h, r + p_w]

    with H_out = (H − 1)·s_h − 2p_h + d_h·(k_h − 1) + e_h + 1 (and likewise W_out), where
    ``output_padding`` e adds positions at the bottom/right.

    Parameters
    ----------
    input : Tensor, shape (N, C_in, H, W) or (C_in, H, W)
    weight : Tensor, shape (C_in, C_out/groups, kH, kW)
    bias : Tensor, shape (C_out,), optional
    stride, padding, output_padding, dilation : int or (int, int)
    groups : int
    """
    return _conv_transpose(input, weight, bias, stride, padding, output_padding, groups, dilation, 2,
                           "conv_transpose2d")
