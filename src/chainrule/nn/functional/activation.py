"""Elementwise activations and softmax: ``relu``, ``sigmoid``, ``tanh``, ``softplus``, ``gelu``,
``leaky_relu``, ``elu``, ``silu``, ``softmax``, ``log_softmax``."""

import math
import warnings

from ... import ops
from ._args import _as_tensor


def relu(input, inplace=False):
    """Rectified linear unit, elementwise.

        relu(x) = max(x, 0),    relu'(x) = 1[x > 0]

    ``inplace`` is accepted for PyTorch compatibility; the result is always a new tensor.

    Examples
    --------
    >>> F.relu(cr.tensor([-1.0, 2.0]))
    tensor([0., 2.])
    """
    return ops.relu(_as_tensor(input))


def sigmoid(input):
    """Logistic function, elementwise, without overflow.

        σ(x) = 1 / (1 + e^−x),    σ'(x) = σ(x)(1 − σ(x))
    """
    return ops.sigmoid(_as_tensor(input))


def tanh(input):
    """Hyperbolic tangent, elementwise.

        tanh'(x) = 1 − tanh² x
    """
    return ops.tanh(_as_tensor(input))


def softplus(input, beta=1.0, threshold=20.0):
    """Smooth ReLU, elementwise, as PyTorch's ``softplus``.

        softplus_β(x) = ln(1 + e^(βx)) / β,   or x itself where βx > threshold

    Its derivative is σ(βx) (1 above the threshold).
    """
    x = _as_tensor(input)
    scaled = x * beta if beta != 1 else x
    soft = ops.softplus(scaled)
    if beta != 1:
        soft = soft / beta
    return ops.where(scaled > threshold, x, soft)


def gelu(input, approximate="none"):
    """Gaussian error linear unit, elementwise, as PyTorch's ``gelu``.

        GELU(x) = x·Φ(x) = x/2 · (1 + erf(x/√2)),    GELU'(x) = Φ(x) + x·φ(x)

    with Φ, φ the standard normal distribution and density. ``approximate="tanh"``
    gives Hendrycks and Gimpel's approximation

        GELU(x) ≈ x/2 · (1 + tanh(√(2/π)·(x + 0.044715·x³)))

    Examples
    --------
    >>> F.gelu(cr.tensor([0.0, 1.0]))
    tensor([0.       , 0.8413447])
    """
    x = _as_tensor(input)
    if approximate == "none":
        return x * 0.5 * (1 + ops.erf(x * (1 / math.sqrt(2))))
    if approximate == "tanh":
        return x * 0.5 * (1 + ops.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * (x * x * x))))
    raise ValueError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")


def leaky_relu(input, negative_slope=0.01, inplace=False):
    """Leaky ReLU, elementwise, as PyTorch's ``leaky_relu``.

        LeakyReLU(x) = x if x > 0 else a·x,    derivative 1 if x > 0 else a (a at x = 0, as PyTorch)

    ``inplace`` is accepted for PyTorch compatibility; the result is always a new tensor.
    """
    x = _as_tensor(input)
    return ops.where(x > 0, x, x * negative_slope)


def elu(input, alpha=1.0, inplace=False):
    """Exponential linear unit, elementwise, as PyTorch's ``elu``.

        ELU(x) = x if x > 0 else α(eˣ − 1),    derivative 1 if x > 0 else α·eˣ

    The exponential is taken of x where x ≤ 0 and of 0 elsewhere, so large inputs neither
    overflow nor put a NaN into the gradient. ``inplace`` is accepted; the result is always a new tensor.
    """
    x = _as_tensor(input)
    positive = x > 0
    return ops.where(positive, x, (ops.exp(ops.where(positive, 0.0, x)) - 1) * alpha)


def silu(input, inplace=False):
    """Sigmoid linear unit (swish), elementwise, as PyTorch's ``silu``.

        SiLU(x) = x·σ(x),    SiLU'(x) = σ(x)·(1 + x·(1 − σ(x)))

    ``inplace`` is accepted; the result is always a new tensor.
    """
    x = _as_tensor(input)
    return x * ops.sigmoid(x)


def _dim(dim, axis, op, ndim):
    """The softmax axis: ``dim`` (PyTorch) or ``axis`` (NumPy); without either, PyTorch's
    deprecated implicit choice (axis 0 for 0-, 1- and 3-D inputs, else axis 1), with its warning."""
    if dim is not None and axis is not None:
        raise TypeError(f"{op}: give dim or axis, not both")
    if dim is not None:
        return dim
    if axis is not None:
        return axis
    warnings.warn(f"{op}: implicit dimension choice is deprecated (as in PyTorch); pass dim=X",
                  UserWarning, stacklevel=3)
    return 0 if ndim in (0, 1, 3) else 1


def log_softmax(input, dim=None, axis=None):
    """Logarithm of softmax along ``dim`` (``axis`` is NumPy's spelling), stably.

        log softmax(x)_i = x_i − log Σ_j e^(x_j)

    with the log-sum-exp shifted by the maximum, so no exponential overflows.
    Its VJP is ḡ − softmax(x)·Σ ḡ.
    """
    x = _as_tensor(input)
    dim = _dim(dim, axis, "log_softmax", x.ndim)
    return x - ops.logsumexp(x, axis=dim, keepdims=True)


def softmax(input, dim=None, axis=None):
    """Softmax along ``dim`` (``axis`` is NumPy's spelling), stably.

        softmax(x)_i = e^(x_i) / Σ_j e^(x_j) = exp(x_i − log Σ_j e^(x_j))
    """
    x = _as_tensor(input)
    return ops.exp(log_softmax(x, _dim(dim, axis, "softmax", x.ndim)))
