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
