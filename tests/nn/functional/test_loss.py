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


# ------------------------------------------------- nll_loss, label smoothing, probabilities
def log_softmax_np(x, axis=1):
    shifted = x - x.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def test_nll_loss_picks_the_weighted_log_probabilities_and_divides_by_the_kept_weights():
    log_p = log_softmax_np(RNG.normal(size=(4, 3)))
    labels, weight = np.array([2, 0, -100, 1]), np.array([0.5, 2.0, 3.0])
    kept = [0, 1, 3]
    terms = [-weight[labels[n]] * log_p[n, labels[n]] for n in kept]
    np.testing.assert_allclose(F.nll_loss(log_p, labels, weight=weight).item(),
                               sum(terms) / sum(weight[labels[n]] for n in kept))
    np.testing.assert_allclose(F.nll_loss(log_p, labels, weight=weight, reduction="none").numpy(),
                               [terms[0], terms[1], 0.0, terms[2]])
    assert cr.check_grad(lambda v: F.nll_loss(v, labels, weight=weight), log_p).passed


def test_cross_entropy_label_smoothing_mixes_in_the_mean_of_all_classes():
    logits, labels, eps = RNG.normal(size=(3, 4)), np.array([1, 3, 0]), 0.2
    log_p = log_softmax_np(logits)
    per_sample = -(1 - eps) * log_p[np.arange(3), labels] - eps / 4 * log_p.sum(axis=1)
    np.testing.assert_allclose(F.cross_entropy(logits, labels, label_smoothing=eps).item(), per_sample.mean())
    assert cr.check_grad(lambda v: F.cross_entropy(v, labels, label_smoothing=eps), logits).passed


def test_cross_entropy_weighted_smoothing_divides_both_parts_by_the_kept_target_weights():
    logits, labels = RNG.normal(size=(3, 4)), np.array([1, -100, 2])
    weight, eps = np.array([1.0, 2.0, 0.5, 3.0]), 0.1
    log_p = log_softmax_np(logits)
    kept = [0, 2]
    total = sum(-(1 - eps) * weight[labels[n]] * log_p[n, labels[n]] - eps / 4 * (weight * log_p[n]).sum()
                for n in kept)
    loss = F.cross_entropy(logits, labels, weight=weight, label_smoothing=eps)
    np.testing.assert_allclose(loss.item(), total / sum(weight[labels[n]] for n in kept))


def test_cross_entropy_takes_class_probabilities_as_target():
    logits = RNG.normal(size=(3, 4))
    q = np.abs(RNG.normal(size=(3, 4)))
    q /= q.sum(axis=1, keepdims=True)
    expected = -(q * log_softmax_np(logits)).sum(axis=1).mean()
    np.testing.assert_allclose(F.cross_entropy(logits, q).item(), expected)
    assert cr.check_grad(lambda v: F.cross_entropy(v, q), logits).passed


def test_cross_entropy_refuses_label_smoothing_outside_zero_one():
    with pytest.raises(ValueError, match="label_smoothing"):
        F.cross_entropy(np.zeros((2, 3)), np.array([0, 1]), label_smoothing=1.5)


def test_deprecated_size_average_and_reduce_keep_pytorchs_meaning():
    x, labels = RNG.normal(size=(3, 4)), np.array([0, 1, 2])
    with pytest.warns(UserWarning, match="deprecated"):
        total = F.cross_entropy(x, labels, size_average=False)
    np.testing.assert_allclose(total.item(), F.cross_entropy(x, labels, reduction="sum").item())
    with pytest.warns(UserWarning, match="deprecated"):
        assert F.nll_loss(x, labels, reduce=False).shape == (3,)


@pytest.mark.parametrize("kwargs", [{}, {"weight": [0.2, 1.0, 2.5, 0.7]}, {"ignore_index": 1},
                                    {"label_smoothing": 0.15}, {"reduction": "sum", "label_smoothing": 0.3},
                                    {"weight": [0.2, 1.0, 2.5, 0.7], "ignore_index": 2, "label_smoothing": 0.25},
                                    {"reduction": "none", "weight": [1.0, 2.0, 3.0, 4.0], "label_smoothing": 0.1}])
def test_cross_entropy_matches_pytorch(against_torch, torch, kwargs):
    labels = np.array([[1, 2, 0], [3, 1, 1]])
    weight = kwargs.get("weight")
    extra = dict(kwargs, weight=None if weight is None else np.array(weight))

    def ours(x):
        return F.cross_entropy(x, labels, **extra)

    def theirs(x):
        options = dict(extra, weight=None if weight is None else torch.tensor(weight, dtype=torch.float64))
        return torch.nn.functional.cross_entropy(x, torch.tensor(labels), **options)

    against_torch(ours, theirs, RNG.normal(size=(2, 4, 3)))


@pytest.mark.parametrize("label_smoothing", [0.0, 0.2])
def test_cross_entropy_with_probabilities_matches_pytorch(against_torch, torch, label_smoothing):
    q = np.abs(RNG.normal(size=(5, 3)))
    q /= q.sum(axis=1, keepdims=True)
    weight = np.array([0.5, 1.0, 2.0])
    against_torch(lambda x: F.cross_entropy(x, q, weight=weight, label_smoothing=label_smoothing),
                  lambda x: torch.nn.functional.cross_entropy(x, torch.tensor(q), weight=torch.tensor(weight),
                                                              label_smoothing=label_smoothing),
                  RNG.normal(size=(5, 3)))


def test_nll_loss_on_an_unbatched_input_matches_pytorch(against_torch, torch):
    against_torch(lambda x: F.nll_loss(x, np.array(2), reduction="none"),
                  lambda x: torch.nn.functional.nll_loss(x, torch.tensor(2), reduction="none"),
                  RNG.normal(size=4))


# ------------------------------------------------------------------------ binary
def test_binary_cross_entropy_matches_its_closed_form_and_clamps_the_log_at_minus_100():
    x, y, w = np.array([0.1, 0.6, 0.95]), np.array([0.0, 1.0, 1.0]), np.array([1.0, 2.0, 0.5])
    expected = -(w * (y * np.log(x) + (1 - y) * np.log(1 - x))).mean()
    np.testing.assert_allclose(F.binary_cross_entropy(x, y, weight=w).item(), expected)
    assert cr.check_grad(lambda v: F.binary_cross_entropy(v, y, weight=w), x).passed
    edge = cr.tensor(np.array([0.0, 1.0]), requires_grad=True)
    loss = F.binary_cross_entropy(edge, np.array([1.0, 0.0]), reduction="sum")
    loss.backward()
    assert loss.item() == pytest.approx(200.0) and np.all(np.isfinite(edge.grad.numpy()))


def test_binary_cross_entropy_refuses_values_outside_zero_one_and_other_shapes():
    with pytest.raises(ValueError, match="between 0 and 1"):
        F.binary_cross_entropy(np.array([1.5]), np.array([1.0]))
    with pytest.raises(ValueError, match="shape"):
        F.binary_cross_entropy(np.array([0.5, 0.5]), np.array([[1.0, 0.0]]))


def test_binary_cross_entropy_with_logits_is_stable_and_weighs_positives():
    x, y = np.array([-800.0, -1.0, 0.5, 900.0]), np.array([1.0, 0.0, 1.0, 0.0])
    p = np.array([3.0])
    expected = [800.0 * 3, np.log1p(np.exp(-1.0)), 3 * np.log1p(np.exp(-0.5)), 900.0]
    np.testing.assert_allclose(F.binary_cross_entropy_with_logits(x, y, pos_weight=p, reduction="none").numpy(),
                               expected, rtol=1e-12)
    small = np.array([-1.0, 0.3])
    assert cr.check_grad(lambda v: F.binary_cross_entropy_with_logits(v, y[:2], pos_weight=p), small,
                         order=2).passed


def test_binary_losses_match_pytorch(against_torch, torch):
    tf = torch.nn.functional
    y, w = RNG.uniform(size=(4, 3)), RNG.uniform(0.5, 2, size=(4, 3))
    p = np.array([0.5, 2.0, 3.0])
    against_torch(lambda x: F.binary_cross_entropy(F.sigmoid(x), y, weight=w),
                  lambda x: tf.binary_cross_entropy(torch.sigmoid(x), torch.tensor(y), weight=torch.tensor(w)),
                  RNG.normal(size=(4, 3)))
    against_torch(lambda x: F.binary_cross_entropy_with_logits(x, y, weight=w, pos_weight=p, reduction="sum"),
                  lambda x: tf.binary_cross_entropy_with_logits(x, torch.tensor(y), weight=torch.tensor(w),
                                                                pos_weight=torch.tensor(p), reduction="sum"),
                  RNG.normal(size=(4, 3)) * 4)


# -------------------------------------------------------------------- regression
def test_l1_smooth_l1_and_huber_match_their_closed_forms():
    x, t = np.array([0.0, 0.3, -2.0, 5.0]), np.array([0.5, 0.2, 0.0, 1.0])
    d = x - t
    np.testing.assert_allclose(F.l1_loss(x, t).item(), np.abs(d).mean())
    beta, delta = 0.5, 2.0
    smooth = np.where(np.abs(d) < beta, 0.5 * d ** 2 / beta, np.abs(d) - 0.5 * beta)
    np.testing.assert_allclose(F.smooth_l1_loss(x, t, beta=beta, reduction="none").numpy(), smooth)
    huber = np.where(np.abs(d) < delta, 0.5 * d ** 2, delta * (np.abs(d) - 0.5 * delta))
    np.testing.assert_allclose(F.huber_loss(x, t, delta=delta, reduction="sum").item(), huber.sum())
    np.testing.assert_allclose(F.smooth_l1_loss(x, t, beta=0.0).item(), np.abs(d).mean())


@pytest.mark.parametrize("loss", [F.l1_loss, lambda x, t: F.smooth_l1_loss(x, t, beta=0.7),
                                  lambda x, t: F.huber_loss(x, t, delta=0.4)], ids=["l1", "smooth_l1", "huber"])
def test_regression_loss_gradients_match_finite_differences(loss):
    x, t = np.array([0.9, -0.2, 1.3, 2.0]), np.array([0.1, 0.1, 0.1, 0.1])
    assert cr.check_grad(lambda v: loss(v, t), x).passed


def test_weighted_means_divide_by_the_weights_for_mse_and_l1_and_by_the_count_for_huber():
    x, t, w = np.array([1.0, 2.0, 4.0]), np.zeros(3), np.array([1.0, 0.0, 3.0])
    np.testing.assert_allclose(F.mse_loss(x, t, weight=w).item(), (1 + 48) / 4)
    np.testing.assert_allclose(F.l1_loss(x, t, weight=w).item(), (1 + 12) / 4)
    np.testing.assert_allclose(F.huber_loss(x, t, weight=w).item(), (0.5 + 3 * 3.5) / 3)
    with pytest.raises(ValueError, match="weight"):
        F.l1_loss(x, t, weight=w[:2])


@pytest.mark.parametrize("name, kwargs", [("l1_loss", {}), ("smooth_l1_loss", {"beta": 0.6}),
                                          ("huber_loss", {"delta": 0.8}), ("mse_loss", {"reduction": "sum"}),
                                          ("l1_loss", {"reduction": "none"})])
def test_regression_losses_match_pytorch(against_torch, torch, name, kwargs):
    t = RNG.normal(size=(3, 4))
    against_torch(lambda x: getattr(F, name)(x, t, **kwargs),
                  lambda x: getattr(torch.nn.functional, name)(x, torch.tensor(t), **kwargs), RNG.normal(size=(3, 4)))


def test_weighted_regression_losses_match_pytorch(against_torch, torch):
    t, w = RNG.normal(size=(2, 3)), RNG.uniform(size=(2, 3))
    for name in ("mse_loss", "l1_loss", "huber_loss"):
        against_torch(lambda x: getattr(F, name)(x, t, weight=w),
                      lambda x: getattr(torch.nn.functional, name)(x, torch.tensor(t), weight=torch.tensor(w)),
                      RNG.normal(size=(2, 3)))
