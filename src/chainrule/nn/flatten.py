"""``Flatten``: merge a range of axes into one (by default all but the batch axis)."""

from .. import ops
from .functional._args import _as_tensor
from .module import Module


class Flatten(Module):
    """Reshape (N, d1, …, dk) to (N, d1·…·dk) — generally, merge axes start_dim..end_dim.

    Linear; the VJP reshapes the cotangent back.
    """

    def __init__(self, start_dim=1, end_dim=-1):
        super().__init__()
        self.start_dim = start_dim
        self.end_dim = end_dim

    def forward(self, input):
        x = _as_tensor(input)
        shape = x.shape
        start, end = self.start_dim % max(x.ndim, 1), self.end_dim % max(x.ndim, 1)
        if start > end:
            raise ValueError(f"Flatten: start_dim {self.start_dim} comes after end_dim {self.end_dim} "
                             f"for an input of shape {shape}")
        return ops.reshape(x, shape[:start] + (-1,) + shape[end + 1:])

    def extra_repr(self):
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"
