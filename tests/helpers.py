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


def check_gradient(f, *arrays, order=1):
    """``cr.check_grad`` of Σ f(*arrays)·r, for a fixed random r shaped like f's output (of any shape):
    every element of f's Jacobian takes part. Passes or raises ``cr.GradientCheckError``."""
    import chainrule as cr

    out = f(*[cr.tensor(np.asarray(a, dtype=np.float64)) for a in arrays])
    weights = np.random.default_rng(1).normal(size=np.shape(out.numpy()))
    return cr.check_grad(lambda *values: (f(*values) * weights).sum(), *arrays, order=order)
