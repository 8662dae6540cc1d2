"""``chainrule.numpy.fft``: NumPy's discrete Fourier transforms, differentiable, returning Tensors.

NumPy's names, signatures and defaults (2.x): ``n``/``s`` crop or zero-pad the input along
each transformed axis, ``axis``/``axes`` choose the axes, ``norm`` is "backward" (default),
"ortho" or "forward". Each transform is one primitive of ``chainrule.ops.fourier``, whose
reverse rule is again a single transform (the DFT matrix is symmetric; rfft and irfft are
each other's transposes up to weights), so a gradient costs what the forward call costs.
Cropping and padding are slicing and ``pad``, differentiated by their transposes.

Complex inputs follow JAX's convention in ``cr.grad`` and PyTorch's in ``.grad``.
"""

import numpy as np

from .. import ops
from ..core.errors import ShapeError
from ..ops import fourier
from ._adapt import operand, refuse_out

__all__ = ["fft", "ifft", "rfft", "irfft", "fft2", "ifft2", "rfft2", "irfft2", "fftn", "ifftn", "rfftn", "irfftn",
           "hfft", "ihfft", "fftshift", "ifftshift", "fftfreq", "rfftfreq"]


# ------------------------------------------------------------------ arguments as NumPy's
def _norm(name, norm):
    if norm is None:
        return "backward"
    if norm not in fourier.NORMS:
        raise ValueError(f"fft.{name}: invalid norm value {norm!r}; should be \"backward\", \"ortho\" or \"forward\"")
    return norm


def _axis(name, axis, ndim):
    if not -ndim <= axis < ndim:
        raise ShapeError(f"fft.{name}: axis {axis} is out of bounds for an array of dimension {ndim}")
    return int(axis) % ndim


def _axes_and_lengths(name, x, s, axes):
    """NumPy's rules for ``s`` and ``axes``: all axes by default, the last len(s) when only ``s`` is
    given; an entry −1 of ``s`` keeps the input's length."""
    if axes is None:
        axes = range(x.ndim) if s is None else range(x.ndim - len(s), x.ndim)
    axes = [_axis(name, a, x.ndim) for a in axes]
    if s is None:
        s = [x.shape[a] for a in axes]
    elif len(s) != len(axes):
        raise ValueError(f"fft.{name}: shape s={tuple(s)} and axes={tuple(axes)} must have the same length")
    s = [x.shape[a] if length == -1 else int(length) for a, length in zip(axes, s)]
    for length in s:
        if length < 1:
            raise ValueError(f"fft.{name}: invalid number of data points ({length}) specified")
    return axes, s


def _fit_length(x, axis, n):
    """x cropped or zero-padded at the end of ``axis`` to length n (NumPy's ``n``)."""
    length = x.shape[axis]
    if n < length:
        return x[(slice(None),) * axis + (slice(0, n),)]
    if n > length:  # joined with zeros (``pad``'s rules are declared for real values only)
        zeros = np.zeros(x.shape[:axis] + (n - length,) + x.shape[axis + 1:], dtype=x.dtype)
        return ops.concatenate([x, zeros], axis=axis)
    return x


def _fitted(x, axes, lengths):
    for axis, n in zip(axes, lengths):
        x = _fit_length(x, axis, n)
    return x


def _real_input(name, a):
    x = operand(a)
    if x.dtype.kind == "c":
        raise TypeError(f"fft.{name}: the input must be real (got {x.dtype}); use fft.fftn for complex input, or "
                        f"take the real part first")
    return x


# ------------------------------------------------------------------------- complex FFTs
def _complex_transform(transform, name, a, s, axes, norm, out):
    refuse_out(f"fft.{name}", out)
    x = operand(a)
    axes, lengths = _axes_and_lengths(name, x, s, axes)
    return transform(_fitted(x, axes, lengths), axes, _norm(name, norm))


def fft(a, n=None, axis=-1, norm=None, out=None):
    """The 1-D DFT X_k = α Σ_j x_j e^{−2πi jk/n} along ``axis``.   Reverse mode: the same transform (F = Fᵀ)."""
    return _complex_transform(fourier.fft, "fft", a, None if n is None else [n], [axis], norm, out)


def ifft(a, n=None, axis=-1, norm=None, out=None):
    """The 1-D inverse DFT x_j = α′ Σ_k X_k e^{2πi jk/n}.   Reverse mode: the same transform."""
    return _complex_transform(fourier.ifft, "ifft", a, None if n is None else [n], [axis], norm, out)


def fft2(a, s=None, axes=(-2, -1), norm=None, out=None):
    """The 2-D DFT over ``axes``."""
    return _complex_transform(fourier.fft, "fft2", a, s, axes, norm, out)


def ifft2(a, s=None, axes=(-2, -1), norm=None, out=None):
    """The 2-D inverse DFT over ``axes``."""
    return _complex_transform(fourier.ifft, "ifft2", a, s, axes, norm, out)


def fftn(a, s=None, axes=None, norm=None, out=None):
    """The N-D DFT over ``axes`` (all by default)."""
    return _complex_transform(fourier.fft, "fftn", a, s, axes, norm, out)


def ifftn(a, s=None, axes=None, norm=None, out=None):
    """The N-D inverse DFT over ``axes`` (all by default)."""
    return _complex_transform(fourier.ifft, "ifftn", a, s, axes, norm, out)


# ---------------------------------------------------------------------------- real FFTs
def rfftn(a, s=None, axes=None, norm=None, out=None):
    """The N-D DFT of a real input, keeping the n//2 + 1 non-negative frequencies of the last axis.

    Reverse mode: x̄ = irfftn(conj(ḡ) · w) in the dual norm, w = ½ on the frequencies that stand
    for a conjugate pair — one inverse real transform.
    """
    refuse_out("fft.rfftn", out)
    x = _real_input("rfftn", a)
    axes, lengths = _axes_and_lengths("rfftn", x, s, axes)
    if len(set(axes)) != len(axes):
        raise ValueError(f"fft.rfftn: repeated axes {tuple(axes)} are not supported by chainrule")
    return fourier.rfft(_fitted(x, axes, lengths), axes, _norm("rfftn", norm))


def irfftn(a, s=None, axes=None, norm=None, out=None):
    """The real N-D signal whose rfftn is ``a``; the last axis has length s[-1] (2·(m − 1) by default,
    m the input's length), the input cropped or zero-padded to s[-1]//2 + 1 frequencies.

    Reverse mode: ȳ = w′ · conj(rfftn(x̄)) in the dual norm, w′ = 2 on the frequencies that stand
    for a conjugate pair; the imaginary parts at frequency 0 and n/2 are not read (gradient 0).
    """
    refuse_out("fft.irfftn", out)
    y = operand(a)
    if axes is None and s is None:
        axes = range(y.ndim)
    if s is None:
        axes = [_axis("irfftn", ax, y.ndim) for ax in axes]
        s = [y.shape[ax] for ax in axes[:-1]] + [2 * (y.shape[axes[-1]] - 1)]
    axes, lengths = _axes_and_lengths("irfftn", y, s, axes)
    if len(set(axes)) != len(axes):
        raise ValueError(f"fft.irfftn: repeated axes {tuple(axes)} are not supported by chainrule")
    n = lengths[-1]
    y = _fitted(y, axes, lengths[:-1] + [n // 2 + 1])
    return fourier.irfft(y, axes, n, _norm("irfftn", norm))


def rfft(a, n=None, axis=-1, norm=None, out=None):
    """The 1-D DFT of a real input: the n//2 + 1 non-negative frequencies."""
    return rfftn(a, None if n is None else [n], [axis], norm, out)


def irfft(a, n=None, axis=-1, norm=None, out=None):
    """The real signal of length n (2·(m − 1) by default) whose rfft is ``a``."""
    return irfftn(a, None if n is None else [n], [axis], norm, out)


def rfft2(a, s=None, axes=(-2, -1), norm=None, out=None):
    """The 2-D DFT of a real input, half spectrum along the last of ``axes``."""
    return rfftn(a, s, axes, norm, out)


def irfft2(a, s=None, axes=(-2, -1), norm=None, out=None):
    """The inverse of rfft2."""
    return irfftn(a, s, axes, norm, out)


def hfft(a, n=None, axis=-1, norm=None, out=None):
    """The DFT of a Hermitian-symmetric signal given by its first half: a real spectrum of length n
    (2·(m − 1) by default) — NumPy's irfft(conj(a), n) in the dual norm."""
    refuse_out("fft.hfft", out)
    return irfft(ops.conj(operand(a)), n, axis, fourier.DUAL_NORM[_norm("hfft", norm)])


def ihfft(a, n=None, axis=-1, norm=None, out=None):
    """The inverse of hfft: conj(rfft(a, n)) in the dual norm, for a real input."""
    refuse_out("fft.ihfft", out)
    return ops.conj(rfft(a, n, axis, fourier.DUAL_NORM[_norm("ihfft", norm)]))


# -------------------------------------------------------------------------- shifts
def _shift(name, x, axes, direction):
    t = operand(x)
    axes = range(t.ndim) if axes is None else ([axes] if isinstance(axes, (int, np.integer)) else axes)
    for axis in axes:
        axis = _axis(name, axis, t.ndim)
        t = ops.roll(t, direction * (t.shape[axis] // 2), axis)
    return t


def fftshift(x, axes=None):
    """The zero frequency moved to the centre: a roll by n//2 along each of ``axes`` (all by default)."""
    return _shift("fftshift", x, axes, 1)


def ifftshift(x, axes=None):
    """The inverse of fftshift: a roll by −(n//2)."""
    return _shift("ifftshift", x, axes, -1)


# ---------------------------------------------------------------------- frequencies
def fftfreq(n, d=1.0, device=None):
    """The sample frequencies [0, 1, …, n/2 − 1, −n/2, …, −1] / (d·n) of an n-point DFT (d may be a tensor)."""
    if isinstance(d, (int, float)):
        return operand(np.fft.fftfreq(n, d))
    return operand(np.fft.fftfreq(n, 1.0) * n) / (operand(d) * n)


def rfftfreq(n, d=1.0, device=None):
    """The non-negative sample frequencies [0, 1, …, n//2] / (d·n) of an rfft (d may be a tensor)."""
    if isinstance(d, (int, float)):
        return operand(np.fft.rfftfreq(n, d))
    return operand(np.arange(n // 2 + 1, dtype=float)) / (operand(d) * n)

