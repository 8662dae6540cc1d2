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


# ------------------------------------------------------ layer_norm, group_norm, normalize
def test_layer_norm_standardizes_each_sample_over_the_last_axes():
    x, w, b = RNG.normal(size=(2, 3, 4)), RNG.normal(size=(3, 4)), RNG.normal(size=(3, 4))
    mean, var = x.mean(axis=(1, 2), keepdims=True), x.var(axis=(1, 2), keepdims=True)
    np.testing.assert_allclose(F.layer_norm(x, (3, 4), w, b, eps=1e-3).numpy(),
                               (x - mean) / np.sqrt(var + 1e-3) * w + b, rtol=1e-10)
    assert cr.check_grad(lambda v, w: (F.layer_norm(v, 4, w) * np.arange(24.0).reshape(2, 3, 4)).sum(),
                         x, w[0], order=2).passed


def test_group_norm_standardizes_groups_of_consecutive_channels():
    x, w, b = RNG.normal(size=(2, 6, 3)), RNG.normal(size=6), RNG.normal(size=6)
    groups = x.reshape(2, 3, 6)
    expected = ((groups - groups.mean(axis=2, keepdims=True)) / np.sqrt(groups.var(axis=2, keepdims=True) + 1e-5))
    expected = expected.reshape(x.shape) * w[:, None] + b[:, None]
    np.testing.assert_allclose(F.group_norm(x, 3, w, b).numpy(), expected, rtol=1e-10)
    assert cr.check_grad(lambda v: (F.group_norm(v, 2) * np.arange(36.0).reshape(2, 6, 3)).sum(), x).passed


def test_norm_layers_refuse_shapes_that_do_not_fit():
    with pytest.raises(ValueError, match=r"normalized_shape \(3,\)"):
        F.layer_norm(np.zeros((2, 4)), 3)
    with pytest.raises(ValueError, match="num_groups=4"):
        F.group_norm(np.zeros((2, 6, 3)), 4)


def test_normalize_gives_unit_vectors_and_keeps_the_zero_vector_with_a_finite_gradient():
    x = cr.tensor(np.array([[3.0, 4.0], [0.0, 0.0]]), requires_grad=True)
    y = F.normalize(x, dim=1)
    np.testing.assert_allclose(y.numpy(), [[0.6, 0.8], [0.0, 0.0]])
    y.sum().backward()
    assert np.all(np.isfinite(x.grad.numpy()))
    np.testing.assert_allclose(F.normalize(np.array([[1.0, -3.0]]), p=1).numpy(), [[0.25, -0.75]])
    np.testing.assert_allclose(F.normalize(np.array([[1.0, -4.0]]), p=np.inf).numpy(), [[0.25, -1.0]])
    assert cr.check_grad(lambda v: (F.normalize(v, p=3, dim=0) * np.arange(6.0).reshape(3, 2)).sum(),
                         RNG.normal(size=(3, 2))).passed


def test_layer_group_norm_and_normalize_match_pytorch(against_torch, torch):
    tf = torch.nn.functional
    x = RNG.normal(size=(2, 4, 3))
    against_torch(lambda v, w, b: F.layer_norm(v, (4, 3), w, b), lambda v, w, b: tf.layer_norm(v, (4, 3), w, b),
                  x, RNG.normal(size=(4, 3)), RNG.normal(size=(4, 3)))
    against_torch(lambda v, w, b: F.group_norm(v, 2, w, b, eps=1e-3),
                  lambda v, w, b: tf.group_norm(v, 2, w, b, eps=1e-3), x, RNG.normal(size=4), RNG.normal(size=4))
    for p in (2.0, 1.0, 3.0):
        against_torch(lambda v: F.normalize(v, p=p, dim=1), lambda v: tf.normalize(v, p=p, dim=1), x)
