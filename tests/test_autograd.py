"""cr.autograd is where PyTorch programs find Function: the same class as cr.Function."""

import chainrule as cr


def test_autograd_function_is_chainrules_function():
    assert cr.autograd.Function is cr.Function and cr.autograd.FunctionCtx is cr.FunctionCtx

    class Cube(cr.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        def backward(ctx, grad_output):
            x, = ctx.saved_tensors
            return grad_output * 3 * x ** 2

    x = cr.tensor(2.0, requires_grad=True)
    Cube.apply(x).backward()
    assert x.grad.item() == 12.0
