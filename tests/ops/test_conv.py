"""The convolution and pooling primitives against naive loop references, their adjoint
identities, and the max-pool tie rule. (Finite-difference checks of every rule, to
second order, run in test_registry.py from the samples declared with each primitive.)"""

import itertools

import numpy as np
import pytest

import chainrule as cr
from chainrule.ops import conv as C

RNG = np.random.default_rng(0)


def naive_conv(x, w, stride, dilation):
    """y[n,o,p] = Σ_{c,k} x[n,c,p·s+k·d] w[o,c,k], one output position at a time."""
    spatial = x.shape[2:]
    kernel = w.shape[2:]
    out = tuple((s - d * (k - 1) - 1) // st + 1 for s, k, st, d in zip(spatial, kernel, stride, dilation))
    y = np.zeros((x.shape[0], w.shape[0]) + out)
    for p in itertools.product(*[range(o) for o in out]):
        for k in itertools.product(*[range(kk) for kk in kernel]):
            q = tuple(pi * s + ki * d for pi, ki, s, d in zip(p, k, stride, dilation))
            y[(slice(None), slice(None)) + p] += x[(slice(None), slice(None)) + q] @ w[(slice(None), slice(None)) + k].T
    return y


def naive_pool(x, kernel, stride, dilation, reduce):
    out = tuple((s - d * (k - 1) - 1) // st + 1 for s, k, st, d in zip(x.shape[2:], kernel, stride, dilation))
    y = np.zeros(x.shape[:2] + out)
    for p in itertools.product(*[range(o) for o in out]):
        window = [x[(slice(None), slice(None)) + tuple(pi * s + ki * d for pi, ki, s, d in zip(p, k, stride, dilation))]
                  for k in itertools.product(*[range(kk) for kk in kernel])]
        y[(slice(None), slice(None)) + p] = reduce(np.stack(window, axis=-1), axis=-1)
    return y


CONV_CASES = [
    ((2, 3, 9), (4, 3, 3), (1,), (1,)),
    ((2, 3, 10), (4, 3, 3), (2,), (1,)),
    ((1, 2, 11), (3, 2, 2), (3,), (2,)),
    ((2, 2, 6, 7), (3, 2, 3, 3), (1, 1), (1, 1)),
    ((1, 3, 8, 9), (2, 3, 2, 3), (2, 3), (1, 1)),
    ((2, 1, 9, 8), (2, 1, 3, 2), (1, 2), (2, 3)),
]


@pytest.mark.parametrize("x_shape,w_shape,stride,dilation", CONV_CASES)
def test_conv_matches_naive_loops(x_shape, w_shape, stride, dilation):
    x, w = RNG.normal(size=x_shape), RNG.normal(size=w_shape)
    expected = naive_conv(x, w, stride, dilation)
    np.testing.assert_allclose(C.conv(x, w, stride, dilation), expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("x_shape,w_shape,stride,dilation", CONV_CASES)
def test_conv_transpose_and_weight_adjoint_are_the_adjoints_of_conv(x_shape, w_shape, stride, dilation):
    """<conv(x, w), g> = <x, conv_transpose(g, w)> = <w, conv_weight_adjoint(x, g)>."""
    x, w = RNG.normal(size=x_shape), RNG.normal(size=w_shape)
    y = C.conv(x, w, stride, dilation)
    g = RNG.normal(size=y.shape)
    x_bar = C.conv_transpose(g, w, stride, dilation, x.shape[2:])
    w_bar = C.conv_weight_adjoint(x, g, stride, dilation, w.shape[2:])
    assert x_bar.shape == x.shape and w_bar.shape == w.shape
    np.testing.assert_allclose(np.sum(x * x_bar), np.sum(y * g), rtol=1e-12)
    np.testing.assert_allclose(np.sum(w * w_bar), np.sum(y * g), rtol=1e-12)


def test_conv_keeps_float32():
    x = RNG.normal(size=(1, 2, 6)).astype(np.float32)
    w = RNG.normal(size=(3, 2, 2)).astype(np.float32)
    assert C.conv(x, w, (1,), (1,)).dtype == np.float32


def test_conv_gradient_reaches_tensors_through_the_tape():
    x = cr.tensor(RNG.normal(size=(2, 2, 5, 5)), requires_grad=True)
    w = cr.tensor(RNG.normal(size=(3, 2, 2, 2)), requires_grad=True)
    y = C.conv(x, w, (2, 1), (1, 2))
    g = RNG.normal(size=y.shape)
    y.backward(g)
    np.testing.assert_allclose(x.grad.numpy(), C.conv_transpose(g, w.numpy(), (2, 1), (1, 2), (5, 5)))
    np.testing.assert_allclose(w.grad.numpy(), C.conv_weight_adjoint(x.numpy(), g, (2, 1), (1, 2), (2, 2)))


@pytest.fixture(params=["compiled", "numpy"])
def pool_path(request, monkeypatch):
    """Max pooling through numba's kernels (where installed) and through the NumPy implementations."""
    if request.param == "numpy":
        monkeypatch.setattr(C.pool_kernels, "kernels", lambda: None)
    elif C.pool_kernels.kernels() is None:
        pytest.skip("numba is not installed")
    return request.param


POOL_CASES = [
    ((2, 3, 8), (2,), (2,), (1,)),
    ((1, 2, 9), (3,), (2,), (2,)),
    ((2, 2, 6, 6), (2, 2), (2, 2), (1, 1)),
    ((1, 3, 7, 8), (3, 2), (1, 2), (1, 1)),
    ((2, 1, 9, 9), (2, 3), (2, 1), (2, 2)),
]


@pytest.mark.usefixtures("pool_path")
@pytest.mark.parametrize("shape,kernel,stride,dilation", POOL_CASES)
def test_max_pool_matches_naive_loops(shape, kernel, stride, dilation):
    x = RNG.normal(size=shape)
    expected = naive_pool(x, kernel, stride, dilation, np.max)
    np.testing.assert_array_equal(C.max_pool(x, kernel, stride, dilation), expected)


@pytest.mark.parametrize("shape,kernel,stride,dilation", [c for c in POOL_CASES if c[3] == (1,) * len(c[1])])
def test_avg_pool_matches_naive_loops(shape, kernel, stride, dilation):
    x = RNG.normal(size=shape)
    np.testing.assert_allclose(C.avg_pool(x, kernel, stride), naive_pool(x, kernel, stride, dilation, np.mean),
                               rtol=1e-12)


@pytest.mark.usefixtures("pool_path")
@pytest.mark.parametrize("shape,kernel,stride,dilation", POOL_CASES)
def test_max_pool_gradient_goes_to_each_window_argmax(shape, kernel, stride, dilation):
    """Overlapping windows (stride < kernel) that share an argmax add their gradients there."""
    x = RNG.normal(size=shape)
    y = C.max_pool(x, kernel, stride, dilation)
    g = RNG.normal(size=y.shape)
    expected = np.zeros_like(x)
    for index in np.ndindex(*y.shape):
        n, c, p = index[0], index[1], index[2:]
        positions = [tuple(pi * s + ki * d for pi, ki, s, d in zip(p, k, stride, dilation))
                     for k in itertools.product(*[range(kk) for kk in kernel])]
        best = max(positions, key=lambda q: x[(n, c) + q])
        expected[(n, c) + best] += g[index]
    arg = C.max_pool_argmax(x, kernel, stride, dilation)
    np.testing.assert_allclose(C.max_pool_scatter(g, arg, kernel, stride, dilation, x.shape[2:]), expected,
                               rtol=1e-12)
    np.testing.assert_allclose(np.sum(C.max_pool_gather(x, arg, kernel, stride, dilation) * g), np.sum(x * expected))


@pytest.mark.usefixtures("pool_path")
def test_max_pool_ties_send_the_gradient_to_the_first_tap_in_row_major_order():
    x = cr.tensor(np.array([[[[1.0, 3.0], [3.0, 3.0]]]]), requires_grad=True)
    C.max_pool(x, (2, 2), (2, 2), (1, 1)).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [[[[0.0, 1.0], [0.0, 0.0]]]])


@pytest.mark.parametrize("shape,kernel,stride,dilation", POOL_CASES)
def test_compiled_max_pooling_agrees_with_numpy_on_strided_views_and_integers(shape, kernel, stride, dilation,
                                                                              monkeypatch):
    if C.pool_kernels.kernels() is None:
        pytest.skip("numba is not installed")
    x = RNG.normal(size=shape[:1] + shape[2:] + shape[1:2]).astype(np.float32)
    x = np.moveaxis(x, -1, 1)                          # channels last in memory, as a conv's product may be
    values = [x, np.round(x * 10).astype(np.int64)]
    compiled = [(C.max_pool_argmax(v, kernel, stride, dilation), C.max_pool(v, kernel, stride, dilation))
                for v in values]
    arg = compiled[0][0]
    g = RNG.normal(size=arg.shape).astype(np.float32)
    scattered = C.max_pool_scatter(g, arg, kernel, stride, dilation, shape[2:])
    monkeypatch.setattr(C.pool_kernels, "kernels", lambda: None)
    for v, (a, y) in zip(values, compiled):
        np.testing.assert_array_equal(a, C.max_pool_argmax(v, kernel, stride, dilation))
        np.testing.assert_array_equal(y, C.max_pool(v, kernel, stride, dilation))
    np.testing.assert_allclose(scattered, C.max_pool_scatter(g, arg, kernel, stride, dilation, shape[2:]), rtol=1e-6)


@pytest.mark.parametrize("shape,kernel,stride", [((2, 3, 7, 6), (2, 3), (2, 1)), ((1, 2, 9), (3,), (2,))])
def test_avg_pool_transpose_is_the_adjoint_of_avg_pool(shape, kernel, stride):
    x = RNG.normal(size=shape)
    y = C.avg_pool(x, kernel, stride)
    g = RNG.normal(size=y.shape)
    x_bar = C.avg_pool_transpose(g, kernel, stride, shape[2:])
    np.testing.assert_allclose(np.sum(x_bar * x), np.sum(g * y), rtol=1e-12)


def test_conv_second_derivative_in_the_weight_is_a_convolution_again():
    """grad of w ↦ ½‖conv(x, w)‖² is conv_weight_adjoint(x, conv(x, w)); its Hessian-vector
    product along v is conv_weight_adjoint(x, conv(x, v))."""
    x = RNG.normal(size=(2, 2, 6, 5))
    w, v = RNG.normal(size=(3, 2, 2, 2)), RNG.normal(size=(3, 2, 2, 2))

    def f(weight):
        y = C.conv(x, weight, (1, 2), (2, 1))
        return 0.5 * (y * y).sum()

    expected = C.conv_weight_adjoint(x, C.conv(x, v, (1, 2), (2, 1)), (1, 2), (2, 1), (2, 2))
    np.testing.assert_allclose(cr.hvp(f, (w,), (v,)).numpy(), expected, rtol=1e-10)
