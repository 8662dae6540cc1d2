"""One-dimensional correlation, the bilinear primitive behind NumPy's ``convolve`` and ``correlate``:

    y[k] = Σ_n x[n + k]·w[n]        k = 0 … len(x) − len(w)   (NumPy's "valid" mode, no conjugation)

Its adjoints are correlations again, so the one primitive is closed under differentiation:

    x̄ = ḡ convolved with w in full  = correlate(ḡ padded by len(w) − 1 zeros each side, w reversed)
    w̄ = correlate(x, ḡ)

It runs NumPy's direct convolution (a C loop), not a windowed matrix product.
"""

import numpy as np

from ..core.bind import bind
from ..core.errors import ShapeError
from . import samples
from .declare import Math, batch_by_loop, primitive, rebinding
from .shape import flip, pad


def _correlate_impl(x, w):
    return np.convolve(x, w[::-1], mode="valid")


def _per_example(prim, args, dims, params):
    """Each example's correlation in turn (the signals' lengths are what the op is about)."""
    return batch_by_loop(prim)(args, dims, params)


correlate_p = primitive(
    "correlate", _correlate_impl, multilinear="all",
    vjp=(lambda g, ans, x, w: correlate(pad(g, ((w.shape[0] - 1, w.shape[0] - 1),)), flip(w, 0)),
         lambda g, ans, x, w: correlate(x, g)),
    batch=rebinding(_per_example),
    math=Math("correlate({0}, {1})", tangent=("correlate({d}, {1})", "correlate({0}, {d})"),
              adjoint=("{d} convolved with {1}", "correlate({0}, {d})"), names=("x", "w")),
    samples=samples.explicit(
        lambda rng: ((rng.normal(size=(7,)), rng.normal(size=(3,))), {}),
        lambda rng: ((rng.normal(size=(4,)), rng.normal(size=(4,))), {}),
        lambda rng: ((rng.normal(size=(5,)) + 1j * rng.normal(size=(5,)), rng.normal(size=(2,))), {})))


def correlate(x, w):
    """y[k] = Σ_n x[n + k]·w[n] for the 1-D x and w, len(x) ≥ len(w) ≥ 1 (see the module docstring)."""
    if np.ndim(x) != 1 or np.ndim(w) != 1 or not np.shape(x)[0] >= np.shape(w)[0] >= 1:
        raise ShapeError(f"correlate: needs 1-D x and w with len(x) >= len(w) >= 1, got shapes {np.shape(x)} and "
                         f"{np.shape(w)}")
    return bind(correlate_p, x, w)
