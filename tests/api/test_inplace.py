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


# ------------------------------------------------- in-place changes after a value was used
def test_an_op_recorded_before_an_in_place_change_keeps_its_history():
    # PyTorch gives [3, 3] (and [1, 1] with h = x + 1): the sum used h before it was multiplied
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    h = x * 3
    y = h.sum()
    h.mul_(10)
    y.backward()
    np.testing.assert_array_equal(x.grad.numpy(), [3.0, 3.0])
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    h = x + 1
    y = h.sum()
    h.mul_(10)
    y.backward()
    np.testing.assert_array_equal(x.grad.numpy(), [1.0, 1.0])


def test_ops_before_and_after_an_in_place_change_each_see_their_own_value():
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    h = x * 3
    before = h.sum()          # d/dx = 3
    h.mul_(10)
    h.add_(1.0)
    after = h.sum()           # d/dx = 30
    h[0] = 5.0
    last = (h * h).sum()      # h = [5, 61]: d/dx = [0, 2·61·30]
    (before + after + last).backward()
    np.testing.assert_array_equal(x.grad.numpy(), [33.0, 33.0 + 2 * 61 * 30])


def test_an_in_place_change_of_a_value_a_backward_rule_reads_still_raises():
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    h = x * 2
    y = (h * h).sum()
    h.mul_(3)
    with pytest.raises(cr.BackwardError, match="modified by an in-place operation"):
        y.backward()
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    e = x.exp()
    y = e.sum()
    with cr.no_grad():
        e.mul_(2.0)  # exp's rule reads its output
    with pytest.raises(cr.BackwardError, match="exp"):
        y.backward()


def test_an_in_place_change_of_a_value_no_rule_reads_is_harmless():
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    h = x * 1.0               # mul's rule for x reads only the other factor
    y = h.sum()
    with cr.no_grad():
        h.mul_(2.0)
    y.backward()
    np.testing.assert_array_equal(x.grad.numpy(), [1.0, 1.0])


def test_a_view_used_after_its_base_changed_in_place_follows_the_base():
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    b = x * 2
    v = b[0:1]
    early = v.sum()           # v = 2x0 at the time: d/dx0 = 2
    b.mul_(3)
    late = (v * v).sum()      # v = 6x0 now: d/dx0 = 2·6·6 = 72 (as PyTorch)
    (early + late).backward()
    np.testing.assert_array_equal(x.grad.numpy(), [74.0, 0.0])


def test_changing_a_view_in_place_while_recording_is_refused():
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    b = x * 2
    with pytest.raises(cr.BackwardError, match="view"):
        b[0:1].mul_(3)
    buffer = cr.zeros(4)
    with pytest.raises(cr.BackwardError, match="view"):
        buffer[0:2].copy_(x)
    with cr.no_grad():
        b[0:1].mul_(3)        # outside recording a view may change
    np.testing.assert_array_equal(b.numpy(), [6.0, 4.0])
