"""Activations and softmax against closed forms."""

import numpy as np

from chainrule.nn import functional as F


def test_activations_match_closed_forms():
    x = np.linspace(-5, 5, 11)
    np.testing.assert_allclose(F.relu(x).numpy(), np.maximum(x, 0))
    np.testing.assert_allclose(F.sigmoid(x).numpy(), 1 / (1 + np.exp(-x)), rtol=1e-12)
    np.testing.assert_allclose(F.tanh(x).numpy(), np.tanh(x), rtol=1e-12)
    np.testing.assert_allclose(F.softplus(x).numpy(), np.log1p(np.exp(x)), rtol=1e-12)
    np.testing.assert_allclose(F.softplus(x, beta=2.0).numpy(), np.log1p(np.exp(2 * x)) / 2, rtol=1e-12)


def test_softplus_is_linear_above_the_threshold():
    x = np.array([15.0, 25.0])
    np.testing.assert_array_equal(F.softplus(x, beta=1.0, threshold=20.0).numpy()[1], 25.0)
    assert F.softplus(x).numpy()[0] != 15.0


def test_softmax_and_log_softmax_are_stable_and_consistent():
    x = np.array([[1e4, 0.0, -1e4], [1.0, 2.0, 3.0]], dtype=np.float32)
    p = F.softmax(x, dim=1).numpy()
    assert np.all(np.isfinite(p))
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-6)
    np.testing.assert_allclose(p[1], np.exp([1, 2, 3]) / np.exp([1, 2, 3]).sum(), rtol=1e-6)
    np.testing.assert_allclose(F.log_softmax(x, dim=1).numpy()[0], [0.0, -1e4, -2e4])
    np.testing.assert_allclose(F.softmax(x.T, axis=0).numpy(), p.T)
