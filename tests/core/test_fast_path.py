"""The fast path: a backward without create_graph runs rules on plain arrays."""

import numpy as np

import chainrule as cr
from chainrule.ops.elementwise import mul_p


def test_backward_without_create_graph_runs_rules_on_plain_arrays(monkeypatch):
    seen = []
    rule = mul_p.vjp

    def spy(needed, g, ans, args, params):
        seen.append((type(g),) + tuple(type(a) for a in args))
        return rule(needed, g, ans, args, params)

    monkeypatch.setattr(mul_p, "vjp", spy)
    x = cr.tensor(np.array([1.0, 2.0]), requires_grad=True)
    (x * cr.tensor(np.array([3.0, 4.0]))).sum().backward()
    assert seen == [(np.ndarray, np.ndarray, np.ndarray)]
    np.testing.assert_array_equal(x.grad.numpy(), [3.0, 4.0])

    seen.clear()
    x.grad = None
    (x * cr.tensor(np.array([3.0, 4.0]))).sum().backward(create_graph=True)
    assert all(issubclass(t, cr.Tensor) for t in seen[0][:2])


def test_ops_on_plain_arrays_return_plain_arrays_internally():
    from chainrule import ops

    out = ops.mul(np.ones(2), np.ones(2))
    assert type(out) is np.ndarray
    assert isinstance(cr.mul(np.ones(2), np.ones(2)), cr.Tensor)  # the public function wraps


def test_no_grad_records_nothing():
    x = cr.tensor(np.ones(2), requires_grad=True)
    with cr.no_grad():
        y = cr.tanh(x * 2)
    assert not y.requires_grad and y.grad_fn is None


def test_leaf_gradients_never_share_memory_with_each_other_or_the_seed():
    x = cr.tensor(np.ones((2, 3)), requires_grad=True)
    y = cr.tensor(np.ones((2, 3)), requires_grad=True)
    seed = np.full((3, 2), 2.0)
    (x + y).T.backward(seed)  # both cotangents are views of the same transposed seed
    assert not np.shares_memory(x.grad.numpy(), y.grad.numpy())
    assert not np.shares_memory(x.grad.numpy(), seed) and not np.shares_memory(y.grad.numpy(), seed)
    x.grad.zero_()
    np.testing.assert_array_equal(y.grad.numpy(), np.full((2, 3), 2.0))


def test_a_broadcast_gradient_is_a_writeable_array():
    b = cr.tensor(np.zeros(3), requires_grad=True)
    (cr.tensor(np.ones((4, 3))) + b).sum().backward()
    b.grad.mul_(2.0)
    np.testing.assert_array_equal(b.grad.numpy(), [8.0, 8.0, 8.0])
    w = cr.tensor(np.ones(3), requires_grad=True)
    (w * 2.0).sum().backward()  # the cotangent of w is a read-only broadcast of the seed
    w.grad.add_(1.0)
    np.testing.assert_array_equal(w.grad.numpy(), [3.0, 3.0, 3.0])
