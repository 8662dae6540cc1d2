"""SteepestDescent: the lecture's loop, its step, its norm and its two stopping reasons."""

import math

import numpy as np
import pytest

import chainrule as cr


def least_squares(seed=0, n=40, d=3):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    y = X @ np.array([1.5, -2.0, 0.5]) + 0.1 * rng.normal(size=n)
    return X, y


def make_closure(optimizer, w, X, y):
    """L(w) = 1/N ‖Xw − y‖², the lecture's analytic example."""
    def closure():
        optimizer.zero_grad()
        loss = ((cr.tensor(X) @ w - cr.tensor(y)) ** 2).mean()
        loss.backward()
        return loss

    return closure


def test_step_applies_w_minus_step_size_times_gradient_and_records_the_global_l2_norm():
    w = cr.tensor(np.array([1.0, -2.0]), requires_grad=True)
    v = cr.tensor(np.array([[3.0]]), requires_grad=True)
    opt = cr.optim.SteepestDescent([w, v], step_size=0.1)
    assert opt.previous_step_size == math.inf and opt.iters == 0 and not opt.stopped
    ((w * w).sum() + (v * v).sum()).backward()  # gradients 2w and 2v
    opt.step()
    np.testing.assert_allclose(w.numpy(), [0.8, -1.6])
    np.testing.assert_allclose(v.numpy(), [[2.4]])
    assert opt.previous_step_size == pytest.approx(0.1 * math.sqrt(2 ** 2 + 4 ** 2 + 6 ** 2))
    assert opt.iters == 1 and not opt.stopped and opt.stop_reason is None


def test_lecture_loop_converges_to_the_least_squares_solution_and_stops_on_precision():
    X, y = least_squares()
    w = cr.tensor(np.zeros(3), requires_grad=True)
    opt = cr.optim.SteepestDescent([w], step_size=0.1, precision=1e-10)
    history = opt.run(make_closure(opt, w, X, y))
    assert opt.stopped and opt.stop_reason == "precision"
    assert opt.previous_step_size <= 1e-10 and 0 < opt.iters < 10_000
    assert len(history) == opt.iters
    assert all(b <= a + 1e-12 for a, b in zip(history, history[1:]))  # descent, up to rounding
    np.testing.assert_allclose(w.numpy(), np.linalg.lstsq(X, y, rcond=None)[0], atol=1e-8)


def test_run_stops_on_max_iters_when_precision_is_not_reached():
    X, y = least_squares()
    w = cr.tensor(np.zeros(3), requires_grad=True)
    opt = cr.optim.SteepestDescent([w], step_size=1e-3, precision=1e-12, max_iters=7)
    history = opt.run(make_closure(opt, w, X, y))
    assert opt.stop_reason == "max_iters" and opt.iters == 7 and len(history) == 7
    assert opt.previous_step_size > 1e-12


def test_run_matches_the_lecture_loop_written_out_by_hand():
    X, y = least_squares(seed=1)
    w_run = cr.tensor(np.zeros(3), requires_grad=True)
    opt = cr.optim.SteepestDescent([w_run], step_size=0.05, precision=1e-4, max_iters=500)
    opt.run(make_closure(opt, w_run, X, y))

    cur_w, precision, previous_step_size, iters = np.zeros(3), 1e-4, math.inf, 0
    while previous_step_size > precision and iters < 500:
        prev_w = cur_w.copy()
        cur_w -= 0.05 * (2 / len(y)) * X.T @ (X @ prev_w - y)
        previous_step_size = np.linalg.norm(cur_w - prev_w)
        iters += 1
    assert opt.iters == iters
    np.testing.assert_allclose(w_run.numpy(), cur_w, rtol=1e-12)
    assert opt.previous_step_size == pytest.approx(previous_step_size, rel=1e-9)


def test_step_after_stopping_is_a_no_op_and_skips_the_closure():
    w = cr.tensor(np.array([1.0]), requires_grad=True)
    opt = cr.optim.SteepestDescent([w], step_size=0.5, max_iters=1)
    (w * w).sum().backward()
    opt.step()
    assert opt.stopped and opt.stop_reason == "max_iters"
    calls = []
    assert opt.step(lambda: calls.append(1)) is None
    assert calls == [] and opt.iters == 1
    np.testing.assert_array_equal(w.numpy(), [0.0])


def test_zero_max_iters_runs_nothing():
    w = cr.tensor(np.array([1.0]), requires_grad=True)
    opt = cr.optim.SteepestDescent([w], step_size=0.5, max_iters=0)
    assert opt.run(lambda: 1 / 0) == []
    assert opt.stop_reason == "max_iters" and opt.iters == 0


def test_precision_wins_when_both_conditions_fail_together():
    w = cr.tensor(np.array([1.0]), requires_grad=True)
    opt = cr.optim.SteepestDescent([w], step_size=0.5, precision=10.0, max_iters=1)
    (w * w).sum().backward()
    opt.step()
    assert opt.stop_reason == "precision"


def test_a_non_finite_step_raises_and_leaves_the_parameters_alone():
    w = cr.tensor(np.array([1.0, 2.0]), requires_grad=True)
    opt = cr.optim.SteepestDescent([w], step_size=0.1)
    w.grad = cr.tensor(np.array([np.inf, 1.0]))
    with pytest.raises(FloatingPointError, match="step_size"):
        opt.step()
    np.testing.assert_array_equal(w.numpy(), [1.0, 2.0])
    assert opt.iters == 0


def test_step_without_any_gradient_says_to_call_backward():
    opt = cr.optim.SteepestDescent([cr.tensor([1.0], requires_grad=True)], step_size=0.1)
    with pytest.raises(RuntimeError, match="backward"):
        opt.step()


def test_state_dict_carries_the_loop_progress():
    X, y = least_squares()
    w = cr.tensor(np.zeros(3), requires_grad=True)
    opt = cr.optim.SteepestDescent([w], step_size=0.1, precision=1e-6, max_iters=5)
    opt.run(make_closure(opt, w, X, y))
    fresh = cr.optim.SteepestDescent([cr.tensor(np.zeros(3), requires_grad=True)], step_size=0.1)
    fresh.load_state_dict(opt.state_dict())
    assert (fresh.iters, fresh.stopped, fresh.stop_reason, fresh.max_iters) == (5, True, "max_iters", 5)
    assert fresh.previous_step_size == opt.previous_step_size
    with pytest.raises(ValueError, match="progress"):
        fresh.load_state_dict(cr.optim.SGD([w], lr=0.1).state_dict())


def test_step_size_is_the_groups_lr_so_schedulers_apply():
    opt = cr.optim.SteepestDescent([cr.tensor([1.0], requires_grad=True)], step_size=0.4)
    scheduler = cr.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
    scheduler.step()
    assert opt.param_groups[0]["lr"] == 0.2
