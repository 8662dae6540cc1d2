"""``linear``: the affine map y = x Wᵀ + b."""

from ... import ops
from ...core.errors import ShapeError
from ._args import _as_tensor


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
