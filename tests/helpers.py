"""Assertions shared by the test modules."""

import numpy as np


def to_np(value):
    """A NumPy array from a Tensor (or anything array-like)."""
    if hasattr(value, "numpy"):
        return np.asarray(value.numpy())
    return np.asarray(value)


def assert_close(actual, expected, rtol=1e-10, atol=1e-12, as_float64=True):
    """Same shape and values within tolerance (``expected`` read as float64 unless told)."""
    actual = to_np(actual)
    expected = np.asarray(expected, dtype=np.float64) if as_float64 else np.asarray(expected)
    assert actual.shape == expected.shape, (actual.shape, expected.shape)
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=atol)


def check_batching_rule(prim, batched_args=None):
    """A primitive's batching rule (for ``vmap``) on stacked examples equals the examples' results
    stacked: three draws of each registry sample, stacked along axis 0 (each argument, or only
    those in ``batched_args``; the others taken from the first draw), through ``prim.batch``."""
    from chainrule.core.bind import bind

    draws = [prim.samples(np.random.default_rng(seed)) for seed in range(3)]
    for case in range(len(draws[0])):
        args, params = draws[0][case]
        chosen = range(len(args)) if batched_args is None else batched_args
        dims = [0 if k in chosen and isinstance(a, np.ndarray) else None for k, a in enumerate(args)]
        stacked = [np.stack([d[case][0][k] for d in draws]) if dim == 0 else a
                   for k, (a, dim) in enumerate(zip(args, dims))]
        out, out_dim = prim.batch(stacked, dims, params)
        out = np.moveaxis(to_np(out), out_dim, 0)
        for i, draw in enumerate(draws):
            example = [draw[case][0][k] if dim == 0 else a for k, (a, dim) in enumerate(zip(args, dims))]
            expected = to_np(bind(prim, *example, **params))
            np.testing.assert_allclose(out[i], expected, rtol=1e-9, atol=1e-11, err_msg=f"{prim.name} sample {case}")
