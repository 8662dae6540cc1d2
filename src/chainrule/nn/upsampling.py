"""``Upsample``: resampling of the spatial axes as a layer (``F.interpolate``)."""

from . import functional as F
from .module import Module


class Upsample(Module):
    """Resample (N, C, *S) inputs to ``size`` or by ``scale_factor``, as PyTorch's ``Upsample``.

    Modes "nearest", "nearest-exact", "linear", "bilinear", "trilinear" and "area", with
    PyTorch's source-index rules and ``align_corners``; see ``F.interpolate`` for the math.

    Examples
    --------
    >>> cr.nn.Upsample(scale_factor=2, mode="bilinear")(cr.ones(1, 3, 4, 4)).shape
    (1, 3, 8, 8)
    """

    def __init__(self, size=None, scale_factor=None, mode="nearest", align_corners=None,
                 recompute_scale_factor=None):
        super().__init__()
        self.size = size
        if isinstance(scale_factor, (tuple, list)):
            self.scale_factor = tuple(float(s) for s in scale_factor)
        else:
            self.scale_factor = float(scale_factor) if scale_factor else None
        self.mode = mode
        self.align_corners = align_corners
        self.recompute_scale_factor = recompute_scale_factor

    def forward(self, input):
        return F.interpolate(input, self.size, self.scale_factor, self.mode, self.align_corners,
                             recompute_scale_factor=self.recompute_scale_factor)

    def extra_repr(self):
        what = f"scale_factor={self.scale_factor!r}" if self.scale_factor is not None else f"size={self.size!r}"
        return f"{what}, mode={self.mode!r}"
