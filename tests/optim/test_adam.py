"""Adam and AdamW against iterates computed by hand from the published algorithms."""

import numpy as np
import pytest

import chainrule as cr


def reference_adam(bowl, steps, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False,
                   decoupled=False):
    beta1, beta2 = betas
    w, m, v, v_max, path = bowl.W0.copy(), 0.0, 0.0, 0.0, []
    for t in range(1, steps + 1):
        g = bowl.grad(w)
        if decoupled:
            w = w * (1 - lr * weight_decay)
        else:
            g = g + weight_decay * w
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g ** 2
        m_hat = m / (1 - beta1 ** t)
        if amsgrad:
            v_max = np.maximum(v_max, v)
            v_hat = v_max / (1 - beta2 ** t)
        else:
            v_hat = v / (1 - beta2 ** t)
        w = w - lr * m_hat / (np.sqrt(v_hat) + eps)
        path.append(w)
    return np.array(path)


CONFIGS = [
    dict(),
    dict(lr=0.1),
    dict(lr=0.05, betas=(0.8, 0.99), eps=1e-6),
    dict(lr=0.1, weight_decay=0.2),
    dict(lr=0.2, amsgrad=True),
    dict(lr=0.1, betas=(0.5, 0.9), weight_decay=0.1, amsgrad=True),
]


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: ",".join(f"{k}={v}" for k, v in c.items()) or "defaults")
def test_adam_iterates_match_the_published_formula(bowl, descend, config):
    path = descend(lambda params: cr.optim.Adam(params, **config), steps=15)
    np.testing.assert_allclose(path, reference_adam(bowl, 15, **config), rtol=1e-11, atol=1e-13)


ADAMW_CONFIGS = [dict(), dict(lr=0.1, weight_decay=0.5), dict(lr=0.1, weight_decay=0.3, amsgrad=True)]


@pytest.mark.parametrize("config", ADAMW_CONFIGS, ids=["defaults", "decay", "decay-amsgrad"])
def test_adamw_iterates_match_decoupled_weight_decay(bowl, descend, config):
    path = descend(lambda params: cr.optim.AdamW(params, **config), steps=15)
    expected = reference_adam(bowl, 15, **{"weight_decay": 1e-2, **config}, decoupled=True)
    np.testing.assert_allclose(path, expected, rtol=1e-11, atol=1e-13)


def test_adamw_differs_from_adam_with_the_same_weight_decay(descend):
    adam = descend(lambda p: cr.optim.Adam(p, lr=0.1, weight_decay=0.5), steps=5)
    adamw = descend(lambda p: cr.optim.AdamW(p, lr=0.1, weight_decay=0.5), steps=5)
    assert not np.allclose(adam, adamw)


def test_adam_defaults_are_pytorchs():
    opt = cr.optim.AdamW([cr.tensor([1.0], requires_grad=True)])
    assert opt.defaults == dict(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False)
    assert cr.optim.Adam([cr.tensor([1.0], requires_grad=True)]).defaults["weight_decay"] == 0


def test_adam_keeps_float32_parameters_float32():
    w = cr.tensor([1.0, -2.0], requires_grad=True)
    opt = cr.optim.Adam([w], lr=0.1, amsgrad=True)
    for _ in range(3):
        opt.zero_grad()
        (w * w).sum().backward()
        opt.step()
    assert w.dtype == np.float32
    assert all(opt.state[w][k].dtype == np.float32 for k in ("exp_avg", "exp_avg_sq", "max_exp_avg_sq"))
    assert opt.state[w]["step"] == 3


@pytest.mark.parametrize("betas", [(1.0, 0.999), (0.9, -0.1)])
def test_adam_refuses_betas_outside_0_1(betas):
    with pytest.raises(ValueError, match="betas"):
        cr.optim.Adam([cr.tensor([1.0], requires_grad=True)], betas=betas)
