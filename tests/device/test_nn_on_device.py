"""Every layer, loss, optimizer, scheduler and training utility of ``chainrule.nn``/``optim`` on device
arrays (the CuPy-like double as the "cuda" backend): the same numbers as on the CPU, parameters,
buffers, gradients and optimizer state kept on the device, nothing pulled to the host."""

import copy
import inspect

import numpy as np
import pytest

import chainrule as cr
from device_double import DeviceArray, host

nn = cr.nn
RNG = np.random.default_rng(1)


def _images(*shape):
    return RNG.normal(size=shape).astype(np.float32)


def _classes(n, k):
    return RNG.integers(0, k, n)


def _binary(*shape):
    return RNG.uniform(size=shape).astype(np.float32)


# name -> (make the module, its inputs: arrays, the first one differentiated when it is floating)
LAYERS = {
    "AdaptiveAvgPool1d": (lambda: nn.AdaptiveAvgPool1d(3), lambda: (_images(2, 3, 7),)),
    "AdaptiveAvgPool2d": (lambda: nn.AdaptiveAvgPool2d((2, 3)), lambda: (_images(2, 3, 5, 7),)),
    "AvgPool1d": (lambda: nn.AvgPool1d(2, padding=1), lambda: (_images(2, 3, 7),)),
    "AvgPool2d": (lambda: nn.AvgPool2d(2), lambda: (_images(2, 3, 6, 6),)),
    "BCELoss": (lambda: nn.BCELoss(), lambda: (_binary(4, 3), _binary(4, 3).round())),
    "BCEWithLogitsLoss": (lambda: nn.BCEWithLogitsLoss(pos_weight=cr.tensor([1.0, 2.0, 0.5])),
                          lambda: (_images(4, 3), _binary(4, 3).round())),
    "BatchNorm1d": (lambda: nn.BatchNorm1d(3), lambda: (_images(5, 3, 4),)),
    "BatchNorm2d": (lambda: nn.BatchNorm2d(3), lambda: (_images(2, 3, 4, 4),)),
    "Conv1d": (lambda: nn.Conv1d(2, 3, 3, padding="same", padding_mode="circular"), lambda: (_images(2, 2, 8),)),
    "Conv2d": (lambda: nn.Conv2d(2, 3, 3, stride=2, padding=1), lambda: (_images(2, 2, 7, 7),)),
    "ConvTranspose1d": (lambda: nn.ConvTranspose1d(2, 3, 3, stride=2), lambda: (_images(2, 2, 5),)),
    "ConvTranspose2d": (lambda: nn.ConvTranspose2d(2, 3, 2, stride=2), lambda: (_images(2, 2, 3, 3),)),
    "CrossEntropyLoss": (lambda: nn.CrossEntropyLoss(weight=cr.tensor([1.0, 0.5, 2.0]), label_smoothing=0.1,
                                                     ignore_index=1),
                         lambda: (_images(6, 3), _classes(6, 3))),
    "Dropout": (lambda: nn.Dropout(0.3), lambda: (_images(4, 5),)),
    "ELU": (lambda: nn.ELU(), lambda: (_images(3, 4),)),
    "Embedding": (lambda: nn.Embedding(10, 4, padding_idx=0, max_norm=1.0, scale_grad_by_freq=True), lambda: (_classes(6, 10).reshape(2, 3),)),
    "Flatten": (lambda: nn.Flatten(), lambda: (_images(2, 3, 4),)),
    "GELU": (lambda: nn.GELU(), lambda: (_images(3, 4),)),
    "GroupNorm": (lambda: nn.GroupNorm(2, 4), lambda: (_images(2, 4, 3),)),
    "HuberLoss": (lambda: nn.HuberLoss(delta=0.5), lambda: (_images(4, 3), _images(4, 3))),
    "Identity": (lambda: nn.Identity(), lambda: (_images(3, 4),)),
    "L1Loss": (lambda: nn.L1Loss(), lambda: (_images(4, 3), _images(4, 3))),
    "LayerNorm": (lambda: nn.LayerNorm(4), lambda: (_images(3, 4),)),
    "LeakyReLU": (lambda: nn.LeakyReLU(0.1), lambda: (_images(3, 4),)),
    "Linear": (lambda: nn.Linear(4, 3), lambda: (_images(5, 4),)),
    "LogSoftmax": (lambda: nn.LogSoftmax(dim=1), lambda: (_images(3, 4),)),
    "MSELoss": (lambda: nn.MSELoss(), lambda: (_images(4, 3), _images(4, 3))),
    "MaxPool1d": (lambda: nn.MaxPool1d(3, stride=2, padding=1), lambda: (_images(2, 3, 8),)),
    "MaxPool2d": (lambda: nn.MaxPool2d(2, padding=1), lambda: (_images(2, 3, 5, 5),)),
    "NLLLoss": (lambda: nn.NLLLoss(), lambda: (_images(6, 3), _classes(6, 3))),
    "ReLU": (lambda: nn.ReLU(), lambda: (_images(3, 4),)),
    "Sequential": (lambda: nn.Sequential(nn.Linear(4, 3), nn.Tanh()), lambda: (_images(5, 4),)),
    "SiLU": (lambda: nn.SiLU(), lambda: (_images(3, 4),)),
    "Sigmoid": (lambda: nn.Sigmoid(), lambda: (_images(3, 4),)),
    "SmoothL1Loss": (lambda: nn.SmoothL1Loss(beta=0.5), lambda: (_images(4, 3), _images(4, 3))),
    "Softmax": (lambda: nn.Softmax(dim=-1), lambda: (_images(3, 4),)),
    "Softplus": (lambda: nn.Softplus(beta=2.0), lambda: (_images(3, 4),)),
    "Tanh": (lambda: nn.Tanh(), lambda: (_images(3, 4),)),
    "Upsample": (lambda: nn.Upsample(scale_factor=2, mode="bilinear"), lambda: (_images(1, 2, 3, 3),)),
}
CONTAINERS = {"Module", "ModuleDict", "ModuleList", "ParameterList"}  # hold layers; no computation of their own


def _on_device(value):
    return isinstance(value._data if isinstance(value, cr.Tensor) else value, DeviceArray)


def test_every_layer_in_nn_is_checked_on_the_device():
    layers = {name for name, value in vars(nn).items() if inspect.isclass(value) and issubclass(value, nn.Module)}
    assert layers - CONTAINERS == set(LAYERS)


def _run(module, arrays, device, seed):
    """Forward and backward of ``module`` on ``arrays`` placed on ``device``: (output, input gradient,
    parameter gradients)."""
    inputs = [cr.tensor(a, device=device) for a in arrays]
    first = inputs[0]
    if first.dtype.kind == "f":
        first.requires_grad_()
    cr.manual_seed(seed)
    out = module(*inputs)
    weights = np.random.default_rng(seed).normal(size=out.shape).astype(out.dtype)
    weights = cr.tensor(weights, device=device) if out.ndim else 1.0
    (out * weights).sum().backward()
    return out, first.grad, {k: p.grad for k, p in module.named_parameters()}


@pytest.mark.parametrize("name", sorted(LAYERS))
def test_a_layer_computes_and_differentiates_on_the_device_as_on_the_cpu(name, gpu):
    make, inputs = LAYERS[name]
    cr.manual_seed(0)
    module = make()
    arrays = inputs()
    device_module = copy.deepcopy(module).to("cuda")
    assert all(_on_device(p) for p in device_module.parameters()) and all(_on_device(b)
                                                                           for b in device_module.buffers())
    expected = _run(module, arrays, "cpu", seed=3)
    found = _run(device_module, arrays, "cuda", seed=3)
    for what, mine, theirs in (("output", found[0], expected[0]), ("input gradient", found[1], expected[1])):
        if theirs is None:
            assert mine is None, what
            continue
        assert _on_device(mine), what
        np.testing.assert_allclose(host(mine), host(theirs), rtol=1e-5, atol=1e-6, err_msg=what)
    for key, grad in expected[2].items():
        assert _on_device(found[2][key]), key
        np.testing.assert_allclose(host(found[2][key]), host(grad), rtol=1e-5, atol=1e-6, err_msg=key)
    for (key, buffer), (_, mine) in zip(module.named_buffers(), device_module.named_buffers()):
        assert _on_device(mine), key
        np.testing.assert_allclose(host(mine), host(buffer), rtol=1e-5, atol=1e-6, err_msg=key)


OPTIMIZERS = {
    "SGD": lambda p: cr.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01),
    "Adam": lambda p: cr.optim.Adam(p, lr=0.1, amsgrad=True, weight_decay=0.01),
    "AdamW": lambda p: cr.optim.AdamW(p, lr=0.1),
    "RMSprop": lambda p: cr.optim.RMSprop(p, lr=0.01, momentum=0.5, centered=True),
    "SteepestDescent": lambda p: cr.optim.SteepestDescent(p, step_size=0.1),
}


def test_every_optimizer_is_checked_on_the_device():
    names = {name for name, value in vars(cr.optim).items()
             if inspect.isclass(value) and issubclass(value, cr.optim.Optimizer) and value is not cr.optim.Optimizer}
    assert names == set(OPTIMIZERS)


def _optimize(name, device, steps=3):
    cr.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 3), nn.Tanh(), nn.Linear(3, 2)).to(device)
    optimizer = OPTIMIZERS[name](model.parameters())
    scheduler = cr.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.5)
    x = cr.tensor(np.linspace(-1, 1, 20, dtype=np.float32).reshape(5, 4), device=device)
    for _ in range(steps):
        optimizer.zero_grad()
        loss = (model(x) ** 2).mean()
        loss.backward()
        total = nn.utils.clip_grad_norm_(model.parameters(), 0.5)
        nn.utils.clip_grad_value_(model.parameters(), 0.2)
        optimizer.step()
        scheduler.step()
    return model, optimizer, total


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_an_optimizer_steps_on_the_device_as_on_the_cpu(name, gpu):
    cpu_model, _, cpu_norm = _optimize(name, "cpu")
    model, optimizer, norm = _optimize(name, "cuda")
    assert _on_device(norm)
    np.testing.assert_allclose(host(norm), host(cpu_norm), rtol=1e-5)
    for mine, theirs in zip(model.parameters(), cpu_model.parameters()):
        assert _on_device(mine)
        np.testing.assert_allclose(host(mine), host(theirs), rtol=1e-5, atol=1e-6)
    state = [v for per_param in optimizer.state.values() for v in per_param.values()
             if isinstance(v, cr.Tensor) and v.ndim]
    assert all(_on_device(v) for v in state)


def test_an_optimizer_state_dict_saved_from_the_device_loads_on_the_cpu(gpu):
    _, optimizer, _ = _optimize("Adam", "cuda")
    cpu_model, cpu_optimizer, _ = _optimize("Adam", "cpu", steps=1)
    cpu_optimizer.load_state_dict(optimizer.state_dict())
    cpu_optimizer.zero_grad()
    (cpu_model(cr.ones(1, 4)) ** 2).sum().backward()
    cpu_optimizer.step()
    assert all(not _on_device(p) for p in cpu_model.parameters())


def test_init_functions_fill_device_parameters_in_place(gpu):
    layer = nn.Linear(4, 3).to("cuda")
    for fill in (nn.init.xavier_uniform_, nn.init.kaiming_normal_, nn.init.zeros_, nn.init.ones_):
        fill(layer.weight)
        assert _on_device(layer.weight)
    nn.init.constant_(layer.bias, 0.5)
    nn.init.normal_(layer.bias)
    assert _on_device(layer.bias) and host(layer.weight).tolist() == [[1.0] * 4] * 3


def test_fit_moves_each_batch_to_the_models_device(gpu):
    x = RNG.normal(size=(32, 4)).astype(np.float32)
    y = (x.sum(axis=1) > 0).astype(np.int64)
    results = {}
    for device in ("cpu", "cuda"):
        cr.manual_seed(0)
        model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2)).to(device)
        loader = cr.data.DataLoader(cr.data.TensorDataset(x, y), batch_size=8, shuffle=True)
        history = cr.fit(model, cr.nn.functional.cross_entropy, cr.optim.SGD(model.parameters(), lr=0.1), loader,
                         val=(x, y), epochs=2, verbose=False)
        results[device] = (model, history)
    np.testing.assert_allclose(results["cuda"][1].val_loss, results["cpu"][1].val_loss, rtol=1e-5)
    assert all(_on_device(p) for p in results["cuda"][0].parameters())
    for mine, theirs in zip(results["cuda"][0].parameters(), results["cpu"][0].parameters()):
        np.testing.assert_allclose(host(mine), host(theirs), rtol=1e-5, atol=1e-6)
