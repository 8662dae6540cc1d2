"""Tensor.backward on the eager tape: accumulation, retain_graph, create_graph,
in-place version checks, leaves without gradient, no_grad and detect_anomaly."""

import re
import time

import numpy as np
import pytest

import chainrule as cr
from helpers import assert_close, to_np


def leaf(values):
    return cr.tensor(np.asarray(values, dtype=np.float64), requires_grad=True)


# ----------------------------------------------------------------- basics


def test_backward_of_scalar_fills_grad_with_the_derivative():
    x = leaf([1.0, -2.0, 0.5])
    y = (x * x).sum()
    y.backward()
    assert isinstance(x.grad, cr.Tensor)
    assert x.grad.shape == x.shape
    assert_close(x.grad, 2 * np.array([1.0, -2.0, 0.5]))


def test_gradients_accumulate_across_backward_calls():
    data = np.array([1.0, -2.0, 0.5])
    x = leaf(data)
    (x * x).sum().backward()
    (x * x).sum().backward()
    assert_close(x.grad, 4 * data)
    (3.0 * x).sum().backward()
    assert_close(x.grad, 4 * data + 3.0)


def test_setting_grad_to_none_resets_it():
    data = np.array([1.0, 2.0])
    x = leaf(data)
    (x * x).sum().backward()
    x.grad = None
    assert x.grad is None
    (x * x * x).sum().backward()
    assert_close(x.grad, 3 * data ** 2)


def test_backward_on_non_scalar_without_gradient_raises():
    x = leaf([1.0, 2.0, 3.0])
    y = x * 2.0
    with pytest.raises((RuntimeError, ValueError)):
        y.backward()


def test_backward_on_non_scalar_with_gradient_is_a_vjp():
    data = np.array([1.0, 2.0, 3.0])
    v = np.array([0.5, -1.0, 2.0])
    x = leaf(data)
    y = x * x
    y.backward(gradient=cr.tensor(v))
    assert_close(x.grad, 2 * data * v)


def test_tensor_used_several_times_gets_the_sum_of_its_contributions():
    data = np.array([0.3, -1.2, 2.0])
    x = leaf(data)
    y = (x * x + 3.0 * x + cr.sin(x) + x / 2.0).sum()
    y.backward()
    assert_close(x.grad, 2 * data + 3.0 + np.cos(data) + 0.5)


def test_repeated_advanced_index_accumulates_gradient():
    x = leaf([1.0, 2.0, 3.0, 4.0])
    y = x[[0, 0, 2, 0]].sum() + x[1:3].sum()
    y.backward()
    assert_close(x.grad, [3.0, 1.0, 2.0, 0.0])


def test_broadcast_operand_gets_gradient_reduced_to_its_shape():
    a = leaf(np.arange(6.0).reshape(2, 3))
    b = leaf([1.0, 2.0, 3.0])
    c = leaf([[10.0], [20.0]])
    ((a * b) + c).sum().backward()
    assert_close(a.grad, np.broadcast_to([1.0, 2.0, 3.0], (2, 3)))
    assert_close(b.grad, np.arange(6.0).reshape(2, 3).sum(axis=0))
    assert_close(c.grad, [[3.0], [3.0]])


def test_million_op_chain_runs_backward_without_recursion_error():
    n = 1_000_000
    c = 1.0000001
    x = leaf(1.0)
    y = x
    start = time.perf_counter()
    for _ in range(n):
        y = y * c
    y.backward()
    elapsed = time.perf_counter() - start
    assert x.grad is not None
    assert x.grad.item() == pytest.approx(c ** n, rel=1e-8)
    # "a 10^6-op chain runs backward in seconds" -- generous bound for slow CI
    assert elapsed < 60.0


# ----------------------------------------------------------- retain_graph


def test_second_backward_without_retain_graph_raises_and_mentions_retain_graph():
    x = leaf([0.5, 1.5])
    y = (x.exp() * x).sum()
    y.backward()
    with pytest.raises(RuntimeError, match=re.escape("retain_graph=True")):
        y.backward()


def test_second_backward_with_retain_graph_works_and_accumulates():
    data = np.array([0.5, 1.5])
    x = leaf(data)
    y = (x.exp() * x).sum()
    y.backward(retain_graph=True)
    first = to_np(x.grad).copy()
    assert_close(first, np.exp(data) * (1 + data))
    y.backward()
    assert_close(x.grad, 2 * first)


# ----------------------------------------------------------- create_graph


@pytest.mark.parametrize(
    "cube",
    [lambda x: x ** 3, lambda x: x * x * x, lambda x: cr.power(x, 3)],
    ids=["pow", "mul", "power"],
)
def test_create_graph_gives_second_derivative_of_cube(cube):
    data = np.array([1.5, -0.7, 2.0])
    x = leaf(data)
    cube(x).sum().backward(create_graph=True)
    g = x.grad
    assert_close(g, 3 * data ** 2)
    assert g.requires_grad is True
    x.grad = None
    g.sum().backward()
    assert_close(x.grad, 6 * data)


def test_create_graph_third_derivative_of_sin():
    data = np.array([0.3, 1.1])
    x = leaf(data)
    cr.sin(x).sum().backward(create_graph=True)
    g1 = x.grad
    x.grad = None
    g1.sum().backward(create_graph=True)
    g2 = x.grad
    assert_close(g2, -np.sin(data))
    x.grad = None
    g2.sum().backward()
    assert_close(x.grad, -np.cos(data))


def test_backward_without_create_graph_gives_grad_without_history():
    x = leaf([1.0, 2.0])
    (x * x).sum().backward()
    assert x.grad.requires_grad is False


# ---------------------------------------------------------- in-place ops


def test_inplace_methods_update_values():
    x = cr.tensor(np.arange(4.0))
    x.add_(1.0)
    assert_close(x, [1.0, 2.0, 3.0, 4.0])
    x.sub_(cr.tensor(np.array([1.0, 1.0, 1.0, 1.0])))
    assert_close(x, [0.0, 1.0, 2.0, 3.0])
    x.mul_(2.0)
    assert_close(x, [0.0, 2.0, 4.0, 6.0])
    x.div_(4.0)
    assert_close(x, [0.0, 0.5, 1.0, 1.5])
    x.copy_(cr.tensor(np.array([9.0, 8.0, 7.0, 6.0])))
    assert_close(x, [9.0, 8.0, 7.0, 6.0])
    x[1:3] = 0.0
    assert_close(x, [9.0, 0.0, 0.0, 6.0])
    x[x > 7.0] = -1.0
    assert_close(x, [-1.0, 0.0, 0.0, 6.0])
    x.zero_()
    assert_close(x, [0.0, 0.0, 0.0, 0.0])


def _setitem(w):
    w[0] = 5.0


INPLACE = {
    "add_": lambda w: w.add_(1.0),
    "sub_": lambda w: w.sub_(1.0),
    "mul_": lambda w: w.mul_(2.0),
    "div_": lambda w: w.div_(2.0),
    "zero_": lambda w: w.zero_(),
    "copy_": lambda w: w.copy_(cr.tensor(np.array([7.0, 8.0, 9.0]))),
    "setitem": _setitem,
}


@pytest.mark.parametrize("name", sorted(INPLACE))
def test_inplace_change_of_tensor_saved_by_mul_makes_backward_raise_naming_the_op(name):
    x = leaf([1.0, 2.0, 3.0])
    w = leaf([0.5, -1.0, 2.0])
    z = (x * w).sum()
    with cr.no_grad():
        INPLACE[name](w)
    with pytest.raises(RuntimeError) as info:
        z.backward()
    assert "mul" in str(info.value).lower()


def test_inplace_change_of_nonleaf_saved_by_mul_makes_backward_raise():
    x = leaf([0.1, 0.2, 0.3])
    w = leaf([1.0, 2.0, 3.0])
    a = x.exp()
    z = (a * w).sum()
    with cr.no_grad():
        a.mul_(2.0)
    with pytest.raises(RuntimeError) as info:
        z.backward()
    assert "mul" in str(info.value).lower()


def test_unmodified_saved_tensors_backward_fine():
    data = np.array([0.1, 0.2, 0.3])
    wdata = np.array([1.0, 2.0, 3.0])
    x = leaf(data)
    w = leaf(wdata)
    z = (x.exp() * w).sum()
    z.backward()
    assert_close(x.grad, np.exp(data) * wdata)
    assert_close(w.grad, np.exp(data))


def test_inplace_update_after_backward_then_new_forward_is_fine():
    # the optimizer pattern: step under no_grad, then a fresh forward/backward
    w = leaf([1.0, 2.0])
    (w * w).sum().backward()
    with cr.no_grad():
        w.sub_(0.25 * w.grad)
    w.grad = None
    assert_close(w, [0.5, 1.0])
    (w * w).sum().backward()
    assert_close(w.grad, [1.0, 2.0])


# ------------------------------------------------- leaves without gradient


class _FirstOnly(cr.Function):
    """out = 2a + b, but backward deliberately gives b no gradient."""

    @staticmethod
    def forward(ctx, a, b):
        return a * 2.0 + b

    @staticmethod
    def backward(ctx, g):
        return g * 2.0, None


def test_leaf_that_took_part_but_got_no_gradient_has_zero_grad():
    a = leaf([1.0, 2.0])
    b = leaf([[3.0, 4.0], [5.0, 6.0]])
    _FirstOnly.apply(a, b).sum().backward()
    assert_close(a.grad, [4.0, 4.0])
    assert b.grad is not None
    assert_close(b.grad, np.zeros((2, 2)))


def test_leaf_never_reached_keeps_none():
    a = leaf([1.0, 2.0])
    unused = leaf([3.0])
    other = leaf([4.0])
    _ = (other * 2.0).sum()  # a separate graph, never backpropagated
    (a * a).sum().backward()
    assert unused.grad is None
    assert other.grad is None


# ------------------------------------------------------------------ no_grad


def test_no_grad_stops_recording():
    data = np.array([1.0, 2.0])
    x = leaf(data)
    with cr.no_grad():
        y = x * 2.0
    assert y.requires_grad is False
    (y * x).sum().backward()
    assert_close(x.grad, 2.0 * data)  # y is a constant here


def test_recording_resumes_after_no_grad():
    x = leaf([1.0, 2.0])
    with cr.no_grad():
        pass
    y = x * 2.0
    assert y.requires_grad is True


# ---------------------------------------------------------- detect_anomaly


def test_nan_without_detect_anomaly_does_not_raise():
    with np.errstate(all="ignore"):
        y = cr.log(cr.tensor(np.array([-1.0, 1.0])))
    assert np.isnan(to_np(y)[0])


def test_detect_anomaly_names_log_producing_nan_in_forward():
    with np.errstate(all="ignore"):
        with pytest.raises((RuntimeError, ArithmeticError, ValueError)) as info:
            with cr.detect_anomaly():
                x = leaf([-1.0, 2.0])
                cr.log(x)
    assert "log" in str(info.value).lower()


def test_detect_anomaly_names_sqrt_whose_backward_produces_inf():
    with np.errstate(all="ignore"):
        with cr.detect_anomaly():
            x = leaf([0.0, 4.0])
            y = cr.sqrt(x).sum()  # forward is finite
            assert np.isfinite(y.item())
            with pytest.raises((RuntimeError, ArithmeticError, ValueError)) as info:
                y.backward()
    assert "sqrt" in str(info.value).lower()
