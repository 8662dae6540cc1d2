"""``lenet``: LeNet-5 on a batch of 64 images of 1×28×28, one SGD step.

conv 1→6 5×5 pad 2, ReLU, max-pool 2, conv 6→16 5×5, ReLU, max-pool 2, linear
400→120→84→10 with ReLU, cross-entropy. The images are N(0, 1) noise and the labels
uniform over the ten classes (fixed seed): speed does not depend on what the pixels show.
"""

import numpy as np

from .handwritten import conv_backward, conv_forward, cross_entropy_forward_backward
from .workload import (Problem, Workload, batch_size, eager_step, gradient_names, jit_sgd_step, torch_sgd_step,
                       uniform_init)

BATCH, TINY_BATCH, IMAGE, CLASSES = 64, 2, 28, 10
LR = 0.01
# (name, shape, fan_in) in the order of the Sequential's parameters (PyTorch's and chainrule's keys)
LAYERS = (("0.weight", (6, 1, 5, 5), 25), ("0.bias", (6,), 25),
          ("3.weight", (16, 6, 5, 5), 150), ("3.bias", (16,), 150),
          ("7.weight", (120, 400), 400), ("7.bias", (120,), 400),
          ("9.weight", (84, 120), 120), ("9.bias", (84,), 120),
          ("11.weight", (CLASSES, 84), 84), ("11.bias", (CLASSES,), 84))


def make_problem(size):
    batch = batch_size(size, BATCH, TINY_BATCH)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(batch, 1, IMAGE, IMAGE)).astype(np.float32)
    y = rng.integers(0, CLASSES, batch).astype(np.int64)
    params = {name: uniform_init(rng, shape, fan_in) for name, shape, fan_in in LAYERS}
    return Problem({"x": x, "y": y}, params, LR, gradient_names(params),
                   f"batch {batch} of 1×{IMAGE}×{IMAGE}")


# ---------------------------------------------------------------- hand-written NumPy
def max_pool2_forward(h):
    """2×2 max pooling with stride 2 over the last two axes: ``(out, mask)``, mask marking each
    window's maximum (the windows tile the image, so a reshape gives them)."""
    n, c, height, width = h.shape
    windows = h.reshape(n, c, height // 2, 2, width // 2, 2)
    out = windows.max(axis=(3, 5))
    return out, windows == out[:, :, :, None, :, None]


def max_pool2_backward(dout, mask):
    """Each window's gradient to its maximum. (Ties occur only among zeros after a ReLU,
    whose own gradient is zero, so sending the gradient to every tied element is exact.)"""
    n, c, ph, _, pw, _ = mask.shape
    return (mask * dout[:, :, :, None, :, None]).reshape(n, c, 2 * ph, 2 * pw)


def numpy_step(problem):
    """Activations in the layout (C, N, H, W) from the input to the flatten (see ``handwritten``)."""
    w1, b1, w2, b2, w3, b3, w4, b4, w5, b5 = params = problem.param_copies()
    x, y, lr = problem.data["x"], problem.data["y"], problem.lr
    n = len(x)
    pad = ((0, 0), (0, 0), (2, 2), (2, 2))

    def step():
        # forward
        columns1, z1 = conv_forward(np.pad(x.transpose(1, 0, 2, 3), pad), w1, b1)
        p1, mask1 = max_pool2_forward(np.maximum(z1, 0))
        columns2, z2 = conv_forward(p1, w2, b2)
        p2, mask2 = max_pool2_forward(np.maximum(z2, 0))
        flat = p2.transpose(1, 0, 2, 3).reshape(n, -1)
        z3 = flat @ w3.T + b3
        h3 = np.maximum(z3, 0)
        z4 = h3 @ w4.T + b4
        h4 = np.maximum(z4, 0)
        logits = h4 @ w5.T + b5
        loss, dlogits, _ = cross_entropy_forward_backward(logits, y)
        # backward
        dw5, db5 = dlogits.T @ h4, dlogits.sum(axis=0)
        dz4 = (dlogits @ w5) * (z4 > 0)
        dw4, db4 = dz4.T @ h3, dz4.sum(axis=0)
        dz3 = (dz4 @ w4) * (z3 > 0)
        dw3, db3 = dz3.T @ flat, dz3.sum(axis=0)
        dp2 = (dz3 @ w3).reshape(n, *p2.shape[:1], *p2.shape[2:]).transpose(1, 0, 2, 3)
        dz2 = max_pool2_backward(dp2, mask2) * (z2 > 0)
        dw2, db2, dp1 = conv_backward(dz2, columns2, w2, p1.shape)
        dz1 = max_pool2_backward(dp1, mask1) * (z1 > 0)
        dw1, db1, _ = conv_backward(dz1, columns1, w1)
        grads = [dw1, db1, dw2, db2, dw3, db3, dw4, db4, dw5, db5]
        # update
        for p, g in zip(params, grads):
            p -= lr * g
        return [loss] + grads

    return step


# ------------------------------------------------------------------------ chainrule
def chainrule_eager(problem):
    from ..models import lenet
    from ..nn import functional as F

    return eager_step(problem, lenet(image_size=IMAGE, classes=CLASSES), F.cross_entropy)


def lenet_loss(w1, b1, w2, b2, w3, b3, w4, b4, w5, b5, x, y):
    from ..nn import functional as F

    h = F.max_pool2d(F.relu(F.conv2d(x, w1, b1, padding=2)), 2)
    h = F.max_pool2d(F.relu(F.conv2d(h, w2, b2)), 2)
    h = h.reshape(h.shape[0], -1)
    h = F.relu(F.linear(h, w3, b3))
    h = F.relu(F.linear(h, w4, b4))
    return F.cross_entropy(F.linear(h, w5, b5), y)


def chainrule_jit(problem):
    return jit_sgd_step(lenet_loss, problem)


# -------------------------------------------------------------------------- PyTorch
def torch_step(problem):
    import torch

    nn = torch.nn
    model = nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, CLASSES))
    return torch_sgd_step(problem, model, torch.nn.functional.cross_entropy)


WORKLOAD = Workload(
    "lenet", "LeNet-5 (conv 1→6 5×5 pad 2, pool, conv 6→16 5×5, pool, 400→120→84→10), cross-entropy, one SGD step",
    make_problem,
    {"numpy": numpy_step, "chainrule eager": chainrule_eager, "chainrule jit": chainrule_jit, "torch": torch_step},
    rounds=300)
