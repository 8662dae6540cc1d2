"""In-place changes and views: a view shares its base's version counter (as in PyTorch)."""

import numpy as np
import pytest

import chainrule as cr


def test_changing_the_base_in_place_is_seen_through_a_saved_view():
    x = cr.tensor(np.arange(4.0), requires_grad=True)
    w = cr.tensor(np.ones(2), requires_grad=True)
    view = x.detach()[1:3]           # a view of x's memory, outside the graph
    y = (view * w).sum()             # mul saves the view
    with cr.no_grad():
        x.add_(1.0)                  # changes the view's values too
    with pytest.raises(RuntimeError, match="mul"):
        y.backward()


def test_changing_a_view_in_place_bumps_its_base():
    x = cr.tensor(np.arange(4.0))
    view = x[0:2]
    before = x.version
    view.mul_(2.0)
    assert x.version == before + 1 and view.version == x.version
    np.testing.assert_array_equal(x.numpy(), [0.0, 2.0, 2.0, 3.0])


def test_copies_do_not_share_the_counter():
    x = cr.tensor(np.arange(4.0))
    picked = x[np.array([0, 2])]     # advanced indexing copies
    x.add_(1.0)
    assert picked.version == 0


def test_an_optimizer_step_after_forward_is_detected_before_backward():
    w = cr.tensor(np.ones(3), requires_grad=True)
    loss = (w * w).sum()
    opt = cr.optim.SGD([w], lr=0.1)
    w.grad = cr.tensor(np.ones(3))
    opt.step()                       # updates w in place
    with pytest.raises(RuntimeError, match="modified by an in-place operation"):
        loss.backward()


def test_cr_tensor_copies_its_data_as_torch_tensor_and_np_array_do():
    source = np.arange(3.0)
    t = cr.tensor(source)
    source[0] = 100.0
    assert t.numpy()[0] == 0.0
    u = cr.tensor(t)
    u.add_(1.0)
    np.testing.assert_array_equal(t.numpy(), [0.0, 1.0, 2.0])
