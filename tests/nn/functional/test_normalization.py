"""batch_norm: batch and running statistics, gradients, and no freezing into jitted code."""

import numpy as np
import pytest

import chainrule as cr
from chainrule.nn import functional as F

RNG = np.random.default_rng(1)


def test_batch_norm_training_normalizes_and_updates_running_statistics():
    x = RNG.normal(3.0, 2.0, size=(8, 3, 4))
    mean, var = np.zeros(3), np.ones(3)
    gamma, beta = np.array([1.0, 2.0, 0.5]), np.array([0.0, -1.0, 1.0])
    y = F.batch_norm(x, mean, var, gamma, beta, training=True, momentum=0.1, eps=1e-5).numpy()
    mu, sigma2 = x.mean(axis=(0, 2)), x.var(axis=(0, 2))
    expected = (x - mu[:, None]) / np.sqrt(sigma2[:, None] + 1e-5) * gamma[:, None] + beta[:, None]
    np.testing.assert_allclose(y, expected, rtol=1e-10)
    np.testing.assert_allclose(mean, 0.1 * mu, rtol=1e-12)
    np.testing.assert_allclose(var, 0.9 + 0.1 * x.var(axis=(0, 2), ddof=1), rtol=1e-12)


def test_batch_norm_eval_uses_running_statistics():
    x = RNG.normal(size=(4, 2))
    mean, var = np.array([1.0, -1.0]), np.array([4.0, 0.25])
    y = F.batch_norm(x, mean, var, training=False, eps=0.0).numpy()
    np.testing.assert_allclose(y, (x - mean) / np.sqrt(var), rtol=1e-12)
    np.testing.assert_array_equal(mean, [1.0, -1.0])


def test_batch_norm_training_gradient_matches_finite_differences():
    x, gamma, beta = RNG.normal(size=(5, 2, 3)), RNG.normal(size=2), RNG.normal(size=2)
    cotangent = RNG.normal(size=(5, 2, 3))
    cr.check_grad(lambda x, g, b: (F.batch_norm(x, None, None, g, b, training=True) * cotangent).sum(),
                  x, gamma, beta, order=2)


def test_batch_norm_refuses_one_value_per_channel_in_training():
    with pytest.raises(ValueError, match="more than 1 value per channel"):
        F.batch_norm(np.zeros((1, 3)), None, None, training=True)


def test_random_and_stateful_ops_refuse_to_be_frozen_into_jitted_code():
    x = np.ones((4, 3))
    with pytest.raises(cr.TracerError, match="dropout"):
        cr.jit(lambda v: F.dropout(v, 0.5, training=True))(x)
    assert cr.jit(lambda v: F.dropout(v, 0.5, training=False))(x).shape == (4, 3)
    running_mean, running_var = np.zeros(3), np.ones(3)
    with pytest.raises(cr.TracerError, match="running statistics"):
        cr.jit(lambda v: F.batch_norm(v, running_mean, running_var, training=True))(x)
    out = cr.jit(lambda v: F.batch_norm(v, None, None, training=True))(np.arange(12.0).reshape(4, 3))
    np.testing.assert_allclose(out.numpy().mean(axis=0), np.zeros(3), atol=1e-6)
