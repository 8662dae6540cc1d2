"""Module hooks: forward pre-hooks, forward hooks and full backward hooks, as PyTorch's."""

import numpy as np

import chainrule as cr

RNG = np.random.default_rng(0)


def _linear():
    layer = cr.nn.Linear(3, 2).double()
    with cr.no_grad():
        layer.weight.copy_(cr.tensor(RNG.normal(size=(2, 3))))
        layer.bias.copy_(cr.tensor([0.5, -0.5]))
    return layer


def test_forward_pre_hook_and_forward_hook_replace_arguments_and_output():
    layer = _linear()
    x = cr.tensor(np.ones((1, 3)))
    plain = layer(x).numpy()
    pre = layer.register_forward_pre_hook(lambda m, args: (args[0] * 2,))
    post = layer.register_forward_hook(lambda m, args, out: out + 1)
    np.testing.assert_allclose(layer(x).numpy(), (2 * x.numpy()) @ layer.weight.numpy().T + layer.bias.numpy() + 1)
    pre.remove()
    post.remove()
    np.testing.assert_allclose(layer(x).numpy(), plain)


def test_full_backward_hook_sees_grad_input_and_grad_output_and_may_replace_grad_input():
    layer = _linear()
    x = cr.tensor(RNG.normal(size=(4, 3)), requires_grad=True)
    seen = {}

    def hook(module, grad_input, grad_output):
        seen.update(module=module, grad_input=grad_input, grad_output=grad_output)
        return (grad_input[0] * 0,)

    layer.register_full_backward_hook(hook)
    (layer(x) * 3).sum().backward()
    assert seen["module"] is layer
    np.testing.assert_allclose(seen["grad_output"][0].numpy(), np.full((4, 2), 3.0))
    np.testing.assert_allclose(seen["grad_input"][0].numpy(), np.full((4, 2), 3.0) @ layer.weight.numpy())
    np.testing.assert_array_equal(x.grad.numpy(), np.zeros((4, 3)))              # replaced
    np.testing.assert_allclose(layer.weight.grad.numpy(), np.full((2, 4), 3.0) @ x.numpy())  # parameters as usual


def test_a_backward_hook_on_a_module_whose_input_needs_no_gradient_gets_none():
    layer = _linear()
    seen = []
    layer.register_full_backward_hook(lambda m, gi, go: seen.append(gi))
    layer(cr.tensor(np.ones((1, 3)))).sum().backward()
    assert seen == [(None,)]
