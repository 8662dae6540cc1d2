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


class SinCos(cr.Function):
    """Two outputs; backward receives one cotangent per output."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return cr.sin(x), cr.cos(x)

    @staticmethod
    def backward(ctx, g_sin, g_cos):
        (x,) = ctx.saved_tensors
        return g_sin * cr.cos(x) - g_cos * cr.sin(x)

    @staticmethod
    def jvp(ctx, t):
        (x,) = ctx.saved_tensors
        return t * cr.cos(x), -t * cr.sin(x)


def test_a_function_with_two_outputs_gets_one_cotangent_per_output():
    x0 = np.array([0.3, 1.2])
    s, c = SinCos.apply(cr.tensor(x0))
    assert_close(s, np.sin(x0))
    assert_close(c, np.cos(x0))

    def loss(x):
        s, c = SinCos.apply(x)
        return (2 * s + 3 * c).sum()

    expected = 2 * np.cos(x0) - 3 * np.sin(x0)
    x = cr.tensor(x0, requires_grad=True)
    loss(x).backward()
    assert_close(x.grad, expected)
    assert_close(cr.grad(loss)(x0), expected)
    assert_close(cr.jit(cr.grad(loss))(x0), expected)
    assert_close(cr.jvp(loss, (x0,), (np.ones(2),))[1], expected.sum())


def test_an_unused_output_contributes_nothing():
    x0 = np.array([0.3, 1.2])
    assert_close(cr.grad(lambda x: SinCos.apply(x)[1].sum())(x0), -np.sin(x0))


def test_custom_vjp_with_a_tuple_output():
    @cr.custom_vjp
    def square_and_cube(x):
        return x * x, x * x * x

    square_and_cube.defvjp(lambda x: ((x * x, x * x * x), x),
                           lambda x, g: (2 * x * g[0] + 3 * x * x * g[1],))
    x0 = np.array([1.0, 2.0])

    def loss(x):
        a, b = square_and_cube(x)
        return (a + b).sum()

    assert_close(cr.grad(loss)(x0), 2 * x0 + 3 * x0 ** 2)
    assert_close(cr.jvp(loss, (x0,), (np.ones(2),))[1], (2 * x0 + 3 * x0 ** 2).sum())
