"""Tensor hooks and retain_grad, with PyTorch's semantics on the eager tape."""

import numpy as np
import pytest

import chainrule as cr


def test_a_hook_sees_the_gradient_and_may_replace_it():
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    h = x * 3
    seen = []
    h.register_hook(lambda g: seen.append(g.numpy().copy()))
    h.register_hook(lambda g: g * 2)
    (h * h).sum().backward()
    np.testing.assert_array_equal(seen[0], [6.0, 12.0])          # dL/dh = 2h
    np.testing.assert_array_equal(x.grad.numpy(), [36.0, 72.0])  # 3 · 2 · 2h


def test_a_hook_on_a_leaf_runs_before_accumulation_and_can_be_removed():
    w = cr.tensor([1.0, 1.0], requires_grad=True)
    handle = w.register_hook(lambda g: g * 0.5)
    (w * 4).sum().backward()
    np.testing.assert_array_equal(w.grad.numpy(), [2.0, 2.0])
    handle.remove()
    w.grad = None
    (w * 4).sum().backward()
    np.testing.assert_array_equal(w.grad.numpy(), [4.0, 4.0])
    with w.register_hook(lambda g: g * 0):
        w.grad = None
        (w * 4).sum().backward()
    np.testing.assert_array_equal(w.grad.numpy(), [0.0, 0.0])


def test_retain_grad_keeps_a_non_leaf_gradient_after_the_other_hooks():
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    h = x * 3
    h.retain_grad()
    h.register_hook(lambda g: g * 2)
    assert h.retains_grad and not x.retains_grad
    (h * h).sum().backward()
    np.testing.assert_array_equal(h.grad.numpy(), [12.0, 24.0])


def test_hooks_work_with_create_graph_and_refuse_wrong_shapes():
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    y = x * x
    y.register_hook(lambda g: g * x)              # a hook that depends on x: recorded with create_graph
    y.sum().backward(create_graph=True)
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, 8.0])  # 2x · x
    z = cr.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(ValueError, match="shape"):
        u = z * 1
        u.register_hook(lambda g: cr.ones(3))
        u.sum().backward()
    with pytest.raises(cr.BackwardError, match="does not require grad"):
        cr.tensor([1.0]).register_hook(lambda g: g)
