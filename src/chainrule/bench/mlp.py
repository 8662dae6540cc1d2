"""``mlp``: a 784→512→512→10 perceptron with ReLU on a batch of 128, one SGD step.

Cross-entropy loss; the inputs are N(0, 1) noise and the labels uniform over the
ten classes (fixed seed). The ``hvp`` workload differentiates the same loss twice.
"""

import numpy as np

from .handwritten import cross_entropy_forward_backward
from .workload import (Problem, Workload, batch_size, eager_step, gradient_names, jit_sgd_step, torch_sgd_step,
                       uniform_init)

BATCH, TINY_BATCH, FEATURES, HIDDEN, CLASSES = 128, 8, 784, 512, 10
LR = 0.01
# keys of chainrule's models.mlp() and of the PyTorch Sequential below (index 0 is Flatten)
LAYERS = (("1.weight", (HIDDEN, FEATURES), FEATURES), ("1.bias", (HIDDEN,), FEATURES),
          ("3.weight", (HIDDEN, HIDDEN), HIDDEN), ("3.bias", (HIDDEN,), HIDDEN),
          ("5.weight", (CLASSES, HIDDEN), HIDDEN), ("5.bias", (CLASSES,), HIDDEN))


def make_problem(size):
    batch = batch_size(size, BATCH, TINY_BATCH)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(batch, FEATURES)).astype(np.float32)
    y = rng.integers(0, CLASSES, batch).astype(np.int64)
    params = {name: uniform_init(rng, shape, fan_in) for name, shape, fan_in in LAYERS}
    return Problem({"x": x, "y": y}, params, LR, gradient_names(params), f"batch {batch} of {FEATURES} features")


def mlp_loss(w1, b1, w2, b2, w3, b3, x, y):
    """The loss as a function of the parameters, for chainrule's transforms and jit."""
    from ..nn import functional as F

    h = F.relu(F.linear(x, w1, b1))
    h = F.relu(F.linear(h, w2, b2))
    return F.cross_entropy(F.linear(h, w3, b3), y)


def torch_mlp_loss(params, x, y):
    """The same loss in PyTorch's functional API (``params`` a tuple of six tensors)."""
    import torch.nn.functional as TF

    w1, b1, w2, b2, w3, b3 = params
    h = TF.relu(TF.linear(x, w1, b1))
    h = TF.relu(TF.linear(h, w2, b2))
    return TF.cross_entropy(TF.linear(h, w3, b3), y)


# ---------------------------------------------------------------- hand-written NumPy
def numpy_step(problem):
    w1, b1, w2, b2, w3, b3 = params = problem.param_copies()
    x, y, lr = problem.data["x"], problem.data["y"], problem.lr

    def step():
        # forward
        z1 = x @ w1.T + b1
        h1 = np.maximum(z1, 0)
        z2 = h1 @ w2.T + b2
        h2 = np.maximum(z2, 0)
        logits = h2 @ w3.T + b3
        loss, dlogits, _ = cross_entropy_forward_backward(logits, y)
        # backward
        dw3, db3 = dlogits.T @ h2, dlogits.sum(axis=0)
        dz2 = (dlogits @ w3) * (z2 > 0)
        dw2, db2 = dz2.T @ h1, dz2.sum(axis=0)
        dz1 = (dz2 @ w2) * (z1 > 0)
        dw1, db1 = dz1.T @ x, dz1.sum(axis=0)
        grads = [dw1, db1, dw2, db2, dw3, db3]
        # update
        for p, g in zip(params, grads):
            p -= lr * g
        return [loss] + grads

    return step


# ------------------------------------------------------------------------ chainrule
def chainrule_eager(problem):
    from ..models import mlp
    from ..nn import functional as F

    return eager_step(problem, mlp(FEATURES, (HIDDEN, HIDDEN), CLASSES), F.cross_entropy)


def chainrule_jit(problem):
    return jit_sgd_step(mlp_loss, problem)


# -------------------------------------------------------------------------- PyTorch
def torch_step(problem):
    import torch

    nn = torch.nn
    model = nn.Sequential(nn.Flatten(), nn.Linear(FEATURES, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, HIDDEN),
                          nn.ReLU(), nn.Linear(HIDDEN, CLASSES))
    return torch_sgd_step(problem, model, torch.nn.functional.cross_entropy)


WORKLOAD = Workload(
    "mlp", "MLP 784→512→512→10 with ReLU, batch 128, cross-entropy, one SGD step",
    make_problem,
    {"numpy": numpy_step, "chainrule eager": chainrule_eager, "chainrule jit": chainrule_jit, "torch": torch_step},
    rounds=800)
