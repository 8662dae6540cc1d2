"""The lecture's worked examples, each with its closed-form (analytic) gradient.

* ``ln_sin``: f(x1, x2) = ln x1 + x1·x2 − sin x2 at (2, 5): f = 11.652, ∂f/∂x1 = 5.5
  (Baydin et al.'s example, the lecture's primal and tangent traces);
* ``least_squares``: L(w) = 1/N Σ (wᵀx_i − y_i)², ∇L = 2/N Xᵀ(Xw − y);
* ``two_layer_relu``: L = ‖ReLU(X W1) W2‖², dW2 = 2 h1ᵀ ŷ, dW1 = Xᵀ((2 ŷ W2ᵀ) ∘ 1[h1 > 0]).

``three_ways(example)`` computes the gradient numerically, analytically, and by
automatic differentiation in forward and reverse mode, with timings.
"""

import time
from dataclasses import dataclass

import numpy as np

from . import ops
from .func import transforms
from .numeric import numerical_grad


@dataclass
class Example:
    name: str
    formula: str
    f: object           # the function of the arguments (Tensors)
    analytic: object    # closed-form gradient, NumPy arrays in -> tuple of arrays out
    args: tuple         # float64 arrays
    names: tuple        # argument names


def ln_sin():
    def f(x1, x2):
        return ops.log(x1) + x1 * x2 - ops.sin(x2)

    def analytic(x1, x2):
        return (1 / x1 + x2, x1 - np.cos(x2))

    return Example("ln_sin", "f(x1, x2) = ln(x1) + x1*x2 - sin(x2) at (2, 5)", f, analytic,
                   (np.array(2.0), np.array(5.0)), ("x1", "x2"))


def least_squares(n=50, d=5, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    y = X @ rng.standard_normal(d) + 0.1 * rng.standard_normal(n)
    w = rng.standard_normal(d)

    def f(w):
        residual = X @ w - y
        return (residual * residual).sum() / n

    def analytic(w):
        return (2 / n * X.T @ (X @ w - y),)

    return Example("least_squares", f"L(w) = 1/N sum_i (w^T x_i - y_i)^2, N={n}, d={d}", f, analytic, (w,), ("w",))


def two_layer_relu(n=8, d=4, hidden=6, out=3, seed=1):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    W1 = rng.standard_normal((d, hidden))
    W2 = rng.standard_normal((hidden, out))

    def f(W1, W2):
        y_hat = ops.relu(X @ W1) @ W2
        return (y_hat * y_hat).sum()

    def analytic(W1, W2):
        # the lecture's NumPy backprop, line by line
        z1 = X @ W1
        h1 = np.maximum(z1, 0)
        y_hat = h1 @ W2
        dy_hat = 2.0 * y_hat
        dW2 = h1.T @ dy_hat
        dh1 = dy_hat @ W2.T
        dz1 = dh1.copy()
        dz1[z1 < 0] = 0
        dW1 = X.T @ dz1
        return (dW1, dW2)

    return Example("two_layer_relu", f"L = ||ReLU(X W1) W2||^2, X {n}x{d}, W1 {d}x{hidden}, W2 {hidden}x{out}",
                   f, analytic, (W1, W2), ("W1", "W2"))


LECTURE_EXAMPLES = (ln_sin, least_squares, two_layer_relu)


def _timed(fn):
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def _forward_mode_gradient(example):
    """The gradient by forward mode: one JVP per input element (the lecture's 'N times')."""
    grads = []
    for k, x in enumerate(example.args):
        columns = np.zeros(x.size)
        for i in range(x.size):
            tangents = tuple(np.zeros_like(a) for a in example.args)
            tangents[k].flat[i] = 1.0
            columns[i] = transforms.jvp(example.f, example.args, tangents)[1].item()
        grads.append(columns.reshape(x.shape))
    return tuple(grads)


def three_ways(example):
    """Rows ``(method, gradients, seconds)`` for numerical, analytic, forward and reverse mode."""
    nums = tuple(range(len(example.args)))
    rows = []
    numerical, seconds = _timed(lambda: numerical_grad(example.f, *example.args, argnums=nums))
    rows.append(("numerical (central differences)", tuple(g.numpy() for g in numerical), seconds))
    analytic, seconds = _timed(lambda: example.analytic(*example.args))
    rows.append(("analytic (closed form)", tuple(np.asarray(g) for g in analytic), seconds))
    forward, seconds = _timed(lambda: _forward_mode_gradient(example))
    rows.append(("AD forward mode (jvp per input)", forward, seconds))
    reverse, seconds = _timed(lambda: transforms.grad(example.f, argnums=nums)(*example.args))
    rows.append(("AD reverse mode (backprop)", tuple(g.numpy() for g in reverse), seconds))
    return rows
