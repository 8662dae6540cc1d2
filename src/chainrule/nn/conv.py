"""Convolution layers ``Conv1d``, ``Conv2d`` (cross-correlation, with PyTorch's padding modes) and
``ConvTranspose1d``, ``ConvTranspose2d``, with PyTorch's layouts and initialization."""

import math

from . import functional as F
from . import init
from .functional._args import _ntuple
from .functional.conv import _padding_widths, transposed_output_size
from .module import Module
from .parameter import empty_parameter


_PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


class _ConvNd(Module):
    """Shared construction, initialization and repr of the convolution layers."""

    _dims = None
    _function = None
    _transposed = False

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1,
                 bias=True, padding_mode="zeros", device=None, dtype=None):
        super().__init__()
        name, n = type(self).__name__, self._dims
        if int(groups) != groups or groups < 1 or in_channels % groups or out_channels % groups:
            raise ValueError(f"{name}: in_channels ({in_channels}) and out_channels ({out_channels}) must be "
                             f"divisible by groups ({groups})")
        if padding_mode not in _PADDING_MODES:
            raise ValueError(f"{name}: padding_mode must be one of {_PADDING_MODES}, got {padding_mode!r}")
        if self._transposed and padding_mode != "zeros":
            raise ValueError(f"{name}: only padding_mode='zeros' is supported, as in PyTorch")
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.kernel_size = _ntuple(kernel_size, n, "kernel_size", name, minimum=1)
        self.stride = _ntuple(stride, n, "stride", name, minimum=1)
        self.dilation = _ntuple(dilation, n, "dilation", name, minimum=1)
        if isinstance(padding, str):
            if padding not in ("same", "valid"):
                raise ValueError(f"{name}: padding must be an int, a tuple, 'same' or 'valid', got {padding!r}")
            if padding == "same" and any(s != 1 for s in self.stride):
                raise ValueError(f"{name}: padding='same' needs stride 1, got stride={self.stride}")
            self.padding = padding
        else:
            self.padding = _ntuple(padding, n, "padding", name)
        self.groups = groups
        self.padding_mode = padding_mode
        if self._transposed:
            shape = (in_channels, out_channels // groups)
        else:
            shape = (out_channels, in_channels // groups)
        self.weight = empty_parameter(shape + self.kernel_size, dtype, device)
        if bias:
            self.bias = empty_parameter((out_channels,), dtype, device)
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self):
        """PyTorch's default: W by kaiming_uniform_(a=√5), b from U(−1/√fan_in, 1/√fan_in), with
        fan_in = W.shape[1]·Πk (C_in/groups·Πk; C_out/groups·Πk for the transposed layers).

        (kaiming_uniform_ with a = √5 is U(−1/√fan_in, 1/√fan_in) as well.)
        """
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in = self.weight.shape[1] * math.prod(self.kernel_size)
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input):
        if self.padding_mode == "zeros":
            return self._function(input, self.weight, self.bias, self.stride, self.padding, self.dilation,
                                  self.groups)
        widths = _padding_widths(self.padding, self.kernel_size, self.stride, self.dilation, type(self).__name__)
        flat = tuple(w for pair in reversed(widths) for w in pair)
        padded = F.pad(input, flat, mode=self.padding_mode)
        return self._function(padded, self.weight, self.bias, self.stride, 0, self.dilation, self.groups)

    def extra_repr(self):
        n = self._dims
        text = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, stride={self.stride}"
        if self.padding != (0,) * n:
            text += f", padding={self.padding}"
        if self.dilation != (1,) * n:
            text += f", dilation={self.dilation}"
        if getattr(self, "output_padding", (0,) * n) != (0,) * n:
            text += f", output_padding={self.output_padding}"
        if self.groups != 1:
            text += f", groups={self.groups}"
        if self.bias is None:
            text += ", bias=False"
        if self.padding_mode != "zeros":
            text += f", padding_mode={self.padding_mode}"
        return text


class Conv1d(_ConvNd):
    """1-D convolution layer over (N, C_in, L) inputs, as PyTorch's ``Conv1d``.

        y[n, o, i] = b[o] + Σ_c Σ_{t<k} x_pad[n, c, i·s + t·d] · W[o, c, t]

    W has shape (out_channels, in_channels, k); initialization as ``Linear`` with
    fan_in = in_channels·k. See ``cr.nn.functional.conv1d`` for padding (int, "same",
    "valid"), stride and dilation.

    Parameters
    ----------
    in_channels, out_channels : int
    kernel_size, stride, dilation : int or tuple of one int
    padding : int, tuple, "same" or "valid"
    groups : int
        Independent channel groups; W has shape (out_channels, in_channels/groups, k…).
    bias : bool
    padding_mode : {"zeros", "reflect", "replicate", "circular"}
        How the input is padded (see ``F.pad``).
    device, dtype
        PyTorch's factory arguments; dtype defaults to ``cr.get_default_dtype()``.
    """

    _dims = 1
    _function = staticmethod(F.conv1d)


class Conv2d(_ConvNd):
    """2-D convolution layer over (N, C_in, H, W) inputs, as PyTorch's ``Conv2d``.

        y[n, o, i, j] = b[o] + Σ_{c,u,v} x_pad[n, c, i·s_h + u·d_h, j·s_w + v·d_w] · W[o, c, u, v]

    W has shape (out_channels, in_channels, kH, kW), so weights copied from PyTorch
    give the same outputs; initialization kaiming_uniform_(a=√5), bias
    U(−1/√fan_in, 1/√fan_in) with fan_in = in_channels·kH·kW.

    Parameters
    ----------
    in_channels, out_channels : int
    kernel_size, stride, dilation : int or (int, int)
    padding : int, (int, int), "same" or "valid"
    groups : int
        Independent channel groups; W has shape (out_channels, in_channels/groups, k…).
    bias : bool
    padding_mode : {"zeros", "reflect", "replicate", "circular"}
        How the input is padded (see ``F.pad``).
    device, dtype
        PyTorch's factory arguments; dtype defaults to ``cr.get_default_dtype()``.
    """

    _dims = 2
    _function = staticmethod(F.conv2d)


class _ConvTransposeNd(_ConvNd):
    """Shared construction and forward pass of ``ConvTranspose1d`` and ``ConvTranspose2d``."""

    _transposed = True

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, output_padding=0, groups=1,
                 bias=True, dilation=1, padding_mode="zeros", device=None, dtype=None):
        name, n = type(self).__name__, self._dims
        if isinstance(padding, str):
            raise ValueError(f"{name}: padding must be an int or a tuple of {n} ints, got {padding!r}")
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias,
                         padding_mode, device, dtype)
        self.output_padding = _ntuple(output_padding, n, "output_padding", name)

    def _output_padding(self, input, output_size):
        """``output_padding``, or the one that gives the requested ``output_size`` (PyTorch's rule)."""
        if output_size is None:
            return self.output_padding
        name, n = type(self).__name__, self._dims
        requested = tuple(output_size)[-n:]
        if len(requested) != n:
            raise ValueError(f"{name}: output_size must give {n} spatial sizes, got {output_size!r}")
        smallest = transposed_output_size(input.shape[-n:], self.kernel_size, self.stride, self.padding, (0,) * n,
                                          self.dilation)
        extra = tuple(r - s for r, s in zip(requested, smallest))
        spans = tuple(max(st, d) for st, d in zip(self.stride, self.dilation))
        if any(e < 0 or e >= span for e, span in zip(extra, spans)):
            largest = tuple(s + span - 1 for s, span in zip(smallest, spans))
            raise ValueError(f"{name}: requested an output size of {requested}, but the valid sizes range from "
                             f"{smallest} to {largest} for an input of shape {input.shape}")
        return extra

    def forward(self, input, output_size=None):
        output_padding = self._output_padding(input, output_size)
        return self._function(input, self.weight, self.bias, self.stride, self.padding, output_padding,
                              self.groups, self.dilation)


_TRANSPOSED_DOC = """{dims}-D transposed convolution over {layout} inputs, as PyTorch's ``{name}``: the adjoint
    of ``Conv{dims}d`` in its input (sometimes called a fractionally strided convolution).

        {formula}

    W has PyTorch's transposed layout (in_channels, out_channels/groups, {kernel}); each output
    axis has (L − 1)·s − 2p + d·(k − 1) + output_padding + 1 positions, so a ``{name}`` with
    the arguments of a ``Conv{dims}d`` restores its input's size (``output_padding`` or
    ``forward(input, output_size=...)`` picks among the sizes a strided convolution maps
    to the same output). Initialization as PyTorch: kaiming_uniform_(a=√5), fan_in =
    (out_channels/groups)·Πk. See ``F.{function}``.

    Parameters
    ----------
    in_channels, out_channels : int
    kernel_size, stride, padding, output_padding, dilation : int or tuple of {dims} int(s)
    groups : int
    bias : bool
    padding_mode : str
        Only "zeros" (as PyTorch).
    device, dtype
        PyTorch's factory arguments; dtype defaults to ``cr.get_default_dtype()``.
    """


class ConvTranspose1d(_ConvTransposeNd):
    __doc__ = _TRANSPOSED_DOC.format(
        dims=1, layout="(N, C_in, L)", name="ConvTranspose1d", kernel="k", function="conv_transpose1d",
        formula="y[n, o, j] = b[o] + Σ_c Σ_{i,t : i·s + t·d = j + p} x[n, c, i] · W[c, o, t]")
    _dims = 1
    _function = staticmethod(F.conv_transpose1d)


class ConvTranspose2d(_ConvTransposeNd):
    __doc__ = _TRANSPOSED_DOC.format(
        dims=2, layout="(N, C_in, H, W)", name="ConvTranspose2d", kernel="kH, kW", function="conv_transpose2d",
        formula="y[n, o, q, r] = b[o] + Σ_c Σ_{i·s_h + u·d_h = q + p_h, j·s_w + v·d_w = r + p_w} "
                "x[n, c, i, j] · W[c, o, u, v]")
    _dims = 2
    _function = staticmethod(F.conv_transpose2d)
