"""Losses with PyTorch's signatures and reductions.

Classification: ``nll_loss``, ``cross_entropy`` (class indices or probabilities, class
weights, ``ignore_index``, label smoothing), ``binary_cross_entropy``,
``binary_cross_entropy_with_logits``, ``logistic_loss``. Regression: ``mse_loss``,
``l1_loss``, ``smooth_l1_loss``, ``huber_loss``.

Every loss takes ``reduction`` in {"mean", "sum", "none"}; the deprecated ``size_average``
and ``reduce`` arguments are accepted with PyTorch's meaning and warning.
"""

import math
import warnings

import numpy as np

from ... import ops
from ...core import devices
from ...core.errors import OpIndexError, ShapeError
from ...core.tensor import Tensor, array_of
from ._args import _as_tensor, _integer_values
from .activation import log_softmax

_REDUCTIONS = ("mean", "sum", "none")
_LOG_FLOOR = -100.0  # PyTorch's binary_cross_entropy clamps each log at -100


def _reduction(size_average, reduce, reduction, op):
    """``reduction``, or the one PyTorch's deprecated ``size_average``/``reduce`` pair stands for."""
    if size_average is not None or reduce is not None:
        warnings.warn(f"{op}: size_average and reduce are deprecated (as in PyTorch); use reduction= instead",
                      UserWarning, stacklevel=3)
        if reduce is False:
            return "none"
        return "sum" if size_average is False else "mean"
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{op}: reduction must be one of {_REDUCTIONS}, got {reduction!r}")
    return reduction


def _reduce(losses, reduction, op, total=None):
    """``losses`` as they are ("none"), summed, or summed and divided by ``total`` (default: their count)."""
    if reduction == "none":
        return losses
    if reduction == "sum":
        return ops.sum(losses)
    if reduction == "mean":
        return ops.sum(losses) / (losses.numel() if total is None else total)
    raise ValueError(f"{op}: reduction must be one of {_REDUCTIONS}, got {reduction!r}")


# ------------------------------------------------------------------ class labels
def _weighted_pick(scores, target, weight, ignore_index, op):
    """The per-sample ``w[y_n]·scores[n, y_n]`` and the weights ``w[y_n]`` (0 where ignored).

    ``scores`` has shape (N, C, *S) or (C,); ``target`` integer class indices of shape
    (N, *S) or (). The labels enter through chainrule ops (a one-hot mask), so a traced or
    jitted loss reads the labels it is called with, not the example it was traced with.
    Returns ``(picked, sample_weight, class_weight, valid)``, each but ``class_weight`` (a
    constant of shape (1, C, 1…)) shaped like the batched target.
    """
    scores = _as_tensor(scores)
    labels = _integer_values(target, op, "target (class indices)")
    if scores.ndim == 0:
        raise ShapeError(f"{op}: input must have a class axis: shape (C,), (N, C) or (N, C, ...)")
    target = target if isinstance(target, Tensor) else labels
    if scores.ndim == 1:
        scores, labels = ops.expand_dims(scores, 0), labels.reshape((1,) + labels.shape)
        target = ops.reshape(target, labels.shape)
    classes = scores.shape[1]
    expected = (scores.shape[0],) + scores.shape[2:]
    if labels.shape != expected:
        raise ShapeError(f"{op}: target of shape {labels.shape} does not fit input of shape {scores.shape} "
                         f"(expected target shape {expected})")
    out_of_range = (labels != ignore_index) & ((labels < 0) | (labels >= classes))
    if out_of_range.any():
        raise OpIndexError(f"{op}: target {labels[out_of_range][0].item()} is out of bounds for {classes} classes")
    class_axis = (1, classes) + (1,) * (labels.ndim - 1)
    class_weight = _class_weight(weight, classes, scores.dtype, op, scores).reshape(class_axis)
    valid = ops.astype(ops.not_equal(target, ignore_index), scores.dtype)
    classes_axis = np.arange(classes, like=labels).reshape(class_axis)
    onehot = ops.astype(ops.equal(ops.expand_dims(target, 1), classes_axis), scores.dtype)
    sample_weight = ops.sum(onehot * class_weight, axis=1) * valid
    picked = ops.sum(scores * onehot, axis=1) * sample_weight
    return picked, sample_weight, class_weight, valid


def _class_weight(weight, classes, dtype, op, like):
    """The class weights (ones without ``weight``), as constants on the device of ``like``."""
    data = array_of(like)
    if weight is None:
        return np.ones(classes, dtype, like=data)
    w = array_of(weight)
    if w.shape != (classes,):
        raise ShapeError(f"{op}: weight must have shape ({classes},), one per class, got {w.shape}")
    w = devices.placed_like(w, data)
    return w.astype(dtype)


def _unbatched(losses, input):
    return ops.squeeze(losses, 0) if _as_tensor(input).ndim == 1 else losses


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean"):
    """Negative log-likelihood of log-probabilities against class indices, as PyTorch's ``nll_loss``.

        ℓ_n = −w[y_n] · x[n, y_n],    L = Σ_n ℓ_n / Σ_n w[y_n]  (mean)

    where the sums run over the targets that are not ``ignore_index``. Its gradient is
    −w[y_n]/Σw at (n, y_n) and zero elsewhere. With every target ignored the mean is 0/0 = NaN.

    Parameters
    ----------
    input : Tensor, shape (N, C), (N, C, *S) or (C,)
        Log-probabilities (e.g. ``log_softmax``).
    target : Tensor or array of integers, shape (N,), (N, *S) or ()
        Class indices in [0, C), or ``ignore_index``.
    weight : Tensor or array of shape (C,), optional
        Class weights w (constants; not differentiated).
    ignore_index : int
    reduction : {"mean", "sum", "none"}

    Examples
    --------
    >>> F.nll_loss(cr.tensor([[-1.0, -2.0]]), np.array([1]))
    tensor(2.)
    """
    reduction = _reduction(size_average, reduce, reduction, "nll_loss")
    picked, sample_weight, _, _ = _weighted_pick(input, target, weight, ignore_index, "nll_loss")
    if reduction == "none":
        return _unbatched(-picked, input)
    return _reduce(-picked, reduction, "nll_loss", total=ops.sum(sample_weight))


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
                  reduction="mean", label_smoothing=0.0):
    """Cross-entropy of logits, as PyTorch's ``cross_entropy``: ``nll_loss(log_softmax(x, 1))`` and more.

    With class indices y_n and label smoothing ε over C classes,

        ℓ_n = (1 − ε)·w[y_n]·(−log p_n,y_n) + (ε/C)·Σ_c w_c·(−log p_nc),    p_n = softmax(x_n)
        L   = Σ_n ℓ_n / Σ_n w[y_n]   (mean; targets equal to ``ignore_index`` drop out of both sums)

    With class probabilities q (a float ``target`` of the input's shape), smoothed to
    q' = (1 − ε)·q + ε/C,

        ℓ_n = −Σ_c w_c·q'_nc·log p_nc,    L = Σ_n ℓ_n / N   (mean)

    The log-probabilities come from the shifted log-sum-exp, so the loss stays finite for
    logits of any size. Without smoothing the gradient in the logits is
    w[y_n]·(p_n − onehot(y_n)) / Σ w.

    Parameters
    ----------
    input : Tensor, shape (N, C), (N, C, *S) or (C,)
        Unnormalized scores (logits).
    target : Tensor or array
        Integer class indices of shape (N,), (N, *S) or (); or class probabilities of
        the input's shape.
    weight : Tensor or array of shape (C,), optional
        Class weights w (constants; not differentiated).
    ignore_index : int
        Targets equal to it contribute nothing (and do not count in the mean); class indices only.
    reduction : {"mean", "sum", "none"}
    label_smoothing : float in [0, 1]

    Examples
    --------
    >>> F.cross_entropy(cr.tensor([[0.0, 0.0]]), np.array([1]))
    tensor(0.6931472)
    """
    reduction = _reduction(size_average, reduce, reduction, "cross_entropy")
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"cross_entropy: label_smoothing must be between 0.0 and 1.0, got {label_smoothing}")
    logits = _as_tensor(input)
    if logits.ndim == 0:
        raise ShapeError("cross_entropy: input must have a class axis: shape (C,), (N, C) or (N, C, ...)")
    class_dim = 0 if logits.ndim == 1 else 1
    log_p = log_softmax(logits, dim=class_dim)
    classes = logits.shape[class_dim]
    if array_of(target).dtype.kind == "f":
        return _cross_entropy_probabilities(log_p, target, weight, reduction, label_smoothing, class_dim)
    picked, sample_weight, class_weight, valid = _weighted_pick(log_p, target, weight, ignore_index,
                                                                "cross_entropy")
    losses = -picked
    if label_smoothing > 0:
        batched = log_p if class_dim == 1 else ops.expand_dims(log_p, 0)
        smooth = -ops.sum(batched * class_weight, axis=1) * valid
        losses = losses * (1 - label_smoothing) + smooth * (label_smoothing / classes)
    if reduction == "none":
        return _unbatched(losses, logits)
    return _reduce(losses, reduction, "cross_entropy", total=ops.sum(sample_weight))


def _cross_entropy_probabilities(log_p, target, weight, reduction, label_smoothing, class_dim):
    q = _as_tensor(target)
    if q.shape != log_p.shape:
        raise TypeError(f"cross_entropy: a floating target of shape {q.shape} is neither integer class indices "
                        f"nor class probabilities of the input's shape {log_p.shape} (convert class indices "
                        f"with labels.astype(np.int64))")
    classes = log_p.shape[class_dim]
    if label_smoothing > 0:
        q = q * (1 - label_smoothing) + label_smoothing / classes
    class_axis = (classes,) + (1,) * (log_p.ndim - class_dim - 1)
    w = _class_weight(weight, classes, log_p.dtype, "cross_entropy", log_p).reshape(class_axis)
    losses = -ops.sum(log_p * q * w, axis=class_dim)
    return _reduce(losses, reduction, "cross_entropy")


# -------------------------------------------------------------------- binary
def _same_shape(x, target, op):
    if np.shape(array_of(target)) != x.shape:
        raise ShapeError(f"{op}: target of shape {np.shape(array_of(target))} must have the input's shape {x.shape}")


def _clamped_log(v):
    """max(log v, −100), with a finite gradient (zero below the clamp) even at v = 0."""
    above = v > math.exp(_LOG_FLOOR)
    return ops.where(above, ops.log(ops.where(above, v, 1)), _LOG_FLOOR)


def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None, reduction="mean"):
    """Binary cross-entropy of probabilities, as PyTorch's ``binary_cross_entropy``.

        ℓ_i = −w_i · (y_i·log x_i + (1 − y_i)·log(1 − x_i)),
        ∂ℓ_i/∂x_i = w_i·(x_i − y_i) / (x_i(1 − x_i))

    with each log clamped at −100 (as PyTorch), so x = 0 or 1 gives a finite loss. Below
    the clamp the loss is flat and its gradient zero (PyTorch's kernel instead divides by
    max(x(1 − x), 10⁻¹²) there); inside (0, 1) the two agree.

    Parameters
    ----------
    input : Tensor
        Probabilities x in [0, 1] (e.g. a sigmoid's output).
    target : Tensor or array
        y, of the input's shape, usually 0 or 1.
    weight : Tensor or array, optional
        w, broadcast to the input's shape.
    reduction : {"mean", "sum", "none"}
    """
    reduction = _reduction(size_average, reduce, reduction, "binary_cross_entropy")
    x = _as_tensor(input)
    _same_shape(x, target, "binary_cross_entropy")
    values = array_of(x)
    if values.size and not ((values >= 0) & (values <= 1)).all():
        raise ValueError("binary_cross_entropy: all elements of input should be between 0 and 1 "
                         "(apply a sigmoid, or use binary_cross_entropy_with_logits on the scores)")
    losses = -(target * _clamped_log(x) + (1 - target) * _clamped_log(1 - x))
    if weight is not None:
        losses = losses * weight
    return _reduce(losses, reduction, "binary_cross_entropy")


def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None, reduce=None,
                                     reduction="mean", pos_weight=None):
    """Binary cross-entropy of logits, as PyTorch's ``binary_cross_entropy_with_logits``.

        ℓ_i = −w_i·(p·y_i·log σ(x_i) + (1 − y_i)·log(1 − σ(x_i)))
            = w_i·((1 − y_i)·x_i + (1 + (p − 1)·y_i)·softplus(−x_i))

    computed in the second form, which neither overflows nor loses precision for large |x|.
    Without ``pos_weight`` (p = 1), ∂ℓ_i/∂x_i = w_i·(σ(x_i) − y_i).

    Parameters
    ----------
    input : Tensor
        Scores (logits) x.
    target : Tensor or array
        y in [0, 1], of the input's shape.
    weight : Tensor or array, optional
        w, broadcast to the input's shape.
    reduction : {"mean", "sum", "none"}
    pos_weight : Tensor or array, optional
        p, the weight of positive examples, broadcast along the last (class) axis.
    """
    reduction = _reduction(size_average, reduce, reduction, "binary_cross_entropy_with_logits")
    x = _as_tensor(input)
    _same_shape(x, target, "binary_cross_entropy_with_logits")
    softplus_neg = ops.softplus(-x)
    if pos_weight is None:
        losses = (1 - target) * x + softplus_neg
    else:
        losses = (1 - target) * x + (1 + (pos_weight - 1) * target) * softplus_neg
    if weight is not None:
        losses = losses * weight
    return _reduce(losses, reduction, "binary_cross_entropy_with_logits")


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
    labels = array_of(y)
    if labels.size and not ((labels == -1) | (labels == 1)).all():
        raise ValueError(f"logistic_loss: labels must be -1 or +1, got values {np.unique(devices.to_host(labels))[:5]}; "
                         f"map 0/1 labels with y = 2 * y - 1")
    if labels.shape != scores.shape:
        if tuple(s for s in labels.shape if s != 1) != tuple(s for s in scores.shape if s != 1):
            raise ShapeError(f"logistic_loss: labels of shape {labels.shape} do not fit scores of shape {scores.shape}")
        y = ops.reshape(y, scores.shape) if isinstance(y, Tensor) else labels.reshape(scores.shape)
    y = ops.astype(y, scores.dtype) if isinstance(y, Tensor) else array_of(y).astype(scores.dtype)
    return _reduce(ops.softplus(-(y * scores)), reduction, "logistic_loss")


# ------------------------------------------------------------------ regression
def _pointwise_loss(input, target, per_element, reduction, weight, op, weighted_mean_by_weights=True):
    """``per_element(input − target)``, weighted and reduced; a target of another shape is
    broadcast with PyTorch's warning, since (N, 1) against (N,) gives N² terms."""
    x = _as_tensor(input)
    if np.shape(array_of(target)) != x.shape:
        warnings.warn(f"{op}: target shape {np.shape(array_of(target))} differs from input shape {x.shape}; "
                      f"they will be broadcast, which is likely not what you want", UserWarning, stacklevel=3)
    losses = per_element(x - target)
    if weight is None:
        return _reduce(losses, reduction, op)
    if np.shape(array_of(weight)) != x.shape:
        raise ShapeError(f"{op}: weight of shape {np.shape(array_of(weight))} must have the input's shape {x.shape}")
    losses = losses * weight
    total = ops.sum(_as_tensor(weight)) if weighted_mean_by_weights else None
    return _reduce(losses, reduction, op, total=total)


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """Mean squared error, as PyTorch's ``mse_loss``.

        ℓ_i = (x_i − t_i)²,   L = (1/N) Σ_i ℓ_i,    ∂L/∂x_i = (2/N)(x_i − t_i)

    With ``weight`` (of the input's shape) the mean is Σ w_i ℓ_i / Σ w_i. A ``target`` of
    another shape is broadcast, with a warning (as PyTorch).
    """
    reduction = _reduction(size_average, reduce, reduction, "mse_loss")
    return _pointwise_loss(input, target, lambda d: d * d, reduction, weight, "mse_loss")


def l1_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """Mean absolute error, as PyTorch's ``l1_loss``.

        ℓ_i = |x_i − t_i|,   L = (1/N) Σ_i ℓ_i,    ∂L/∂x_i = sign(x_i − t_i)/N  (0 where x_i = t_i)

    With ``weight`` (of the input's shape) the mean is Σ w_i ℓ_i / Σ w_i.
    """
    reduction = _reduction(size_average, reduce, reduction, "l1_loss")
    return _pointwise_loss(input, target, ops.abs, reduction, weight, "l1_loss")


def _huber(d, delta):
    """0.5·d² where |d| < δ, else δ·(|d| − 0.5·δ): quadratic near 0, linear beyond, C¹ at |d| = δ."""
    a = ops.abs(d)
    return ops.where(a < delta, 0.5 * (d * d), delta * (a - 0.5 * delta))


def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean", beta=1.0):
    """Smooth L1 loss, as PyTorch's ``smooth_l1_loss``.

        ℓ_i = 0.5·d_i²/β  if |d_i| < β,  else |d_i| − 0.5·β,      d = x − t

    so ℓ = huber_δ=β / β; ``beta=0`` gives the L1 loss.
    """
    reduction = _reduction(size_average, reduce, reduction, "smooth_l1_loss")
    if beta < 0:
        raise ValueError(f"smooth_l1_loss: beta must be non-negative, got {beta}")
    per_element = ops.abs if beta == 0 else (lambda d: _huber(d, beta) / beta)
    return _pointwise_loss(input, target, per_element, reduction, None, "smooth_l1_loss")


def huber_loss(input, target, reduction="mean", delta=1.0, weight=None):
    """Huber loss, as PyTorch's ``huber_loss``.

        ℓ_i = 0.5·d_i²  if |d_i| < δ,  else δ·(|d_i| − 0.5·δ),      d = x − t

    With ``weight`` (of the input's shape) the mean is the plain mean of w_i ℓ_i (as
    PyTorch; mse_loss and l1_loss divide by Σ w_i instead).
    """
    if reduction not in _REDUCTIONS:
        raise ValueError(f"huber_loss: reduction must be one of {_REDUCTIONS}, got {reduction!r}")
    if delta <= 0:
        raise ValueError(f"huber_loss: delta must be positive, got {delta}")
    return _pointwise_loss(input, target, lambda d: _huber(d, delta), reduction, weight, "huber_loss",
                           weighted_mean_by_weights=False)
