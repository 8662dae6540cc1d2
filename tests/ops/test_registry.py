"""Registry-driven gradient test: every primitive, on the samples declared next to it,
through every view of its derivative.

For each sample and each differentiable argument x_k, f(x_k) = Σ prim(…, x_k, …) · c (c a
fixed random cotangent; the real part of it when complex) is a real scalar whose gradient is
the primitive's VJP. It is checked against finite differences in float64 — in the real and
imaginary parts of a complex argument z = x + iy, where ``cr.grad`` gives ∂f/∂x − i·∂f/∂y
(JAX's convention) and ``backward`` its conjugate (PyTorch's):

* first order: the eager tape (``backward``), ``cr.grad``, ``cr.jvp`` (a directional
  derivative), the graph-to-graph gradient ``cr.trace(f).grad()`` evaluated, and
  ``cr.jit(cr.value_and_grad(f))``;
* second order, three routes: forward over reverse (``cr.hvp``), reverse over reverse
  and the eager tape with ``create_graph=True``;
* the three evaluation traces of the traced graph render;
* float32: the eager gradient in float32 agrees within float32's precision.

A primitive without samples fails here, so a new primitive cannot skip the check.
"""

import re

import numpy as np
import pytest

import chainrule as cr
from chainrule.core.bind import bind

PRIMITIVES = sorted(cr.primitives.values(), key=lambda p: p.name)
RTOL, ATOL = 1e-5, 1e-7
RTOL2, ATOL2 = 1e-4, 1e-6
RTOL32, ATOL32 = 2e-3, 2e-4


def _samples(prim):
    return prim.samples(np.random.default_rng(0)) if prim.samples is not None else []


def _differentiable_positions(args):
    return [k for k, a in enumerate(args) if isinstance(a, np.ndarray) and a.dtype in (np.float64, np.complex128)]


def _conj_if_complex(a):
    return np.conj(a) if np.iscomplexobj(a) else a


CASES = [pytest.param((prim, args, params, k), id=f"{prim.name}-{i}-arg{k}")
         for prim in PRIMITIVES if prim.differentiable
         for i, (args, params) in enumerate(_samples(prim))
         for k in _differentiable_positions(args)]


def _scalar_function(prim, args, params, k, cotangent, dtype=np.float64):
    """x_k -> Σ prim(..., x_k, ...) · cotangent (its real part if complex): a real scalar whose
    gradient is the VJP."""
    def as_dtype(a):
        if isinstance(a, np.ndarray) and a.dtype.kind in "fc":
            return cr.tensor(a.astype(dtype if a.dtype.kind == "f" else np.result_type(dtype, np.complex64)))
        return cr.tensor(a) if isinstance(a, np.ndarray) else a

    constants = [as_dtype(a) for a in args]
    weights = as_dtype(cotangent)

    def f(x):
        full = list(constants)
        full[k] = x
        total = (bind(prim, *full, **params) * weights).sum()
        return cr.real(total) if total.dtype.kind == "c" else total
    return f


def _cotangent(prim, args, params):
    out = bind(prim, *[cr.tensor(a) if isinstance(a, np.ndarray) else a for a in args], **params)
    rng = np.random.default_rng(1)
    c = rng.standard_normal(out.shape)
    return c + 1j * rng.standard_normal(out.shape) if out.dtype.kind == "c" else c


def _direction(seed, x):
    rng = np.random.default_rng(seed)
    v = rng.standard_normal(x.shape)
    return v + 1j * rng.standard_normal(x.shape) if np.iscomplexobj(x) else v


@pytest.fixture
def case(request):
    prim, args, params, k = request.param
    ct = _cotangent(prim, args, params)
    f = _scalar_function(prim, args, params, k, ct)
    return prim, args, params, k, ct, f, cr.numerical_grad(f, args[k]).numpy()


def _check(actual, expected, rtol=RTOL, atol=ATOL):
    np.testing.assert_allclose(np.asarray(actual), expected, rtol=rtol, atol=atol)


@pytest.mark.parametrize("prim", PRIMITIVES, ids=lambda p: p.name)
def test_every_primitive_declares_samples_and_math(prim):
    assert prim.samples is not None, f"primitive {prim.name} has no samples for the gradient test"
    assert len(_samples(prim)) > 0
    assert prim.math is not None and prim.math.definition, f"primitive {prim.name} declares no math text"


@pytest.mark.parametrize("prim", [p for p in PRIMITIVES if not p.differentiable], ids=lambda p: p.name)
def test_nondifferentiable_primitive_outputs_never_require_grad(prim):
    for args, params in _samples(prim):
        tensors = [cr.tensor(a, requires_grad=a.dtype.kind == "f") if isinstance(a, np.ndarray) else a for a in args]
        out = bind(prim, *tensors, **params)
        expected = prim.impl(*args, **params)
        np.testing.assert_array_equal(out.numpy(), expected)
        assert not out.requires_grad


@pytest.mark.parametrize("case", CASES, indirect=True)
def test_reverse_mode_matches_finite_differences_on_the_tape_and_as_a_transform(case):
    prim, args, params, k, ct, f, numerical = case
    _check(cr.grad(f)(args[k]).numpy(), numerical)
    x = cr.tensor(args[k].copy(), requires_grad=True)
    f(x).backward()
    _check(x.grad.numpy(), _conj_if_complex(numerical))  # PyTorch's convention for .grad


@pytest.mark.parametrize("case", CASES, indirect=True)
def test_forward_mode_matches_finite_differences(case):
    prim, args, params, k, ct, f, numerical = case
    direction = _direction(2, args[k])
    _, tangent = cr.jvp(f, (args[k],), (direction,))
    _check(tangent.item(), float(np.sum(numerical * direction).real))


@pytest.mark.parametrize("case", CASES, indirect=True)
def test_the_gradient_graph_and_jit_match_finite_differences(case):
    prim, args, params, k, ct, f, numerical = case
    graph = cr.trace(f, args[k])
    _check(graph.grad()(args[k]).numpy(), numerical)
    value, gradient = cr.jit(cr.value_and_grad(f))(args[k])
    _check(gradient.numpy(), numerical)
    _check(value.item(), f(cr.tensor(args[k])).item())


@pytest.mark.parametrize("case", CASES, indirect=True)
def test_the_evaluation_traces_render_with_the_declared_math(case):
    prim, args, params, k, ct, f, numerical = case
    graph = cr.trace(f, args[k])
    primal, tangent, adjoint = graph.primal_table(), graph.tangent_table(), graph.adjoint_table()
    for piece in re.split(r"\{\d+\}", prim.math.definition):
        assert piece.strip() in str(primal)
    for table in (tangent, adjoint):  # a chain-rule term is declared for every differentiated argument
        assert f"∂{prim.name}/∂x" not in str(table)
    for table in (primal, tangent, adjoint):
        assert table.to_markdown() and table.to_latex()


@pytest.mark.parametrize("case", CASES, indirect=True)
def test_float32_gradient_agrees_within_float32_precision(case):
    prim, args, params, k, ct, f, numerical = case
    f32 = _scalar_function(prim, args, params, k, ct, np.float32)
    single = np.complex64 if np.iscomplexobj(args[k]) else np.float32
    x = cr.tensor(args[k].astype(single), requires_grad=True)
    f32(x).backward()
    assert x.grad.dtype == single
    scale = max(1.0, float(np.abs(numerical).max()))
    _check(x.grad.numpy(), _conj_if_complex(numerical), rtol=RTOL32, atol=ATOL32 * scale)


@pytest.mark.parametrize("case", CASES, indirect=True)
def test_second_derivatives_match_finite_differences(case):
    prim, args, params, k, ct, f, numerical = case
    x = args[k]
    v, u = _direction(3, x), _direction(4, x)
    h = 1e-5
    grad_f = cr.grad(f)
    expected = (grad_f(x + h * v).numpy() - grad_f(x - h * v).numpy()) / (2 * h)
    _check(cr.hvp(f, (x,), (v,)).numpy(), expected, RTOL2, ATOL2)                 # forward over reverse

    def along_u(y):  # a real scalar of the gradient, to differentiate again
        total = (grad_f(y) * cr.tensor(u)).sum()
        return cr.real(total) if total.dtype.kind == "c" else total

    expected = cr.numerical_grad(along_u, x).numpy()
    _check(cr.grad(along_u)(x).numpy(), expected, RTOL2, ATOL2)                   # reverse over reverse

    leaf = cr.tensor(x.copy(), requires_grad=True)                                # the eager tape
    f(leaf).backward(create_graph=True)
    first = leaf.grad                # PyTorch's convention: the conjugate of grad_f
    leaf.grad = None
    if first.requires_grad:  # otherwise the gradient is constant in x: the second derivative is 0
        total = (first * cr.tensor(_conj_if_complex(u))).sum()
        (cr.real(total) if total.dtype.kind == "c" else total).backward()
    eager = leaf.grad.numpy() if leaf.grad is not None else np.zeros_like(x)
    _check(eager, _conj_if_complex(expected), RTOL2, ATOL2)


# ------------------------------------------------------------------------------ vmap view
def _batched_args(args, batch_all_arrays, rng):
    """Three examples of a sample: float arguments perturbed per example (batch axis 0), other
    array arguments repeated (``batch_all_arrays``) or shared; ``in_axes`` to match."""
    batched, axes = [], []
    for a in args:
        a = np.asarray(a) if isinstance(a, np.generic) else a
        if isinstance(a, np.ndarray) and a.dtype.kind in "fc":
            noise = rng.uniform(-0.01, 0.01, (3,) + a.shape)
            batched.append(a + (noise if a.dtype.kind == "f" else noise * (1 + 1j)))
            axes.append(0)
        elif isinstance(a, np.ndarray) and batch_all_arrays:
            batched.append(np.stack([a] * 3))
            axes.append(0)
        else:
            batched.append(a)
            axes.append(None)
    return batched, tuple(axes)


VMAP_CASES = [pytest.param(prim, args, params, i, id=f"{prim.name}-{i}")
              for prim in PRIMITIVES for i, (args, params) in enumerate(_samples(prim))]


@pytest.mark.parametrize("prim,args,params,i", VMAP_CASES)
@pytest.mark.parametrize("batch_all_arrays", [False, True], ids=["shared-operands", "batched-operands"])
def test_vmap_matches_a_loop_over_examples(prim, args, params, i, batch_all_arrays):
    assert prim.batch is not None, f"primitive {prim.name} has no batching rule"
    batched, axes = _batched_args(args, batch_all_arrays, np.random.default_rng(i))
    f = lambda *xs: bind(prim, *[cr.tensor(x) if isinstance(x, (np.ndarray, np.generic)) else x for x in xs],  # noqa: E731
                         **params)
    out = cr.vmap(f, in_axes=axes)(*batched)
    expected = np.stack([np.asarray(f(*[x if ax is None else x[b] for x, ax in zip(batched, axes)]).numpy())
                         for b in range(3)])
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-12, atol=1e-12)
    moved = cr.vmap(f, in_axes=axes, out_axes=-1)(*batched)   # the batch axis where asked
    np.testing.assert_allclose(np.moveaxis(moved.numpy(), -1, 0), expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("case", CASES, indirect=True)
def test_per_example_gradients_and_gradients_through_vmap(case):
    prim, args, params, k, ct, f, numerical = case
    x = args[k]
    xs = np.stack([x, x * 1.01 + 0.001, x * 0.99 - 0.002])
    per_example = cr.vmap(cr.grad(f))(xs).numpy()                                   # vmap of grad
    np.testing.assert_allclose(per_example, np.stack([cr.grad(f)(xb).numpy() for xb in xs]), rtol=1e-9, atol=1e-12)
    through = cr.grad(lambda ys: cr.vmap(f)(ys).sum())(xs).numpy()                  # grad of vmap
    np.testing.assert_allclose(through, per_example, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(cr.jit(cr.vmap(cr.grad(f)))(xs).numpy(), per_example, rtol=1e-9, atol=1e-12)
