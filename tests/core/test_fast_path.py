"""The fast path: a backward without create_graph runs rules on plain arrays."""

import numpy as np

import chainrule as cr
from chainrule.ops.elementwise import mul_p


def test_backward_without_create_graph_runs_rules_on_plain_arrays(monkeypatch):
    seen = []
    rule_x, rule_y = mul_p.vjps

    def spy(g, ans, x, y):
        seen.append((type(g), type(x), type(y)))
        return rule_x(g, ans, x, y)

    monkeypatch.setattr(mul_p, "vjps", (spy, rule_y))
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
