"""``chainrule.scipy.special``: SciPy's special functions with SciPy's names and signatures, differentiable.

erf, erfc, erfinv, gammaln, digamma, polygamma(n, x) (n a fixed integer), xlogy, xlog1py and
entr are primitives (SciPy's implementations, imported on first use; see
``chainrule.ops.special``), each derivative again a function of the family, so every
order is available. expit, logit, logsumexp, softmax and log_softmax are compositions.
SciPy's own ufuncs called on tensors (``scipy.special.erf(t)``) run these versions.
"""

import numpy as np

from .. import ops
from ..numpy._adapt import operand


def erf(z):
    """The error function (2/√π) ∫₀ᶻ e^(−t²) dt.   d/dz erf z = (2/√π) e^(−z²)."""
    return ops.erf(operand(z))


def erfc(x):
    """1 − erf x, accurate for large x.   d/dx erfc x = −(2/√π) e^(−x²)."""
    return ops.erfc(operand(x))


def erfinv(y):
    """The inverse of erf on (−1, 1).   d/dy erf⁻¹ y = (√π/2) e^((erf⁻¹ y)²)."""
    return ops.erfinv(operand(y))


def gammaln(x):
    """ln |Γ(x)|.   d/dx = ψ(x)."""
    return ops.gammaln(operand(x))


def digamma(z):
    """ψ(z) = Γ′(z)/Γ(z).   d/dz ψ(z) = ψ′(z) = polygamma(1, z)."""
    return ops.digamma(operand(z))


psi = digamma


def polygamma(n, x):
    """ψ⁽ⁿ⁾(x), the n-th derivative of ψ, for a fixed integer n ≥ 0.   d/dx ψ⁽ⁿ⁾(x) = ψ⁽ⁿ⁺¹⁾(x).

    n is a constant of the function (as in SciPy it may be an array of integers only if all
    are equal here): it is not differentiated.
    """
    orders = np.unique(np.asarray(n.numpy() if hasattr(n, "numpy") else n))
    if orders.size != 1:
        raise ValueError("chainrule.scipy.special.polygamma: n must be one integer (each order is its own primitive)")
    return ops.polygamma(int(orders[0]), operand(x))


def xlogy(x, y):
    """x·ln y, 0 where x = 0.   ∂/∂x = ln y, ∂/∂y = x/y."""
    return ops.xlogy(operand(x), operand(y))


def xlog1py(x, y):
    """x·ln(1 + y), 0 where x = 0.   ∂/∂x = ln(1 + y), ∂/∂y = x/(1 + y)."""
    return ops.xlog1py(operand(x), operand(y))


def entr(x):
    """−x ln x for x > 0, 0 at 0, −∞ for x < 0.   d/dx = −(1 + ln x)."""
    return ops.entr(operand(x))


def expit(x):
    """The logistic sigmoid 1/(1 + e^−x).   d/dx = expit(x)(1 − expit(x))."""
    return ops.sigmoid(operand(x))


def logit(x):
    """ln(x/(1 − x)), the inverse of expit, for x in (0, 1).   d/dx = 1/(x(1 − x))."""
    p = operand(x)
    return ops.log(p) - ops.log1p(-p)


def logsumexp(a, axis=None, b=None, keepdims=False, return_sign=False):
    """ln Σ b·e^a over ``axis`` without overflow (b = 1 by default), as SciPy's ``logsumexp``.

    With ``return_sign`` it returns ``(ln |Σ b e^a|, sign of the sum)`` — weights may be
    negative then. ∂/∂a = b e^a / Σ b e^a (the softmax for b = 1).
    """
    x = operand(a)
    if b is None and not return_sign:
        return ops.logsumexp(x, axis=axis, keepdims=keepdims)
    weights = operand(1.0 if b is None else b)
    shift = ops.stop_gradient(ops.max(ops.where(ops.equal(weights, 0), -np.inf, x + ops.mul(weights, 0)), axis=axis,
                                      keepdims=True))
    shift = ops.where(ops.isfinite(shift), shift, 0)
    total = ops.sum(weights * ops.exp(x - shift), axis=axis, keepdims=True)
    sign = ops.sign(total)
    if not return_sign and (np.asarray(sign.detach().numpy()) < 0).any():
        raise ValueError("chainrule.scipy.special.logsumexp: the weighted sum is negative; pass return_sign=True")
    value = ops.log(ops.abs(total)) + shift
    if not keepdims:
        axes = tuple(range(x.ndim)) if axis is None else axis
        value, sign = ops.squeeze(value, axes), ops.squeeze(sign, axes)
    return (value, sign) if return_sign else value


def softmax(x, axis=None):
    """e^x / Σ e^x over ``axis`` (all elements by default, as SciPy).   ∂sᵢ/∂xⱼ = sᵢ(δᵢⱼ − sⱼ)."""
    x = operand(x)
    return ops.exp(x - ops.logsumexp(x, axis=axis, keepdims=True))


def log_softmax(x, axis=None):
    """x − ln Σ e^x over ``axis`` (all elements by default, as SciPy).   ∂/∂xⱼ = δᵢⱼ − softmax(x)ⱼ."""
    x = operand(x)
    return x - ops.logsumexp(x, axis=axis, keepdims=True)
