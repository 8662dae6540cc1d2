"""What a benchmark workload is: one problem, several implementations of its step.

A ``Problem`` holds everything an implementation starts from — the data, the initial
parameters (float32, drawn from a fixed seed), the step size — so that every
implementation computes the same thing from the same numbers. An implementation is
a *builder*: ``build(problem) -> step``, where ``step()`` runs one step (forward,
backward, parameter update) and returns the arrays it read back, in the order of
``problem.outputs`` — the loss and the gradients, taken *before* the update — so
the runner can compare implementations with each other before it times them.
Builders copy what they change: the problem's arrays are never modified.

On a GPU (``chainrule bench --device cuda``) the problem's arrays are CuPy arrays
(``Problem.on``), every implementation keeps its work there — the hand-written NumPy code
runs on them through NumPy's dispatch protocols, that is, as hand-written CuPy — and a
step hands back its arrays where they are (``read``); the runner copies them to the host
to compare them, outside the timing.
"""

import math

import numpy as np

from ..core import devices
from ..core.tensor import Tensor

IMPLEMENTATIONS = ("numpy", "chainrule eager", "chainrule vmap", "chainrule jit", "chainrule loop", "torch")
"""Every implementation a workload may have, in the report's order (``vmap`` and ``loop``: the
two ways of batching a function of one example, for the workloads of issue 11)."""

REFERENCE = "numpy"
"""Hand-written NumPy: the cost of backpropagation without any framework."""


class Problem:
    """One workload at one size.

    Parameters
    ----------
    data : dict of str to ndarray
        Inputs and labels, shared read-only by every implementation.
    params : dict of str to ndarray
        Initial parameters (float32), named as the chainrule and PyTorch modules name them.
    lr : float
        Step size of the update ``W -= lr · dL/dW``.
    outputs : tuple of str
        Names of the arrays a step returns, in order.
    description : str
        The size in words, for the report.
    extra : dict, optional
        Anything else the implementations share (HVP directions, op counts).
    """

    def __init__(self, data, params, lr, outputs, description, extra=None, device="cpu"):
        self.data = data
        self.params = params
        self.lr = lr
        self.outputs = tuple(outputs)
        self.description = description
        self.extra = dict(extra or {})
        self.device = device

    def param_copies(self):
        """Fresh copies of the initial parameters, in order (for implementations that update arrays)."""
        return [p.copy() for p in self.params.values()]

    def on(self, device):
        """This problem with its arrays (data, parameters, and those in ``extra``) on ``device``."""
        if device == self.device:
            return self

        def moved(value):
            if isinstance(value, (list, tuple)):
                return type(value)(moved(v) for v in value)
            return devices.to_device(value, device) if isinstance(value, np.ndarray) else value

        return Problem({k: moved(v) for k, v in self.data.items()}, {k: moved(v) for k, v in self.params.items()},
                       self.lr, self.outputs, self.description, {k: moved(v) for k, v in self.extra.items()},
                       device)


def read(value):
    """What a step hands back for ``value`` (a chainrule or PyTorch tensor, an array), where it is: no
    copy to the host inside the timed step (``host_copy`` makes it, for the comparison)."""
    if isinstance(value, Tensor):
        return value._data
    return value.detach() if _is_torch(value) else value


def host_copy(value):
    """A NumPy copy of what ``read`` handed back."""
    if _is_torch(value):
        return value.detach().cpu().numpy().copy()
    return np.array(devices.to_host(value), copy=True)


def _is_torch(value):
    return type(value).__module__.startswith("torch")


def torch_array(value, problem):
    """``value`` (a NumPy or CuPy array) as a PyTorch tensor on the problem's device (sharing its memory)."""
    import torch

    return torch.as_tensor(value, device="cuda" if problem.device == "cuda" else "cpu")


class Workload:
    """A named benchmark: how to make its problem and how each implementation steps.

    Parameters
    ----------
    name : str
    title : str
        One line saying what a step computes.
    make_problem : callable
        ``make_problem(size) -> Problem`` with size ``"full"`` (the issue's sizes) or
        ``"tiny"`` (for tests and ``--quick``).
    builders : dict of str to callable
        Implementation name (one of ``IMPLEMENTATIONS``) to ``build(problem) -> step``.
    rounds : int
        Default number of interleaved timing rounds at full size (one step of each
        implementation per round), sized to keep the whole suite within minutes.
    """

    def __init__(self, name, title, make_problem, builders, rounds):
        unknown = set(builders) - set(IMPLEMENTATIONS)
        if unknown:
            raise ValueError(f"workload {name}: unknown implementation(s) {sorted(unknown)}")
        self.name = name
        self.title = title
        self.make_problem = make_problem
        self.builders = builders
        self.rounds = rounds

    def __repr__(self):
        return f"<workload {self.name}>"


LARGE = 32
"""How many times larger the training workloads' batches are at size "large" (for a GPU)."""


def batch_size(size, full, tiny):
    """The batch of a workload at ``size``: ``full`` (the issue's), ``LARGE`` × that, or ``tiny``."""
    return {"full": full, "large": LARGE * full, "tiny": tiny}[size]


def uniform_init(rng, shape, fan_in):
    """PyTorch's default layer initialization: U(−1/√fan_in, 1/√fan_in), as float32."""
    bound = 1 / math.sqrt(fan_in)
    return rng.uniform(-bound, bound, shape).astype(np.float32)


def gradient_names(params):
    """``("loss", "d <name>", …)``: what a training step reads back."""
    return ("loss",) + tuple(f"d {name}" for name in params)


def _training_step(model, loss, optimizer, params, x, y):
    """One step in PyTorch's protocol (chainrule follows it too): zero the gradients, loss,
    backward, read the gradients back, update. Returns the loss and the gradients."""
    def step():
        optimizer.zero_grad()
        value = loss(model(x), y)
        value.backward()
        grads = [read(p.grad) for p in params]
        optimizer.step()
        return [read(value)] + grads

    return step


def eager_step(problem, model, loss, optimizer=None):
    """The chainrule eager implementation of a training workload: ``model`` (a ``cr.nn``
    module) takes the problem's initial weights, then each step is ``loss(model(x), y)``,
    backward and ``optimizer`` (plain SGD at the problem's step size unless given)."""
    from .. import optim

    model.to(problem.device)
    model.load_state_dict(problem.params)
    params = list(model.parameters())
    optimizer = optimizer(params) if optimizer is not None else optim.SGD(params, lr=problem.lr)
    x, y = Tensor(problem.data["x"]), problem.data["y"]
    return _training_step(model, loss, optimizer, params, x, y)


def jit_sgd_step(loss, problem):
    """The jit implementation of a training workload: ``cr.jit(cr.value_and_grad(loss))`` over
    all parameters, then ``p -= lr * g`` on the arrays. ``loss(*params, x, y)``."""
    from ..func.transforms import value_and_grad
    from ..graph import jit

    compiled = jit(value_and_grad(loss, argnums=tuple(range(len(problem.params)))))
    params = problem.param_copies()
    x, y, lr = problem.data["x"], problem.data["y"], problem.lr

    def step():
        value, grads = compiled(*params, x, y)
        grads = [read(g) for g in grads]
        for p, g in zip(params, grads):
            p -= lr * g
        return [read(value)] + grads

    return step


def torch_sgd_step(problem, model, loss):
    """The PyTorch implementation of a training workload: ``model`` (a ``torch.nn`` module) takes
    the problem's initial weights, then each step is ``loss(model(x), y)``, backward, SGD."""
    import torch

    model.to("cuda" if problem.device == "cuda" else "cpu")
    params = list(model.parameters())
    with torch.no_grad():
        for p, value in zip(params, problem.params.values()):
            p.copy_(torch_array(value, problem))
    optimizer = torch.optim.SGD(params, lr=problem.lr)
    x, y = torch_array(problem.data["x"], problem), torch_array(problem.data["y"], problem)
    return _training_step(model, loss, optimizer, params, x, y)
