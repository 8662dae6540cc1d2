"""User ops (cr.Function, cr.custom_vjp) inside traces, jit and higher derivatives."""

import numpy as np

import chainrule as cr
from helpers import assert_close


class Cube(cr.Function):
    """x³ with a hand-written backward that uses a tensor computed in forward."""

    @staticmethod
    def forward(ctx, x):
        square = x * x
        ctx.save_for_backward(square)
        return square * x

    @staticmethod
    def backward(ctx, g):
        (square,) = ctx.saved_tensors
        return 3 * square * g


@cr.custom_vjp
def cube(x):
    return x * x * x


cube.defvjp(lambda x: (x * x * x, x * x), lambda square, g: (3 * square * g,))


def test_jitted_gradient_through_a_function_reads_its_new_inputs():
    for op in (Cube.apply, cube):
        step = cr.jit(cr.grad(lambda x: op(x).sum()))
        assert_close(step(np.array([1.0, 2.0])), [3.0, 12.0])
        assert_close(step(np.array([3.0, -1.0])), [27.0, 3.0])  # not the first call's saved square


def test_second_derivative_through_saved_tensors():
    for op in (Cube.apply, cube):
        second = cr.grad(lambda x: cr.grad(lambda y: op(y).sum())(x).sum())
        assert_close(second(np.array([1.0, 2.0])), [6.0, 12.0])  # d²/dx² x³ = 6x
        x = cr.tensor(np.array([1.0, 2.0]), requires_grad=True)
        op(x).sum().backward(create_graph=True)
        first = x.grad
        x.grad = None
        first.sum().backward()
        assert_close(x.grad, [6.0, 12.0])


def test_eager_backward_uses_what_forward_saved():
    calls = []

    class Counted(cr.Function):
        @staticmethod
        def forward(ctx, x):
            calls.append("forward")
            ctx.save_for_backward(x)
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * 2

    x = cr.tensor(np.ones(2), requires_grad=True)
    Counted.apply(x).sum().backward()
    assert calls == ["forward"]  # the fast path does not run forward again
    assert_close(x.grad, [2.0, 2.0])
