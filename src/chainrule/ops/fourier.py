"""Discrete Fourier transforms: fft, ifft, rfft, irfft over any set of axes (primitives).

With ω = e^{−2πi/n}, the DFT along an axis of length n is X_k = α Σ_j x_j ω^{jk}, where the
scale α is 1, 1/√n or 1/n for ``norm`` = "backward", "ortho" or "forward" (the inverse
transform has ω̄ and the reciprocal scales). Over several axes these are products of 1-D
transforms. Every transform is linear, so its forward mode is the transform of the tangent;
its reverse mode is its transpose, again one transform (never a dense DFT matrix):

    fft, ifft   F is symmetric (F_jk = α ω^{jk} = F_kj), so x̄ = F ḡ: the same transform.
                (JAX's convention transposes without conjugating; a real x keeps Re x̄.)
    rfft        the first n//2 + 1 rows of F applied to a real x: x̄ = Re(Fᵀ [ḡ; 0]), which is
                    x̄ = irfft(conj(ḡ) · w, n)  in the dual norm (backward ↔ forward),
                w = 1 at frequency 0 and n/2, ½ elsewhere: irfft doubles the inner terms.
    irfft       x = Re(B y) with B the Hermitian extension followed by the inverse DFT; it reads
                the real part only at frequency 0 and n/2. ȳ = Bᵀ x̄, which is
                    ȳ = w′ · conj(rfft(x̄))  in the dual norm,  w′ = 1 at 0 and n/2, 2 elsewhere.

The rfft/irfft pair's rules are each other, so the four primitives are closed under
differentiation to any order. The transform lengths (NumPy's ``n``, ``s``) are not part of
the primitives: ``chainrule.numpy.fft`` crops or zero-pads the input first (``pad`` and
slicing, whose rules are their transposes), so a primitive transforms its input as it is.
"""

import numpy as np

from ..core import devices
from ..core.bind import bind
from ..core.tensor import array_of
from . import samples
from .declare import Math, batch_to_front, primitive
from .elementwise import conj

NORMS = ("backward", "ortho", "forward")
DUAL_NORM = {"backward": "forward", "ortho": "ortho", "forward": "backward"}
"""The norm of the transpose: the scale α moves from the forward to the inverse transform."""


def _along(weights, axis, ndim):
    """1-D ``weights`` shaped to broadcast along ``axis`` of an ``ndim``-dimensional array."""
    return weights.reshape([weights.size if k == axis else 1 for k in range(ndim)])


def half_spectrum_weights(n, inner, dtype, like=None):
    """Weights over the n//2 + 1 frequencies of a real signal of length n: 1 at frequency 0 and
    at n/2 (for even n), ``inner`` elsewhere — the frequencies that stand for a conjugate pair.
    Made on the host, then placed on the device of ``like`` (a value they will meet), if given."""
    w = np.full(n // 2 + 1, inner, dtype=dtype)
    w[0] = 1
    if n % 2 == 0:
        w[-1] = 1
    return w if like is None else devices.placed_like(w, array_of(like))


def _batched(transform, args, dims, params):
    """The batching rule of a transform over ``axes``: the batch axis moved to the front, the
    transformed axes shifted past it."""
    x = batch_to_front(args[0], dims[0])
    return bind(transform, x, **dict(params, axes=tuple(a + 1 for a in params["axes"]))), 0


_FFT_SAMPLES = samples.explicit(
    lambda rng: ((rng.normal(size=(3, 4)),), {"axes": (1,), "norm": "backward"}),
    lambda rng: ((rng.normal(size=(2, 3, 4)) + 1j * rng.normal(size=(2, 3, 4)),), {"axes": (0, 2), "norm": "ortho"}),
    lambda rng: ((rng.normal(size=(5,)) + 1j * rng.normal(size=(5,)),), {"axes": (0,), "norm": "forward"}))


# ------------------------------------------------------------------------- fft, ifft
def _as_complex(x):
    """A real input converted to complex first, in NumPy's result dtype: NumPy's complex transforms
    read a real input through the ufunc's casting buffers, about 4× slower than the conversion
    and a complex transform (measured: 256×256 float32 fft2, 1.8 ms against 0.4 ms)."""
    return x if x.dtype.kind == "c" else x.astype(np.result_type(x.dtype, 1j))


def _complex_transform(name, numpy_transform):
    """fft or ifft over ``axes``: linear, and its own transpose (the DFT matrix is symmetric)."""
    prim = primitive(
        name, lambda x, axes, norm: numpy_transform(_as_complex(x), axes=axes, norm=norm), linear="all",
        vjp=(lambda g, ans, x, axes, norm: bind(prim, g, axes=axes, norm=norm),),
        batch=lambda args, dims, params: _batched(prim, args, dims, params),
        math=Math(name + " {0}", tangent=(name + " {d}",), adjoint=(name + " {d}",)),
        samples=_FFT_SAMPLES)
    return prim


fft_p = _complex_transform("fft", np.fft.fftn)
ifft_p = _complex_transform("ifft", np.fft.ifftn)


def fft(x, axes, norm="backward"):
    """The DFT over ``axes`` (ints ≥ 0), X_k = α Σ_j x_j e^{−2πi jk/n}.   Its transpose is itself."""
    return bind(fft_p, x, axes=tuple(axes), norm=norm)


def ifft(x, axes, norm="backward"):
    """The inverse DFT over ``axes``, x_j = α′ Σ_k X_k e^{2πi jk/n}.   Its transpose is itself."""
    return bind(ifft_p, x, axes=tuple(axes), norm=norm)


# ----------------------------------------------------------------------- rfft, irfft
def _rfft_vjp(g, ans, x, axes, norm):
    """x̄ = Re(Fᵀ [ḡ; 0]) = irfft(conj(ḡ) · w) in the dual norm (module docstring)."""
    last, n = axes[-1], x.shape[axes[-1]]
    weights = _along(half_spectrum_weights(n, 0.5, np.finfo(g.dtype).dtype, g), last, g.ndim)
    return irfft(conj(g) * weights, axes, n, DUAL_NORM[norm])


def _irfft_vjp(g, ans, y, axes, n, norm):
    """ȳ = Bᵀ x̄ = w′ · conj(rfft(x̄)) in the dual norm (module docstring)."""
    weights = _along(half_spectrum_weights(n, 2.0, g.dtype, g), axes[-1], g.ndim)
    return conj(rfft(g, axes, DUAL_NORM[norm])) * weights


rfft_p = primitive(
    "rfft", lambda x, axes, norm: np.fft.rfftn(x, axes=axes, norm=norm), linear="all",
    vjp=(_rfft_vjp,),
    batch=lambda args, dims, params: _batched(rfft_p, args, dims, params),
    math=Math("rfft {0}", tangent=("rfft {d}",), adjoint=("irfft(conj({d}) · w) in the dual norm",)),
    samples=samples.explicit(
        lambda rng: ((rng.normal(size=(3, 4)),), {"axes": (1,), "norm": "backward"}),
        lambda rng: ((rng.normal(size=(3, 2, 5)),), {"axes": (2, 0), "norm": "ortho"})))

irfft_p = primitive(
    "irfft", lambda y, axes, n, norm: np.fft.irfftn(y, s=[y.shape[a] for a in axes[:-1]] + [n], axes=axes, norm=norm),
    linear="all",
    vjp=(_irfft_vjp,),
    batch=lambda args, dims, params: _batched(irfft_p, args, dims, params),
    math=Math("irfft {0}", tangent=("irfft {d}",), adjoint=("w′ · conj(rfft {d}) in the dual norm",)),
    samples=samples.explicit(
        lambda rng: ((rng.normal(size=(2, 3)) + 1j * rng.normal(size=(2, 3)),), {"axes": (1,), "n": 4, "norm": "backward"}),
        lambda rng: ((rng.normal(size=(3, 2, 3)) + 1j * rng.normal(size=(3, 2, 3)),),
                     {"axes": (0, 2), "n": 5, "norm": "forward"})))


def rfft(x, axes, norm="backward"):
    """The DFT of a real x over ``axes``, keeping the n//2 + 1 non-negative frequencies of the last axis."""
    return bind(rfft_p, x, axes=tuple(axes), norm=norm)


def irfft(y, axes, n, norm="backward"):
    """The real signal (length ``n`` along the last of ``axes``) whose rfft is y: y's last axis must
    have n//2 + 1 frequencies; the imaginary parts at frequency 0 and n/2 are not read."""
    return bind(irfft_p, y, axes=tuple(axes), n=int(n), norm=norm)
