"""functional_call (torch.func's) and per-example gradients with vmap(grad(...))."""

import numpy as np
import pytest

import chainrule as cr
from chainrule.models import lenet, mlp

F = cr.nn.functional
RNG = np.random.default_rng(0)


def _params(model):
    return {name: p.detach() for name, p in model.named_parameters()}


def test_functional_call_uses_the_given_values_and_restores_the_modules_own():
    model = cr.nn.Linear(3, 2)
    x = cr.tensor(RNG.normal(size=(4, 3)).astype(np.float32))
    zeros = {"weight": cr.zeros(2, 3), "bias": cr.ones(2)}
    np.testing.assert_array_equal(cr.func.functional_call(model, zeros, (x,)).numpy(), np.ones((4, 2)))
    np.testing.assert_allclose(model(x).numpy(), x.numpy() @ model.weight.numpy().T + model.bias.numpy(), rtol=1e-6)
    partial = cr.func.functional_call(model, {"bias": cr.zeros(2)}, x)          # the rest stays the module's
    np.testing.assert_allclose(partial.numpy(), x.numpy() @ model.weight.numpy().T, rtol=1e-6)


def test_functional_call_refuses_unknown_names_and_missing_ones_when_strict():
    model = cr.nn.Linear(3, 2)
    with pytest.raises(KeyError, match="no parameter or buffer 'weights'"):
        cr.func.functional_call(model, {"weights": cr.zeros(2, 3)}, (cr.zeros(1, 3),))
    with pytest.raises(KeyError, match="strict"):
        cr.func.functional_call(model, {"bias": cr.zeros(2)}, (cr.zeros(1, 3),), strict=True)


def test_functional_call_replaces_buffers_and_tied_weights():
    bn = cr.nn.BatchNorm1d(2).eval()
    out = cr.func.functional_call(bn, {"running_mean": cr.ones(2), "running_var": cr.ones(2)}, (cr.ones(3, 2),))
    np.testing.assert_allclose(out.numpy(), np.zeros((3, 2)), atol=1e-3)
    shared = cr.nn.Linear(2, 2, bias=False)
    tied = cr.nn.Sequential(shared, shared)
    out = cr.func.functional_call(tied, {"0.weight": cr.eye(2) * 2}, (cr.ones(1, 2),))
    np.testing.assert_allclose(out.numpy(), [[4.0, 4.0]])      # both uses of the tied weight replaced


def test_grad_jit_and_hessian_with_respect_to_module_parameters():
    model = cr.nn.Sequential(cr.nn.Linear(4, 5), cr.nn.Tanh(), cr.nn.Linear(5, 3))
    x = cr.tensor(RNG.normal(size=(6, 4)).astype(np.float32))
    y = np.array([0, 1, 2, 1, 0, 2])

    def loss(p):
        return F.cross_entropy(cr.func.functional_call(model, p, (x,)), y)

    grads = cr.grad(loss)(_params(model))
    F.cross_entropy(model(x), y).backward()
    for name, p in model.named_parameters():
        np.testing.assert_allclose(grads[name].numpy(), p.grad.numpy(), rtol=1e-5, atol=1e-6)
    compiled = cr.jit(cr.grad(loss))(_params(model))
    for name in grads:
        np.testing.assert_allclose(compiled[name].numpy(), grads[name].numpy(), rtol=1e-5, atol=1e-6)
    bias = lambda b: loss(dict(_params(model), **{"2.bias": b}))  # noqa: E731
    assert cr.hessian(bias)(model[2].bias.detach()).shape == (3, 3)


@pytest.mark.parametrize("make, shape", [(lambda: mlp(64, (32,), 10), (64,)), (lambda: lenet(1, 8, 10), (1, 8, 8))],
                         ids=["mlp", "lenet"])
def test_per_example_gradients_match_a_loop_of_single_example_gradients(make, shape):
    model = make()
    params = _params(model)
    xs = cr.tensor(RNG.normal(size=(5,) + shape).astype(np.float32))
    ys = np.array([3, 1, 4, 1, 5])

    def loss(p, x, y):
        return F.cross_entropy(cr.func.functional_call(model, p, (x[None],)), y[None])

    per_example = cr.vmap(cr.grad(loss), in_axes=(None, 0, 0))(params, xs, ys)
    for i in range(5):
        single = cr.grad(loss)(params, xs[i], ys[i])
        for name in params:
            np.testing.assert_allclose(per_example[name].numpy()[i], single[name].numpy(), rtol=1e-4, atol=1e-6)
