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


# ------------------------------------------------------------------------ groups
def test_grouped_conv_is_each_group_convolved_on_its_own():
    x, w = RNG.normal(size=(2, 4, 7)), RNG.normal(size=(6, 2, 3))
    y = F.conv1d(x, w, groups=2).numpy()
    np.testing.assert_allclose(y[:, :3], naive_conv(x[:, :2], w[:3]), rtol=1e-10)
    np.testing.assert_allclose(y[:, 3:], naive_conv(x[:, 2:], w[3:]), rtol=1e-10)


def test_grouped_conv_refuses_indivisible_channels():
    with pytest.raises(ValueError, match="divisible by groups"):
        F.conv2d(np.zeros((1, 3, 4, 4)), np.zeros((2, 1, 3, 3)), groups=3)


# -------------------------------------------------------------------- transposed
def naive_conv_transpose(x, w, stride, padding, output_padding, dilation):
    """Scatter a scaled copy of the kernel from every input position, then crop the padding."""
    size = tuple((s - 1) * st + d * (k - 1) + 1 + e
                 for s, k, st, d, e in zip(x.shape[2:], w.shape[2:], stride, dilation, output_padding))
    y = np.zeros((x.shape[0], w.shape[1]) + size)
    for b, c in itertools.product(range(x.shape[0]), range(x.shape[1])):
        for p in itertools.product(*[range(v) for v in x.shape[2:]]):
            for k in itertools.product(*[range(v) for v in w.shape[2:]]):
                q = tuple(pi * s + ki * d for pi, ki, s, d in zip(p, k, stride, dilation))
                y[(b, slice(None)) + q] += x[(b, c) + p] * w[(c, slice(None)) + k]
    return y[(slice(None), slice(None)) + tuple(slice(pd, y.shape[2 + i] - pd) for i, pd in enumerate(padding))]


@pytest.mark.parametrize("shape, kernel, stride, padding, output_padding, dilation", [
    ((5,), (3,), (2,), (1,), (1,), (1,)), ((4,), (2,), (1,), (0,), (0,), (2,)),
    ((3, 4), (3, 2), (2, 3), (1, 0), (1, 2), (1, 1)), ((3, 3), (2, 2), (1, 1), (1, 1), (0, 1), (2, 2))])
def test_conv_transpose_matches_the_scatter_reference(shape, kernel, stride, padding, output_padding, dilation):
    x, w, b = RNG.normal(size=(2, 3) + shape), RNG.normal(size=(3, 2) + kernel), RNG.normal(size=2)
    f = F.conv_transpose1d if len(shape) == 1 else F.conv_transpose2d
    y = f(x, w, b, stride=stride, padding=padding, output_padding=output_padding, dilation=dilation)
    expected = naive_conv_transpose(x, w, stride, padding, output_padding, dilation)
    expected = expected + b.reshape((1, -1) + (1,) * len(shape))
    np.testing.assert_allclose(y.numpy(), expected, rtol=1e-10, atol=1e-12)


def test_conv_transpose_is_the_adjoint_of_conv_in_its_input():
    x, w = RNG.normal(size=(1, 2, 7, 6)), RNG.normal(size=(3, 2, 3, 3))
    y_bar = RNG.normal(size=F.conv2d(x, w, stride=2, padding=1).shape)
    lhs = (F.conv2d(x, w, stride=2, padding=1).numpy() * y_bar).sum()
    back = F.conv_transpose2d(y_bar, w, stride=2, padding=1, output_padding=(0, 1)).numpy()
    assert back.shape == x.shape
    np.testing.assert_allclose(lhs, (x * back).sum(), rtol=1e-10)


def test_conv_transpose_gradients_match_finite_differences():
    x, w, b = RNG.normal(size=(1, 2, 3)), RNG.normal(size=(2, 2, 3)), RNG.normal(size=2)
    weights = RNG.normal(size=(1, 2, 6))

    def loss(x, w, b):
        return (F.conv_transpose1d(x, w, b, stride=2, padding=1, output_padding=1) * weights).sum()

    assert cr.check_grad(loss, x, w, b, order=2).passed


def test_conv_transpose_refuses_an_output_padding_as_large_as_the_stride():
    with pytest.raises(ValueError, match="output_padding"):
        F.conv_transpose1d(np.zeros((1, 1, 4)), np.zeros((1, 1, 3)), stride=2, output_padding=2)


@pytest.mark.parametrize("kwargs", [{"stride": 2, "padding": 1, "output_padding": 1},
                                    {"stride": (1, 2), "dilation": (2, 1), "groups": 2},
                                    {"stride": 3, "padding": (2, 0), "output_padding": (2, 1), "groups": 2}])
def test_conv_transpose2d_matches_pytorch(against_torch, torch, kwargs):
    against_torch(lambda x, w, b: F.conv_transpose2d(x, w, b, **kwargs),
                  lambda x, w, b: torch.nn.functional.conv_transpose2d(x, w, b, **kwargs),
                  RNG.normal(size=(2, 4, 3, 4)), RNG.normal(size=(4, 3, 3, 2)), RNG.normal(size=6 if
                                                                                         kwargs.get("groups") else 3))


def test_grouped_conv1d_and_conv_transpose1d_match_pytorch(against_torch, torch):
    against_torch(lambda x, w: F.conv1d(x, w, stride=2, padding=1, groups=2),
                  lambda x, w: torch.nn.functional.conv1d(x, w, stride=2, padding=1, groups=2),
                  RNG.normal(size=(2, 4, 9)), RNG.normal(size=(6, 2, 3)))
    against_torch(lambda x, w: F.conv_transpose1d(x, w, stride=3, padding=2, output_padding=1, dilation=2),
                  lambda x, w: torch.nn.functional.conv_transpose1d(x, w, stride=3, padding=2, output_padding=1,
                                                                    dilation=2),
                  RNG.normal(size=(2, 3, 5)), RNG.normal(size=(3, 2, 3)))
