"""``overhead``: the per-op cost of the tape, on arrays too small for NumPy's work to matter.

    x ← tanh(x · 1.01 + 0.1), 100 times, on a 16-element vector; L = Σ x;  dL/dx₀

300 primitive ops forward (and as many VJPs backward), plus the sum. A step is the
value and the gradient w.r.t. the input, read back; there are no parameters to
update. Its median divided by 300 is the cost per primitive, forward and backward
together.
"""

import numpy as np

from .workload import Problem, Workload, read, torch_array

SIZE, DEPTH = 16, 100
PRIMITIVES = 3 * DEPTH


def make_problem(size):
    rng = np.random.default_rng(0)
    x = rng.normal(size=SIZE).astype(np.float32)
    return Problem({}, {"x": x}, 0.0, ("loss", "d x"), f"{SIZE} elements, {DEPTH} × (mul, add, tanh)",
                   extra={"primitives": PRIMITIVES})


def chain(x, tanh):
    for _ in range(DEPTH):
        x = tanh(x * 1.01 + 0.1)
    return x


# ---------------------------------------------------------------- hand-written NumPy
def numpy_step(problem):
    x0 = problem.params["x"]

    def step():
        outputs = []
        x = x0
        for _ in range(DEPTH):
            x = np.tanh(x * 1.01 + 0.1)
            outputs.append(x)
        loss = x.sum()
        g = np.ones_like(x)
        for t in reversed(outputs):          # d tanh(u)/du = 1 − tanh(u)², du/dx = 1.01
            g = g * (1 - t * t) * 1.01
        return [loss, g]

    return step


# ------------------------------------------------------------------------ chainrule
def chainrule_eager(problem):
    from ..core.tensor import Tensor

    x = Tensor(problem.params["x"], requires_grad=True)

    def step():
        x.grad = None
        loss = chain(x, Tensor.tanh).sum()
        loss.backward()
        return [read(loss), read(x.grad)]

    return step


def overhead_loss(x):
    from ..core.tensor import Tensor

    return chain(x, Tensor.tanh).sum()


def chainrule_jit(problem):
    from ..func.transforms import value_and_grad
    from ..graph import jit

    compiled = jit(value_and_grad(overhead_loss))
    x = problem.params["x"]

    def step():
        loss, g = compiled(x)
        return [read(loss), read(g)]

    return step


# -------------------------------------------------------------------------- PyTorch
def torch_step(problem):
    import torch

    x = torch_array(problem.param_copies()[0], problem).requires_grad_()

    def step():
        x.grad = None
        loss = chain(x, torch.tanh).sum()
        loss.backward()
        return [read(loss), read(x.grad)]

    return step


WORKLOAD = Workload(
    "overhead", "100 × (x = tanh(x · 1.01 + 0.1)) on 16 elements, sum, gradient w.r.t. x: per-op cost of the tape",
    make_problem,
    {"numpy": numpy_step, "chainrule eager": chainrule_eager, "chainrule jit": chainrule_jit, "torch": torch_step},
    rounds=2000)
