"""cr.checkpoint: the same gradients, in every mode, without keeping the function's intermediates."""

import gc
import tracemalloc

import numpy as np
import pytest

import chainrule as cr

RNG = np.random.default_rng(0)


def _block(w1, w2):
    return lambda h: cr.tanh(h @ w1) @ w2


def test_eager_gradients_reach_the_inputs_and_the_tensors_the_function_reads():
    w1 = cr.tensor(RNG.normal(size=(4, 4)), requires_grad=True)
    w2 = cr.tensor(RNG.normal(size=(4, 4)), requires_grad=True)
    x = cr.tensor(RNG.normal(size=(3, 4)), requires_grad=True)
    (cr.checkpoint(_block(w1, w2))(x) ** 2).sum().backward()
    with_checkpoint = [t.grad.numpy().copy() for t in (x, w1, w2)]
    for t in (x, w1, w2):
        t.grad = None
    (_block(w1, w2)(x) ** 2).sum().backward()
    for kept, t in zip(with_checkpoint, (x, w1, w2)):
        np.testing.assert_allclose(kept, t.grad.numpy(), rtol=1e-12)


def test_a_checkpointed_module_trains_like_the_plain_one():
    model = cr.nn.Sequential(cr.nn.Linear(3, 5), cr.nn.ReLU(), cr.nn.Linear(5, 2)).double()
    x = cr.tensor(RNG.normal(size=(4, 3)))
    cr.checkpoint(model)(x).sum().backward()
    grads = [p.grad.numpy().copy() for p in model.parameters()]
    model.zero_grad()
    model(x).sum().backward()
    for g, p in zip(grads, model.parameters()):
        np.testing.assert_allclose(g, p.grad.numpy(), rtol=1e-12)


def test_every_transform_and_second_order_through_a_checkpoint():
    f = lambda v: cr.checkpoint(lambda h: cr.sin(h) * h)(v).sum()  # noqa: E731
    report = cr.check_grad(f, RNG.normal(size=3), order=2)
    assert report.passed and not report.skipped
    xs = RNG.normal(size=(4, 3))
    np.testing.assert_allclose(cr.vmap(cr.grad(f))(xs).numpy(), np.cos(xs) * xs + np.sin(xs), rtol=1e-12)
    np.testing.assert_allclose(cr.jit(cr.grad(f))(xs[0]).numpy(), np.cos(xs[0]) * xs[0] + np.sin(xs[0]), rtol=1e-12)
    x = cr.tensor(xs[0], requires_grad=True)
    (g,) = [cr.grad(f)(x)]
    f(x).backward(create_graph=True)
    np.testing.assert_allclose(x.grad.numpy(), g.numpy(), rtol=1e-12)


def test_several_outputs_and_nested_arguments():
    def f(pair):
        a, b = pair
        return a * b, a + b

    a, b = cr.tensor([1.0, 2.0], requires_grad=True), cr.tensor([3.0, 4.0], requires_grad=True)
    product, total = cr.checkpoint(f)((a, b))
    (product.sum() + 2 * total.sum()).backward()
    np.testing.assert_array_equal(a.grad.numpy(), [5.0, 6.0])
    np.testing.assert_array_equal(b.grad.numpy(), [3.0, 4.0])


def test_a_function_closed_over_a_value_being_differentiated_is_refused():
    x = cr.tensor([1.0, 2.0])
    with pytest.raises(cr.TracerError, match="pass them as arguments"):
        cr.grad(lambda w: cr.checkpoint(lambda h: h * w)(x).sum())(2.0)


def _memory(step):
    """(bytes still held after ``step``, peak bytes during it), as tracemalloc sees NumPy's arrays."""
    gc.collect()
    tracemalloc.start()
    result = step()
    held, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, held, peak


def test_the_intermediates_are_not_kept_and_a_training_step_needs_less_memory():
    weights = [cr.tensor(RNG.normal(size=(64, 64)) / 8, requires_grad=True) for _ in range(16)]
    x = cr.tensor(RNG.normal(size=(512, 64)))

    def layers(h, ws):
        for w in ws:
            h = cr.tanh(h @ w)
        return h

    blocks = [cr.checkpoint(lambda v, ws=weights[k:k + 4]: layers(v, ws)) for k in range(0, 16, 4)]

    def checkpointed():
        h = x
        for block in blocks:
            h = block(h)
        return h.sum()

    _, plain_held, _ = _memory(lambda: layers(x, weights).sum())
    _, held, _ = _memory(checkpointed)
    assert held < 0.25 * plain_held                      # the forward keeps only the blocks' inputs
    _, _, plain_peak = _memory(lambda: layers(x, weights).sum().backward())
    plain_grads = [w.grad.numpy().copy() for w in weights]
    for w in weights:
        w.grad = None
    _, _, peak = _memory(lambda: checkpointed().backward())
    assert peak < 0.7 * plain_peak                        # forward and backward together
    for w, g in zip(weights, plain_grads):
        np.testing.assert_allclose(w.grad.numpy(), g, rtol=1e-10)


def test_vmap_of_a_checkpoint_with_several_outputs_maps_the_function():
    xs = RNG.normal(size=(4, 3))
    pair = cr.checkpoint(lambda v: (cr.sin(v), v * v))
    sines, squares = cr.vmap(pair)(xs)
    np.testing.assert_allclose(sines.numpy(), np.sin(xs))
    np.testing.assert_allclose(squares.numpy(), xs * xs)
    grads = cr.vmap(cr.grad(lambda v: cr.sum(pair(v)[0] * pair(v)[1])))(xs)
    np.testing.assert_allclose(grads.numpy(), np.cos(xs) * xs * xs + 2 * xs * np.sin(xs), rtol=1e-12)
