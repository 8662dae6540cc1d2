"""Property test: for random programs of broadcasting ops on random small shapes,
reverse-mode AD (cr.grad) agrees with finite differences (cr.numerical_grad), and the
forward values agree with the same program run in plain NumPy."""

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import chainrule as cr
from helpers import to_np


def _sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


# Each op: (arity, chainrule implementation, NumPy mirror, kink check or None).
# A kink check returns the distance of the operands from a non-differentiable point;
# examples closer than KINK_MARGIN are rejected.
UNARY = {
    "neg": (lambda a: -a, lambda a: -a, None),
    "square": (lambda a: a * a, lambda a: a * a, None),
    "exp_tanh": (lambda a: cr.exp(cr.tanh(a)), lambda a: np.exp(np.tanh(a)), None),
    "exp_sin": (lambda a: cr.exp(cr.sin(a)), lambda a: np.exp(np.sin(a)), None),
    "tanh": (cr.tanh, np.tanh, None),
    "sin": (cr.sin, np.sin, None),
    "cos": (cr.cos, np.cos, None),
    "sigmoid": (cr.sigmoid, _sigmoid, None),
    "softplus": (cr.softplus, lambda a: np.log1p(np.exp(a)), None),
    "log1p_sq": (lambda a: cr.log1p(a * a), lambda a: np.log1p(a * a), None),
    "sqrt_1p_sq": (lambda a: cr.sqrt(1.0 + a * a), lambda a: np.sqrt(1.0 + a * a), None),
    "relu": (cr.relu, lambda a: np.maximum(a, 0.0), lambda a: np.abs(a)),
    "abs": (cr.abs, np.abs, lambda a: np.abs(a)),
    "scale": (lambda a: 0.5 * a + 0.25, lambda a: 0.5 * a + 0.25, None),
    "rdiv": (lambda a: 1.0 / (2.0 + cr.sin(a)), lambda a: 1.0 / (2.0 + np.sin(a)), None),
}
BINARY = {
    "add": (lambda a, b: a + b, lambda a, b: a + b, None),
    "sub": (lambda a, b: a - b, lambda a, b: a - b, None),
    "mul": (lambda a, b: a * b, lambda a, b: a * b, None),
    "div": (lambda a, b: a / (1.0 + b * b), lambda a, b: a / (1.0 + b * b), None),
    "div_shift": (lambda a, b: a / (2.5 + cr.tanh(b)), lambda a, b: a / (2.5 + np.tanh(b)), None),
    "maximum": (cr.maximum, np.maximum, lambda a, b: np.abs(a - b)),
    "minimum": (cr.minimum, np.minimum, lambda a, b: np.abs(a - b)),
    "pow_pos": (
        lambda a, b: cr.power(1.0 + a * a, cr.tanh(b)),
        lambda a, b: np.power(1.0 + a * a, np.tanh(b)),
        None,
    ),
}
REDUCE = {
    "sum": (lambda a, ax: cr.sum(a, axis=ax, keepdims=True), lambda a, ax: np.sum(a, axis=ax, keepdims=True)),
    "mean": (lambda a, ax: cr.mean(a, axis=ax, keepdims=True), lambda a, ax: np.mean(a, axis=ax, keepdims=True)),
    "var": (lambda a, ax: cr.var(a, axis=ax, keepdims=True), lambda a, ax: np.var(a, axis=ax, keepdims=True)),
    "logsumexp": (
        lambda a, ax: cr.logsumexp(a, axis=ax, keepdims=True),
        lambda a, ax: np.log(np.sum(np.exp(a), axis=ax, keepdims=True)),
    ),
}
ALL_OPS = sorted(UNARY) + sorted(BINARY) + sorted(REDUCE)
KINK_MARGIN = 1e-3


@st.composite
def programs(draw):
    base_rank = draw(st.integers(0, 3))
    base = tuple(draw(st.integers(1, 3)) for _ in range(base_rank))
    n_inputs = draw(st.integers(1, 3))
    shapes = []
    for _ in range(n_inputs):
        rank = draw(st.integers(0, base_rank))
        tail = base[base_rank - rank:]
        shape = tuple(1 if draw(st.booleans()) else d for d in tail)
        shapes.append(shape)
    n_ops = draw(st.integers(2, 6))
    ops = []
    for _ in range(n_ops):
        name = draw(st.sampled_from(ALL_OPS))
        # operand choices are resolved modulo the number of values available then
        ops.append((name, draw(st.integers(0, 100)), draw(st.integers(0, 100))))
    seed = draw(st.integers(0, 2**32 - 1))
    return shapes, ops, seed


def run_program(ops, inputs, lib):
    """Run the program on inputs with lib 'cr' or 'np'; returns (values, min kink distance)."""
    values = list(inputs)
    margin = np.inf
    for name, i, j in ops:
        prev = values[-1]
        if name in UNARY:
            fn_cr, fn_np, kink = UNARY[name]
            out = fn_cr(prev) if lib == "cr" else fn_np(prev)
            if kink is not None and lib == "np":
                margin = min(margin, float(np.min(kink(prev), initial=np.inf)))
        elif name in BINARY:
            other = values[j % len(values)]
            fn_cr, fn_np, kink = BINARY[name]
            out = fn_cr(prev, other) if lib == "cr" else fn_np(prev, other)
            if kink is not None and lib == "np":
                a, b = np.broadcast_arrays(prev, other)
                margin = min(margin, float(np.min(kink(a, b), initial=np.inf)))
        else:
            ndim = len(prev.shape)
            fn_cr, fn_np = REDUCE[name]
            if ndim == 0:
                out = prev * 1.5  # nothing to reduce: a plain scale instead
            else:
                axis = i % ndim
                out = fn_cr(prev, axis) if lib == "cr" else fn_np(prev, axis)
        values.append(out)
    return values, margin


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(programs())
def test_random_compositions_ad_matches_numerical_gradient(program):
    shapes, ops, seed = program
    rng = np.random.default_rng(seed)
    inputs = [np.asarray(rng.uniform(-1.5, 1.5, size=s), dtype=np.float64) for s in shapes]

    np_values, margin = run_program(ops, inputs, "np")
    assume(margin > KINK_MARGIN)
    out_np = np_values[-1]
    assume(np.all(np.isfinite(out_np)) and np.max(np.abs(out_np), initial=0.0) < 1e6)
    weights = np.asarray(rng.uniform(-1.0, 1.0, size=np.shape(out_np)), dtype=np.float64)

    def f(*args):
        values, _ = run_program(ops, list(args), "cr")
        return cr.sum(values[-1] * cr.tensor(weights))

    # forward value equals the NumPy mirror
    value = to_np(f(*[cr.tensor(a) for a in inputs]))
    np.testing.assert_allclose(value, np.sum(out_np * weights), rtol=1e-10, atol=1e-12)

    argnums = tuple(range(len(inputs)))
    ad = cr.grad(f, argnums=argnums)(*inputs)
    assert isinstance(ad, tuple) and len(ad) == len(inputs)
    for k, x in enumerate(inputs):
        g = to_np(ad[k])
        assert g.shape == x.shape, (k, g.shape, x.shape, ops)
        assert g.dtype == np.dtype(np.float64)
        numeric = to_np(cr.numerical_grad(f, *inputs, argnums=k))
        np.testing.assert_allclose(g, numeric, rtol=1e-5, atol=1e-7, err_msg=f"input {k}, ops {ops}")


@settings(max_examples=25, deadline=None)
@given(programs())
def test_random_compositions_backward_matches_grad(program):
    """Eager Tensor.backward and the cr.grad transform give the same gradients."""
    shapes, ops, seed = program
    rng = np.random.default_rng(seed)
    inputs = [np.asarray(rng.uniform(-1.5, 1.5, size=s), dtype=np.float64) for s in shapes]
    np_values, _ = run_program(ops, inputs, "np")
    out_np = np_values[-1]
    assume(np.all(np.isfinite(out_np)))
    weights = np.asarray(rng.uniform(-1.0, 1.0, size=np.shape(out_np)), dtype=np.float64)

    def f(*args):
        values, _ = run_program(ops, list(args), "cr")
        return cr.sum(values[-1] * cr.tensor(weights))

    leaves = [cr.tensor(a, requires_grad=True) for a in inputs]
    f(*leaves).backward()
    ad = cr.grad(f, argnums=tuple(range(len(inputs))))(*inputs)
    for leaf, g in zip(leaves, ad):
        eager = np.zeros(leaf.shape) if leaf.grad is None else to_np(leaf.grad)
        np.testing.assert_allclose(eager, to_np(g), rtol=1e-12, atol=1e-14)
