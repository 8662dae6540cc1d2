"""Normalization: ``batch_norm`` (batch statistics), ``layer_norm`` and ``group_norm`` (per-sample
statistics), ``normalize`` (unit p-norm vectors)."""

import math

import numpy as np

from ... import ops
from ...core.errors import ShapeError, TracerError
from ...core.state import no_grad
from ...core.tensor import Tensor, array_of
from ...core.tracer import staging
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
        if value is not None and np.shape(array_of(value)) != (channels,):
            raise ShapeError(f"batch_norm: {name} must have shape ({channels},) for an input of shape {x.shape}, "
                             f"got {np.shape(array_of(value))}")
    axes = (0,) + tuple(range(2, x.ndim))
    shape = (1, channels) + (1,) * (x.ndim - 2)
    if training:
        count = x.numel() // channels
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
            _blend(running_mean, array_of(mean).reshape(channels), momentum)
        if running_var is not None:
            _blend(running_var, array_of(var).reshape(channels) * (count / (count - 1)), momentum)
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


def _standardize(x, axes, eps):
    """(x − μ)/√(σ² + ε) with the mean and biased variance over ``axes``."""
    mean = ops.mean(x, axis=axes, keepdims=True)
    return (x - mean) / ops.sqrt(ops.var(x, axis=axes, keepdims=True) + eps)


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5):
    """Layer normalization over the last axes, as PyTorch's ``layer_norm``.

        y = (x − μ)/√(σ² + ε) · γ + β

    with μ, σ² the mean and biased variance of each sample over its last
    len(normalized_shape) axes, which must equal ``normalized_shape``; γ = ``weight`` and
    β = ``bias`` have that shape.

    Examples
    --------
    >>> F.layer_norm(cr.tensor([[1., 3.]]), (2,)).numpy().round(4)
    array([[-1.,  1.]], dtype=float32)
    """
    x = _as_tensor(input)
    shape = (normalized_shape,) if isinstance(normalized_shape, (int, np.integer)) else tuple(normalized_shape)
    k = len(shape)
    if k == 0 or x.ndim < k or x.shape[x.ndim - k:] != shape:
        raise ShapeError(f"layer_norm: normalized_shape {shape} must be the last axes of the input, "
                         f"got input of shape {x.shape}")
    for name, value in (("weight", weight), ("bias", bias)):
        if value is not None and np.shape(array_of(value)) != shape:
            raise ShapeError(f"layer_norm: {name} must have shape {shape}, got {np.shape(array_of(value))}")
    y = _standardize(x, tuple(range(x.ndim - k, x.ndim)), eps)
    if weight is not None:
        y = y * weight
    return y if bias is None else y + bias


def group_norm(input, num_groups, weight=None, bias=None, eps=1e-5):
    """Group normalization, as PyTorch's ``group_norm``.

        y[n, c, …] = (x[n, c, …] − μ[n, g])/√(σ²[n, g] + ε) · γ[c] + β[c]

    The C channels of an (N, C, *S) input form G groups of C/G consecutive channels;
    μ, σ² are the mean and biased variance of each sample's group over its channels and
    positions. γ = ``weight`` and β = ``bias`` have shape (C,).
    """
    x = _as_tensor(input)
    if x.ndim < 2:
        raise ShapeError(f"group_norm: expected an input of shape (N, C, ...), got {x.shape}")
    channels = x.shape[1]
    if int(num_groups) != num_groups or num_groups < 1 or channels % num_groups:
        raise ValueError(f"group_norm: the {channels} channels of an input of shape {x.shape} cannot be split "
                         f"into num_groups={num_groups!r} groups")
    for name, value in (("weight", weight), ("bias", bias)):
        if value is not None and np.shape(array_of(value)) != (channels,):
            raise ShapeError(f"group_norm: {name} must have shape ({channels},), got {np.shape(array_of(value))}")
    grouped = ops.reshape(x, (x.shape[0], int(num_groups), -1))
    y = ops.reshape(_standardize(grouped, 2, eps), x.shape)
    per_channel = (channels,) + (1,) * (x.ndim - 2)
    if weight is not None:
        y = y * ops.reshape(_as_tensor(weight), per_channel)
    return y if bias is None else y + ops.reshape(_as_tensor(bias), per_channel)


def _vector_norm(x, p, dim):
    """‖x‖_p along ``dim`` (kept), with a zero gradient at the zero vector instead of 0·∞."""
    if p == math.inf:
        return ops.max(ops.abs(x), axis=dim, keepdims=True)
    if p <= 0:
        raise ValueError(f"normalize: p must be positive, got {p}")
    total = ops.sum(ops.abs(x) ** p if p != 2 else x * x, axis=dim, keepdims=True)
    nonzero = total > 0
    return ops.where(nonzero, ops.where(nonzero, total, 1) ** (1 / p), 0)


def normalize(input, p=2.0, dim=1, eps=1e-12, out=None):
    """Scale vectors along ``dim`` to unit p-norm, as PyTorch's ``normalize``.

        y = x / max(‖x‖_p, ε),    ‖x‖_p = (Σ_i |x_i|^p)^(1/p)  (max_i |x_i| for p = ∞)

    The zero vector maps to itself, with a finite gradient. ``out`` is not supported.
    """
    if out is not None:
        raise TypeError("normalize: out= is not supported; use the returned tensor")
    x = _as_tensor(input)
    return x / ops.maximum(_vector_norm(x, p, dim), eps)
