"""clip_grad_norm_ and clip_grad_value_: PyTorch's in-place gradient clipping."""

import math

import numpy as np
import pytest

import chainrule as cr
from chainrule import nn


def parameters_with_gradients(*grads):
    params = [nn.Parameter(np.zeros(np.shape(g))) for g in grads]
    for p, g in zip(params, grads):
        p.grad = cr.tensor(np.array(g, dtype=np.float64))
    return params


def test_clip_grad_norm_rescales_all_gradients_to_the_global_norm():
    params = parameters_with_gradients([3.0, 0.0], [[4.0]])
    total = nn.utils.clip_grad_norm_(params, max_norm=1.0)
    assert total.item() == pytest.approx(5.0)
    np.testing.assert_allclose(params[0].grad.numpy(), [3 / (5 + 1e-6), 0.0])
    np.testing.assert_allclose(params[1].grad.numpy(), [[4 / (5 + 1e-6)]])


def test_clip_grad_norm_leaves_small_gradients_and_skips_missing_ones():
    params = parameters_with_gradients([0.3, 0.4]) + [nn.Parameter(np.zeros(2))]
    assert nn.utils.clip_grad_norm_(params, 1.0).item() == pytest.approx(0.5)
    np.testing.assert_allclose(params[0].grad.numpy(), [0.3, 0.4])
    assert params[1].grad is None


def test_clip_grad_norm_with_other_norms_and_a_single_tensor():
    p = parameters_with_gradients([1.0, -4.0])[0]
    assert nn.utils.clip_grad_norm_(p, 2.0, norm_type=math.inf).item() == 4.0
    np.testing.assert_allclose(p.grad.numpy(), np.array([1.0, -4.0]) * 2 / (4 + 1e-6))
    q = parameters_with_gradients([1.0, -4.0])[0]
    assert nn.utils.clip_grad_norm_(q, 10.0, norm_type=1).item() == 5.0


def test_clip_grad_norm_can_refuse_a_nonfinite_norm():
    with pytest.raises(RuntimeError, match="error_if_nonfinite"):
        nn.utils.clip_grad_norm_(parameters_with_gradients([np.nan]), 1.0, error_if_nonfinite=True)


def test_clip_grad_value_clamps_each_element():
    params = parameters_with_gradients([-3.0, 0.2, 5.0])
    assert nn.utils.clip_grad_value_(params, 1.0) is None
    np.testing.assert_array_equal(params[0].grad.numpy(), [-1.0, 0.2, 1.0])


def test_clip_grad_norm_matches_pytorch(torch):
    grads = [np.random.default_rng(0).normal(size=s) for s in ((3, 2), (4,))]
    ours = parameters_with_gradients(*grads)
    theirs = [torch.zeros(g.shape, dtype=torch.float64, requires_grad=True) for g in grads]
    for t, g in zip(theirs, grads):
        t.grad = torch.tensor(g)
    for norm_type in (2.0, 3.0):
        expected = torch.nn.utils.clip_grad_norm_(theirs, 0.5, norm_type=norm_type)
        np.testing.assert_allclose(nn.utils.clip_grad_norm_(ours, 0.5, norm_type=norm_type).item(), expected.item())
        for o, t in zip(ours, theirs):
            np.testing.assert_allclose(o.grad.numpy(), t.grad.numpy())
