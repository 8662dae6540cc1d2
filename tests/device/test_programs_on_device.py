"""Whole programs on device arrays (the CuPy-like double as the "cuda" backend): placement with
PyTorch's spellings, training steps of the built-in models, the transforms, jit, and checkpoints that
move between devices — the same numbers as on the CPU, and nothing pulled to the host on the way."""

import numpy as np
import pytest

import chainrule as cr
from chainrule.models import SeedCNN, lenet, mlp
from device_double import DeviceArray, host

F = cr.nn.functional
RNG = np.random.default_rng(0)


def _on_device(t):
    return isinstance(t._data, DeviceArray)


def test_tensors_move_to_the_device_and_back_differentiably(gpu):
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    on_gpu = x.to("cuda")
    assert _on_device(on_gpu) and on_gpu.device == cr.device("cuda") and on_gpu.is_cuda
    (on_gpu * on_gpu).sum().backward()
    assert not _on_device(x.grad)
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, 4.0])
    assert _on_device(cr.zeros(3, device="cuda")) and _on_device(cr.tensor([1.0], device="cuda"))
    back = on_gpu.cpu()
    assert not _on_device(back) and back.numpy().tolist() == [1.0, 2.0]
    with pytest.raises(TypeError, match=r"t\.cpu\(\)\.numpy\(\)"):
        on_gpu.numpy()
    assert "device='cuda'" in repr(on_gpu)


def test_an_op_mixing_devices_names_both_when_a_gradient_would_cross_them(gpu):
    with pytest.raises(TypeError, match="different devices .cpu and cuda.*move them to one with .to.device."):
        cr.tensor([1.0], requires_grad=True) * cr.tensor([1.0], device="cuda")
    with pytest.raises(TypeError, match="different devices"):
        cr.nn.Linear(2, 1)(cr.ones(3, 2, device="cuda"))  # a model left on the CPU


@pytest.mark.parametrize("constant", [lambda: np.array([1.0, 2.0]), lambda: cr.tensor([1.0, 2.0]),
                                      lambda: cr.tensor(3.0)], ids=["ndarray", "tensor", "0-d tensor"])
def test_constants_from_the_host_meet_device_tensors_where_they_are(constant, gpu):
    x = cr.tensor([0.5, 1.5], device="cuda", requires_grad=True)
    functions = {"eager": lambda v: (v * constant()).sum(), "jit": cr.jit(lambda v: (v * constant()).sum())}
    for how, f in functions.items():
        y = f(x)
        assert _on_device(y), how
        g = cr.grad(f)(x)
        assert _on_device(g), how
        np.testing.assert_allclose(host(g), np.broadcast_to(host(cr.tensor(constant())), (2,)), err_msg=how)


def test_jit_reads_a_host_tensor_from_its_closure_on_every_call_when_the_inputs_are_on_the_device(gpu):
    weights = cr.tensor([1.0, 2.0])
    f = cr.jit(lambda v: (v * weights).sum())
    x = cr.tensor([3.0, 4.0], device="cuda")
    assert host(f(x)) == 11.0
    weights.mul_(2.0)  # in place, between calls
    assert host(f(x)) == 22.0 and f.compile_count == 1
    twice = cr.jit(lambda v: (v * weights).sum() + (v / weights).sum())
    assert host(twice(x)) == 22.0 + 3.0 / 2 + 4.0 / 4
    assert twice.source(x).count("like=_device") == 1  # one copy per call, however many ops read it


def _train(model, x, y, loss, steps=2, device="cpu"):
    model = model.to(device)
    x = cr.tensor(x, device=device)
    y = cr.tensor(y, device=device)
    opt = cr.optim.Adam(model.parameters(), lr=1e-2)
    for _ in range(steps):
        opt.zero_grad()
        value = loss(model(x), y)
        value.backward()
        opt.step()
    return value, [p for p in model.parameters()]


MODELS = {
    "mlp": (lambda: mlp(16, (8,), 3), (4, 16), lambda: RNG.integers(0, 3, 4), F.cross_entropy),
    "lenet": (lambda: lenet(1, 8, 3), (4, 1, 8, 8), lambda: RNG.integers(0, 3, 4), F.cross_entropy),
    "seed_cnn": (lambda: SeedCNN(length=16, channels=2, kernel_size=3), (4, 1, 16),
                 lambda: np.where(RNG.uniform(size=4) > 0.5, 1.0, -1.0).astype(np.float32)[:, None],
                 F.logistic_loss),
}


@pytest.mark.parametrize("name", sorted(MODELS))
def test_a_training_step_of_each_model_runs_on_the_device_with_the_cpus_numbers(name, gpu):
    make, shape, labels, loss = MODELS[name]
    x, y = RNG.normal(size=shape).astype(np.float32), labels()
    cr.manual_seed(0)
    cpu_model = make()
    state = {k: v.numpy().copy() for k, v in cpu_model.state_dict().items()}
    cpu_loss, cpu_params = _train(cpu_model, x, y, loss)
    gpu_model = make()
    gpu_model.load_state_dict(state)
    gpu_loss, gpu_params = _train(gpu_model, x, y, loss, device="cuda")
    assert all(_on_device(p) and _on_device(p.grad) for p in gpu_params)
    np.testing.assert_allclose(host(gpu_loss), host(cpu_loss), rtol=1e-5)
    for g, c in zip(gpu_params, cpu_params):
        np.testing.assert_allclose(host(g), host(c), rtol=1e-4, atol=1e-6)


def test_the_transforms_and_jit_on_the_device(gpu):
    w = cr.tensor(RNG.normal(size=(3, 3)), device="cuda")
    xs = cr.tensor(RNG.normal(size=(5, 3)), device="cuda")
    f = lambda x: cr.sum(cr.tanh(x @ w) ** 2)  # noqa: E731
    results = {"grad": cr.grad(f)(xs[0]), "jvp": cr.jvp(f, (xs[0],), (xs[1],))[1], "hessian": cr.hessian(f)(xs[0]),
               "vmap(grad)": cr.vmap(cr.grad(f))(xs), "jit(grad)": cr.jit(cr.grad(f))(xs[0]),
               "jacobian": cr.jacobian(lambda x: cr.tanh(x @ w))(xs[0])}
    w_cpu, xs_cpu = w.cpu(), xs.cpu()
    g = lambda x: cr.sum(cr.tanh(x @ w_cpu) ** 2)  # noqa: E731
    expected = {"grad": cr.grad(g)(xs_cpu[0]), "jvp": cr.jvp(g, (xs_cpu[0],), (xs_cpu[1],))[1],
                "hessian": cr.hessian(g)(xs_cpu[0]), "vmap(grad)": cr.vmap(cr.grad(g))(xs_cpu),
                "jit(grad)": cr.grad(g)(xs_cpu[0]), "jacobian": cr.jacobian(lambda x: cr.tanh(x @ w_cpu))(xs_cpu[0])}
    for view, value in results.items():
        assert _on_device(value), view
        np.testing.assert_allclose(host(value), host(expected[view]), rtol=1e-10, err_msg=view)


def test_a_device_model_saves_and_loads_on_the_cpu_and_back(gpu, tmp_path):
    model = mlp(4, (3,), 2).to("cuda")
    path = tmp_path / "model.safetensors"
    cr.save(model, path)
    state = cr.load(path)
    assert all(not _on_device(v) for v in state.values())
    again = mlp(4, (3,), 2)
    again.load_state_dict(state)
    again.to("cuda")
    loaded_on_device = mlp(4, (3,), 2).to("cuda")
    loaded_on_device.load_state_dict(state)  # a host state dict fills device parameters, as PyTorch's
    for a, b, c in zip(model.parameters(), again.parameters(), loaded_on_device.parameters()):
        assert _on_device(b) and _on_device(c)
        np.testing.assert_array_equal(host(a), host(b))
        np.testing.assert_array_equal(host(a), host(c))


def test_gradient_checks_and_traces_take_device_tensors(gpu):
    x = cr.tensor(np.array([0.3, 0.7]), device="cuda")
    f = lambda v: (cr.sin(v) * v).sum()  # noqa: E731
    assert cr.check_grad(f, x, order=2).passed
    numerical = cr.numerical_grad(f, x)
    assert _on_device(numerical)
    expected = np.sin([0.3, 0.7]) + np.array([0.3, 0.7]) * np.cos([0.3, 0.7])
    np.testing.assert_allclose(host(numerical), expected, rtol=1e-8)
    graph = cr.trace(f, x)
    assert "sin" in str(graph.primal_table()) and "0.296" in str(graph.primal_table())  # sin(0.3) ≈ 0.2955
    np.testing.assert_allclose(host(graph.grad()(x)), expected, rtol=1e-12)
