"""``Dropout``: inverted dropout in training mode, the identity in evaluation mode."""

from . import functional as F
from .module import Module


class Dropout(Module):
    """Zero each element with probability p while training, scaling the rest by 1/(1 − p).

        y = x ⊙ m / (1 − p),  m_i ~ Bernoulli(1 − p)   (training);    y = x   (eval)

    Masks come from ``cr.random.generator()``. ``inplace`` is kept for PyTorch's
    signature; the result is always a new tensor.
    """

    def __init__(self, p=0.5, inplace=False):
        super().__init__()
        if not 0 <= p <= 1:
            raise ValueError(f"Dropout: probability has to be between 0 and 1, but got {p}")
        self.p = p
        self.inplace = inplace

    def forward(self, input):
        return F.dropout(input, self.p, self.training)

    def extra_repr(self):
        return f"p={self.p}, inplace={self.inplace}"
