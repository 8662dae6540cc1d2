"""Losses with PyTorch's reductions: ``cross_entropy``, ``mse_loss``, ``logistic_loss``."""

import warnings

import numpy as np

from ... import ops
from ...core.errors import OpIndexError, ShapeError
from ...core.tensor import Tensor
from ...core.values import data_of
from ._args import _as_tensor
from .activation import log_softmax

_REDUCTIONS = ("mean", "sum", "none")


def _reduce(losses, reduction, op, total=None):
    if reduction == "none":
        return losses
    if reduction == "sum":
        return ops.sum(losses)
    if reduction == "mean":
        return ops.sum(losses) / (losses.size if total is None else total)
    raise ValueError(f"{op}: reduction must be one of {_REDUCTIONS}, got {reduction!r}")


def cross_entropy(input, target, weight=None, ignore_index=-100, reduction="mean"):
    """Cross-entropy of logits against integer class labels, as PyTorch's ``cross_entropy``.

        ℓ_n = −w[y_n] · log softmax(x_n)[y_n] = w[y_n] · (log Σ_c e^(x_nc) − x_n,y_n)
        L   = Σ_n ℓ_n / Σ_n w[y_n]

    computed through the shifted log-sum-exp, so it stays finite for logits of any size.
    Its gradient in the logits is w_{y_n}(softmax(x_n) − onehot(y_n)) / Σ w.

    Parameters
    ----------
    input : Tensor, shape (N, C), (N, C, *S) or (C,)
        Unnormalized scores (logits).
    target : Tensor or array of integers, shape (N,), (N, *S) or ()
        Class indices in [0, C).
    weight : Tensor or array of shape (C,), optional
        Class weights w (constants; not differentiated).
    ignore_index : int
        Targets equal to it contribute nothing (and do not count in the mean).
    reduction : {"mean", "sum", "none"}
    """
    logits = _as_tensor(input)
    labels = np.asarray(data_of(target))  # concrete values, for the checks only
    if labels.dtype.kind not in "iu":
        raise TypeError(f"cross_entropy: target must hold integer class indices, got dtype {labels.dtype} "
                        f"(convert with labels.astype(np.int64))")
    if logits.ndim == 0:
        raise ShapeError("cross_entropy: logits must have a class axis: shape (C,), (N, C) or (N, C, ...)")
    # the labels enter the computation through chainrule ops, so that a traced or jitted
    # loss reads the labels it is called with, not the example it was traced with
    target = target if isinstance(target, Tensor) else labels
    unbatched = logits.ndim == 1
    if unbatched:
        logits, labels = ops.expand_dims(logits, 0), labels.reshape((1,) + labels.shape)
        target = ops.reshape(target, labels.shape)
    classes = logits.shape[1]
    expected = (logits.shape[0],) + logits.shape[2:]
    if labels.shape != expected:
        raise ShapeError(f"cross_entropy: target of shape {labels.shape} does not fit logits of shape "
                         f"{logits.shape} (expected target shape {expected})")
    valid = labels != ignore_index
    out_of_range = valid & ((labels < 0) | (labels >= classes))
    if out_of_range.any():
        raise OpIndexError(f"cross_entropy: target {labels[out_of_range][0]} is out of bounds for {classes} classes")
    class_axis = (1, classes) + (1,) * (labels.ndim - 1)
    class_weight = np.ones(classes) if weight is None else np.asarray(data_of(weight), np.float64)
    class_weight = class_weight.astype(logits.dtype).reshape(class_axis)
    is_valid = ops.astype(ops.not_equal(target, ignore_index), logits.dtype)
    onehot = ops.astype(ops.equal(ops.expand_dims(target, 1), np.arange(classes).reshape(class_axis)), logits.dtype)
    sample_weight = ops.sum(onehot * class_weight, axis=1) * is_valid
    coefficient = onehot * ops.expand_dims(sample_weight, 1)
    losses = -ops.sum(log_softmax(logits, dim=1) * coefficient, axis=1)
    if unbatched and reduction == "none":
        return ops.squeeze(losses, 0)
    return _reduce(losses, reduction, "cross_entropy", total=ops.sum(sample_weight))


def mse_loss(input, target, reduction="mean"):
    """Mean squared error, as PyTorch's ``mse_loss``.

        L = (1/N) Σ_i (x_i − t_i)²,    ∂L/∂x_i = (2/N)(x_i − t_i)

    A ``target`` of another shape is broadcast, with a warning (as PyTorch), since that
    is usually a mistake: (N, 1) against (N,) gives N² terms.
    """
    x = _as_tensor(input)
    if np.shape(data_of(target)) != x.shape:
        warnings.warn(f"mse_loss: target shape {np.shape(data_of(target))} differs from input shape {x.shape}; "
                      f"they will be broadcast, which is likely not what you want", UserWarning, stacklevel=2)
    difference = x - target
    return _reduce(difference * difference, reduction, "mse_loss")


def logistic_loss(f, y, reduction="mean"):
    """Logistic loss of scores ``f`` for labels y ∈ {−1, +1} (PyTorch's ``soft_margin_loss``).

        L = (1/N) Σ_i ln(1 + e^(−y_i·f_i)) = (1/N) Σ_i softplus(−y_i·f_i)
        ∂L/∂f_i = −(y_i/N) · σ(−y_i·f_i)

    Computed through softplus (a log-add-exp), so it neither overflows nor loses the
    loss for |y·f| up to the float range.

    Parameters
    ----------
    f : Tensor
        Scores, e.g. shape (N,) or (N, 1).
    y : Tensor or array
        Labels −1 or +1 with f's shape (or f's shape up to axes of length 1).
    reduction : {"mean", "sum", "none"}
    """
    scores = _as_tensor(f)
    labels = np.asarray(data_of(y))
    if labels.size and not np.isin(labels, (-1, 1)).all():
        raise ValueError(f"logistic_loss: labels must be -1 or +1, got values {np.unique(labels)[:5]}; "
                         f"map 0/1 labels with y = 2 * y - 1")
    if labels.shape != scores.shape:
        if tuple(s for s in labels.shape if s != 1) != tuple(s for s in scores.shape if s != 1):
            raise ShapeError(f"logistic_loss: labels of shape {labels.shape} do not fit scores of shape {scores.shape}")
        y = ops.reshape(y, scores.shape) if isinstance(y, Tensor) else labels.reshape(scores.shape)
    y = ops.astype(y, scores.dtype) if isinstance(y, Tensor) else np.asarray(y).astype(scores.dtype)
    return _reduce(ops.softplus(-(y * scores)), reduction, "logistic_loss")
