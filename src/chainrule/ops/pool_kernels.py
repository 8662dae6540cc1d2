"""Compiled loops for max pooling, used by ``ops.conv`` when numba is installed (the ``full`` extra).

Each pooling primitive in NumPy is a loop over kernel taps, every tap a strided pass over
the whole batch: the argmax takes three passes per tap and the gather and the scatter one
masked pass per tap. These kernels visit each window once instead (measured on LeNet's
pools, 64×6×28×28 and 64×16×10×10, single thread: argmax and gather 3.0 → 0.35 ms and
1.05 → 0.13 ms). They work on (N, C, H, W) arrays; a 1-D pool is a 2-D one with a kernel of
height 1. Results equal the NumPy implementations' exactly (same tie rule: the first tap
in row-major order wins), which the tests check against each other.

``kernels()`` returns ``None`` when numba cannot be imported, and the NumPy implementations
run instead; the first call of each kernel for a dtype compiles it (cached on disk).
"""

import functools


@functools.cache
def kernels():
    """``(argmax, gather, scatter)`` compiled by numba, or ``None`` without numba."""
    try:
        import numba
    except ImportError:
        return None
    jit = numba.njit(cache=True, nogil=True)

    @jit
    def argmax(x, arg, kh, kw, sh, sw, dh, dw):
        """arg[n, c, i, j] = the row-major index u·kw + v of the first largest x[n, c, i·sh + u·dh, j·sw + v·dw]."""
        for a in range(arg.shape[0]):
            for b in range(arg.shape[1]):
                for i in range(arg.shape[2]):
                    for j in range(arg.shape[3]):
                        best = x[a, b, i * sh, j * sw]
                        k = 0
                        for u in range(kh):
                            for v in range(kw):
                                value = x[a, b, i * sh + u * dh, j * sw + v * dw]
                                if value > best:
                                    best = value
                                    k = u * kw + v
                        arg[a, b, i, j] = k

    @jit
    def gather(v, arg, out, kw, sh, sw, dh, dw):
        """out[n, c, i, j] = v[n, c, i·sh + u·dh, j·sw + w·dw] with (u, w) = divmod(arg[n, c, i, j], kw)."""
        for a in range(out.shape[0]):
            for b in range(out.shape[1]):
                for i in range(out.shape[2]):
                    for j in range(out.shape[3]):
                        u, w = divmod(arg[a, b, i, j], kw)
                        out[a, b, i, j] = v[a, b, i * sh + u * dh, j * sw + w * dw]

    @jit
    def scatter(g, arg, out, kw, sh, sw, dh, dw):
        """out[n, c, i·sh + u·dh, j·sw + w·dw] += g[n, c, i, j] at each window's tap (u, w); out starts at zero."""
        for a in range(g.shape[0]):
            for b in range(g.shape[1]):
                for i in range(g.shape[2]):
                    for j in range(g.shape[3]):
                        u, w = divmod(arg[a, b, i, j], kw)
                        out[a, b, i * sh + u * dh, j * sw + w * dw] += g[a, b, i, j]

    return argmax, gather, scatter
