"""SGD against iterates computed by hand from PyTorch's published update rule."""

import numpy as np
import pytest

import chainrule as cr


def reference_sgd(bowl, steps, lr, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False):
    w, buffer, path = bowl.W0.copy(), None, []
    for t in range(1, steps + 1):
        g = bowl.grad(w) + weight_decay * w
        if momentum:
            buffer = g if t == 1 else momentum * buffer + (1 - dampening) * g
            g = g + momentum * buffer if nesterov else buffer
        w = w - lr * g
        path.append(w)
    return np.array(path)


CONFIGS = [
    dict(lr=0.1),
    dict(lr=0.1, weight_decay=0.3),
    dict(lr=0.05, momentum=0.9),
    dict(lr=0.05, momentum=0.9, dampening=0.5),
    dict(lr=0.05, momentum=0.8, nesterov=True),
    dict(lr=0.05, momentum=0.7, dampening=0.2, weight_decay=0.1),
    dict(lr=0.02, momentum=0.9, weight_decay=0.05, nesterov=True),
]


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: ",".join(f"{k}={v}" for k, v in c.items()))
def test_sgd_iterates_match_the_published_formula(bowl, descend, config):
    path = descend(lambda params: cr.optim.SGD(params, **config), steps=12)
    np.testing.assert_allclose(path, reference_sgd(bowl, 12, **config), rtol=1e-12, atol=1e-14)


def test_nesterov_and_plain_momentum_take_different_paths(descend):
    plain = descend(lambda p: cr.optim.SGD(p, lr=0.05, momentum=0.9), steps=3)
    nesterov = descend(lambda p: cr.optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True), steps=3)
    assert not np.allclose(plain[-1], nesterov[-1])


def test_momentum_buffer_is_kept_in_state():
    w = cr.tensor(np.array([1.0, 2.0]), requires_grad=True)
    opt = cr.optim.SGD([w], lr=0.1, momentum=0.5)
    (w * w).sum().backward()
    opt.step()
    np.testing.assert_allclose(opt.state[w]["momentum_buffer"], [2.0, 4.0])


def test_sgd_requires_a_learning_rate():
    with pytest.raises(ValueError, match="lr"):
        cr.optim.SGD([cr.tensor([1.0], requires_grad=True)])


@pytest.mark.parametrize("kwargs, word", [(dict(lr=-0.1), "lr"), (dict(lr=0.1, momentum=-1), "momentum"),
                                          (dict(lr=0.1, weight_decay=-1), "weight_decay"),
                                          (dict(lr=0.1, nesterov=True), "Nesterov"),
                                          (dict(lr=0.1, momentum=0.9, dampening=0.1, nesterov=True), "Nesterov")])
def test_sgd_refuses_invalid_options(kwargs, word):
    with pytest.raises(ValueError, match=word):
        cr.optim.SGD([cr.tensor([1.0], requires_grad=True)], **kwargs)
