"""Grad mode, anomaly mode, the default dtype and the transform stack are per thread."""

import threading

import numpy as np

import chainrule as cr


def _in_thread(target):
    result = {}

    def run():
        try:
            result["value"] = target()
        except BaseException as error:  # noqa: BLE001 (re-raised in the main thread)
            result["error"] = error

    thread = threading.Thread(target=run)
    thread.start()
    return thread, result


def _result(thread, result):
    thread.join(timeout=60)
    if "error" in result:
        raise result["error"]
    return result["value"]


def test_no_grad_in_one_thread_does_not_change_gradients_in_another():
    inside, done = threading.Event(), threading.Event()

    def hold_no_grad():
        with cr.no_grad():
            inside.set()
            done.wait(timeout=30)
        return cr.is_grad_enabled()

    thread, result = _in_thread(hold_no_grad)
    inside.wait(timeout=30)
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    (x * x + 3 * x).sum().backward()             # [2x + 3] = [5, 7], not [3, 3]
    done.set()
    assert _result(thread, result) is True
    np.testing.assert_array_equal(x.grad.numpy(), [5.0, 7.0])


def test_a_thread_starts_with_the_defaults():
    cr.set_default_dtype(np.float64)
    try:
        thread, result = _in_thread(lambda: (cr.get_default_dtype(), cr.is_grad_enabled(), cr.tensor(1.0).dtype))
        assert _result(thread, result) == (np.dtype(np.float32), True, np.dtype(np.float32))
        assert cr.tensor(1.0).dtype == np.float64
    finally:
        cr.set_default_dtype(np.float32)


def _train(seed, steps=30):
    """A small MLP trained with SGD; returns its final parameters."""
    rng = np.random.default_rng(seed)
    model = cr.nn.Sequential(cr.nn.Linear(4, 8), cr.nn.Tanh(), cr.nn.Linear(8, 1))
    with cr.no_grad():
        for p in model.parameters():
            p.copy_(cr.tensor(rng.normal(size=p.shape).astype(np.float32) * 0.5))
    x = cr.tensor(rng.normal(size=(16, 4)).astype(np.float32))
    y = cr.tensor(rng.normal(size=(16, 1)).astype(np.float32))
    opt = cr.optim.SGD(model.parameters(), lr=0.1)
    for _ in range(steps):
        opt.zero_grad()
        loss = cr.nn.functional.mse_loss(model(x), y)
        loss.backward()
        opt.step()
        cr.grad(lambda w: (w * w).sum())(x)      # a transform level in between, on this thread's stack
    return [p.numpy().copy() for p in model.parameters()]


def test_two_threads_training_at_once_get_exactly_what_each_gets_alone():
    alone = [_train(1), _train(2)]
    start = threading.Barrier(2)

    def train(seed):
        start.wait(timeout=30)
        return _train(seed)

    runs = [_in_thread(lambda s=s: train(s)) for s in (1, 2)]
    together = [_result(*run) for run in runs]
    for solo, concurrent in zip(alone, together):
        for a, b in zip(solo, concurrent):
            np.testing.assert_array_equal(a, b)
