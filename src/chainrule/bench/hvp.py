"""``hvp``: a Hessian-vector product of the ``mlp`` loss w.r.t. all its parameters.

Forward over reverse: the tangent of the gradient along a direction v,

    (∇L(W), ∇²L(W)·v) = jvp(∇L, (W,), (v,)),

one pass that gives both the gradient and the product (Pearlmutter's R-operator,
R{·} = d/dε ·|_{ε=0} at W + εv). A step computes both, at fixed parameters, and
reads both back; there is no update (the product is the result, as inside a
Newton–CG iteration). The report gives its cost relative to one ``mlp`` training
step of the same implementation.
"""

import numpy as np

from . import mlp
from .handwritten import cross_entropy_forward_backward
from .workload import Problem, Workload, read, torch_array

NPARAMS = len(mlp.LAYERS)


def make_problem(size):
    base = mlp.make_problem(size)
    rng = np.random.default_rng(1)
    directions = [rng.normal(size=p.shape).astype(np.float32) for p in base.params.values()]
    names = tuple(base.params)
    outputs = tuple(f"d {name}" for name in names) + tuple(f"Hv {name}" for name in names)
    return Problem(base.data, base.params, 0.0, outputs, base.description, extra={"directions": directions})


def gradient_and_hvp(*args):
    """``(∇L, ∇²L·v)`` of ``mlp_loss`` at (w1 … b3) along (v1 … v6); arguments: 6 parameters, 6 directions, x, y."""
    from ..func.transforms import grad, jvp

    params, directions, (x, y) = args[:NPARAMS], args[NPARAMS:2 * NPARAMS], args[2 * NPARAMS:]
    gradient = grad(lambda *p: mlp.mlp_loss(*p, x, y), argnums=tuple(range(NPARAMS)))
    return jvp(gradient, params, directions)


# ---------------------------------------------------------------- hand-written NumPy
def numpy_step(problem):
    """The R-operator by hand: a forward pass of values and their R-tangents, then a
    backward pass of gradients and their R-tangents (the product rule on every line)."""
    w1, b1, w2, b2, w3, b3 = problem.param_copies()
    v1, c1, v2, c2, v3, c3 = problem.extra["directions"]
    x, y = problem.data["x"], problem.data["y"]

    def step():
        # forward, with R{·} of each value
        z1 = x @ w1.T + b1
        rz1 = x @ v1.T + c1
        m1 = z1 > 0
        h1, rh1 = z1 * m1, rz1 * m1
        z2 = h1 @ w2.T + b2
        rz2 = rh1 @ w2.T + h1 @ v2.T + c2
        m2 = z2 > 0
        h2, rh2 = z2 * m2, rz2 * m2
        logits = h2 @ w3.T + b3
        rlogits = rh2 @ w3.T + h2 @ v3.T + c3
        _, dlogits, probs = cross_entropy_forward_backward(logits, y)
        # R{(softmax − onehot)/N} = softmax ⊙ (R z − Σ softmax ⊙ R z) / N
        rdlogits = probs * (rlogits - (probs * rlogits).sum(axis=1, keepdims=True)) / len(x)
        # backward, with R{·} of each gradient
        dw3, rdw3 = dlogits.T @ h2, rdlogits.T @ h2 + dlogits.T @ rh2
        db3, rdb3 = dlogits.sum(axis=0), rdlogits.sum(axis=0)
        dz2 = (dlogits @ w3) * m2
        rdz2 = (rdlogits @ w3 + dlogits @ v3) * m2
        dw2, rdw2 = dz2.T @ h1, rdz2.T @ h1 + dz2.T @ rh1
        db2, rdb2 = dz2.sum(axis=0), rdz2.sum(axis=0)
        dz1 = (dz2 @ w2) * m1
        rdz1 = (rdz2 @ w2 + dz2 @ v2) * m1
        dw1, rdw1 = dz1.T @ x, rdz1.T @ x
        db1, rdb1 = dz1.sum(axis=0), rdz1.sum(axis=0)
        return [dw1, db1, dw2, db2, dw3, db3, rdw1, rdb1, rdw2, rdb2, rdw3, rdb3]

    return step


# ------------------------------------------------------------------------ chainrule
def chainrule_eager(problem):
    params = tuple(problem.param_copies())
    directions = tuple(problem.extra["directions"])
    x, y = problem.data["x"], problem.data["y"]

    def step():
        gradient, product = gradient_and_hvp(*params, *directions, x, y)
        return [read(g) for g in gradient] + [read(h) for h in product]

    return step


def chainrule_jit(problem):
    from ..graph import jit

    compiled = jit(gradient_and_hvp)
    params = problem.param_copies()
    directions = problem.extra["directions"]
    x, y = problem.data["x"], problem.data["y"]

    def step():
        gradient, product = compiled(*params, *directions, x, y)
        return [read(g) for g in gradient] + [read(h) for h in product]

    return step


# -------------------------------------------------------------------------- PyTorch
def torch_step(problem):
    import torch
    from torch.func import grad, jvp

    params = tuple(torch_array(p, problem) for p in problem.param_copies())
    directions = tuple(torch_array(v, problem) for v in problem.extra["directions"])
    x, y = torch_array(problem.data["x"], problem), torch_array(problem.data["y"], problem)
    gradient = grad(lambda p: mlp.torch_mlp_loss(p, x, y))

    def step():
        g, product = jvp(gradient, (params,), (directions,))
        return [read(a) for a in g] + [read(h) for h in product]

    return step


WORKLOAD = Workload(
    "hvp", "Hessian-vector product of the mlp loss w.r.t. all parameters, forward over reverse (gradient too)",
    make_problem,
    {"numpy": numpy_step, "chainrule eager": chainrule_eager, "chainrule jit": chainrule_jit, "torch": torch_step},
    rounds=300)
