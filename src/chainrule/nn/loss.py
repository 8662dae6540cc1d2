"""Loss layers with PyTorch's constructors: ``MSELoss``, ``L1Loss``, ``SmoothL1Loss``, ``HuberLoss``,
``NLLLoss``, ``CrossEntropyLoss``, ``BCELoss``, ``BCEWithLogitsLoss``.

Each is called as ``loss_fn(input, target)`` and computes the ``cr.nn.functional`` loss of the
same name (the math is in those docstrings). Class weights and ``pos_weight`` are buffers,
so they appear in ``state_dict`` under PyTorch's keys ("weight", "pos_weight").
"""

import numpy as np

from ..core.tensor import Tensor
from . import functional as F
from .functional.loss import _reduction
from .module import Module


class _Loss(Module):
    """The ``reduction`` setting shared by every loss (and PyTorch's deprecated ``size_average``/``reduce``)."""

    def __init__(self, size_average=None, reduce=None, reduction="mean"):
        super().__init__()
        self.reduction = _reduction(size_average, reduce, reduction, type(self).__name__)

    def extra_repr(self):
        return "" if self.reduction == "mean" else f"reduction={self.reduction!r}"


class _WeightedLoss(_Loss):
    """A loss with an optional per-class ``weight`` buffer."""

    def __init__(self, weight=None, size_average=None, reduce=None, reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", _buffer(weight))


def _buffer(value):
    if value is None or isinstance(value, Tensor):
        return value
    return Tensor(np.asarray(value))


class MSELoss(_Loss):
    """Mean squared error: ℓ_i = (x_i − t_i)², reduced by ``reduction``. See ``F.mse_loss``."""

    def forward(self, input, target):
        return F.mse_loss(input, target, reduction=self.reduction)


class L1Loss(_Loss):
    """Mean absolute error: ℓ_i = |x_i − t_i|. See ``F.l1_loss``."""

    def forward(self, input, target):
        return F.l1_loss(input, target, reduction=self.reduction)


class SmoothL1Loss(_Loss):
    """ℓ_i = 0.5·d_i²/β if |d_i| < β else |d_i| − 0.5·β, d = x − t. See ``F.smooth_l1_loss``."""

    def __init__(self, size_average=None, reduce=None, reduction="mean", beta=1.0):
        super().__init__(size_average, reduce, reduction)
        self.beta = beta

    def forward(self, input, target):
        return F.smooth_l1_loss(input, target, reduction=self.reduction, beta=self.beta)


class HuberLoss(_Loss):
    """ℓ_i = 0.5·d_i² if |d_i| < δ else δ·(|d_i| − 0.5·δ), d = x − t. See ``F.huber_loss``."""

    def __init__(self, reduction="mean", delta=1.0):
        super().__init__(reduction=reduction)
        self.delta = delta

    def forward(self, input, target):
        return F.huber_loss(input, target, reduction=self.reduction, delta=self.delta)


class NLLLoss(_WeightedLoss):
    """Negative log-likelihood of log-probabilities: ℓ_n = −w[y_n]·x[n, y_n], mean Σℓ/Σw[y_n].
    See ``F.nll_loss``."""

    def __init__(self, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean"):
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index

    def forward(self, input, target):
        return F.nll_loss(input, target, weight=self.weight, ignore_index=self.ignore_index, reduction=self.reduction)


class CrossEntropyLoss(_WeightedLoss):
    """Cross-entropy of logits against class indices or class probabilities, with class ``weight``,
    ``ignore_index`` and ``label_smoothing`` as PyTorch's (the weighted mean divides by the sum of
    the weights of the targets that are not ignored). See ``F.cross_entropy``.

    Examples
    --------
    >>> loss_fn = cr.nn.CrossEntropyLoss(label_smoothing=0.1)
    >>> loss_fn(cr.tensor([[2.0, 0.0]]), np.array([0])).item()
    0.2269...
    """

    def __init__(self, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean",
                 label_smoothing=0.0):
        super().__init__(weight, size_average, reduce, reduction)
        if not 0.0 <= label_smoothing <= 1.0:
            raise ValueError(f"CrossEntropyLoss: label_smoothing must be between 0.0 and 1.0, got {label_smoothing}")
        self.ignore_index = ignore_index
        self.label_smoothing = label_smoothing

    def forward(self, input, target):
        return F.cross_entropy(input, target, weight=self.weight, ignore_index=self.ignore_index,
                               reduction=self.reduction, label_smoothing=self.label_smoothing)


class BCELoss(_WeightedLoss):
    """Binary cross-entropy of probabilities: ℓ_i = −w_i(y_i log x_i + (1 − y_i) log(1 − x_i)), logs
    clamped at −100. See ``F.binary_cross_entropy``."""

    def forward(self, input, target):
        return F.binary_cross_entropy(input, target, weight=self.weight, reduction=self.reduction)


class BCEWithLogitsLoss(_Loss):
    """Binary cross-entropy of logits, stably: ℓ_i = w_i((1 − y_i)x_i + (1 + (p − 1)y_i)·softplus(−x_i)).
    ``weight`` and ``pos_weight`` (p) are buffers. See ``F.binary_cross_entropy_with_logits``."""

    def __init__(self, weight=None, size_average=None, reduce=None, reduction="mean", pos_weight=None):
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", _buffer(weight))
        self.register_buffer("pos_weight", _buffer(pos_weight))

    def forward(self, input, target):
        return F.binary_cross_entropy_with_logits(input, target, weight=self.weight, reduction=self.reduction,
                                                  pos_weight=self.pos_weight)
