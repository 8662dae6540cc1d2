"""Stateless neural-network functions, as PyTorch's ``torch.nn.functional``.

Each function takes Tensors (or arrays, or Python data) and returns a Tensor; all are
built from chainrule primitives, so they differentiate in every mode, to any order.
Layouts are PyTorch's: ``(N, C, L)`` and ``(N, C, H, W)`` inputs, ``(C_out, C_in, k…)``
convolution weights, ``(out, in)`` linear weights. Convolution is cross-correlation.
"""

import math
import warnings

import numpy as np

from .. import ops
from ..core.errors import OpIndexError, ShapeError
from ..core.state import no_grad
from ..core.tensor import Tensor
from ..core.errors import TracerError
from ..core.tracer import staging
from ..core.tensor import array_of
from ..ops import conv as conv_ops
from ..random import generator

_REDUCTIONS = ("mean", "sum", "none")


def _as_tensor(value):
    return value if isinstance(value, Tensor) else Tensor(value)


def _result(value):
    return value if isinstance(value, Tensor) else Tensor._wrap(np.asarray(value))


# ----------------------------------------------------------------------- activations
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


# ---------------------------------------------------------------------------- linear
def linear(input, weight, bias=None):
    """Affine map of the last axis, with PyTorch's ``(out, in)`` weight layout.

        y = x Wᵀ + b,    x̄ = ȳ W,   W̄ = ȳᵀ x,   b̄ = Σ_batch ȳ

    Parameters
    ----------
    input : Tensor, shape (..., in)
    weight : Tensor, shape (out, in)
    bias : Tensor, shape (out,), optional
    """
    x, w = _as_tensor(input), _as_tensor(weight)
    if w.ndim != 2:
        raise ShapeError(f"linear: weight must have shape (out_features, in_features), got {w.shape}")
    if x.ndim == 0 or x.shape[-1] != w.shape[1]:
        raise ShapeError(f"linear: input of shape {x.shape} does not fit weight of shape {w.shape} "
                         f"(the input's last axis must have {w.shape[1]} features)")
    y = ops.matmul(x, ops.transpose(w))
    return y if bias is None else y + bias


# ----------------------------------------------------------------------- convolution
def _ntuple(value, n, name, op, minimum=0):
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        out = (int(value),) * n
    else:
        try:
            out = tuple(int(v) for v in value)
        except TypeError:
            raise TypeError(f"{op}: {name} must be an int or a tuple of {n} ints, got {value!r}") from None
        if len(out) != n:
            raise ValueError(f"{op}: {name} must be an int or a tuple of {n} ints, got {value!r}")
    if any(v < minimum for v in out):
        raise ValueError(f"{op}: {name} must be at least {minimum}, got {value!r}")
    return out


def _padding_widths(padding, kernel_size, stride, dilation, op):
    """``((before, after), …)`` per spatial axis for an int, a tuple, ``"valid"`` or ``"same"``.

    ``"same"`` pads d·(k − 1) in total, the odd extra zero on the right/bottom (as PyTorch).
    """
    if isinstance(padding, str):
        if padding == "valid":
            return ((0, 0),) * len(kernel_size)
        if padding == "same":
            if any(s != 1 for s in stride):
                raise ValueError(f"{op}: padding='same' needs stride 1, got stride={stride}")
            totals = [d * (k - 1) for k, d in zip(kernel_size, dilation)]
            return tuple((t // 2, t - t // 2) for t in totals)
        raise ValueError(f"{op}: padding must be an int, a tuple, 'same' or 'valid', got {padding!r}")
    return tuple((p, p) for p in _ntuple(padding, len(kernel_size), "padding", op))


def _pad_spatial(x, widths, fill=0):
    if not any(a or b for a, b in widths):
        return x
    return ops.pad(x, ((0, 0), (0, 0)) + tuple(widths), constant_values=fill)


def _check_fits(x, kernel_size, dilation, op):
    for size, k, d in zip(x.shape[2:], kernel_size, dilation):
        if size < d * (k - 1) + 1:
            raise ShapeError(f"{op}: the (padded) input of spatial shape {x.shape[2:]} is smaller than the "
                             f"kernel {kernel_size} with dilation {dilation}")


def _batched(x, n, op):
    """``(x with a batch axis, whether one was added)`` for an (N, C, *S) or unbatched (C, *S) input."""
    if x.ndim == n + 2:
        return x, False
    if x.ndim == n + 1:
        return ops.expand_dims(x, 0), True
    layout = "(N, C, L)" if n == 1 else "(N, C, H, W)"
    raise ShapeError(f"{op}: expected a {layout} input (or one without the batch axis), got shape {x.shape}")


def _conv(input, weight, bias, stride, padding, dilation, groups, n, op):
    x, w = _as_tensor(input), _as_tensor(weight)
    if groups != 1:
        raise NotImplementedError(f"{op}: only groups=1 is supported, got groups={groups}")
    if w.ndim != n + 2:
        raise ShapeError(f"{op}: weight must have shape (out_channels, in_channels, {n} kernel sizes), got {w.shape}")
    x, unbatched = _batched(x, n, op)
    if x.shape[1] != w.shape[1]:
        raise ShapeError(f"{op}: input of shape {x.shape} has {x.shape[1]} channels but weight of shape "
                         f"{w.shape} expects {w.shape[1]}")
    kernel_size = w.shape[2:]
    stride = _ntuple(stride, n, "stride", op, minimum=1)
    dilation = _ntuple(dilation, n, "dilation", op, minimum=1)
    x = _pad_spatial(x, _padding_widths(padding, kernel_size, stride, dilation, op))
    _check_fits(x, kernel_size, dilation, op)
    y = conv_ops.conv(x, w, stride, dilation)
    if bias is not None:
        b = _as_tensor(bias)
        if b.shape != (w.shape[0],):
            raise ShapeError(f"{op}: bias must have shape ({w.shape[0]},), got {b.shape}")
        y = y + ops.reshape(b, (1, -1) + (1,) * n)
    return ops.squeeze(y, 0) if unbatched else y


def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """1-D cross-correlation, as PyTorch's ``conv1d``.

        y[n, o, i] = b[o] + Σ_c Σ_{t<k} x_pad[n, c, i·s + t·d] · w[o, c, t]

    The output has ⌊(L + 2p − d(k − 1) − 1)/s⌋ + 1 positions.

    Parameters
    ----------
    input : Tensor, shape (N, C_in, L) or (C_in, L); or shape (L,) with a 1-D weight
        A 1-D ``input`` with a 1-D ``weight`` is the single-channel case and gives a 1-D result.
    weight : Tensor, shape (C_out, C_in, k) or (k,)
    bias : Tensor, shape (C_out,), optional
    stride, dilation : int or tuple of one int
    padding : int, tuple of one int, ``"valid"`` or ``"same"``
        Zeros on both sides; ``"same"`` keeps the length (stride 1 only) and puts the
        extra zero of an even kernel on the right, as PyTorch.
    groups : int
        Only 1 is supported.

    Examples
    --------
    >>> F.conv1d(cr.tensor([1., 2., 3., 4.]), cr.tensor([1., -1.]))
    tensor([-1., -1., -1.])
    """
    x, w = _as_tensor(input), _as_tensor(weight)
    if x.ndim == 1 and w.ndim == 1:
        b = None if bias is None else ops.reshape(_as_tensor(bias), (1,))
        y = _conv(ops.reshape(x, (1, 1, -1)), ops.reshape(w, (1, 1, -1)), b, stride, padding, dilation, groups, 1,
                  "conv1d")
        return ops.reshape(y, (-1,))
    return _conv(x, w, bias, stride, padding, dilation, groups, 1, "conv1d")


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """2-D cross-correlation, as PyTorch's ``conv2d``.

        y[n, o, i, j] = b[o] + Σ_{c,u,v} x_pad[n, c, i·s_h + u·d_h, j·s_w + v·d_w] · w[o, c, u, v]

    VJP: x̄ is the transposed convolution of ȳ with w (cropped back through the padding),
    w̄ the correlation of x with ȳ, b̄ = Σ_{n,i,j} ȳ.

    Parameters
    ----------
    input : Tensor, shape (N, C_in, H, W) or (C_in, H, W)
    weight : Tensor, shape (C_out, C_in, kH, kW)
    bias : Tensor, shape (C_out,), optional
    stride, dilation : int or (int, int)
    padding : int, (int, int), ``"valid"`` or ``"same"``
        ``"same"`` needs stride 1 and pads an even kernel's extra zero at the right/bottom.
    groups : int
        Only 1 is supported.
    """
    return _conv(input, weight, bias, stride, padding, dilation, groups, 2, "conv2d")


# --------------------------------------------------------------------------- pooling
def _pool_setup(input, kernel_size, stride, padding, dilation, n, op):
    x, unbatched = _batched(_as_tensor(input), n, op)
    kernel_size = _ntuple(kernel_size, n, "kernel_size", op, minimum=1)
    stride = kernel_size if stride is None or stride == () or stride == [] else _ntuple(stride, n, "stride", op, 1)
    padding = _ntuple(padding, n, "padding", op)
    dilation = _ntuple(dilation, n, "dilation", op, minimum=1)
    for p, k, d in zip(padding, kernel_size, dilation):
        if 2 * p > d * (k - 1) + 1:
            raise ValueError(f"{op}: padding should be at most half of the (dilated) kernel size, "
                             f"got padding={padding} for kernel_size={kernel_size}")
    return x, unbatched, kernel_size, stride, tuple((p, p) for p in padding), dilation


def _max_pool(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, n, op):
    if ceil_mode or return_indices:
        raise NotImplementedError(f"{op}: ceil_mode=True and return_indices=True are not supported")
    x, unbatched, kernel_size, stride, widths, dilation = _pool_setup(input, kernel_size, stride, padding,
                                                                       dilation, n, op)
    lowest = np.finfo(x.dtype).min if x.dtype.kind == "f" else np.iinfo(x.dtype).min
    x = _pad_spatial(x, widths, fill=lowest)
    _check_fits(x, kernel_size, dilation, op)
    y = conv_ops.max_pool(x, kernel_size, stride, dilation)
    return ops.squeeze(y, 0) if unbatched else y


def max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """1-D max pooling over (N, C, L) or (C, L), as PyTorch's ``max_pool1d``.

        y[n, c, i] = max_{t<k} x_pad[n, c, i·s + t·d]

    ``stride`` defaults to ``kernel_size``; padding is the dtype's lowest finite value (never
    selected, and no inf for ``detect_anomaly`` to flag). The gradient goes to the
    argmax of each window; among tied maxima, to the first (leftmost) one.
    """
    return _max_pool(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, 1, "max_pool1d")


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """2-D max pooling over (N, C, H, W) or (C, H, W), as PyTorch's ``max_pool2d``.

        y[n, c, i, j] = max_{u,v} x_pad[n, c, i·s_h + u·d_h, j·s_w + v·d_w]

    ``stride`` defaults to ``kernel_size``; padding is the dtype's lowest finite value (never
    selected, and no inf for ``detect_anomaly`` to flag). The gradient goes to the
    argmax of each window; among tied maxima, to the first in row-major order.
    """
    return _max_pool(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, 2, "max_pool2d")


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
               divisor_override=None):
    """2-D average pooling over (N, C, H, W) or (C, H, W), as PyTorch's ``avg_pool2d``.

        y[n, c, i, j] = (1 / (k_h·k_w)) Σ_{u,v} x_pad[n, c, i·s_h + u, j·s_w + v]

    ``stride`` defaults to ``kernel_size``; padding is zeros. With
    ``count_include_pad=False`` each window is divided by the number of its elements
    inside the input instead; ``divisor_override`` replaces the divisor altogether.
    Linear: x̄ spreads each ȳ evenly over its window.
    """
    if ceil_mode:
        raise NotImplementedError("avg_pool2d: ceil_mode=True is not supported")
    x, unbatched, kernel_size, stride, widths, _ = _pool_setup(input, kernel_size, stride, padding, 1, 2,
                                                                "avg_pool2d")
    inner = x.shape[2:]
    x = _pad_spatial(x, widths)
    _check_fits(x, kernel_size, (1, 1), "avg_pool2d")
    y = conv_ops.avg_pool(x, kernel_size, stride)
    if divisor_override is not None:
        y = y * (math.prod(kernel_size) / divisor_override)
    elif not count_include_pad and any(a for a, _ in widths):
        inside = _pad_spatial(np.ones((1, 1) + inner, y.dtype), widths)
        y = y / conv_ops.avg_pool(inside, kernel_size, stride)
    return ops.squeeze(y, 0) if unbatched else y


# --------------------------------------------------------------------------- dropout
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
    return x * (keep.astype(x.dtype) * scale)


# ------------------------------------------------------------------------ batch norm
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


# --------------------------------------------------------------------------- softmax
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


# ---------------------------------------------------------------------------- losses
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
    labels = np.asarray(array_of(target))  # concrete values, for the checks only
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
    class_weight = np.ones(classes) if weight is None else np.asarray(array_of(weight), np.float64)
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
    if np.shape(array_of(target)) != x.shape:
        warnings.warn(f"mse_loss: target shape {np.shape(array_of(target))} differs from input shape {x.shape}; "
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
    labels = np.asarray(array_of(y))
    if labels.size and not np.isin(labels, (-1, 1)).all():
        raise ValueError(f"logistic_loss: labels must be -1 or +1, got values {np.unique(labels)[:5]}; "
                         f"map 0/1 labels with y = 2 * y - 1")
    if labels.shape != scores.shape:
        if tuple(s for s in labels.shape if s != 1) != tuple(s for s in scores.shape if s != 1):
            raise ShapeError(f"logistic_loss: labels of shape {labels.shape} do not fit scores of shape {scores.shape}")
        y = ops.reshape(y, scores.shape) if isinstance(y, Tensor) else labels.reshape(scores.shape)
    y = ops.astype(y, scores.dtype) if isinstance(y, Tensor) else np.asarray(y).astype(scores.dtype)
    return _reduce(ops.softplus(-(y * scores)), reduction, "logistic_loss")


# -------------------------------------------------------------------------- toeplitz
def toeplitz(kernel, n, padding=0):
    """The banded Toeplitz matrix W of 1-D cross-correlation: ``W @ x == conv1d(x, kernel, padding=padding)``.

    For a kernel of length k and padding p (before and after), W has shape
    (n + 2p − k + 1, n) and entries

        W[i, j] = kernel[j − i + p]   if 0 ≤ j − i + p < k,   else 0

    so row i holds the kernel shifted i places right (the lecture's W1, W2).
    ``padding="same"`` gives an n×n matrix (an even kernel's extra zero on the right).
    W is built by scattering kernel entries into a zero matrix, so it is differentiable
    in the kernel: ∂L/∂kernel[t] = Σ_{j − i + p = t} ∂L/∂W[i, j].

    Parameters
    ----------
    kernel : Tensor, shape (k,)
    n : int
        Length of the input x.
    padding : int, ``"valid"`` or ``"same"``

    Examples
    --------
    >>> F.toeplitz(cr.tensor([1., 2.]), 3).numpy()
    array([[1., 2., 0.],
           [0., 1., 2.]], dtype=float32)
    """
    kernel = _as_tensor(kernel)
    if kernel.ndim != 1 or kernel.shape[0] == 0:
        raise ShapeError(f"toeplitz: kernel must be 1-D and non-empty, got shape {kernel.shape}")
    k = kernel.shape[0]
    (before, after), = _padding_widths(padding, (k,), (1,), (1,), "toeplitz")
    rows = n + before + after - k + 1
    if n < 1 or rows < 1:
        raise ShapeError(f"toeplitz: an input of length {n} with padding {padding!r} is shorter than the kernel ({k})")
    tap = np.arange(n)[None, :] - np.arange(rows)[:, None] + before
    i, j = np.nonzero((tap >= 0) & (tap < k))
    return _result(ops.scatter_add(ops.getitem(kernel, tap[i, j]), (rows, n), (i, j)))
