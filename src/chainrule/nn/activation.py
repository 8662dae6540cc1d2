"""Elementwise activation layers: ``ReLU``, ``Sigmoid``, ``Tanh``, ``Softplus``."""

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
