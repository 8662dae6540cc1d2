"""Pooling against naive references and finite differences."""

import itertools

import numpy as np
import pytest

import chainrule as cr
from chainrule.nn import functional as F

RNG = np.random.default_rng(1)


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


# -------------------------------------------------------------- avg_pool1d, adaptive
def test_avg_pool1d_averages_windows_and_can_leave_padding_out():
    x = np.arange(6.0).reshape(1, 1, 6)
    np.testing.assert_allclose(F.avg_pool1d(x, 2).numpy(), [[[0.5, 2.5, 4.5]]])
    np.testing.assert_allclose(F.avg_pool1d(x, 3, stride=2, padding=1).numpy(), [[[1 / 3, 2.0, 4.0]]])
    np.testing.assert_allclose(F.avg_pool1d(x, 3, stride=2, padding=1, count_include_pad=False).numpy(),
                               [[[0.5, 2.0, 4.0]]])


def test_adaptive_avg_pool_averages_pytorchs_overlapping_bins():
    x = RNG.normal(size=(1, 2, 5, 7))
    y = F.adaptive_avg_pool2d(x, (3, 2)).numpy()
    rows, cols = [(0, 2), (1, 4), (3, 5)], [(0, 4), (3, 7)]
    for i, (r0, r1) in enumerate(rows):
        for j, (c0, c1) in enumerate(cols):
            np.testing.assert_allclose(y[0, :, i, j], x[0, :, r0:r1, c0:c1].mean(axis=(1, 2)), rtol=1e-12)
    np.testing.assert_allclose(F.adaptive_avg_pool2d(x, 1).numpy()[..., 0, 0], x.mean(axis=(2, 3)), rtol=1e-12)
    assert F.adaptive_avg_pool2d(x, (None, 2)).shape == (1, 2, 5, 2)


def test_adaptive_and_avg_pool1d_gradients_match_finite_differences():
    x = RNG.normal(size=(1, 2, 5))
    weights = RNG.normal(size=(1, 2, 3))
    assert cr.check_grad(lambda v: (F.adaptive_avg_pool1d(v, 3) * weights).sum(), x).passed
    assert cr.check_grad(lambda v: (F.avg_pool1d(v, 2, stride=2, padding=1) * weights).sum(), x).passed


@pytest.mark.parametrize("output_size", [(3, 2), 4, (2, 7), (None, 3)])
def test_adaptive_avg_pool2d_matches_pytorch(against_torch, torch, output_size):
    against_torch(lambda v: F.adaptive_avg_pool2d(v, output_size),
                  lambda v: torch.nn.functional.adaptive_avg_pool2d(v, output_size), RNG.normal(size=(2, 3, 5, 7)))


def test_avg_pool1d_matches_pytorch(against_torch, torch):
    against_torch(lambda v: F.avg_pool1d(v, 3, stride=2, padding=1, count_include_pad=False),
                  lambda v: torch.nn.functional.avg_pool1d(v, 3, stride=2, padding=1, count_include_pad=False),
                  RNG.normal(size=(2, 3, 8)))
