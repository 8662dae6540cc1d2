"""numerical_grad and check_grad: the referee and the comparison."""

import numpy as np
import pytest

import chainrule as cr


def quadratic(w):
    return (w * w * w).sum() + (w * 2.0).sum()


def test_numerical_grad_central_is_accurate_in_float64():
    w = np.array([0.5, -1.5, 3.0])
    g = cr.numerical_grad(quadratic, w)
    assert g.dtype == np.float64
    np.testing.assert_allclose(g.numpy(), 3 * w ** 2 + 2, rtol=1e-9)


@pytest.mark.parametrize("method", ["forward", "backward"])
def test_one_sided_differences_are_first_order_accurate(method):
    w = np.array([0.5, -1.5, 3.0])
    g = cr.numerical_grad(quadratic, w, method=method)
    np.testing.assert_allclose(g.numpy(), 3 * w ** 2 + 2, rtol=1e-6)
    assert not np.allclose(g.numpy(), 3 * w ** 2 + 2, rtol=1e-12, atol=0)  # O(h), not exact


def test_numerical_grad_reproduces_the_lecture_difference_quotient():
    # the lecture's W = [1, 2; 3, 4] with a step h = 0.001 on W_1 is (L(W+h) - L(W)) / h
    X = np.array([[1.0, 0.5], [-0.5, 2.0]])

    def loss(W):
        return ((W @ X) ** 2).sum()

    W = np.array([[1.0, 2.0], [3.0, 4.0]])
    g = cr.numerical_grad(loss, W, eps=1e-3, method="forward").numpy()
    W_h = W.copy()
    W_h[0, 0] += 1e-3
    expected = (loss(cr.tensor(W_h)).item() - loss(cr.tensor(W)).item()) / 1e-3
    assert g[0, 0] == pytest.approx(expected, rel=1e-9)


def test_numerical_grad_with_tuple_argnums_returns_a_tuple():
    g1, g2 = cr.numerical_grad(lambda a, b: (a * b).sum(), np.array([1.0, 2.0]), np.array([3.0, 4.0]),
                               argnums=(0, 1))
    np.testing.assert_allclose(g1.numpy(), [3.0, 4.0], rtol=1e-9)
    np.testing.assert_allclose(g2.numpy(), [1.0, 2.0], rtol=1e-9)


def test_numerical_grad_refuses_unknown_method_and_non_scalar_output():
    with pytest.raises(ValueError, match="method"):
        cr.numerical_grad(quadratic, np.ones(2), method="sideways")
    with pytest.raises(TypeError, match="scalar"):
        cr.numerical_grad(lambda w: w * 2, np.ones(2))


def test_check_grad_returns_a_report_that_prints_as_a_table():
    report = cr.check_grad(lambda a, b: (cr.tanh(a) * b).sum(), np.array([0.1, 0.2]), np.array([1.0, -2.0]),
                           order=2)
    assert report.passed
    text = str(report)
    assert "reverse mode" in text and "forward mode" in text and "Hessian-vector" in text
    assert report.max_rel_error < 1e-6


def test_check_grad_names_argument_index_and_values_on_a_wrong_gradient():
    class WrongSquare(cr.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 3 * x * g  # wrong: should be 2x

    with pytest.raises(cr.GradientCheckError) as info:
        cr.check_grad(lambda x: WrongSquare.apply(x).sum(), np.array([1.0, 2.0]))
    message = str(info.value)
    assert "argument 0" in message and "index (1,)" in message  # the worst element: 6 vs 4
    assert "AD value 6" in message and "numerical value 4" in message and "relative error" in message
    assert isinstance(info.value, AssertionError)


def test_check_grad_order_two_catches_a_wrong_second_derivative():
    @cr.custom_vjp
    def cube(x):
        return x * x * x

    # the residual is cut out of the graph, so the gradient 3x² is right but constant in x
    cube.defvjp(lambda x: (x * x * x, cr.stop_gradient(x)), lambda x, g: (3 * x * x * g,))
    assert cr.check_grad(lambda x: cube(x).sum(), np.array([1.5]), order=1).passed
    with pytest.raises(cr.GradientCheckError, match="Hessian-vector"):
        cr.check_grad(lambda x: cube(x).sum(), np.array([1.5]), order=2)


class _SquareGate(cr.Function):
    """The lecture's gate API: forward and backward only (no forward mode)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return 2 * x * g


class _WrongGate(_SquareGate):
    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return 3 * x * g


def test_check_grad_checks_a_backward_only_function_and_says_which_mode_it_skipped():
    report = cr.check_grad(lambda x: _SquareGate.apply(x).sum(), np.array([1.0, 2.0]), order=2)
    assert report.passed
    assert [check for check, _ in report.skipped] == ["directional derivative (forward mode)"]
    assert "jvp" in report.skipped[0][1]
    assert "skipped: directional derivative (forward mode)" in str(report)
    assert "Hessian-vector product (rev over rev)" in str(report)


def test_check_grad_still_catches_a_wrong_backward_only_function():
    with pytest.raises(cr.GradientCheckError, match="reverse mode"):
        cr.check_grad(lambda x: _WrongGate.apply(x).sum(), np.array([1.0, 2.0]))


def test_check_grad_modes_chooses_the_checks():
    report = cr.check_grad(lambda x: (x * x).sum(), np.array([1.0, 2.0]), modes=("fwd",))
    assert [row["check"] for row in report.rows] == ["directional derivative (forward mode)"]
    with pytest.raises(ValueError, match="modes"):
        cr.check_grad(lambda x: x.sum(), np.ones(2), modes=("sideways",))
