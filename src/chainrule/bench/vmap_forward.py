"""``vmap_forward``: the seed CNN's forward pass over the digits set, batched natively and by ``vmap``.

The same scores f(x_i) = W3 relu(W2 ∗ relu(W1 ∗ x_i)) for the N = 1,797 signals of
``seed_cnn``, computed three ways by chainrule: the batched forward that the model runs
(``chainrule eager``), ``cr.vmap`` of the forward of one example (``chainrule vmap``,
whose batching rules fold the batch back into the convolutions' sample axis) and
``cr.jit`` of that vmap. No gradient: the cost of vmap itself. A step returns the scores.
"""

from . import seed_cnn
from .workload import Problem, Workload, read, torch_array


def make_problem(size):
    base = seed_cnn.make_problem(size)
    return Problem(base.data, base.params, 0.0, ("scores",), base.description + ", forward only")


# ---------------------------------------------------------------- hand-written NumPy
def numpy_step(problem):
    w1, b1, w2, b2, w3, b3 = problem.param_copies()
    x = problem.data["x"]
    return lambda: [seed_cnn.numpy_forward(x, w1, b1, w2, b2, w3, b3)[0]]


# ------------------------------------------------------------------------ chainrule
def _parameters(problem):
    from ..core.tensor import Tensor

    return [Tensor(p) for p in problem.param_copies()]


def example_forward(x, w1, b1, w2, b2, w3, b3):
    """The seed CNN on one signal x of shape (1, L): its batch of one, in and out."""
    from ..models import seed_cnn_forward

    return seed_cnn_forward(x[None], w1, b1, w2, b2, w3, b3)[0]


def chainrule_eager(problem):
    from ..core.tensor import Tensor
    from ..models import seed_cnn_forward

    params, x = _parameters(problem), Tensor(problem.data["x"])
    return lambda: [read(seed_cnn_forward(x, *params))]


def _vmapped():
    from ..func.vmap import vmap

    return vmap(example_forward, in_axes=(0,) + (None,) * 6)


def chainrule_vmap(problem):
    forward, params, x = _vmapped(), _parameters(problem), problem.data["x"]
    return lambda: [read(forward(x, *params))]


def chainrule_jit(problem):
    from ..graph import jit

    forward, params, x = jit(_vmapped()), _parameters(problem), problem.data["x"]
    return lambda: [read(forward(x, *params))]


# -------------------------------------------------------------------------- PyTorch
def torch_step(problem):
    import torch

    w1, b1, w2, b2, w3, b3 = (torch_array(p, problem) for p in problem.param_copies())
    x = torch_array(problem.data["x"], problem)
    F = torch.nn.functional

    def step():
        with torch.no_grad():
            h = F.relu(F.conv1d(F.relu(F.conv1d(x, w1, b1, padding="same")), w2, b2, padding="same"))
            return [read(F.linear(h.reshape(len(x), -1), w3, b3))]

    return step


WORKLOAD = Workload(
    "vmap_forward", "the seed CNN's forward on the digits set (N = 1,797): batched, and vmap of one example's",
    make_problem,
    {"numpy": numpy_step, "chainrule eager": chainrule_eager, "chainrule vmap": chainrule_vmap,
     "chainrule jit": chainrule_jit, "torch": torch_step},
    rounds=300)
