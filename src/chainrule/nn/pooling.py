"""Pooling layers ``MaxPool1d``, ``MaxPool2d``, ``AvgPool1d``, ``AvgPool2d`` (stride defaults to the kernel
size) and ``AdaptiveAvgPool1d``, ``AdaptiveAvgPool2d`` (a fixed output size)."""

from . import functional as F
from .module import Module


class _MaxPoolNd(Module):
    _function = None

    def __init__(self, kernel_size, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False):
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding = padding
        self.dilation = dilation
        self.return_indices = return_indices
        self.ceil_mode = ceil_mode

    def forward(self, input):
        return self._function(input, self.kernel_size, self.stride, self.padding, self.dilation,
                              self.ceil_mode, self.return_indices)

    def extra_repr(self):
        return (f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
                f"dilation={self.dilation}, ceil_mode={self.ceil_mode}")


class MaxPool1d(_MaxPoolNd):
    """1-D max pooling over (N, C, L), as PyTorch's ``MaxPool1d``.

        y[n, c, i] = max_{t<k} x_pad[n, c, i·s + t·d]

    ``stride`` defaults to ``kernel_size``; padding (at most half the kernel)
    is the dtype's lowest value, never selected.
    The gradient goes to each window's maximum (the first one at ties).

    Parameters
    ----------
    kernel_size, stride, padding, dilation : int or tuple of one int
    return_indices, ceil_mode : bool
        Only False.
    """

    _function = staticmethod(F.max_pool1d)


class MaxPool2d(_MaxPoolNd):
    """2-D max pooling over (N, C, H, W), as PyTorch's ``MaxPool2d``.

        y[n, c, i, j] = max_{u,v} x_pad[n, c, i·s_h + u·d_h, j·s_w + v·d_w]

    ``stride`` defaults to ``kernel_size``; padding (at most half the kernel)
    is the dtype's lowest value, never selected.
    The gradient goes to each window's maximum (the first in row-major order at ties).

    Parameters
    ----------
    kernel_size, stride, padding, dilation : int or (int, int)
    return_indices, ceil_mode : bool
        Only False.
    """

    _function = staticmethod(F.max_pool2d)


class _AvgPoolNd(Module):
    """Shared settings of ``AvgPool1d`` and ``AvgPool2d``."""

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding = padding
        self.ceil_mode = ceil_mode
        self.count_include_pad = count_include_pad

    def extra_repr(self):
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AvgPool2d(_AvgPoolNd):
    """2-D average pooling over (N, C, H, W), as PyTorch's ``AvgPool2d``.

        y[n, c, i, j] = (1 / (k_h·k_w)) Σ_{u,v} x_pad[n, c, i·s_h + u, j·s_w + v]

    ``stride`` defaults to ``kernel_size``; padding is zeros, counted in the average
    unless ``count_include_pad=False``; ``divisor_override`` replaces k_h·k_w.

    Parameters
    ----------
    kernel_size, stride, padding : int or (int, int)
    ceil_mode : bool
        Only False.
    count_include_pad : bool
    divisor_override : int, optional
    """

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
                 divisor_override=None):
        super().__init__(kernel_size, stride, padding, ceil_mode, count_include_pad)
        self.divisor_override = divisor_override

    def forward(self, input):
        return F.avg_pool2d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                            self.count_include_pad, self.divisor_override)


class AvgPool1d(_AvgPoolNd):
    """1-D average pooling over (N, C, L), as PyTorch's ``AvgPool1d``.

        y[n, c, i] = (1/k) Σ_{t<k} x_pad[n, c, i·s + t]

    ``stride`` defaults to ``kernel_size``; padding is zeros, counted in the average unless
    ``count_include_pad=False``.

    Parameters
    ----------
    kernel_size, stride, padding : int or tuple of one int
    ceil_mode : bool
        Only False.
    count_include_pad : bool
    """

    def forward(self, input):
        return F.avg_pool1d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                            self.count_include_pad)


class _AdaptiveAvgPoolNd(Module):
    _function = None

    def __init__(self, output_size):
        super().__init__()
        self.output_size = output_size

    def forward(self, input):
        return self._function(input, self.output_size)

    def extra_repr(self):
        return f"output_size={self.output_size}"


class AdaptiveAvgPool1d(_AdaptiveAvgPoolNd):
    """Average pooling of (N, C, L) to ``output_size`` positions over PyTorch's bins
    [⌊i·L/O⌋, ⌈(i + 1)·L/O⌉). See ``F.adaptive_avg_pool1d``."""

    _function = staticmethod(F.adaptive_avg_pool1d)


class AdaptiveAvgPool2d(_AdaptiveAvgPoolNd):
    """Average pooling of (N, C, H, W) to ``output_size`` (an int, or a pair whose None entries keep the
    input's size) over PyTorch's bins; ``AdaptiveAvgPool2d(1)`` is global average pooling.
    See ``F.adaptive_avg_pool2d``."""

    _function = staticmethod(F.adaptive_avg_pool2d)
