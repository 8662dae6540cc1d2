"""The lecture's worked examples, number for number.

* f(x1, x2) = ln(x1) + x1*x2 - sin(x2) at (2, 5): y = 11.652, df/dx1 = 5.5 (forward
  tangent trace and reverse adjoint trace), df/dx2 = 2 - cos(5).
* the two-layer network L = ||ReLU(X W1) W2||^2 with the hand-written NumPy backprop.
* least squares L = 1/N sum (w^T x_i - y_i)^2 with grad 2/N X^T (Xw - y).
"""

import numpy as np
import pytest

import chainrule as cr


def to_np(value):
    if hasattr(value, "numpy"):
        return np.asarray(value.numpy())
    return np.asarray(value)


def lecture_f(x1, x2):
    return cr.log(x1) + x1 * x2 - cr.sin(x2)


X1, X2 = 2.0, 5.0
DF_DX1 = 5.5
DF_DX2 = 2.0 - np.cos(5.0)  # 1.7163...


# ------------------------------------------------------------ the scalar example


def test_primal_value_is_11_652():
    y = lecture_f(cr.tensor(np.array(X1)), cr.tensor(np.array(X2)))
    assert round(y.item(), 3) == 11.652
    assert y.item() == pytest.approx(np.log(2.0) + 10.0 - np.sin(5.0), rel=1e-14)


def test_primal_value_in_default_float32():
    y = lecture_f(cr.tensor(X1), cr.tensor(X2))
    assert y.dtype == np.dtype(np.float32)
    assert round(float(y.item()), 3) == 11.652


def test_forward_mode_tangent_trace_gives_5_5():
    primals = (np.array(X1), np.array(X2))
    y, ydot = cr.jvp(lecture_f, primals, (np.array(1.0), np.array(0.0)))
    assert round(to_np(y).item(), 3) == 11.652
    assert to_np(ydot).item() == pytest.approx(DF_DX1, rel=1e-14)


def test_forward_mode_with_tangent_on_x2():
    primals = (np.array(X1), np.array(X2))
    _, ydot = cr.jvp(lecture_f, primals, (np.array(0.0), np.array(1.0)))
    assert to_np(ydot).item() == pytest.approx(DF_DX2, rel=1e-12)
    assert round(to_np(ydot).item(), 3) == 1.716


def test_reverse_mode_backward_gives_both_partials():
    x1 = cr.tensor(np.array(X1), requires_grad=True)
    x2 = cr.tensor(np.array(X2), requires_grad=True)
    y = lecture_f(x1, x2)
    y.backward()
    assert x1.grad.item() == pytest.approx(DF_DX1, rel=1e-14)
    assert x2.grad.item() == pytest.approx(DF_DX2, rel=1e-12)


def test_reverse_mode_backward_in_float32():
    x1 = cr.tensor(X1, requires_grad=True)
    x2 = cr.tensor(X2, requires_grad=True)
    lecture_f(x1, x2).backward()
    assert x1.grad.dtype == np.dtype(np.float32)
    assert x1.grad.item() == pytest.approx(DF_DX1, rel=1e-6)
    assert x2.grad.item() == pytest.approx(DF_DX2, rel=1e-5)


def test_reverse_mode_grad_transform():
    g1, g2 = cr.grad(lecture_f, argnums=(0, 1))(np.array(X1), np.array(X2))
    assert to_np(g1).item() == pytest.approx(DF_DX1, rel=1e-14)
    assert to_np(g2).item() == pytest.approx(DF_DX2, rel=1e-12)
    assert to_np(cr.grad(lecture_f)(np.array(X1), np.array(X2))).item() == pytest.approx(DF_DX1)


def test_forward_and_reverse_agree_with_numerical_gradient():
    args = (np.array(X1), np.array(X2))
    n1 = to_np(cr.numerical_grad(lecture_f, *args, argnums=0)).item()
    n2 = to_np(cr.numerical_grad(lecture_f, *args, argnums=1)).item()
    assert n1 == pytest.approx(DF_DX1, rel=1e-8)
    assert n2 == pytest.approx(DF_DX2, rel=1e-8)


# --------------------------------------------------------- the two-layer network


def _two_layer_data(seed=0, n=6, d=4, h=5, k=3):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    W_1 = rng.standard_normal((d, h))
    W_2 = rng.standard_normal((h, k))
    return X, W_1, W_2


def _lecture_numpy_backprop(X, W_1, W_2):
    # forward prop
    z_1 = np.dot(X, W_1)
    h_1 = np.maximum(z_1, 0)
    y_hat = np.dot(h_1, W_2)
    L = np.sum(y_hat ** 2)
    # backward prop
    dy_hat = 2.0 * y_hat
    dW2 = h_1.T.dot(dy_hat)
    dh1 = dy_hat.dot(W_2.T)
    dz1 = dh1.copy()
    dz1[z_1 < 0] = 0
    dW1 = X.T.dot(dz1)
    return L, dW1, dW2, h_1, y_hat


def test_two_layer_closed_forms_match_backward():
    X, W_1, W_2 = _two_layer_data()
    L_np, dW1_np, dW2_np, h_1, y_hat = _lecture_numpy_backprop(X, W_1, W_2)
    # the boxed formulas of the lecture
    np.testing.assert_allclose(dW2_np, 2 * h_1.T @ y_hat)
    np.testing.assert_allclose(dW1_np, X.T @ ((2 * y_hat @ W_2.T) * (h_1 > 0)))

    W1 = cr.tensor(W_1, requires_grad=True)
    W2 = cr.tensor(W_2, requires_grad=True)
    Xt = cr.tensor(X)
    L = cr.sum(((Xt @ W1).relu() @ W2) ** 2)
    L.backward()
    assert L.item() == pytest.approx(L_np, rel=1e-12)
    np.testing.assert_allclose(to_np(W2.grad), dW2_np, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(to_np(W1.grad), dW1_np, rtol=1e-10, atol=1e-12)


def test_two_layer_with_maximum_as_in_lecture_code_and_grad_transform():
    X, W_1, W_2 = _two_layer_data(seed=1)
    _, dW1_np, dW2_np, _, _ = _lecture_numpy_backprop(X, W_1, W_2)

    def loss(W1, W2):
        z_1 = cr.matmul(cr.tensor(X), W1)
        h_1 = cr.maximum(z_1, 0.0)
        y_hat = cr.matmul(h_1, W2)
        return cr.sum(y_hat ** 2)

    dW1, dW2 = cr.grad(loss, argnums=(0, 1))(W_1, W_2)
    np.testing.assert_allclose(to_np(dW1), dW1_np, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(to_np(dW2), dW2_np, rtol=1e-10, atol=1e-12)


def test_two_layer_gradients_agree_with_numerical_gradient():
    X, W_1, W_2 = _two_layer_data(seed=2)
    _, dW1_np, dW2_np, _, _ = _lecture_numpy_backprop(X, W_1, W_2)

    def loss(W1, W2):
        return cr.sum(((cr.tensor(X) @ W1).relu() @ W2) ** 2)

    n1 = to_np(cr.numerical_grad(loss, W_1, W_2, argnums=0))
    n2 = to_np(cr.numerical_grad(loss, W_1, W_2, argnums=1))
    np.testing.assert_allclose(n1, dW1_np, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(n2, dW2_np, rtol=1e-5, atol=1e-6)


# ------------------------------------------------------------- least squares


def _least_squares_data(seed=3, n=20, d=3):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    y = rng.standard_normal(n)
    w = rng.standard_normal(d)
    return X, y, w


def _analytic_least_squares_grad(X, y, w):
    return 2.0 / X.shape[0] * X.T @ (X @ w - y)


def test_least_squares_backward_equals_analytic_gradient():
    X, y, w0 = _least_squares_data()
    w = cr.tensor(w0, requires_grad=True)
    L = cr.mean((cr.tensor(X) @ w - cr.tensor(y)) ** 2)
    assert L.item() == pytest.approx(np.mean((X @ w0 - y) ** 2), rel=1e-12)
    L.backward()
    np.testing.assert_allclose(to_np(w.grad), _analytic_least_squares_grad(X, y, w0), rtol=1e-10)


def test_least_squares_sum_form_with_grad_transform():
    X, y, w0 = _least_squares_data(seed=4)
    N = X.shape[0]

    def loss(w):
        residual = cr.matmul(cr.tensor(X), w) - cr.tensor(y)
        return (1.0 / N) * cr.sum(residual * residual)

    np.testing.assert_allclose(to_np(cr.grad(loss)(w0)), _analytic_least_squares_grad(X, y, w0), rtol=1e-10)


@pytest.mark.parametrize("method, rtol", [("central", 1e-7), ("forward", 1e-5), ("backward", 1e-5)])
def test_least_squares_numerical_gradient_agrees(method, rtol):
    X, y, w0 = _least_squares_data(seed=5)

    def loss(w):
        return cr.mean((cr.matmul(cr.tensor(X), w) - cr.tensor(y)) ** 2)

    numeric = to_np(cr.numerical_grad(loss, w0, method=method))
    assert numeric.shape == w0.shape
    analytic = _analytic_least_squares_grad(X, y, w0)
    np.testing.assert_allclose(numeric, analytic, rtol=rtol, atol=1e-7)
    ad = to_np(cr.grad(loss)(w0))
    np.testing.assert_allclose(numeric, ad, rtol=rtol, atol=1e-7)
