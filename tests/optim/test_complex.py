"""Optimizers on complex parameters follow PyTorch: a complex parameter is the pair of real parameters
(Re z, Im z), so each step is the step on that pair — Adam and RMSprop keep a second moment for each
part — and gradient descent goes downhill (``.grad`` is the conjugate Wirtinger gradient)."""

import numpy as np
import pytest

import chainrule as cr

TARGET = np.array([[1.0 - 2.0j, 0.5 + 0.25j], [-0.75 + 1.5j, 2.0 - 0.5j]])
START = np.array([[0.3 + 0.1j, -0.2 + 0.4j], [0.0 - 0.3j, 0.6 + 0.2j]])
WEIGHTS = np.array([[1.0, 3.0], [0.5, 2.0]])


def complex_loss(z):
    """Σ w·|z − t|² + Σ (Re z)³/10: the parts have different curvatures, so Adam's per-part moments differ."""
    d = z - cr.tensor(TARGET)
    return (cr.tensor(WEIGHTS) * cr.abs(d) ** 2).sum() + (cr.real(z) ** 3).sum() / 10


def pair_loss(p):
    """The same loss of the real pair p = (Re z, Im z) stacked on a last axis."""
    d = p - cr.tensor(np.stack([TARGET.real, TARGET.imag], axis=-1))
    return (cr.tensor(WEIGHTS[..., None]) * d ** 2).sum() + (p[..., 0] ** 3).sum() / 10


def _trajectory(make, loss, start, steps=25):
    p = cr.tensor(start.copy(), requires_grad=True)
    optimizer = make([p])
    path = []
    for _ in range(steps):
        optimizer.zero_grad()
        loss(p).backward()
        optimizer.step()
        path.append(p.numpy().copy())
    return np.array(path), optimizer


OPTIMIZERS = {
    "SGD": lambda ps: cr.optim.SGD(ps, lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01),
    "Adam": lambda ps: cr.optim.Adam(ps, lr=0.05, weight_decay=0.01),
    "Adam-amsgrad": lambda ps: cr.optim.Adam(ps, lr=0.05, amsgrad=True),
    "AdamW": lambda ps: cr.optim.AdamW(ps, lr=0.05, weight_decay=0.1),
    "RMSprop": lambda ps: cr.optim.RMSprop(ps, lr=0.01, momentum=0.5, centered=True),
}


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_a_complex_parameter_follows_the_trajectory_of_its_real_pair(name):
    complex_path, optimizer = _trajectory(OPTIMIZERS[name], complex_loss, START)
    real_path, _ = _trajectory(OPTIMIZERS[name], pair_loss, np.stack([START.real, START.imag], axis=-1))
    np.testing.assert_allclose(complex_path.real, real_path[..., 0], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(complex_path.imag, real_path[..., 1], rtol=1e-12, atol=1e-12)
    for buffer in optimizer.state[optimizer.param_groups[0]["params"][0]].values():
        if isinstance(buffer, np.ndarray):  # buffers stay complex, shaped like the parameter (as in PyTorch)
            assert buffer.dtype == np.complex128 and buffer.shape == START.shape


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_optimizers_step_downhill_on_complex_parameters(name):
    path, _ = _trajectory(OPTIMIZERS[name], complex_loss, START, steps=60)
    losses = [complex_loss(cr.tensor(z)).item() for z in path]
    assert losses[-1] < 0.5 * complex_loss(cr.tensor(START)).item()


def test_adam_keeps_a_second_moment_per_part_not_of_the_modulus():
    z = cr.tensor(np.array([0j]), requires_grad=True)
    optimizer = cr.optim.Adam([z], lr=0.1)
    (cr.real(z) * 3 + cr.imag(z) * 4).sum().backward()     # gradient 3 + 4i
    optimizer.step()
    moments = optimizer.state[z]["exp_avg_sq"]
    np.testing.assert_allclose(moments, [0.001 * (9 + 16j)])   # (1 − β₂)·(3², 4²), as view_as_real gives
    np.testing.assert_allclose(z.numpy(), [-0.1 - 0.1j], rtol=1e-6)   # each part moves by lr·sign


def test_a_complex_optimizer_state_saves_and_loads():
    z = cr.tensor(START.copy(), requires_grad=True)
    optimizer = cr.optim.Adam([z], lr=0.05)
    complex_loss(z).backward()
    optimizer.step()
    restored = cr.optim.Adam([cr.tensor(START.copy(), requires_grad=True)], lr=0.05)
    restored.load_state_dict(optimizer.state_dict())
    saved = optimizer.state[z]["exp_avg_sq"]
    loaded = next(iter(restored.state.values()))["exp_avg_sq"]
    np.testing.assert_array_equal(loaded, saved)
