"""Elementwise activations and softmax: ``relu``, ``sigmoid``, ``tanh``, ``softplus``, ``softmax``, ``log_softmax``."""

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


def _dim(dim, axis, op):
    """The class axis: ``dim`` (PyTorch) or ``axis`` (NumPy), −1 when neither is given."""
    if dim is not None and axis is not None:
        raise TypeError(f"{op}: give dim or axis, not both")
    return dim if dim is not None else axis if axis is not None else -1


def log_softmax(input, dim=None, axis=None):
    """Logarithm of softmax along ``dim`` (default −1; ``axis`` is NumPy's spelling), stably.

        log softmax(x)_i = x_i − log Σ_j e^(x_j)

    with the log-sum-exp shifted by the maximum, so no exponential overflows.
    Its VJP is ḡ − softmax(x)·Σ ḡ.
    """
    x = _as_tensor(input)
    dim = _dim(dim, axis, "log_softmax")
    return x - ops.logsumexp(x, axis=dim, keepdims=True)


def softmax(input, dim=None, axis=None):
    """Softmax along ``dim`` (default −1; ``axis`` is NumPy's spelling), stably.

        softmax(x)_i = e^(x_i) / Σ_j e^(x_j) = exp(x_i − log Σ_j e^(x_j))
    """
    return ops.exp(log_softmax(input, dim, axis))
