"""``dropout``: inverted dropout with a mask from ``cr.random.generator()``."""

from ...core.errors import TracerError
from ...core.tracer import staging
from ...random import generator
from ._args import _as_tensor, _constant


def dropout(input, p=0.5, training=True, inplace=False):
    """Inverted dropout: zero each element with probability p, scale the rest by 1/(1 − p).

        y = x ⊙ m / (1 − p),    m_i ~ Bernoulli(1 − p)

    so that E[y] = x. Identity when ``training`` is false or p = 0; zeros when p = 1.
    The mask is drawn from ``cr.random.generator()`` (seed it with ``cr.random.seed``).
    ``inplace`` is accepted for PyTorch compatibility; the result is always a new tensor.
    """
    if not 0 <= p <= 1:
        raise ValueError(f"dropout: probability has to be between 0 and 1, but got {p}")
    x = _as_tensor(input)
    if not training or p == 0:
        return x
    if staging():
        raise TracerError("dropout: a random mask drawn inside cr.trace or cr.jit would be drawn once and "
                          "frozen into the compiled code; apply dropout outside, or pass training=False")
    keep = generator().random(x.shape) >= p
    scale = 1 / (1 - p) if p < 1 else 0.0
    return x * _constant(keep.astype(x.dtype) * scale, x)
