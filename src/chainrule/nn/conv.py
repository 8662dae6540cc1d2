"""Convolution layers ``Conv1d`` and ``Conv2d`` (cross-correlation, PyTorch's layouts)."""

import math

from . import functional as F
from . import init
from .functional._args import _ntuple
from .module import Module
from .parameter import empty_parameter


class _ConvNd(Module):
    """Shared construction, initialization and repr of ``Conv1d`` and ``Conv2d``."""

    _dims = None
    _function = None

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1,
                 bias=True, padding_mode="zeros", device=None, dtype=None):
        super().__init__()
        name, n = type(self).__name__, self._dims
        if groups != 1:
            raise NotImplementedError(f"{name}: only groups=1 is supported, got groups={groups}")
        if padding_mode != "zeros":
            raise NotImplementedError(f"{name}: only padding_mode='zeros' is supported, got {padding_mode!r}")
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
        self.weight = empty_parameter((out_channels, in_channels) + self.kernel_size, dtype, device)
        if bias:
            self.bias = empty_parameter((out_channels,), dtype, device)
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self):
        """PyTorch's default: W by kaiming_uniform_(a=√5), b from U(−1/√fan_in, 1/√fan_in), fan_in = C_in·Πk.

        (kaiming_uniform_ with a = √5 is U(−1/√fan_in, 1/√fan_in) as well.)
        """
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in = self.in_channels * math.prod(self.kernel_size)
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input):
        return self._function(input, self.weight, self.bias, self.stride, self.padding, self.dilation)

    def extra_repr(self):
        n = self._dims
        text = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, stride={self.stride}"
        if self.padding != (0,) * n:
            text += f", padding={self.padding}"
        if self.dilation != (1,) * n:
            text += f", dilation={self.dilation}"
        if self.bias is None:
            text += ", bias=False"
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
        Only 1.
    bias : bool
    padding_mode : str
        Only "zeros".
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
        Only 1.
    bias : bool
    padding_mode : str
        Only "zeros".
    device, dtype
        PyTorch's factory arguments; dtype defaults to ``cr.get_default_dtype()``.
    """

    _dims = 2
    _function = staticmethod(F.conv2d)
