"""RMSprop against iterates computed by hand from PyTorch's published algorithm."""

import numpy as np
import pytest

import chainrule as cr


def reference_rmsprop(bowl, steps, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0, centered=False):
    w, v, g_avg, buffer, path = bowl.W0.copy(), 0.0, 0.0, 0.0, []
    for _ in range(steps):
        g = bowl.grad(w) + weight_decay * w
        v = alpha * v + (1 - alpha) * g ** 2
        v_tilde = v
        if centered:
            g_avg = alpha * g_avg + (1 - alpha) * g
            v_tilde = v - g_avg ** 2
        if momentum > 0:
            buffer = momentum * buffer + g / (np.sqrt(v_tilde) + eps)
            w = w - lr * buffer
        else:
            w = w - lr * g / (np.sqrt(v_tilde) + eps)
        path.append(w)
    return np.array(path)


CONFIGS = [
    dict(),
    dict(lr=0.05, alpha=0.9),
    dict(lr=0.01, weight_decay=0.3),
    dict(lr=0.01, momentum=0.9),
    dict(lr=0.01, centered=True),
    dict(lr=0.02, alpha=0.95, momentum=0.5, centered=True, weight_decay=0.1, eps=1e-6),
]


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: ",".join(f"{k}={v}" for k, v in c.items()) or "defaults")
def test_rmsprop_iterates_match_the_published_formula(bowl, descend, config):
    path = descend(lambda params: cr.optim.RMSprop(params, **config), steps=15)
    np.testing.assert_allclose(path, reference_rmsprop(bowl, 15, **config), rtol=1e-11, atol=1e-13)


def test_rmsprop_defaults_are_pytorchs():
    opt = cr.optim.RMSprop([cr.tensor([1.0], requires_grad=True)])
    assert opt.defaults == dict(lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False)


def test_centered_rmsprop_keeps_a_gradient_average():
    w = cr.tensor(np.array([2.0]), requires_grad=True)
    opt = cr.optim.RMSprop([w], alpha=0.5, momentum=0.1, centered=True)
    (w * w).sum().backward()
    opt.step()
    assert set(opt.state[w]) == {"step", "square_avg", "grad_avg", "momentum_buffer"}
    np.testing.assert_allclose(opt.state[w]["grad_avg"], [0.5 * 4.0])
    np.testing.assert_allclose(opt.state[w]["square_avg"], [0.5 * 16.0])
