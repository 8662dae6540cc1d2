"""Losses against closed forms, their gradients and their refusals."""

import itertools
import warnings

import numpy as np
import pytest

import chainrule as cr
from chainrule.nn import functional as F

RNG = np.random.default_rng(1)


def test_cross_entropy_matches_closed_form_and_its_gradient():
    logits = RNG.normal(size=(5, 4))
    labels = np.array([0, 3, 1, 1, 2])
    x = cr.tensor(logits, requires_grad=True)
    loss = F.cross_entropy(x, cr.tensor(labels))
    log_p = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    np.testing.assert_allclose(loss.item(), -log_p[np.arange(5), labels].mean(), rtol=1e-12)
    loss.backward()
    expected = (np.exp(log_p) - np.eye(4)[labels]) / 5
    np.testing.assert_allclose(x.grad.numpy(), expected, rtol=1e-10)


def test_cross_entropy_is_finite_at_extreme_logits():
    logits = cr.tensor(np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 0.0]], np.float32), requires_grad=True)
    loss = F.cross_entropy(logits, np.array([1, 1]))
    np.testing.assert_allclose(loss.item(), 1e4, rtol=1e-6)
    loss.backward()
    assert np.all(np.isfinite(logits.grad.numpy()))
    np.testing.assert_allclose(logits.grad.numpy(), [[0.5, -0.5, 0.0], [0.0, 0.0, 0.0]], atol=1e-6)


def test_cross_entropy_with_class_weights_ignore_index_and_spatial_targets():
    logits = RNG.normal(size=(2, 3, 2, 2))
    labels = np.array([[[0, 2], [1, -100]], [[2, 2], [0, 1]]])
    weight = np.array([1.0, 2.0, 0.5])
    log_p = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    terms, weights = [], []
    for n, i, j in itertools.product(range(2), range(2), range(2)):
        if labels[n, i, j] != -100:
            terms.append(-weight[labels[n, i, j]] * log_p[n, labels[n, i, j], i, j])
            weights.append(weight[labels[n, i, j]])
    np.testing.assert_allclose(F.cross_entropy(logits, labels, weight=weight).item(), sum(terms) / sum(weights))
    np.testing.assert_allclose(F.cross_entropy(logits, labels, weight=weight, reduction="sum").item(), sum(terms))
    assert F.cross_entropy(logits, labels, reduction="none").shape == (2, 2, 2)


def test_cross_entropy_refuses_bad_labels():
    with pytest.raises(IndexError, match="out of bounds for 3 classes"):
        F.cross_entropy(np.zeros((2, 3)), np.array([0, 3]))
    with pytest.raises(TypeError, match="integer class indices"):
        F.cross_entropy(np.zeros((2, 3)), np.array([0.0, 1.0]))
    with pytest.raises(ValueError, match="does not fit"):
        F.cross_entropy(np.zeros((2, 3)), np.array([0, 1, 2]))


def test_mse_loss_matches_closed_form_and_gradient():
    x = cr.tensor(RNG.normal(size=(3, 2)), requires_grad=True)
    t = RNG.normal(size=(3, 2))
    loss = F.mse_loss(x, t)
    np.testing.assert_allclose(loss.item(), np.mean((x.numpy() - t) ** 2), rtol=1e-12)
    loss.backward()
    np.testing.assert_allclose(x.grad.numpy(), 2 * (x.numpy() - t) / 6, rtol=1e-12)
    np.testing.assert_allclose(F.mse_loss(x, t, reduction="sum").item(), np.sum((x.numpy() - t) ** 2), rtol=1e-12)


def test_mse_loss_warns_when_target_shape_differs():
    with pytest.warns(UserWarning, match="broadcast"):
        F.mse_loss(np.zeros((3, 1)), np.zeros(3))


def test_logistic_loss_matches_closed_form_and_gradient():
    f = cr.tensor(RNG.normal(size=6), requires_grad=True)
    y = np.array([1, -1, 1, 1, -1, -1])
    loss = F.logistic_loss(f, y)
    np.testing.assert_allclose(loss.item(), np.mean(np.log1p(np.exp(-y * f.numpy()))), rtol=1e-12)
    loss.backward()
    np.testing.assert_allclose(f.grad.numpy(), -y / (1 + np.exp(y * f.numpy())) / 6, rtol=1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_logistic_loss_is_stable_for_huge_margins(dtype):
    f = cr.tensor(np.array([1e4, -1e4, 1e4, 0.0], dtype), requires_grad=True)
    y = cr.tensor(np.array([1.0, 1.0, -1.0, 1.0]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss = F.logistic_loss(f, y)
        loss.backward()
    np.testing.assert_allclose(loss.item(), (0.0 + 1e4 + 1e4 + np.log(2)) / 4, rtol=1e-6)
    np.testing.assert_allclose(f.grad.numpy(), [0.0, -0.25, 0.25, -0.125], atol=1e-7)


def test_logistic_loss_accepts_column_scores_and_refuses_zero_one_labels():
    f = RNG.normal(size=(4, 1))
    y = np.array([1, -1, 1, -1])
    np.testing.assert_allclose(F.logistic_loss(f, y).item(), np.mean(np.log1p(np.exp(-y * f[:, 0]))), rtol=1e-12)
    with pytest.raises(ValueError, match="-1 or \\+1"):
        F.logistic_loss(f, np.array([0, 1, 1, 0]))


def test_losses_refuse_unknown_reduction():
    with pytest.raises(ValueError, match="reduction"):
        F.mse_loss(np.zeros(2), np.zeros(2), reduction="average")
