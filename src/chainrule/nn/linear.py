"""``Linear``: the fully connected layer y = x Wᵀ + b; ``Identity``: y = x."""

import math

from . import functional as F
from . import init
from .module import Module
from .parameter import empty_parameter


class Linear(Module):
    """Fully connected layer, as PyTorch's ``Linear``.

        y = x Wᵀ + b,    W of shape (out_features, in_features), b of shape (out_features,)

    Initialization (PyTorch's default): W by ``kaiming_uniform_`` with a = √5, i.e.
    U(−1/√in, 1/√in), and b from U(−1/√in, 1/√in).

    Parameters
    ----------
    in_features, out_features : int
    bias : bool
        Whether to learn b (default True).
    device, dtype
        PyTorch's factory arguments; dtype defaults to ``cr.get_default_dtype()``.

    Examples
    --------
    >>> layer = cr.nn.Linear(3, 2)
    >>> layer(cr.ones(4, 3)).shape
    (4, 2)
    """

    def __init__(self, in_features, out_features, bias=True, device=None, dtype=None):
        super().__init__()
        self.in_features = in_features
        self.out_features = out_features
        self.weight = empty_parameter((out_features, in_features), dtype, device)
        if bias:
            self.bias = empty_parameter((out_features,), dtype, device)
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self):
        """Redraw W and b from PyTorch's default distributions."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            bound = 1 / math.sqrt(self.in_features) if self.in_features > 0 else 0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input):
        return F.linear(input, self.weight, self.bias)

    def extra_repr(self):
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"


class Identity(Module):
    """The identity: ``Identity()(x) is x``. Any constructor arguments are accepted and ignored, as in
    PyTorch (a placeholder where a layer is switched off)."""

    def __init__(self, *args, **kwargs):
        super().__init__()

    def forward(self, input):
        return input
