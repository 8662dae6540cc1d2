"""Batch normalization layers ``BatchNorm1d`` and ``BatchNorm2d``, with running statistics."""

import numpy as np

from ..core.errors import ShapeError
from ..core.state import no_grad
from ..core.tensor import Tensor
from . import functional as F
from . import init
from .functional._args import _as_tensor
from .module import Module
from .parameter import empty_parameter, factory_dtype


class _BatchNorm(Module):
    """Shared state and forward pass of ``BatchNorm1d`` and ``BatchNorm2d``."""

    _input_dims = ()

    def __init__(self, num_features, eps=1e-5, momentum=0.1, affine=True, track_running_stats=True,
                 device=None, dtype=None):
        super().__init__()
        self.num_features = num_features
        self.eps = eps
        self.momentum = momentum
        self.affine = affine
        self.track_running_stats = track_running_stats
        if affine:
            self.weight = init.ones_(empty_parameter((num_features,), dtype, device))
            self.bias = init.zeros_(empty_parameter((num_features,), dtype, device))
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)
        if track_running_stats:
            float_dtype = factory_dtype(dtype, device)
            self.register_buffer("running_mean", Tensor(np.zeros(num_features, float_dtype)))
            self.register_buffer("running_var", Tensor(np.ones(num_features, float_dtype)))
            self.register_buffer("num_batches_tracked", Tensor(np.array(0, np.int64)))
        else:
            self.register_buffer("running_mean", None)
            self.register_buffer("running_var", None)
            self.register_buffer("num_batches_tracked", None)

    def reset_running_stats(self):
        """Running mean 0, running variance 1, no batches tracked."""
        if self.track_running_stats:
            init.zeros_(self.running_mean)
            init.ones_(self.running_var)
            with no_grad():
                self.num_batches_tracked.zero_()

    def forward(self, input):
        x = _as_tensor(input)
        if x.ndim not in self._input_dims:
            layouts = " or ".join(f"{d}-D" for d in self._input_dims)
            raise ShapeError(f"{type(self).__name__}: expected a {layouts} input, got shape {x.shape}")
        momentum = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats:
            with no_grad():
                self.num_batches_tracked.add_(1)
            if self.momentum is None:
                momentum = 1.0 / int(self.num_batches_tracked)
        use_batch_stats = self.training or self.running_mean is None
        track = not self.training or self.track_running_stats
        return F.batch_norm(x, self.running_mean if track else None, self.running_var if track else None,
                            self.weight, self.bias, use_batch_stats, momentum, self.eps)

    def extra_repr(self):
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}, "
                f"track_running_stats={self.track_running_stats}")


_DOC = """Batch normalization over {layout} inputs, as PyTorch's ``{name}``.

        y = (x − μ) / √(σ² + ε) · γ + β

    per channel (axis 1). In training mode μ, σ² are the batch's mean and biased
    variance over {axes}, and the running statistics (buffers ``running_mean``,
    ``running_var``, ``num_batches_tracked``, in ``state_dict`` as PyTorch) move by

        running ← (1 − momentum)·running + momentum·batch statistic

    with the *unbiased* batch variance for ``running_var`` (momentum=None: a cumulative
    average, factor 1/num_batches_tracked). In eval mode μ, σ² are the running
    statistics. γ = ``weight`` starts at 1, β = ``bias`` at 0.

    Parameters
    ----------
    num_features : int
        C, the number of channels.
    eps : float
    momentum : float or None
    affine : bool
        Learn γ and β.
    track_running_stats : bool
        Keep running statistics; without them batch statistics are used in eval too.
    device, dtype
        PyTorch's factory arguments; dtype defaults to ``cr.get_default_dtype()``.
    """


class BatchNorm1d(_BatchNorm):
    __doc__ = _DOC.format(layout="(N, C) or (N, C, L)", name="BatchNorm1d", axes="N (and L)")
    _input_dims = (2, 3)


class BatchNorm2d(_BatchNorm):
    __doc__ = _DOC.format(layout="(N, C, H, W)", name="BatchNorm2d", axes="N, H and W")
    _input_dims = (4,)
