"""Convolution and pooling primitives, for any number of spatial axes (1-D and 2-D in ``nn``).

Layouts are PyTorch's: inputs ``(N, C, *S)``, weights ``(O, C, *K)``. Padding is not
part of these primitives — ``nn.functional`` pads with the ``pad`` primitive first —
so every op here reads, per spatial axis, the input position

    q = p·s + k·d        (output position p, kernel tap k, stride s, dilation d),

and an output has P = ⌊(S − d·(K − 1) − 1) / s⌋ + 1 positions along an axis of length S.

Convolution (cross-correlation, as in every deep-learning library) comes as three
bilinear primitives, each the adjoint of another in one argument, so the set is
closed under differentiation to any order:

    conv                 y[n,o,p] = Σ_{c,k} x[n,c,p·s+k·d] · w[o,c,k]
    conv_transpose       x̄[n,c,q] = Σ_{o,p,k : p·s+k·d=q} g[n,o,p] · w[o,c,k]   (conv's adjoint in x)
    conv_weight_adjoint  w̄[o,c,k] = Σ_{n,p} x[n,c,p·s+k·d] · g[n,o,p]           (conv's adjoint in w)

Pooling works on each channel separately:

    avg_pool             y[n,c,p] = (1/|K|) Σ_k x[n,c,p·s+k]               (linear)
    avg_pool_transpose   its adjoint: each g[n,c,p] spread evenly over its window
    max_pool_argmax      k*[n,c,p] = argmax_k x[n,c,p·s+k·d]                (integers, no gradient)
    max_pool_gather      v[n,c,p·s+k*·d]: v read at each window's chosen tap
    max_pool_scatter     g[n,c,p] added at x-position p·s+k*·d (zeros elsewhere)

    max_pool(x) = max_pool_gather(x, max_pool_argmax(x))

Max pooling sends the whole gradient to the window's argmax. **Tie rule:** among
equal maxima the first tap in row-major window order wins (as ``np.argmax`` and
PyTorch's CPU kernel). The argmax is computed once, in the forward pass, and the
backward pass reuses it; gather and scatter are linear in their first argument and
each other's VJP.

Implementations are vectorized: each convolution is one matrix product with the im2col
matrix in channels-first layout (C·|K|, N·|P|), which is built, and for ``conv_transpose``
scattered back, one kernel tap at a time; the pools loop over kernel taps too (a few
iterations), each a strided slice of the whole batch — never over pixels or batch items.
"""

import math

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ..core import devices
from ..core.bind import bind
from . import pool_kernels, samples
from .shape import broadcast_to, reshape
from .declare import Math, batch_by_loop, batch_to_front, nondifferentiable, primitive, rebinding


# ------------------------------------------------------------------------ geometry
def output_size(size, kernel_size, stride, dilation):
    """Output positions per spatial axis: ⌊(S − d·(K − 1) − 1)/s⌋ + 1."""
    return tuple((s - d * (k - 1) - 1) // st + 1 for s, k, st, d in zip(size, kernel_size, stride, dilation))


def _windows(x, kernel_size, stride, dilation):
    """A read-only strided view of shape (N, C, *P, *K) with [n, c, p, k] = x[n, c, p·s + k·d]."""
    spatial = tuple(range(2, 2 + len(kernel_size)))
    span = tuple(d * (k - 1) + 1 for k, d in zip(kernel_size, dilation))
    view = sliding_window_view(x, span, axis=spatial)
    return view[(slice(None), slice(None)) + tuple(slice(None, None, s) for s in stride)
                + tuple(slice(None, None, d) for d in dilation)]


def _tap(tap, stride, dilation, positions):
    """Index of the input positions p·s + k·d (all p) that kernel tap k reads, on a (N, C, *S) array."""
    return (slice(None), slice(None)) + tuple(slice(k * d, k * d + s * (p - 1) + 1, s)
                                              for k, s, d, p in zip(tap, stride, dilation, positions))


def _taps(kernel_size):
    return list(np.ndindex(*kernel_size))


# ------------------------------------------------------------------------ batching
def _fold_batch(positions):
    """Batching by folding the batch axis into the sample axis N of the arguments at ``positions``
    (inputs, cotangents, argmax indices: (B, N, …) -> (B·N, …)), when the other arguments (the
    weights) have no batch axis; a batch of weights runs in a loop over the examples."""
    def rule(prim, args, dims, params):
        if any(d is not None for k, d in enumerate(dims) if k not in positions):
            return batch_by_loop(prim)(args, dims, params)
        size = next(a.shape[d] for a, d in zip(args, dims) if d is not None)
        folded = list(args)
        for k in positions:
            a = batch_to_front(args[k], dims[k]) if dims[k] is not None else \
                broadcast_to(reshape(args[k], (1,) + tuple(args[k].shape)), (size,) + tuple(args[k].shape))
            folded[k] = reshape(a, (a.shape[0] * a.shape[1],) + tuple(a.shape[2:]))
        out = bind(prim, *folded, **params)
        return reshape(out, (size, out.shape[0] // size) + tuple(out.shape[1:])), 0
    return rebinding(rule)


def _per_example(prim, args, dims, params):
    """The weight adjoint sums over the samples N, so a batch cannot be folded into them: each
    example's weight gradient is its own (per-example gradients), computed one at a time."""
    return batch_by_loop(prim)(args, dims, params)


# ------------------------------------------------------------------- convolution
def _columns(x, kernel_size, stride, dilation, positions):
    """The im2col matrix of x, channels first: shape (C·|K|, N·|P|), row (c, k), column (n, p)
    holding x[n, c, p·s + k·d]. Filled one kernel tap at a time, each a strided slice of the
    whole batch copied into a contiguous block (runs along the last spatial axis), so that
    every convolution below is one matrix product (Caffe's layout; measured on LeNet's and the
    seed CNN's layers it is 1.3–5× faster than NumPy's copy of the 6-D window view)."""
    cols = np.empty(x.shape[1:2] + tuple(kernel_size) + x.shape[:1] + tuple(positions), x.dtype,
                    like=devices.like(x))
    channels_first = x.swapaxes(0, 1)
    for tap in _taps(kernel_size):
        cols[(slice(None),) + tap] = channels_first[_tap(tap, stride, dilation, positions)]
    return cols.reshape(math.prod(cols.shape[:1 + len(kernel_size)]), -1)


def _rows(g):
    """A cotangent (N, O, *P) as the matrix (O, N·|P|) that multiplies the columns."""
    return devices.contiguous(g.swapaxes(0, 1)).reshape(g.shape[1], -1)


def _batch_first(y, out_channels, batch, positions):
    """A product (O, N·|P|) back in the layout (N, O, *P), contiguous."""
    return y.reshape((out_channels, batch) + tuple(positions)).swapaxes(0, 1)


def _conv_impl(x, w, stride, dilation):
    positions = output_size(x.shape[2:], w.shape[2:], stride, dilation)
    y = w.reshape(w.shape[0], -1) @ _columns(x, w.shape[2:], stride, dilation, positions)
    return _batch_first(y, w.shape[0], x.shape[0], positions)


def _conv_transpose_impl(g, w, stride, dilation, size):
    positions = g.shape[2:]
    # the columns' cotangent (C, *K, N, *P), then col2im: each tap's block added where it was read
    parts = (w.reshape(w.shape[0], -1).T @ _rows(g)).reshape(w.shape[1:] + g.shape[:1] + positions)
    out = np.zeros(w.shape[1:2] + g.shape[:1] + tuple(size), parts.dtype, like=devices.like(parts))
    for tap in _taps(w.shape[2:]):
        out[_tap(tap, stride, dilation, positions)] += parts[(slice(None),) + tap]
    return out.swapaxes(0, 1)


def _conv_weight_adjoint_impl(x, g, stride, dilation, kernel_size):
    out = _rows(g) @ _columns(x, kernel_size, stride, dilation, g.shape[2:]).T
    return out.reshape(g.shape[1:2] + x.shape[1:2] + tuple(kernel_size))


conv_p = primitive(
    "conv", _conv_impl, multilinear=(0, 1), batch=_fold_batch((0,)),
    vjp=(lambda g, ans, x, w, stride, dilation: conv_transpose(g, w, stride, dilation, x.shape[2:]),
         lambda g, ans, x, w, stride, dilation: conv_weight_adjoint(x, g, stride, dilation, w.shape[2:])),
    math=Math("{0} ⋆ {1}", tangent=("{d} ⋆ {1}", "{0} ⋆ {d}"),
              adjoint=("conv_transpose({d}, {1})", "conv_weight_adjoint({0}, {d})"), names=("x", "w")),
    samples=samples.explicit(
        lambda rng: ((rng.normal(size=(2, 2, 7)), rng.normal(size=(3, 2, 3))), {"stride": (2,), "dilation": (2,)}),
        lambda rng: ((rng.normal(size=(1, 2, 5, 4)), rng.normal(size=(2, 2, 2, 2))),
                     {"stride": (2, 1), "dilation": (1, 2)})))

conv_transpose_p = primitive(
    "conv_transpose", _conv_transpose_impl, multilinear=(0, 1), batch=_fold_batch((0,)),
    vjp=(lambda g, ans, h, w, stride, dilation, size: conv(g, w, stride, dilation),
         lambda g, ans, h, w, stride, dilation, size: conv_weight_adjoint(g, h, stride, dilation, w.shape[2:])),
    math=Math("conv_transpose({0}, {1})", tangent=("conv_transpose({d}, {1})", "conv_transpose({0}, {d})"),
              adjoint=("{d} ⋆ {1}", "conv_weight_adjoint({d}, {0})"), names=("h", "w")),
    samples=samples.explicit(
        lambda rng: ((rng.normal(size=(2, 3, 2)), rng.normal(size=(3, 2, 3))),
                     {"stride": (2,), "dilation": (2,), "size": (8,)}),
        lambda rng: ((rng.normal(size=(1, 2, 2, 2)), rng.normal(size=(2, 2, 2, 2))),
                     {"stride": (2, 1), "dilation": (1, 2), "size": (5, 4)})))

conv_weight_adjoint_p = primitive(
    "conv_weight_adjoint", _conv_weight_adjoint_impl, multilinear=(0, 1), batch=rebinding(_per_example),
    vjp=(lambda g, ans, x, h, stride, dilation, kernel_size: conv_transpose(h, g, stride, dilation, x.shape[2:]),
         lambda g, ans, x, h, stride, dilation, kernel_size: conv(x, g, stride, dilation)),
    math=Math("conv_weight_adjoint({0}, {1})",
              tangent=("conv_weight_adjoint({d}, {1})", "conv_weight_adjoint({0}, {d})"),
              adjoint=("conv_transpose({1}, {d})", "{0} ⋆ {d}"), names=("x", "h")),
    samples=samples.explicit(
        lambda rng: ((rng.normal(size=(2, 2, 7)), rng.normal(size=(2, 3, 2))),
                     {"stride": (2,), "dilation": (2,), "kernel_size": (3,)}),
        lambda rng: ((rng.normal(size=(1, 2, 5, 4)), rng.normal(size=(1, 2, 2, 2))),
                     {"stride": (2, 1), "dilation": (1, 2), "kernel_size": (2, 2)})))


def conv(x, w, stride, dilation):
    """Cross-correlation without padding: y[n,o,p] = Σ_{c,k} x[n,c,p·s+k·d] · w[o,c,k].

    Bilinear; VJP: x̄ = conv_transpose(ȳ, w), w̄ = conv_weight_adjoint(x, ȳ);
    JVP: conv(ẋ, w) + conv(x, ẇ).
    """
    return bind(conv_p, x, w, stride=tuple(stride), dilation=tuple(dilation))


def conv_transpose(g, w, stride, dilation, size):
    """The adjoint of ``conv`` in its input, giving spatial shape ``size``:
    x̄[n,c,q] = Σ_{o,p,k : p·s+k·d = q} g[n,o,p] · w[o,c,k].

    Bilinear; VJP: ḡ = conv(x̄̄, w), w̄ = conv_weight_adjoint(x̄̄, g).
    """
    return bind(conv_transpose_p, g, w, stride=tuple(stride), dilation=tuple(dilation), size=tuple(size))


def conv_weight_adjoint(x, g, stride, dilation, kernel_size):
    """The adjoint of ``conv`` in its weight: w̄[o,c,k] = Σ_{n,p} x[n,c,p·s+k·d] · g[n,o,p].

    Bilinear; VJP: x̄ = conv_transpose(g, w̄̄), ḡ = conv(x, w̄̄).
    """
    return bind(conv_weight_adjoint_p, x, g, stride=tuple(stride), dilation=tuple(dilation),
                kernel_size=tuple(kernel_size))


# ---------------------------------------------------------------- average pooling
def _avg_pool_impl(x, kernel_size, stride):
    n = len(kernel_size)
    windows = _windows(x, kernel_size, stride, (1,) * n)
    return windows.mean(axis=tuple(range(-n, 0)))


def _avg_pool_transpose_impl(g, kernel_size, stride, size):
    n = len(kernel_size)
    share = g / math.prod(kernel_size)
    out = np.zeros(g.shape[:2] + tuple(size), share.dtype, like=devices.like(g))
    for tap in _taps(kernel_size):
        out[_tap(tap, stride, (1,) * n, g.shape[2:])] += share
    return out


avg_pool_p = primitive(
    "avg_pool", _avg_pool_impl, linear="all", batch=_fold_batch((0,)),
    vjp=(lambda g, ans, x, kernel_size, stride: avg_pool_transpose(g, kernel_size, stride, x.shape[2:]),),
    math=Math("avg_pool {0}", tangent=("avg_pool {d}",), adjoint=("avg_pool_transpose {d}",)),
    samples=samples.explicit(
        lambda rng: ((rng.normal(size=(1, 2, 5, 4)),), {"kernel_size": (2, 2), "stride": (2, 1)}),
        lambda rng: ((rng.normal(size=(2, 1, 5)),), {"kernel_size": (3,), "stride": (1,)})))

avg_pool_transpose_p = primitive(
    "avg_pool_transpose", _avg_pool_transpose_impl, linear="all", batch=_fold_batch((0,)),
    vjp=(lambda g, ans, h, kernel_size, stride, size: avg_pool(g, kernel_size, stride),),
    math=Math("avg_pool_transpose {0}", tangent=("avg_pool_transpose {d}",), adjoint=("avg_pool {d}",)),
    samples=samples.explicit(
        lambda rng: ((rng.normal(size=(1, 2, 2, 3)),), {"kernel_size": (2, 2), "stride": (2, 1), "size": (5, 4)})))


def avg_pool(x, kernel_size, stride):
    """Mean over each window: y[n,c,p] = (1/|K|) Σ_k x[n,c,p·s+k].   Linear; VJP: avg_pool_transpose."""
    return bind(avg_pool_p, x, kernel_size=tuple(kernel_size), stride=tuple(stride))


def avg_pool_transpose(g, kernel_size, stride, size):
    """The adjoint of ``avg_pool``: x̄[n,c,q] = (1/|K|) Σ_{p,k : p·s+k=q} g[n,c,p].   VJP: avg_pool."""
    return bind(avg_pool_transpose_p, g, kernel_size=tuple(kernel_size), stride=tuple(stride), size=tuple(size))


# ------------------------------------------------------------------- max pooling
def _window_max(key, kernel_size, stride, dilation):
    """``(max, k*)`` per window: the largest value and the flat index of the first tap holding it."""
    positions = output_size(key.shape[2:], kernel_size, stride, dilation)
    best = arg = None
    for t, tap in enumerate(_taps(kernel_size)):
        values = key[_tap(tap, stride, dilation, positions)]
        if best is None:
            best, arg = values.copy(), np.zeros(values.shape, np.intp, like=devices.like(key))
            continue
        wins = values > best
        np.copyto(best, values, where=wins)
        np.copyto(arg, t, where=wins)
    return best, arg


def _compiled(kind, *arrays):
    """numba's pooling kernels (``ops.pool_kernels``) when they apply: numba installed, NumPy arrays
    in main memory, dtypes of ``kind``; else ``None`` and the NumPy implementations run."""
    if any(type(a) is not np.ndarray or a.dtype.kind not in kind for a in arrays):
        return None
    return pool_kernels.kernels()


def _planar(a, spatial):
    """A (N, C, *S) array with ``spatial`` axes (1 or 2) as a (N, C, H, W) view (H = 1 for 1-D)."""
    return a.reshape(a.shape[:2] + (1,) * (2 - spatial) + a.shape[2:])


def _planar_params(kernel_size, stride, dilation):
    """``(kh, kw, sh, sw, dh, dw)`` for the compiled kernels, a 1-D pool reading as a pool of height 1."""
    lift = lambda values: (1,) * (2 - len(values)) + tuple(values)  # noqa: E731
    return lift(kernel_size) + lift(stride) + lift(dilation)


def _max_pool_argmax_impl(x, kernel_size, stride, dilation):
    compiled = _compiled("fiu", x)
    if compiled is None or len(kernel_size) > 2:
        return _window_max(x, kernel_size, stride, dilation)[1]
    positions = output_size(x.shape[2:], kernel_size, stride, dilation)
    arg = np.empty(x.shape[:2] + positions, np.intp)
    compiled[0](_planar(x, len(kernel_size)), _planar(arg, len(kernel_size)),
                *_planar_params(kernel_size, stride, dilation))
    return arg


def _max_pool_gather_impl(v, arg, kernel_size, stride, dilation):
    compiled = _compiled("fiuc", v)
    if compiled is not None and len(kernel_size) <= 2:
        out = np.empty(v.shape[:2] + arg.shape[2:], v.dtype)
        compiled[1](_planar(v, len(kernel_size)), _planar(arg, len(kernel_size)), _planar(out, len(kernel_size)),
                    *_planar_params(kernel_size, stride, dilation)[1:])  # no kh: arg names the tap
        return out
    out = np.zeros(v.shape[:2] + arg.shape[2:], v.dtype, like=devices.like(v))
    for t, tap in enumerate(_taps(kernel_size)):
        np.copyto(out, v[_tap(tap, stride, dilation, arg.shape[2:])], where=arg == t)
    return out


def _max_pool_scatter_impl(g, arg, kernel_size, stride, dilation, size):
    out = np.zeros(g.shape[:2] + tuple(size), g.dtype, like=devices.like(g))
    compiled = _compiled("fiuc", g)
    if compiled is not None and len(kernel_size) <= 2:
        compiled[2](_planar(g, len(kernel_size)), _planar(arg, len(kernel_size)), _planar(out, len(kernel_size)),
                    *_planar_params(kernel_size, stride, dilation)[1:])
        return out
    for t, tap in enumerate(_taps(kernel_size)):
        out[_tap(tap, stride, dilation, arg.shape[2:])] += np.where(arg == t, g, 0)
    return out


def _distinct(rng, shape):
    """Values at least 0.1 apart, so a finite-difference step never changes an argmax."""
    return rng.permutation(math.prod(shape)).reshape(shape) * 0.1 + rng.uniform(0, 0.01, shape)


_MAX_POOL_PARAMS = ({"kernel_size": (2, 2), "stride": (1, 2), "dilation": (1, 1)},
                    {"kernel_size": (2,), "stride": (2,), "dilation": (2,)})
_MAX_POOL_SHAPES = ((1, 2, 4, 5), (2, 1, 7))


def _arg_sample(rng, shape, params):
    return _max_pool_argmax_impl(_distinct(rng, shape), **params)


max_pool_argmax_p = nondifferentiable(
    "max_pool_argmax", _max_pool_argmax_impl,
    lambda rng: [((_distinct(rng, shape),), dict(params)) for shape, params in zip(_MAX_POOL_SHAPES, _MAX_POOL_PARAMS)],
    "argmax over each window of {0}", batch=_fold_batch((0,)))

max_pool_gather_p = primitive(
    "max_pool_gather", _max_pool_gather_impl, linear=(0,), batch=_fold_batch((0, 1)),
    vjp=(lambda g, ans, v, arg, kernel_size, stride, dilation:
         max_pool_scatter(g, arg, kernel_size, stride, dilation, v.shape[2:]), None),
    math=Math("{0} at each window's argmax {1}", tangent=("{d} at argmax {1}",),
              adjoint=("{d} scattered to argmax {1}",), names=("v", "k*")),
    samples=lambda rng: [((rng.normal(size=shape), _arg_sample(rng, shape, params)), dict(params))
                         for shape, params in zip(_MAX_POOL_SHAPES, _MAX_POOL_PARAMS)])

max_pool_scatter_p = primitive(
    "max_pool_scatter", _max_pool_scatter_impl, linear=(0,), batch=_fold_batch((0, 1)),
    vjp=(lambda g, ans, h, arg, kernel_size, stride, dilation, size:
         max_pool_gather(g, arg, kernel_size, stride, dilation), None),
    math=Math("{0} scattered to each window's argmax {1}", tangent=("{d} scattered to argmax {1}",),
              adjoint=("{d} at argmax {1}",), names=("u", "k*")),
    samples=lambda rng: [((rng.normal(size=(1, 2, 3, 2)), _arg_sample(rng, (1, 2, 4, 5), _MAX_POOL_PARAMS[0])),
                          dict(_MAX_POOL_PARAMS[0], size=(4, 5))),
                         ((rng.normal(size=(2, 1, 3)), _arg_sample(rng, (2, 1, 7), _MAX_POOL_PARAMS[1])),
                          dict(_MAX_POOL_PARAMS[1], size=(7,)))])


def _pool_params(kernel_size, stride, dilation):
    return {"kernel_size": tuple(kernel_size), "stride": tuple(stride), "dilation": tuple(dilation)}


def max_pool(x, kernel_size, stride, dilation):
    """Largest element of each window: y[n,c,p] = max_k x[n,c,p·s+k·d] = x[n,c,p·s+k*·d].

    Computed as ``max_pool_gather(x, max_pool_argmax(x))``: the VJP scatters ȳ to the argmax
    (at ties the first tap in row-major order), the JVP gathers ẋ there.
    """
    return max_pool_gather(x, max_pool_argmax(x, kernel_size, stride, dilation), kernel_size, stride, dilation)


def max_pool_argmax(x, kernel_size, stride, dilation):
    """k*[n,c,p]: the row-major index of the tap holding each window's maximum (first at ties)."""
    return bind(max_pool_argmax_p, x, **_pool_params(kernel_size, stride, dilation))


def max_pool_gather(v, arg, kernel_size, stride, dilation):
    """v read at each window's chosen tap: v[n,c,p·s+k*·d] with k* = arg[n,c,p].

    Linear in v (VJP: ``max_pool_scatter``); ``arg`` is not differentiated.
    """
    return bind(max_pool_gather_p, v, arg, **_pool_params(kernel_size, stride, dilation))


def max_pool_scatter(g, arg, kernel_size, stride, dilation, size):
    """g[n,c,p] added at position p·s+k*·d (k* = arg[n,c,p]) of a zero array of spatial ``size``.

    Linear in g (VJP: ``max_pool_gather``); ``arg`` is not differentiated.
    """
    return bind(max_pool_scatter_p, g, arg, size=tuple(size), **_pool_params(kernel_size, stride, dilation))


