"""``per_example``: per-example gradients of the ``mlp`` loss, one gradient per example of a batch of 128.

For each example n the gradient of its own loss ℓ_n(W) = −log softmax(f(x_n; W))[y_n],

    ∂ℓ_n/∂W3 = (softmax(z_n) − onehot(y_n)) h2_nᵀ,   ∂ℓ_n/∂W2 = δ2_n h1_nᵀ,   ∂ℓ_n/∂W1 = δ1_n x_nᵀ

(δ the backpropagated errors, outer products per example), as differential privacy's
per-example clipping needs them. chainrule computes them as issue 11 spells it,
``cr.vmap(cr.grad(loss), in_axes=(None, 0, 0))(params, X, y)`` with the parameters of the
``models.mlp`` module passed through ``cr.func.functional_call``; the reference points are
a Python loop of single-example gradients (``chainrule loop``) and one batched gradient
(the ``mlp`` workload's eager step). A step reads the gradients back and updates nothing.
The gradients are 128 × 0.67 M numbers (340 MB in float32): writing them bounds the step.
"""

import numpy as np

from . import mlp
from .handwritten import cross_entropy_forward_backward
from .workload import Problem, Workload, read, torch_array

ROUNDS = 20


def make_problem(size):
    base = mlp.make_problem(size)
    outputs = tuple(f"per-example d {name}" for name in base.params)
    return Problem(base.data, base.params, 0.0, outputs, base.description + ", a gradient per example")


# ---------------------------------------------------------------- hand-written NumPy
def numpy_step(problem):
    """The batched backward pass of ``mlp``, keeping the batch axis: outer products per example."""
    w1, b1, w2, b2, w3, b3 = problem.param_copies()
    x, y = problem.data["x"], problem.data["y"]

    def step():
        z1 = x @ w1.T + b1
        h1 = np.maximum(z1, 0)
        z2 = h1 @ w2.T + b2
        h2 = np.maximum(z2, 0)
        _, dlogits, _ = cross_entropy_forward_backward(h2 @ w3.T + b3, y)
        dlogits *= len(x)                                  # each example's own loss, not the batch mean
        dz2 = (dlogits @ w3) * (z2 > 0)
        dz1 = (dz2 @ w2) * (z1 > 0)
        return [dz1[:, :, None] * x[:, None, :], dz1, dz2[:, :, None] * h1[:, None, :], dz2,
                dlogits[:, :, None] * h2[:, None, :], dlogits]

    return step


# ------------------------------------------------------------------------ chainrule
def _example_loss(problem):
    """``(loss(params, x, y), params)``: one example's loss through ``functional_call`` of ``models.mlp``."""
    from ..core.tensor import Tensor
    from ..func.functional_call import functional_call
    from ..models import mlp as build_mlp
    from ..nn import functional as F

    model = build_mlp(mlp.FEATURES, (mlp.HIDDEN, mlp.HIDDEN), mlp.CLASSES)

    def loss(params, x, y):
        return F.cross_entropy(functional_call(model, params, (x[None],)), y[None])

    return loss, {name: Tensor(value) for name, value in problem.params.items()}


def _per_example_step(problem, compile=None):
    """A step reading back ``vmap(grad(loss))(params, X, y)``, compiled by ``compile`` when given."""
    from ..func.transforms import grad
    from ..func.vmap import vmap

    loss, params = _example_loss(problem)
    per_example = vmap(grad(loss), in_axes=(None, 0, 0))
    if compile is not None:
        per_example = compile(per_example)
    x, y = problem.data["x"], problem.data["y"]

    def step():
        grads = per_example(params, x, y)
        return [read(grads[name]) for name in params]

    return step


def chainrule_vmap(problem):
    return _per_example_step(problem)


def chainrule_jit(problem):
    from ..graph import jit

    return _per_example_step(problem, jit)


def chainrule_loop(problem):
    """What vmap replaces: a Python loop of single-example gradients, stacked."""
    from ..func.transforms import grad

    loss, params = _example_loss(problem)
    gradient = grad(loss)
    x, y = problem.data["x"], problem.data["y"]

    def step():
        grads = [gradient(params, x[n], y[n]) for n in range(len(x))]
        return [np.stack([read(g[name]) for g in grads]) for name in params]

    return step


# -------------------------------------------------------------------------- PyTorch
def torch_step(problem):
    import torch
    from torch.func import functional_call, grad, vmap

    nn = torch.nn
    model = nn.Sequential(nn.Flatten(), nn.Linear(mlp.FEATURES, mlp.HIDDEN), nn.ReLU(),
                          nn.Linear(mlp.HIDDEN, mlp.HIDDEN), nn.ReLU(), nn.Linear(mlp.HIDDEN, mlp.CLASSES))
    params = {name: torch_array(value, problem) for name, value in problem.params.items()}
    x, y = torch_array(problem.data["x"], problem), torch_array(problem.data["y"], problem)

    def loss(params, x, y):
        return torch.nn.functional.cross_entropy(functional_call(model, params, (x[None],)), y[None])

    per_example = vmap(grad(loss), in_dims=(None, 0, 0))

    def step():
        grads = per_example(params, x, y)
        return [read(grads[name]) for name in params]

    return step


WORKLOAD = Workload(
    "per_example", "per-example gradients of the mlp loss, batch 128: vmap(grad(loss)) through functional_call",
    make_problem,
    {"numpy": numpy_step, "chainrule vmap": chainrule_vmap, "chainrule jit": chainrule_jit,
     "chainrule loop": chainrule_loop, "torch": torch_step},
    rounds=ROUNDS)
