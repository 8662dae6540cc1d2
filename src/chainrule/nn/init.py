"""Weight initialization, as PyTorch's ``torch.nn.init``: each function fills a tensor in place.

Every function takes the tensor first and returns it; the fill happens under
``no_grad`` (so it works on parameters that require grad) and draws from
``cr.random.generator()`` unless a NumPy ``generator`` is passed. The names without
the trailing underscore (``xavier_uniform``) are aliases.

Fan sizes, for a weight of shape (out, in, k…): fan_in = in·Πk, fan_out = out·Πk.
"""

import math

import numpy as np

from ..core.state import no_grad
from ..random import generator as _default_generator

_GAINS = {"linear": 1.0, "identity": 1.0, "conv1d": 1.0, "conv2d": 1.0, "conv3d": 1.0, "conv_transpose1d": 1.0,
          "conv_transpose2d": 1.0, "conv_transpose3d": 1.0, "sigmoid": 1.0, "tanh": 5.0 / 3.0,
          "relu": math.sqrt(2.0), "selu": 3.0 / 4.0}


def calculate_gain(nonlinearity, param=None):
    """The recommended gain for a nonlinearity (PyTorch's table).

    1 for linear, convolutions and sigmoid; 5/3 for tanh; √2 for relu; 3/4 for selu;
    √(2 / (1 + a²)) for leaky_relu with negative slope a (0.01 by default).
    """
    if nonlinearity == "leaky_relu":
        slope = 0.01 if param is None else param
        if isinstance(slope, bool) or not isinstance(slope, (int, float)):
            raise ValueError(f"calculate_gain: negative_slope {param!r} is not a valid number")
        return math.sqrt(2.0 / (1 + slope ** 2))
    if nonlinearity not in _GAINS:
        raise ValueError(f"calculate_gain: unsupported nonlinearity {nonlinearity!r}; "
                         f"choose one of {sorted(_GAINS) + ['leaky_relu']}")
    return _GAINS[nonlinearity]


def _calculate_fan_in_and_fan_out(tensor):
    """``(fan_in, fan_out)`` = (in·Πk, out·Πk) for a tensor of shape (out, in, k…)."""
    if tensor.ndim < 2:
        raise ValueError(f"fan in and fan out cannot be computed for a tensor of shape {tensor.shape} "
                         f"(fewer than 2 dimensions)")
    receptive_field = math.prod(tensor.shape[2:])
    return tensor.shape[1] * receptive_field, tensor.shape[0] * receptive_field


def _fan(tensor, mode):
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"mode must be 'fan_in' or 'fan_out', got {mode!r}")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def _fill(tensor, values):
    with no_grad():
        tensor.copy_(np.asarray(values).astype(tensor.dtype, copy=False))
    return tensor


def _rng(generator):
    return _default_generator() if generator is None else generator


def uniform_(tensor, a=0.0, b=1.0, generator=None):
    """Fill with draws from U(a, b)."""
    return _fill(tensor, _rng(generator).uniform(a, b, tensor.shape))


def normal_(tensor, mean=0.0, std=1.0, generator=None):
    """Fill with draws from N(mean, std²)."""
    return _fill(tensor, _rng(generator).normal(mean, std, tensor.shape))


def constant_(tensor, val):
    """Fill with the value ``val``."""
    return _fill(tensor, np.full(tensor.shape, val))


def zeros_(tensor):
    """Fill with 0."""
    return constant_(tensor, 0.0)


def ones_(tensor):
    """Fill with 1."""
    return constant_(tensor, 1.0)


def xavier_uniform_(tensor, gain=1.0, generator=None):
    """Glorot uniform: U(−a, a) with a = gain·√(6 / (fan_in + fan_out))."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return uniform_(tensor, -bound, bound, generator)


def xavier_normal_(tensor, gain=1.0, generator=None):
    """Glorot normal: N(0, std²) with std = gain·√(2 / (fan_in + fan_out))."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return normal_(tensor, 0.0, gain * math.sqrt(2.0 / (fan_in + fan_out)), generator)


def kaiming_uniform_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu", generator=None):
    """He uniform: U(−bound, bound) with bound = gain·√(3 / fan), gain = calculate_gain(nonlinearity, a).

    ``a`` is the negative slope of leaky_relu; PyTorch's layers use a = √5, giving
    bound = 1/√fan_in.
    """
    std = calculate_gain(nonlinearity, a) / math.sqrt(_fan(tensor, mode))
    bound = math.sqrt(3.0) * std
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu", generator=None):
    """He normal: N(0, std²) with std = gain / √fan, gain = calculate_gain(nonlinearity, a)."""
    std = calculate_gain(nonlinearity, a) / math.sqrt(_fan(tensor, mode))
    return normal_(tensor, 0.0, std, generator)


uniform = uniform_
normal = normal_
constant = constant_
zeros = zeros_
ones = ones_
xavier_uniform = xavier_uniform_
xavier_normal = xavier_normal_
kaiming_uniform = kaiming_uniform_
kaiming_normal = kaiming_normal_
