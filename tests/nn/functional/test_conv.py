"""conv1d and conv2d against a naive loop reference and finite differences."""

import itertools

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
