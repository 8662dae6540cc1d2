"""cr.nn.functional against naive references, closed forms and finite differences."""

import itertools
import warnings

import numpy as np
import pytest

import chainrule as cr
from chainrule.nn import functional as F

RNG = np.random.default_rng(1)


def naive_conv(x, w, bias=None, stride=1, padding=0, dilation=1):
    """PyTorch's convolution by loops; ``padding`` is a per-axis list of (before, after)."""
    n = w.ndim - 2
    stride = (stride,) * n if isinstance(stride, int) else stride
    dilation = (dilation,) * n if isinstance(dilation, int) else dilation
    padding = [(padding, padding)] * n if isinstance(padding, int) else padding
    x = np.pad(x, [(0, 0), (0, 0)] + list(padding))
    out = tuple((s - d * (k - 1) - 1) // st + 1 for s, k, st, d in zip(x.shape[2:], w.shape[2:], stride, dilation))
    y = np.zeros((x.shape[0], w.shape[0]) + out)
    for n_, o in itertools.product(range(x.shape[0]), range(w.shape[0])):
        for p in itertools.product(*[range(v) for v in out]):
            total = 0.0 if bias is None else bias[o]
            for c in range(x.shape[1]):
                for k in itertools.product(*[range(v) for v in w.shape[2:]]):
                    q = tuple(pi * s + ki * d for pi, ki, s, d in zip(p, k, stride, dilation))
                    total += x[(n_, c) + q] * w[(o, c) + k]
            y[(n_, o) + p] = total
    return y


# ------------------------------------------------------------------------ convolution
@pytest.mark.parametrize("length,k,stride,padding,dilation", [
    (9, 3, 1, 0, 1), (10, 4, 2, 1, 1), (11, 3, 3, 2, 2), (7, 2, 1, 3, 3)])
def test_conv1d_matches_naive_reference(length, k, stride, padding, dilation):
    x, w, b = RNG.normal(size=(2, 3, length)), RNG.normal(size=(4, 3, k)), RNG.normal(size=4)
    y = F.conv1d(x, w, b, stride=stride, padding=padding, dilation=dilation)
    np.testing.assert_allclose(y.numpy(), naive_conv(x, w, b, stride, padding, dilation), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("shape,kernel,stride,padding,dilation", [
    ((6, 7), (3, 3), 1, 0, 1), ((8, 9), (3, 2), (2, 3), (1, 2), 1), ((9, 8), (2, 3), (1, 2), 2, (2, 3)),
    ((5, 5), (5, 5), 1, 0, 1)])
def test_conv2d_matches_naive_reference(shape, kernel, stride, padding, dilation):
    x, w, b = RNG.normal(size=(2, 2) + shape), RNG.normal(size=(3, 2) + kernel), RNG.normal(size=3)
    pad = padding if isinstance(padding, int) else [(p, p) for p in padding]
    y = F.conv2d(x, w, b, stride=stride, padding=padding, dilation=dilation)
    np.testing.assert_allclose(y.numpy(), naive_conv(x, w, b, stride, pad, dilation), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("kernel,dilation", [((3, 3), 1), ((2, 4), 1), ((2, 3), (2, 1))])
def test_conv2d_same_padding_keeps_the_size_and_pads_the_extra_zero_right_and_bottom(kernel, dilation):
    x, w = RNG.normal(size=(1, 2, 6, 7)), RNG.normal(size=(2, 2) + kernel)
    d = (dilation,) * 2 if isinstance(dilation, int) else dilation
    totals = [di * (k - 1) for k, di in zip(kernel, d)]
    expected = naive_conv(x, w, None, 1, [(t // 2, t - t // 2) for t in totals], d)
    y = F.conv2d(x, w, padding="same", dilation=dilation)
    assert y.shape == (1, 2, 6, 7)
    np.testing.assert_allclose(y.numpy(), expected, rtol=1e-10, atol=1e-12)


def test_same_padding_with_stride_is_refused():
    with pytest.raises(ValueError, match="stride 1"):
        F.conv2d(np.zeros((1, 1, 5, 5)), np.zeros((1, 1, 3, 3)), stride=2, padding="same")


def test_conv_refuses_mismatched_channels_naming_both_shapes():
    with pytest.raises(ValueError, match=r"\(1, 3, 5, 5\).*\(2, 2, 3, 3\)"):
        F.conv2d(np.zeros((1, 3, 5, 5)), np.zeros((2, 2, 3, 3)))


def test_conv2d_accepts_an_unbatched_input():
    x, w = RNG.normal(size=(2, 5, 5)), RNG.normal(size=(3, 2, 3, 3))
    np.testing.assert_allclose(F.conv2d(x, w).numpy(), F.conv2d(x[None], w).numpy()[0])


def test_conv1d_on_1d_input_and_kernel_is_the_single_channel_case():
    x, k = RNG.normal(size=10), RNG.normal(size=3)
    y = F.conv1d(x, k, padding=1)
    assert y.shape == (10,)
    np.testing.assert_allclose(y.numpy(), np.correlate(np.pad(x, 1), k, mode="valid"), rtol=1e-12)


def test_conv2d_gradient_check_with_stride_padding_and_dilation():
    x, w, b = RNG.normal(size=(2, 2, 6, 5)), RNG.normal(size=(2, 2, 2, 3)), RNG.normal(size=2)

    def loss(x, w, b):
        y = F.conv2d(x, w, b, stride=(2, 1), padding=(1, 2), dilation=(2, 1))
        return (y * y).sum()

    report = cr.check_grad(loss, x, w, b, order=2)
    assert report.passed and len(report.rows) == 7


# -------------------------------------------------------------------------- toeplitz
@pytest.mark.parametrize("n,k,padding", [(8, 3, 0), (8, 3, 1), (7, 4, 2), (9, 5, "same"), (6, 4, "same"),
                                         (5, 5, 0), (6, 2, "valid")])
def test_toeplitz_times_x_equals_conv1d(n, k, padding):
    kernel, x = RNG.normal(size=k), RNG.normal(size=n)
    W = F.toeplitz(kernel, n, padding)
    p = 0 if padding == "valid" else (k - 1) / 2 if padding == "same" else padding
    assert W.shape == (int(n + 2 * p - k + 1), n)
    np.testing.assert_allclose((W @ x).numpy(), F.conv1d(x, kernel, padding=padding).numpy(), rtol=1e-12, atol=1e-12)


def test_toeplitz_is_the_banded_matrix_of_shifted_kernels():
    W = F.toeplitz(np.array([1.0, 2.0, 3.0]), 5)
    np.testing.assert_array_equal(W.numpy(), [[1, 2, 3, 0, 0], [0, 1, 2, 3, 0], [0, 0, 1, 2, 3]])


def test_toeplitz_is_differentiable_in_the_kernel():
    x, a = RNG.normal(size=6), RNG.normal(size=6)
    kernel = cr.tensor(RNG.normal(size=3), requires_grad=True)
    (a @ (F.toeplitz(kernel, 6, padding=1) @ x)).backward()
    # d/dkernel[t] of a·(W x) = Σ_i a_i x_pad[i + t]
    x_pad = np.pad(x, 1)
    np.testing.assert_allclose(kernel.grad.numpy(), [a @ x_pad[t:t + 6] for t in range(3)], rtol=1e-12)
    cr.check_grad(lambda k: (F.toeplitz(k, 6, "same") @ x).sum() ** 2, kernel.numpy(), order=2)


def test_toeplitz_refuses_a_kernel_longer_than_the_padded_input():
    with pytest.raises(ValueError, match="shorter than the kernel"):
        F.toeplitz(np.ones(5), 3)


# --------------------------------------------------------------------------- pooling
def naive_pool2d(x, k, s, reduce):
    out = ((x.shape[2] - k[0]) // s[0] + 1, (x.shape[3] - k[1]) // s[1] + 1)
    y = np.zeros(x.shape[:2] + out)
    for i, j in itertools.product(range(out[0]), range(out[1])):
        y[:, :, i, j] = reduce(x[:, :, i * s[0]:i * s[0] + k[0], j * s[1]:j * s[1] + k[1]], axis=(2, 3))
    return y


@pytest.mark.parametrize("kernel,stride", [((2, 2), None), ((3, 2), (1, 2)), ((3, 3), (2, 2))])
def test_max_and_avg_pool2d_match_naive_reference(kernel, stride):
    x = RNG.normal(size=(2, 3, 7, 8))
    s = kernel if stride is None else stride
    np.testing.assert_array_equal(F.max_pool2d(x, kernel, stride).numpy(), naive_pool2d(x, kernel, s, np.max))
    np.testing.assert_allclose(F.avg_pool2d(x, kernel, stride).numpy(), naive_pool2d(x, kernel, s, np.mean), rtol=1e-12)


def test_pool_stride_defaults_to_kernel_size():
    x = RNG.normal(size=(1, 1, 6, 6))
    assert F.max_pool2d(x, 2).shape == (1, 1, 3, 3)
    assert F.avg_pool2d(x, 3).shape == (1, 1, 2, 2)
    assert F.max_pool1d(RNG.normal(size=(1, 2, 9)), 3).shape == (1, 2, 3)


def test_max_pool1d_with_padding_and_dilation_matches_reference():
    x = RNG.normal(size=(2, 2, 10))
    y = F.max_pool1d(x, 3, stride=2, padding=1, dilation=2)
    padded = np.pad(x, [(0, 0), (0, 0), (1, 1)], constant_values=-np.inf)
    expected = np.stack([padded[:, :, [i * 2, i * 2 + 2, i * 2 + 4]].max(axis=2) for i in range(4)], axis=2)
    np.testing.assert_array_equal(y.numpy(), expected)


def test_max_pool2d_padding_is_never_selected():
    x = -np.ones((1, 1, 4, 4)) - RNG.uniform(size=(1, 1, 4, 4))
    y = F.max_pool2d(x, 2, padding=1)
    assert y.shape == (1, 1, 3, 3) and np.all(np.isfinite(y.numpy())) and np.all(y.numpy() < -1)
    with cr.detect_anomaly():
        x = cr.tensor(x, requires_grad=True)
        F.max_pool2d(x, 2, padding=1).sum().backward()
    assert set(np.unique(x.grad.numpy())) == {0.0, 1.0} and x.grad.numpy().sum() == 9


def test_avg_pool2d_padding_counts_or_not():
    x = np.ones((1, 1, 4, 4))
    np.testing.assert_allclose(F.avg_pool2d(x, 2, padding=1).numpy()[0, 0, 0, 0], 0.25)
    np.testing.assert_allclose(F.avg_pool2d(x, 2, padding=1, count_include_pad=False).numpy(), np.ones((1, 1, 3, 3)))
    np.testing.assert_allclose(F.avg_pool2d(x, 2, divisor_override=2).numpy(), 2 * np.ones((1, 1, 2, 2)))


def test_pooling_gradients_match_finite_differences():
    x = RNG.permutation(72).reshape(2, 1, 6, 6) * 0.1

    def loss(x):
        return (F.max_pool2d(x, 3, stride=2, padding=1) ** 2).sum() + (F.avg_pool2d(x, (2, 3), stride=1) ** 2).sum()

    cr.check_grad(loss, x)


def test_max_pool_refuses_ceil_mode():
    with pytest.raises(NotImplementedError, match="ceil_mode"):
        F.max_pool2d(np.zeros((1, 1, 4, 4)), 2, ceil_mode=True)


# ----------------------------------------------------------------- linear, activations
def test_linear_is_x_wT_plus_b_with_its_gradients():
    x = cr.tensor(RNG.normal(size=(4, 3)), requires_grad=True)
    w = cr.tensor(RNG.normal(size=(2, 3)), requires_grad=True)
    b = cr.tensor(RNG.normal(size=2), requires_grad=True)
    y = F.linear(x, w, b)
    np.testing.assert_allclose(y.numpy(), x.numpy() @ w.numpy().T + b.numpy(), rtol=1e-12)
    g = RNG.normal(size=(4, 2))
    y.backward(g)
    np.testing.assert_allclose(x.grad.numpy(), g @ w.numpy(), rtol=1e-12)
    np.testing.assert_allclose(w.grad.numpy(), g.T @ x.numpy(), rtol=1e-12)
    np.testing.assert_allclose(b.grad.numpy(), g.sum(axis=0), rtol=1e-12)
    np.testing.assert_allclose(F.linear(x, w).numpy(), x.numpy() @ w.numpy().T, rtol=1e-12)


def test_linear_refuses_mismatched_features():
    with pytest.raises(ValueError, match="3 features"):
        F.linear(np.zeros((2, 4)), np.zeros((5, 3)))


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


# -------------------------------------------------------------------- softmax, losses
def test_softmax_and_log_softmax_are_stable_and_consistent():
    x = np.array([[1e4, 0.0, -1e4], [1.0, 2.0, 3.0]], dtype=np.float32)
    p = F.softmax(x, dim=1).numpy()
    assert np.all(np.isfinite(p))
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-6)
    np.testing.assert_allclose(p[1], np.exp([1, 2, 3]) / np.exp([1, 2, 3]).sum(), rtol=1e-6)
    np.testing.assert_allclose(F.log_softmax(x, dim=1).numpy()[0], [0.0, -1e4, -2e4])
    np.testing.assert_allclose(F.softmax(x.T, axis=0).numpy(), p.T)


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


# ------------------------------------------------------------------- dropout, batch norm
def test_dropout_scales_kept_elements_and_is_identity_in_eval():
    x = np.ones((200, 50))
    cr.random.seed(3)
    y = F.dropout(x, p=0.2).numpy()
    assert set(np.unique(y)) == {0.0, 1.25}
    assert abs((y == 0).mean() - 0.2) < 0.02
    np.testing.assert_array_equal(F.dropout(x, p=0.2, training=False).numpy(), x)
    np.testing.assert_array_equal(F.dropout(x, p=1.0).numpy(), np.zeros_like(x))
    cr.random.seed(3)
    np.testing.assert_array_equal(F.dropout(x, p=0.2).numpy(), y)


def test_dropout_gradient_is_the_scaled_mask():
    x = cr.tensor(np.ones(100), requires_grad=True)
    y = F.dropout(x, p=0.5)
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), y.numpy())


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
