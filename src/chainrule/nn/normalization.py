"""Per-sample normalization layers ``LayerNorm`` and ``GroupNorm`` (no running statistics)."""

from . import functional as F
from . import init
from .module import Module
from .parameter import empty_parameter


def _affine_parameters(module, shape, affine, bias, dtype, device):
    """Register γ = ``weight`` (ones) and β = ``bias`` (zeros) of ``shape``, or None where switched off."""
    module.register_parameter("weight", init.ones_(empty_parameter(shape, dtype, device)) if affine else None)
    module.register_parameter("bias", init.zeros_(empty_parameter(shape, dtype, device)) if affine and bias else None)


class LayerNorm(Module):
    """Layer normalization over the last axes, as PyTorch's ``LayerNorm``.

        y = (x − μ)/√(σ² + ε) · γ + β

    with μ, σ² the mean and biased variance of each sample over its last axes, which
    must have shape ``normalized_shape``. γ = ``weight`` (ones) and β = ``bias`` (zeros)
    have that shape; the same statistics are used in training and evaluation.

    Parameters
    ----------
    normalized_shape : int or tuple of ints
    eps : float
    elementwise_affine : bool
        Learn γ (and β, unless ``bias=False``).
    bias : bool
    device, dtype
        PyTorch's factory arguments; dtype defaults to ``cr.get_default_dtype()``.
    """

    def __init__(self, normalized_shape, eps=1e-5, elementwise_affine=True, bias=True, device=None, dtype=None):
        super().__init__()
        shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
        self.normalized_shape = shape
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        _affine_parameters(self, shape, elementwise_affine, bias, dtype, device)

    def forward(self, input):
        return F.layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self):
        return f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}"


class GroupNorm(Module):
    """Group normalization, as PyTorch's ``GroupNorm``.

        y[n, c, …] = (x[n, c, …] − μ[n, g])/√(σ²[n, g] + ε) · γ[c] + β[c]

    over (N, C, *S) inputs whose C channels form ``num_groups`` groups of consecutive
    channels; μ, σ² are each sample's group mean and biased variance. γ = ``weight``
    (ones) and β = ``bias`` (zeros) have shape (C,).

    Parameters
    ----------
    num_groups : int
    num_channels : int
        C, divisible by num_groups.
    eps : float
    affine : bool
    device, dtype
        PyTorch's factory arguments.
    bias : bool, keyword-only
        Learn β (with ``affine``).
    """

    def __init__(self, num_groups, num_channels, eps=1e-5, affine=True, device=None, dtype=None, *, bias=True):
        super().__init__()
        if num_channels % num_groups:
            raise ValueError(f"GroupNorm: num_channels ({num_channels}) must be divisible by num_groups ({num_groups})")
        self.num_groups = num_groups
        self.num_channels = num_channels
        self.eps = eps
        self.affine = affine
        _affine_parameters(self, (num_channels,), affine, bias, dtype, device)

    def forward(self, input):
        return F.group_norm(input, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self):
        return f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}"
