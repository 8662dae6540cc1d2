"""The optimizer protocol: parameter groups, zero_grad, closures, skipping, state dicts."""

import numpy as np
import pytest

import chainrule as cr

OPTIMIZERS = {
    "sgd": lambda p: cr.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True),
    "adam": lambda p: cr.optim.Adam(p, lr=0.1, amsgrad=True),
    "adamw": lambda p: cr.optim.AdamW(p, lr=0.1),
    "rmsprop": lambda p: cr.optim.RMSprop(p, lr=0.01, momentum=0.5, centered=True),
}


def two_params():
    return (cr.tensor(np.array([[1.0, -2.0], [0.5, 3.0]]), requires_grad=True),
            cr.tensor(np.array([0.25, -0.75, 1.5]), requires_grad=True))


def train_steps(optimizer, params, steps):
    w, b = params
    for _ in range(steps):
        optimizer.zero_grad()
        ((w * w).sum() + (b ** 4).sum() + (w.sum() * b).sum()).backward()
        optimizer.step()


def test_params_given_as_a_generator_form_one_group():
    w, b = two_params()
    opt = cr.optim.SGD((p for p in (w, b)), lr=0.1)
    assert len(opt.param_groups) == 1
    assert opt.param_groups[0]["params"][0] is w and opt.param_groups[0]["params"][1] is b
    assert opt.param_groups[0]["lr"] == 0.1 and opt.param_groups[0]["momentum"] == 0


def test_parameter_groups_override_defaults_per_group():
    w, b = two_params()
    opt = cr.optim.SGD([{"params": [w]}, {"params": b, "lr": 1.0}], lr=0.1)
    w.grad = cr.tensor(np.ones((2, 2)))
    b.grad = cr.tensor(np.ones(3))
    w_before, b_before = w.numpy().copy(), b.numpy().copy()
    opt.step()
    np.testing.assert_allclose(w.numpy(), w_before - 0.1)
    np.testing.assert_allclose(b.numpy(), b_before - 1.0)


def test_step_skips_parameters_without_a_gradient_and_bumps_the_others_version():
    w, b = two_params()
    opt = cr.optim.Adam([w, b], lr=0.1)
    (w * w).sum().backward()
    b_before, w_version, b_version = b.numpy().copy(), w._version, b._version
    opt.step()
    np.testing.assert_array_equal(b.numpy(), b_before)
    assert b not in opt.state
    assert w._version == w_version + 1 and b._version == b_version


def test_step_updates_in_place():
    w, _ = two_params()
    data = w.numpy()
    opt = cr.optim.SGD([w], lr=0.5)
    (w * w).sum().backward()
    opt.step()
    assert w.numpy() is data
    np.testing.assert_allclose(data, [[0.0, 0.0], [0.0, 0.0]])


def test_step_with_a_closure_returns_its_loss_and_records_gradients_even_under_no_grad():
    w, _ = two_params()
    opt = cr.optim.SGD([w], lr=0.1)

    def closure():
        opt.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        return loss

    with cr.no_grad():
        loss = opt.step(closure)
    assert float(loss) == pytest.approx(1 + 4 + 0.25 + 9)
    np.testing.assert_allclose(w.numpy(), 0.8 * np.array([[1.0, -2.0], [0.5, 3.0]]))


def test_zero_grad_sets_to_none_by_default_and_to_zeros_on_request():
    w, b = two_params()
    opt = cr.optim.SGD([w, b], lr=0.1)
    (w.sum() + b.sum()).backward()
    opt.zero_grad(set_to_none=False)
    np.testing.assert_array_equal(w.grad.numpy(), np.zeros((2, 2)))
    np.testing.assert_array_equal(b.grad.numpy(), np.zeros(3))
    opt.zero_grad()
    assert w.grad is None and b.grad is None


def test_optimizer_refuses_bad_parameters():
    w, b = two_params()
    with pytest.raises(TypeError, match="single Tensor"):
        cr.optim.SGD(w, lr=0.1)
    with pytest.raises(ValueError, match="empty"):
        cr.optim.SGD([], lr=0.1)
    with pytest.raises(ValueError, match="non-leaf"):
        cr.optim.SGD([w * 2], lr=0.1)
    with pytest.raises(ValueError, match="twice"):
        cr.optim.SGD([{"params": [w]}, {"params": [w, b]}], lr=0.1)
    with pytest.raises(TypeError, match="Tensors"):
        cr.optim.SGD([np.ones(3)], lr=0.1)
    with pytest.raises(TypeError, match="set"):
        cr.optim.SGD([{"params": {w, b}}], lr=0.1)


def test_add_param_group_fills_defaults():
    w, b = two_params()
    opt = cr.optim.Adam([w], lr=0.1)
    opt.add_param_group({"params": [b], "eps": 1e-3})
    assert opt.param_groups[1]["lr"] == 0.1 and opt.param_groups[1]["eps"] == 1e-3


def test_state_dict_names_parameters_by_index():
    w, b = two_params()
    opt = cr.optim.Adam([{"params": [w]}, {"params": [b], "lr": 0.5}], lr=0.1)
    train_steps(opt, (w, b), 2)
    state = opt.state_dict()
    assert [g["params"] for g in state["param_groups"]] == [[0], [1]]
    assert state["param_groups"][1]["lr"] == 0.5 and state["param_groups"][0]["betas"] == (0.9, 0.999)
    assert set(state["state"]) == {0, 1}
    assert state["state"][1]["step"] == 2
    assert isinstance(state["state"][0]["exp_avg"], cr.Tensor)
    np.testing.assert_array_equal(state["state"][0]["exp_avg"].numpy(), opt.state[w]["exp_avg"])


def test_state_dict_is_a_snapshot():
    w, b = two_params()
    opt = cr.optim.Adam([w, b], lr=0.1)
    train_steps(opt, (w, b), 1)
    saved = opt.state_dict()["state"][0]["exp_avg"].numpy().copy()
    snapshot = opt.state_dict()
    train_steps(opt, (w, b), 1)
    np.testing.assert_array_equal(snapshot["state"][0]["exp_avg"].numpy(), saved)


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_state_dict_round_trip_continues_the_same_trajectory(name):
    make = OPTIMIZERS[name]
    params = two_params()
    opt = make(list(params))
    train_steps(opt, params, 3)
    copies = tuple(cr.tensor(p.numpy().copy(), requires_grad=True) for p in params)
    resumed = make(list(copies))
    resumed.load_state_dict(opt.state_dict())
    train_steps(opt, params, 4)
    train_steps(resumed, copies, 4)
    for p, q in zip(params, copies):
        np.testing.assert_array_equal(p.numpy(), q.numpy())


def test_load_state_dict_restores_options_and_copies_buffers():
    w, b = two_params()
    opt = cr.optim.Adam([w, b], lr=0.1, betas=(0.5, 0.6))
    train_steps(opt, (w, b), 1)
    state = opt.state_dict()
    state["param_groups"][0]["betas"] = [0.5, 0.6]  # as JSON would give it back
    other = cr.optim.Adam(list(two_params()))
    other.load_state_dict(state)
    assert other.param_groups[0]["lr"] == 0.1 and other.param_groups[0]["betas"] == (0.5, 0.6)
    other.state[other.param_groups[0]["params"][0]]["exp_avg"] += 1
    np.testing.assert_array_equal(opt.state[w]["exp_avg"], state["state"][0]["exp_avg"].numpy())


def test_load_state_dict_refuses_a_different_layout():
    w, b = two_params()
    opt = cr.optim.Adam([w, b], lr=0.1)
    train_steps(opt, (w, b), 1)
    state = opt.state_dict()
    with pytest.raises(ValueError, match="parameter groups"):
        cr.optim.Adam([{"params": [w]}, {"params": [b]}]).load_state_dict(state)
    with pytest.raises(ValueError, match="parameters"):
        cr.optim.Adam([w]).load_state_dict(state)
    with pytest.raises(ValueError, match="shape"):
        cr.optim.Adam([b, w]).load_state_dict(state)
    with pytest.raises(ValueError, match="'state'"):
        cr.optim.Adam([w, b]).load_state_dict({"param_groups": state["param_groups"]})


def test_repr_lists_the_groups_options():
    text = repr(cr.optim.SGD([cr.tensor([1.0], requires_grad=True)], lr=0.25))
    assert text.startswith("SGD (") and "lr: 0.25" in text
