"""``seed_cnn``: the lecture's very basic CNN on the full digits set, one steepest-descent step.

    L(W) = 1/N Σ_i ln(1 + exp(−y_i · W3 relu(W2 ∗ relu(W1 ∗ x_i))))

N = 1,797 digits read row by row as 64-sample signals (standardized pixel by pixel),
y = +1 for even digits and −1 for odd ones; W1: conv1d 1→4 channels, kernel 5,
"same"; W2: conv1d 4→4, kernel 5, "same"; W3: linear 256→1; each with a bias. One
step is the full-batch loss, its gradient and W ← W − 0.3·∇L (the demo's step size).
"""

import numpy as np

from .handwritten import conv_backward, conv_forward
from .workload import (Problem, Workload, batch_size, eager_step, gradient_names, jit_sgd_step, torch_sgd_step,
                       uniform_init)

LENGTH, CHANNELS, KERNEL = 64, 4, 5
STEP_SIZE = 0.3
TINY_N = 32


def make_problem(size):
    from ..data import digits

    images, labels = digits(np.float32)
    n = batch_size(size, len(images), TINY_N)
    flat = images.reshape(len(images), -1).astype(np.float64)
    standardized = (flat - flat.mean(axis=0)) / (flat.std(axis=0) + 0.1)
    repeats = -(-n // len(images))  # "large": the digits 32 times over
    x = np.tile(standardized, (repeats, 1))[:n, None, :].astype(np.float32)
    y = np.where(np.tile(labels, repeats)[:n] % 2 == 0, 1.0, -1.0).astype(np.float32)
    rng = np.random.default_rng(0)
    params = {
        "conv1.weight": uniform_init(rng, (CHANNELS, 1, KERNEL), KERNEL),
        "conv1.bias": uniform_init(rng, (CHANNELS,), KERNEL),
        "conv2.weight": uniform_init(rng, (CHANNELS, CHANNELS, KERNEL), CHANNELS * KERNEL),
        "conv2.bias": uniform_init(rng, (CHANNELS,), CHANNELS * KERNEL),
        "fc.weight": uniform_init(rng, (1, CHANNELS * LENGTH), CHANNELS * LENGTH),
        "fc.bias": uniform_init(rng, (1,), CHANNELS * LENGTH),
    }
    return Problem({"x": x, "y": y}, params, STEP_SIZE, gradient_names(params),
                   f"N = {n} signals of {LENGTH} samples")


# ---------------------------------------------------------------- hand-written NumPy
SAME = ((0, 0), (0, 0), ((KERNEL - 1) // 2, KERNEL - 1 - (KERNEL - 1) // 2))
"""The zeros of a "same" convolution, around the length axis of a (C, N, L) array."""


def numpy_forward(x, w1, b1, w2, b2, w3, b3):
    """The forward pass in the layout (C, N, L): ``(scores, intermediates for the backward pass)``."""
    columns1, z1 = conv_forward(np.pad(x.transpose(1, 0, 2), SAME), w1, b1)
    h1 = np.maximum(z1, 0)
    columns2, z2 = conv_forward(np.pad(h1, SAME), w2, b2)
    flat = np.maximum(z2, 0).transpose(1, 0, 2).reshape(len(x), -1)
    return flat @ w3.T + b3, (columns1, z1, h1, columns2, z2, flat)


def numpy_step(problem):
    w1, b1, w2, b2, w3, b3 = params = problem.param_copies()
    x, y, lr = problem.data["x"], problem.data["y"], problem.lr
    n = len(x)
    left = SAME[2][0]

    def step():
        f, (columns1, z1, h1, columns2, z2, flat) = numpy_forward(x, *params)
        margin = -y * f[:, 0]
        loss = np.logaddexp(0, margin).mean()
        # backward: dL/df = −y σ(−y f) / N
        df = (-y * np.exp(-np.logaddexp(0, -margin)) / n)[:, None]
        dw3 = df.T @ flat
        db3 = df.sum(axis=0)
        dz2 = (df @ w3).reshape(n, CHANNELS, LENGTH).transpose(1, 0, 2) * (z2 > 0)
        dw2, db2, dpadded = conv_backward(dz2, columns2, w2, (CHANNELS, n, LENGTH + KERNEL - 1))
        dz1 = dpadded[:, :, left:left + LENGTH] * (z1 > 0)
        dw1, db1, _ = conv_backward(dz1, columns1, w1)
        grads = [dw1, db1, dw2, db2, dw3, db3]
        # update
        for p, g in zip(params, grads):
            p -= lr * g
        return [loss] + grads

    return step


# ------------------------------------------------------------------------ chainrule
def chainrule_eager(problem):
    from .. import optim
    from ..models import SeedCNN
    from ..nn import functional as F

    model = SeedCNN(length=LENGTH, channels=CHANNELS, kernel_size=KERNEL)
    return eager_step(problem, model, F.logistic_loss,
                      lambda params: optim.SteepestDescent(params, step_size=problem.lr, precision=0.0,
                                                           max_iters=2 ** 62))


def seed_cnn_loss(w1, b1, w2, b2, w3, b3, x, y):
    from ..models import seed_cnn_forward
    from ..nn import functional as F

    return F.logistic_loss(seed_cnn_forward(x, w1, b1, w2, b2, w3, b3), y)


def chainrule_jit(problem):
    return jit_sgd_step(seed_cnn_loss, problem)


# -------------------------------------------------------------------------- PyTorch
def torch_step(problem):
    import torch

    model = torch.nn.Sequential(
        torch.nn.Conv1d(1, CHANNELS, KERNEL, padding="same"), torch.nn.ReLU(),
        torch.nn.Conv1d(CHANNELS, CHANNELS, KERNEL, padding="same"), torch.nn.ReLU(),
        torch.nn.Flatten(), torch.nn.Linear(CHANNELS * LENGTH, 1))
    return torch_sgd_step(problem, model, lambda out, y: torch.nn.functional.soft_margin_loss(out[:, 0], y))


WORKLOAD = Workload(
    "seed_cnn", "the lecture's CNN (conv1d 1→4→4, k 5, linear 256→1), logistic loss, one steepest-descent step",
    make_problem,
    {"numpy": numpy_step, "chainrule eager": chainrule_eager, "chainrule jit": chainrule_jit, "torch": torch_step},
    rounds=300)
