"""StepLR and CosineAnnealingLR: the learning rates they set, epoch by epoch."""

import math

import numpy as np
import pytest

import chainrule as cr
from chainrule.optim.lr_scheduler import CosineAnnealingLR, StepLR


def make_optimizer(lr=1.0, groups=1):
    return cr.optim.SGD([{"params": [cr.tensor([1.0], requires_grad=True)], "lr": lr * (i + 1)}
                         for i in range(groups)], lr=lr)


def rates(scheduler, epochs):
    out = []
    for _ in range(epochs):
        scheduler.optimizer.step()
        scheduler.step()
        out.append(scheduler.get_last_lr())
    return np.array(out)


def test_step_lr_decays_by_gamma_every_step_size_epochs():
    opt = make_optimizer(lr=0.5, groups=2)
    scheduler = StepLR(opt, step_size=3, gamma=0.1)
    assert scheduler.get_last_lr() == [0.5, 1.0]
    got = rates(scheduler, 10)
    t = np.arange(1, 11)[:, None]
    np.testing.assert_allclose(got, np.array([0.5, 1.0]) * 0.1 ** (t // 3), rtol=1e-12)
    assert [g["lr"] for g in opt.param_groups] == scheduler.get_last_lr()
    assert [g["initial_lr"] for g in opt.param_groups] == [0.5, 1.0]


def test_step_lr_is_chainable_with_a_rate_changed_by_hand():
    opt = make_optimizer(lr=1.0)
    scheduler = StepLR(opt, step_size=2, gamma=0.5)
    rates(scheduler, 1)
    opt.param_groups[0]["lr"] = 0.1
    np.testing.assert_allclose(rates(scheduler, 3)[:, 0], [0.05, 0.05, 0.025])


@pytest.mark.parametrize("eta_min", [0.0, 0.01])
def test_cosine_annealing_follows_the_closed_form_through_and_past_t_max(eta_min):
    opt = make_optimizer(lr=0.1)
    scheduler = CosineAnnealingLR(opt, T_max=5, eta_min=eta_min)
    got = rates(scheduler, 16)[:, 0]
    t = np.arange(1, 17)
    expected = eta_min + 0.5 * (0.1 - eta_min) * (1 + np.cos(math.pi * t / 5))
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-14)
    assert got[4] == pytest.approx(eta_min, abs=1e-15)
    assert got[9] == pytest.approx(0.1)


def test_scheduler_state_dict_resumes_the_schedule():
    opt = make_optimizer(lr=0.2)
    scheduler = CosineAnnealingLR(opt, T_max=8)
    rates(scheduler, 3)
    state, opt_state = scheduler.state_dict(), opt.state_dict()
    assert "optimizer" not in state and state["last_epoch"] == 3
    uninterrupted = rates(scheduler, 4)
    opt2 = make_optimizer(lr=0.2)
    opt2.load_state_dict(opt_state)
    resumed = CosineAnnealingLR(opt2, T_max=8)
    resumed.load_state_dict(state)
    np.testing.assert_allclose(rates(resumed, 4), uninterrupted, rtol=1e-15)


@pytest.mark.parametrize("make", [lambda o: StepLR(o, step_size=0), lambda o: CosineAnnealingLR(o, T_max=0)])
def test_schedulers_refuse_a_non_positive_period(make):
    with pytest.raises(ValueError):
        make(make_optimizer())
