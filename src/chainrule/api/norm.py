"""``norm``: PyTorch's vector p-norms of a tensor, over all elements or over ``dim``.

    ‖x‖_p = (Σ |x_i|^p)^(1/p),   ‖x‖_∞ = max |x_i|,   ‖x‖_−∞ = min |x_i|,   ‖x‖_0 = #{x_i ≠ 0}

``p="fro"`` (the default) is the 2-norm of the chosen elements, which for a matrix is the
Frobenius norm. The gradient is ∂‖x‖_p/∂x_i = sign(x_i)·|x_i|^(p−1) / ‖x‖_p^(p−1)
(x_i/‖x‖₂ for p = 2); where it is 0/0 — at x = 0, and at the zero entries when p < 1 —
it is taken as 0, as PyTorch does, instead of NaN.
"""

import math

from .. import ops
from ..core.errors import OpTypeError


def _root(total, p):
    """total^(1/p), with the derivative at total = 0 taken as 0 (the double ``where`` keeps NaN out of it)."""
    is_zero = ops.equal(total, 0)
    safe = ops.where(is_zero, 1, total)
    return ops.where(is_zero, 0, ops.sqrt(safe) if p == 2 else ops.power(safe, 1.0 / p))


def norm(input, p="fro", dim=None, keepdim=False, dtype=None):  # noqa: A002 (PyTorch's argument names)
    """The p-norm of ``input``'s elements (all of them, or along ``dim``; see the module docstring).

    Parameters
    ----------
    input : Tensor
        A floating or complex tensor.
    p : {"fro", number, inf, -inf}
        "fro" and 2 give the 2-norm; ``"nuc"`` (the nuclear norm) needs a singular value
        decomposition and is not available here.
    dim : int or tuple of int, optional
        The axes to reduce (all by default).
    keepdim : bool
        Keep the reduced axes with length 1.
    dtype : dtype, optional
        Cast ``input`` to this dtype first.

    Examples
    --------
    >>> cr.tensor([3.0, 4.0]).norm()
    tensor(5.)
    """
    if dtype is not None:
        input = ops.astype(input, dtype)
    if input.dtype.kind not in "fc":
        raise OpTypeError(f"norm: expected a floating or complex tensor, got {input.dtype}; cast it first "
                          f"(x.float())")
    if p == "fro":
        p = 2
    if isinstance(p, str) or isinstance(p, bool) or not isinstance(p, (int, float)):
        hint = " (the nuclear norm needs an SVD, which is not available here)" if p == "nuc" else ""
        raise ValueError(f"norm: p must be 'fro' or a number, got {p!r}{hint}")
    axes = {"dim": tuple(dim) if isinstance(dim, list) else dim, "keepdim": keepdim}
    if p == 0:
        return ops.astype(ops.sum(ops.not_equal(input, 0), **axes), input.dtype)
    if p == 2 and input.dtype.kind == "f":  # x·x, not |x|·|x|: exact second derivatives at x = 0 too
        return _root(ops.sum(ops.mul(input, input), **axes), 2)
    magnitude = ops.abs(input)
    if math.isinf(p):
        return ops.max(magnitude, **axes) if p > 0 else ops.min(magnitude, **axes)
    if p == 2:
        return _root(ops.sum(ops.mul(magnitude, magnitude), **axes), 2)
    if p == 1:
        return ops.sum(magnitude, **axes)
    is_zero = ops.equal(magnitude, 0)
    powers = ops.where(is_zero, 0, ops.power(ops.where(is_zero, 1, magnitude), p))
    return _root(ops.sum(powers, **axes), p)
