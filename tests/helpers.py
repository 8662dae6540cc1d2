"""Assertions shared by the test modules."""

import subprocess
import sys

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


def run_python(code, *args, timeout=30, address_space=1 << 30):
    """Run ``code`` in a fresh Python with ``args`` as ``sys.argv[1:]``; returns the CompletedProcess.

    The child may use at most ``address_space`` bytes of memory and ``timeout`` seconds, so
    that a loader which hangs on a FIFO or reads /dev/zero fails the test instead of stalling
    the suite or exhausting the machine.
    """
    limit = f"import resource; resource.setrlimit(resource.RLIMIT_AS, ({address_space}, {address_space}))\n"
    return subprocess.run([sys.executable, "-c", limit + code, *map(str, args)], capture_output=True, text=True,
                          timeout=timeout)


def digits_npz(directory, train, test):
    """An .npz in Keras's layout of the embedded digits as bytes: ``train`` images, then ``test`` more."""
    from chainrule.data import digits

    X, y = digits()
    images = (X * 255).astype(np.uint8)
    path = directory / "digits.npz"
    np.savez(path, x_train=images[:train], y_train=y[:train], x_test=images[train:train + test],
             y_test=y[train:train + test])
    return str(path)


def check_gradient(f, *arrays, order=1):
    """``cr.check_grad`` of Σ f(*arrays)·r, for a fixed random r shaped like f's output (of any shape):
    every element of f's Jacobian takes part. Passes or raises ``cr.GradientCheckError``."""
    import chainrule as cr

    out = f(*[cr.tensor(np.asarray(a, dtype=np.float64)) for a in arrays])
    weights = np.random.default_rng(1).normal(size=np.shape(out.numpy()))
    return cr.check_grad(lambda *values: (f(*values) * weights).sum(), *arrays, order=order)


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
