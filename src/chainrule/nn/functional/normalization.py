"""Normalization over batch statistics: ``batch_norm``."""

import numpy as np

from ... import ops
from ...core.errors import ShapeError, TracerError
from ...core.state import no_grad
from ...core.tensor import Tensor
from ...core.tracer import staging
from ...core.values import data_of
from ._args import _as_tensor


def _blend(buffer, value, momentum):
    """``buffer ← (1 − momentum)·buffer + momentum·value``, in place, outside every gradient."""
    if isinstance(buffer, Tensor):
        with no_grad():
            buffer.mul_(1 - momentum).add_(momentum * value)
    else:
        buffer *= 1 - momentum
        buffer += momentum * value


def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1, eps=1e-5):
    """Batch normalization over every axis but the channel axis 1, as PyTorch's ``batch_norm``.

        y = (x − μ) / √(σ² + ε) · γ + β

    In training, μ and σ² are the batch mean and (biased) variance per channel, and the
    running statistics are updated in place (when given):

        running_mean ← (1 − m)·running_mean + m·μ
        running_var  ← (1 − m)·running_var  + m·σ²·n/(n − 1)

    with n values per channel (the running variance is unbiased). Otherwise μ, σ² are
    the running statistics.

    Parameters
    ----------
    input : Tensor, shape (N, C) or (N, C, *S)
    running_mean, running_var : Tensor or ndarray of shape (C,), or None
        Updated in place when ``training``; required when not.
    weight, bias : Tensor of shape (C,), optional
        γ and β.
    training : bool
    momentum : float
    eps : float
    """
    x = _as_tensor(input)
    if x.ndim < 2:
        raise ShapeError(f"batch_norm: expected an input of shape (N, C, ...), got {x.shape}")
    channels = x.shape[1]
    for name, value in (("running_mean", running_mean), ("running_var", running_var), ("weight", weight),
                        ("bias", bias)):
        if value is not None and np.shape(data_of(value)) != (channels,):
            raise ShapeError(f"batch_norm: {name} must have shape ({channels},) for an input of shape {x.shape}, "
                             f"got {np.shape(data_of(value))}")
    axes = (0,) + tuple(range(2, x.ndim))
    shape = (1, channels) + (1,) * (x.ndim - 2)
    if training:
        count = x.size // channels
        if count <= 1:
            raise ValueError(f"batch_norm: expected more than 1 value per channel when training, "
                             f"got input of shape {x.shape}")
        mean = ops.mean(x, axis=axes, keepdims=True)
        var = ops.var(x, axis=axes, keepdims=True)
        if (running_mean is not None or running_var is not None) and staging():
            raise TracerError("batch_norm: updating running statistics inside cr.trace or cr.jit would happen "
                              "once, at trace time; train with batch norm outside the compiled function, or "
                              "pass running_mean=None and running_var=None")
        if running_mean is not None:
            _blend(running_mean, data_of(mean).reshape(channels), momentum)
        if running_var is not None:
            _blend(running_var, data_of(var).reshape(channels) * (count / (count - 1)), momentum)
    else:
        if running_mean is None or running_var is None:
            raise ValueError("batch_norm: running_mean and running_var are required when training=False")
        mean = ops.reshape(_as_tensor(running_mean), shape)
        var = ops.reshape(_as_tensor(running_var), shape)
    y = (x - mean) / ops.sqrt(var + eps)
    if weight is not None:
        y = y * ops.reshape(_as_tensor(weight), shape)
    if bias is not None:
        y = y + ops.reshape(_as_tensor(bias), shape)
    return y
