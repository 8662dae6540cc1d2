"""Elementwise activation layers (``ReLU``, ``Sigmoid``, ``Tanh``, ``Softplus``, ``GELU``, ``LeakyReLU``,
``ELU``, ``SiLU``) and ``Softmax``, ``LogSoftmax``."""

from . import functional as F
from .module import Module


class ReLU(Module):
    """relu(x) = max(x, 0) elementwise; derivative 1[x > 0].

    ``inplace`` is kept for PyTorch's signature (and shown in the repr); the result
    is always a new tensor.
    """

    def __init__(self, inplace=False):
        super().__init__()
        self.inplace = inplace

    def forward(self, input):
        return F.relu(input)

    def extra_repr(self):
        return "inplace=True" if self.inplace else ""


class Sigmoid(Module):
    """σ(x) = 1 / (1 + e^−x) elementwise; derivative σ(x)(1 − σ(x))."""

    def forward(self, input):
        return F.sigmoid(input)


class Tanh(Module):
    """tanh(x) elementwise; derivative 1 − tanh² x."""

    def forward(self, input):
        return F.tanh(input)


class Softplus(Module):
    """softplus_β(x) = ln(1 + e^(βx)) / β elementwise (x itself where βx > threshold); derivative σ(βx)."""

    def __init__(self, beta=1.0, threshold=20.0):
        super().__init__()
        self.beta = beta
        self.threshold = threshold

    def forward(self, input):
        return F.softplus(input, self.beta, self.threshold)

    def extra_repr(self):
        return f"beta={self.beta}, threshold={self.threshold}"


class GELU(Module):
    """GELU(x) = x·Φ(x) = x/2·(1 + erf(x/√2)) elementwise (Φ the standard normal distribution);
    ``approximate="tanh"`` gives x/2·(1 + tanh(√(2/π)(x + 0.044715x³))). See ``F.gelu``."""

    def __init__(self, approximate="none"):
        super().__init__()
        if approximate not in ("none", "tanh"):
            raise ValueError(f"GELU: approximate must be 'none' or 'tanh', got {approximate!r}")
        self.approximate = approximate

    def forward(self, input):
        return F.gelu(input, approximate=self.approximate)

    def extra_repr(self):
        return f"approximate={self.approximate!r}"


class LeakyReLU(Module):
    """LeakyReLU(x) = x if x > 0 else a·x elementwise, a = ``negative_slope``; derivative 1 or a."""

    def __init__(self, negative_slope=0.01, inplace=False):
        super().__init__()
        self.negative_slope = negative_slope
        self.inplace = inplace

    def forward(self, input):
        return F.leaky_relu(input, self.negative_slope)

    def extra_repr(self):
        return f"negative_slope={self.negative_slope}" + (", inplace=True" if self.inplace else "")


class ELU(Module):
    """ELU(x) = x if x > 0 else α(eˣ − 1) elementwise; derivative 1 or α·eˣ."""

    def __init__(self, alpha=1.0, inplace=False):
        super().__init__()
        self.alpha = alpha
        self.inplace = inplace

    def forward(self, input):
        return F.elu(input, self.alpha)

    def extra_repr(self):
        return f"alpha={self.alpha}" + (", inplace=True" if self.inplace else "")


class SiLU(Module):
    """SiLU(x) = x·σ(x) elementwise (swish); derivative σ(x)(1 + x(1 − σ(x)))."""

    def __init__(self, inplace=False):
        super().__init__()
        self.inplace = inplace

    def forward(self, input):
        return F.silu(input)

    def extra_repr(self):
        return "inplace=True" if self.inplace else ""


class Softmax(Module):
    """softmax(x)_i = e^(x_i) / Σ_j e^(x_j) along ``dim``; without ``dim``, PyTorch's deprecated implicit
    choice (axis 0 for 0-, 1- and 3-D inputs, else axis 1), with its warning."""

    def __init__(self, dim=None):
        super().__init__()
        self.dim = dim

    def forward(self, input):
        return F.softmax(input, self.dim)

    def extra_repr(self):
        return f"dim={self.dim}"


class LogSoftmax(Module):
    """log softmax(x)_i = x_i − log Σ_j e^(x_j) along ``dim`` (implicit choice as ``Softmax``)."""

    def __init__(self, dim=None):
        super().__init__()
        self.dim = dim

    def forward(self, input):
        return F.log_softmax(input, self.dim)

    def extra_repr(self):
        return f"dim={self.dim}"
