"""Registry-driven gradient test: every primitive, on the samples declared next to it,
agrees with finite differences in float64 — first order in reverse mode (eager tape
and transform), forward mode, and second order (forward-over-reverse, reverse-over-
reverse and eager create_graph). A primitive without samples fails here."""

import numpy as np
import pytest

import chainrule as cr
from chainrule.core.bind import bind

PRIMITIVES = sorted(cr.primitives.values(), key=lambda p: p.name)
RTOL, ATOL = 1e-5, 1e-7
RTOL2, ATOL2 = 1e-4, 1e-6


def _samples(prim):
    return prim.samples(np.random.default_rng(0)) if prim.samples is not None else []


def _differentiable_positions(prim, args):
    positions = []
    for k, a in enumerate(args):
        if isinstance(a, np.ndarray) and a.dtype == np.float64:
            positions.append(k)
    return positions


CASES = [pytest.param(prim, args, params, k, id=f"{prim.name}-{i}-arg{k}")
         for prim in PRIMITIVES if prim.differentiable
         for i, (args, params) in enumerate(_samples(prim))
         for k in _differentiable_positions(prim, args)]


def _scalar_function(prim, args, params, k, cotangent):
    """x_k -> Σ prim(..., x_k, ...) · cotangent: a scalar whose gradient is the VJP."""
    def f(x):
        full = [cr.tensor(a) if isinstance(a, np.ndarray) else a for a in args]
        full[k] = x
        return (bind(prim, *full, **params) * cotangent).sum()
    return f


def _cotangent(prim, args, params):
    out = bind(prim, *[cr.tensor(a) if isinstance(a, np.ndarray) else a for a in args], **params)
    return np.random.default_rng(1).standard_normal(out.shape)


@pytest.mark.parametrize("prim", PRIMITIVES, ids=lambda p: p.name)
def test_every_primitive_declares_samples(prim):
    assert prim.samples is not None, f"primitive {prim.name} has no samples for the gradient test"
    assert len(_samples(prim)) > 0


@pytest.mark.parametrize("prim", [p for p in PRIMITIVES if not p.differentiable], ids=lambda p: p.name)
def test_nondifferentiable_primitive_outputs_never_require_grad(prim):
    for args, params in _samples(prim):
        tensors = [cr.tensor(a, requires_grad=a.dtype.kind == "f") if isinstance(a, np.ndarray) else a for a in args]
        out = bind(prim, *tensors, **params)
        expected = prim.impl(*args, **params)
        np.testing.assert_array_equal(out.numpy(), expected)
        assert not out.requires_grad


@pytest.mark.parametrize("prim,args,params,k", CASES)
def test_vjp_matches_finite_differences(prim, args, params, k):
    ct = _cotangent(prim, args, params)
    f = _scalar_function(prim, args, params, k, ct)
    numerical = cr.numerical_grad(f, args[k]).numpy()
    transform = cr.grad(f)(args[k]).numpy()
    np.testing.assert_allclose(transform, numerical, rtol=RTOL, atol=ATOL)
    x = cr.tensor(args[k].copy(), requires_grad=True)
    f(x).backward()
    np.testing.assert_allclose(x.grad.numpy(), numerical, rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("prim,args,params,k", CASES)
def test_jvp_matches_finite_differences(prim, args, params, k):
    ct = _cotangent(prim, args, params)
    f = _scalar_function(prim, args, params, k, ct)
    direction = np.random.default_rng(2).standard_normal(args[k].shape)
    _, tangent = cr.jvp(f, (args[k],), (direction,))
    numerical = float(np.sum(cr.numerical_grad(f, args[k]).numpy() * direction))
    np.testing.assert_allclose(tangent.item(), numerical, rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("prim,args,params,k", CASES)
def test_second_derivatives_match_finite_differences(prim, args, params, k):
    ct = _cotangent(prim, args, params)
    f = _scalar_function(prim, args, params, k, ct)
    x = args[k]
    v = np.random.default_rng(3).standard_normal(x.shape)
    h = 1e-5
    grad_f = cr.grad(f)
    numerical = (grad_f(x + h * v).numpy() - grad_f(x - h * v).numpy()) / (2 * h)

    forward_over_reverse = cr.hvp(f, (x,), (v,)).numpy()
    np.testing.assert_allclose(forward_over_reverse, numerical, rtol=RTOL2, atol=ATOL2)

    reverse_over_reverse = cr.grad(lambda y: (grad_f(y) * v).sum())(x).numpy()
    np.testing.assert_allclose(reverse_over_reverse, numerical, rtol=RTOL2, atol=ATOL2)

    leaf = cr.tensor(x.copy(), requires_grad=True)
    f(leaf).backward(create_graph=True)
    first = leaf.grad
    leaf.grad = None
    if first.requires_grad:  # otherwise the gradient is constant in x: the second derivative is 0
        (first * cr.tensor(v)).sum().backward()
    eager = leaf.grad.numpy() if leaf.grad is not None else np.zeros_like(x)
    np.testing.assert_allclose(eager, numerical, rtol=RTOL2, atol=ATOL2)
