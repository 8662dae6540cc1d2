"""Fit y = sin(x) on [-π, π] with a third-order polynomial, four ways, as in PyTorch's
"Learning PyTorch with Examples": tensors with hand-written gradients, autograd, a custom
autograd Function (the Legendre polynomial P₃), and nn + optim.

A PyTorch program run on chainrule by renaming the import (``import chainrule as torch``).
Lines changed beyond the import: none.

    python examples/polynomial_fit.py
"""

import math

import chainrule as torch


def fit_with_tensors(steps=2000, learning_rate=1e-6):
    """Forward pass, loss and backward pass all written by hand."""
    dtype = torch.float
    device = torch.device("cpu")

    x = torch.linspace(-math.pi, math.pi, 2000, device=device, dtype=dtype)
    y = torch.sin(x)

    a = torch.randn((), device=device, dtype=dtype)
    b = torch.randn((), device=device, dtype=dtype)
    c = torch.randn((), device=device, dtype=dtype)
    d = torch.randn((), device=device, dtype=dtype)

    for t in range(steps):
        y_pred = a + b * x + c * x ** 2 + d * x ** 3
        loss = (y_pred - y).pow(2).sum().item()
        if t % 100 == 99:
            print(t, loss)

        # d(loss)/d(y_pred), then the chain rule for each coefficient
        grad_y_pred = 2.0 * (y_pred - y)
        grad_a = grad_y_pred.sum()
        grad_b = (grad_y_pred * x).sum()
        grad_c = (grad_y_pred * x ** 2).sum()
        grad_d = (grad_y_pred * x ** 3).sum()

        a -= learning_rate * grad_a
        b -= learning_rate * grad_b
        c -= learning_rate * grad_c
        d -= learning_rate * grad_d

    print(f"Result: y = {a.item()} + {b.item()} x + {c.item()} x^2 + {d.item()} x^3")
    return loss, (a.item(), b.item(), c.item(), d.item())


def fit_with_autograd(steps=2000, learning_rate=1e-6):
    """The same fit, with the backward pass computed by autograd."""
    dtype = torch.float
    device = "cpu"

    x = torch.linspace(-math.pi, math.pi, 2000, dtype=dtype, device=device)
    y = torch.sin(x)

    a = torch.randn((), dtype=dtype, device=device, requires_grad=True)
    b = torch.randn((), dtype=dtype, device=device, requires_grad=True)
    c = torch.randn((), dtype=dtype, device=device, requires_grad=True)
    d = torch.randn((), dtype=dtype, device=device, requires_grad=True)

    for t in range(steps):
        y_pred = a + b * x + c * x ** 2 + d * x ** 3
        loss = (y_pred - y).pow(2).sum()
        if t % 100 == 99:
            print(t, loss.item())

        loss.backward()

        with torch.no_grad():
            a -= learning_rate * a.grad
            b -= learning_rate * b.grad
            c -= learning_rate * c.grad
            d -= learning_rate * d.grad

            a.grad = None
            b.grad = None
            c.grad = None
            d.grad = None

    print(f"Result: y = {a.item()} + {b.item()} x + {c.item()} x^2 + {d.item()} x^3")
    return loss.item(), (a.item(), b.item(), c.item(), d.item())


class LegendrePolynomial3(torch.autograd.Function):
    """P₃(x) = ½(5x³ − 3x), with its derivative P₃'(x) = 3/2 (5x² − 1) written by hand."""

    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input)
        return 0.5 * (5 * input ** 3 - 3 * input)

    @staticmethod
    def backward(ctx, grad_output):
        input, = ctx.saved_tensors
        return grad_output * 1.5 * (5 * input ** 2 - 1)


def fit_with_custom_function(steps=2000, learning_rate=5e-6):
    """y = a + b·P₃(c + d·x), where P₃ is an autograd Function with a hand-written backward."""
    dtype = torch.float
    device = torch.device("cpu")

    x = torch.linspace(-math.pi, math.pi, 2000, device=device, dtype=dtype)
    y = torch.sin(x)

    # the starting point must be near the solution for this model to converge
    a = torch.full((), 0.0, device=device, dtype=dtype, requires_grad=True)
    b = torch.full((), -1.0, device=device, dtype=dtype, requires_grad=True)
    c = torch.full((), 0.0, device=device, dtype=dtype, requires_grad=True)
    d = torch.full((), 0.3, device=device, dtype=dtype, requires_grad=True)

    for t in range(steps):
        P3 = LegendrePolynomial3.apply
        y_pred = a + b * P3(c + d * x)

        loss = (y_pred - y).pow(2).sum()
        if t % 100 == 99:
            print(t, loss.item())

        loss.backward()

        with torch.no_grad():
            a -= learning_rate * a.grad
            b -= learning_rate * b.grad
            c -= learning_rate * c.grad
            d -= learning_rate * d.grad

            a.grad = None
            b.grad = None
            c.grad = None
            d.grad = None

    print(f"Result: y = {a.item()} + {b.item()} * P3({c.item()} + {d.item()} x)")
    return loss.item(), (a.item(), b.item(), c.item(), d.item())


def fit_with_nn_and_optim(steps=2000, learning_rate=1e-3):
    """The polynomial as a Linear layer on the features (x, x², x³), trained by RMSprop."""
    x = torch.linspace(-math.pi, math.pi, 2000)
    y = torch.sin(x)

    p = torch.tensor([1, 2, 3])
    xx = x.unsqueeze(-1).pow(p)

    model = torch.nn.Sequential(
        torch.nn.Linear(3, 1),
        torch.nn.Flatten(0, 1)
    )
    loss_fn = torch.nn.MSELoss(reduction="sum")
    optimizer = torch.optim.RMSprop(model.parameters(), lr=learning_rate)

    for t in range(steps):
        y_pred = model(xx)
        loss = loss_fn(y_pred, y)
        if t % 100 == 99:
            print(t, loss.item())

        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    linear_layer = model[0]
    coefficients = (linear_layer.bias.item(), linear_layer.weight[:, 0].item(),
                    linear_layer.weight[:, 1].item(), linear_layer.weight[:, 2].item())
    print(f"Result: y = {coefficients[0]} + {coefficients[1]} x + {coefficients[2]} x^2 + {coefficients[3]} x^3")
    return loss.item(), coefficients


if __name__ == "__main__":
    torch.manual_seed(0)
    fit_with_tensors()
    fit_with_autograd()
    fit_with_custom_function()
    fit_with_nn_and_optim()
