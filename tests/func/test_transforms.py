"""JAX-style transforms: grad, value_and_grad, vjp, jvp, jacobian, hessian, hvp,
their composition, perturbation confusion, stop_gradient, Function and custom_vjp."""

import numpy as np
import pytest

import chainrule as cr
from helpers import assert_close, to_np


def numerical_jacobian(f, x, h=1e-6):
    """Central differences of a chainrule function of one array, out.shape + in.shape."""
    x = np.asarray(x, dtype=np.float64)
    out = to_np(f(cr.tensor(x)))
    jac = np.zeros(out.shape + x.shape)
    for idx in np.ndindex(*x.shape):
        xp = x.copy()
        xm = x.copy()
        xp[idx] += h
        xm[idx] -= h
        diff = (to_np(f(cr.tensor(xp))) - to_np(f(cr.tensor(xm)))) / (2 * h)
        jac[(Ellipsis,) + idx] = diff
    return jac


@pytest.fixture
def rng():
    return np.random.default_rng(2024)


# --------------------------------------------------------------------- grad


def test_grad_of_sum_of_squares_is_twice_x(rng):
    x = rng.standard_normal(4)
    g = cr.grad(lambda t: cr.sum(t * t))(x)
    assert isinstance(g, cr.Tensor)
    assert_close(g, 2 * x)


def test_grad_accepts_tensor_argument(rng):
    x = rng.standard_normal((2, 3))
    g = cr.grad(lambda t: cr.sum(cr.sin(t)))(cr.tensor(x))
    assert_close(g, np.cos(x))


def test_grad_function_receives_tensors():
    seen = []

    def f(t):
        seen.append(isinstance(t, cr.Tensor))
        return cr.sum(t * 3.0)

    cr.grad(f)(np.array([1.0, 2.0]))
    assert seen and all(seen)


def test_grad_argnums_int_selects_argument(rng):
    x = rng.standard_normal(3)
    y = rng.standard_normal(3)

    def f(a, b):
        return cr.sum(a * b) + cr.sum(cr.sin(a))

    assert_close(cr.grad(f)(x, y), y + np.cos(x))
    assert_close(cr.grad(f, argnums=1)(x, y), x)


def test_grad_argnums_tuple_returns_tuple(rng):
    x = rng.standard_normal(3)
    y = rng.standard_normal(3)

    def f(a, b):
        return cr.sum(a * b * b)

    gs = cr.grad(f, argnums=(0, 1))(x, y)
    assert isinstance(gs, tuple) and len(gs) == 2
    assert_close(gs[0], y * y)
    assert_close(gs[1], 2 * x * y)
    single = cr.grad(f, argnums=(1,))(x, y)
    assert isinstance(single, tuple) and len(single) == 1
    assert_close(single[0], 2 * x * y)


def test_grad_has_aux_returns_gradient_and_aux(rng):
    x = rng.standard_normal(3)

    def f(t):
        s = cr.sin(t)
        return cr.sum(s * s), s

    g, aux = cr.grad(f, has_aux=True)(x)
    assert_close(g, 2 * np.sin(x) * np.cos(x))
    assert_close(aux, np.sin(x))


def test_value_and_grad_returns_value_and_gradient(rng):
    x = rng.standard_normal(3)
    v, g = cr.value_and_grad(lambda t: cr.sum(t ** 3))(x)
    assert_close(v, np.sum(x ** 3))
    assert_close(g, 3 * x ** 2)


def test_value_and_grad_has_aux_nests_value_and_aux(rng):
    x = rng.standard_normal(3)

    def f(t):
        return cr.sum(cr.exp(t)), {"mean": cr.mean(t)}

    (v, aux), g = cr.value_and_grad(f, has_aux=True)(x)
    assert_close(v, np.sum(np.exp(x)))
    assert_close(aux["mean"], np.mean(x))
    assert_close(g, np.exp(x))


def test_value_and_grad_argnums_tuple(rng):
    x = rng.standard_normal(3)
    y = rng.standard_normal(3)
    v, (gx, gy) = cr.value_and_grad(lambda a, b: cr.sum(a * cr.exp(b)), argnums=(0, 1))(x, y)
    assert_close(v, np.sum(x * np.exp(y)))
    assert_close(gx, np.exp(y))
    assert_close(gy, x * np.exp(y))


def test_grad_of_unused_argument_is_zeros(rng):
    x = rng.standard_normal(3)
    y = rng.standard_normal((2, 2))
    gx, gy = cr.grad(lambda a, b: cr.sum(a * a), argnums=(0, 1))(x, y)
    assert_close(gx, 2 * x)
    assert_close(gy, np.zeros((2, 2)))


# ------------------------------------------------------------------- vjp, jvp


def test_vjp_returns_output_and_pullback_tuple(rng):
    x = rng.standard_normal(4)
    y = rng.standard_normal(4)
    ct = rng.standard_normal(4)
    out, vjp_fn = cr.vjp(lambda a, b: a * cr.sin(b), x, y)
    assert_close(out, x * np.sin(y))
    cts = vjp_fn(ct)
    assert isinstance(cts, tuple) and len(cts) == 2
    assert_close(cts[0], ct * np.sin(y))
    assert_close(cts[1], ct * x * np.cos(y))


def test_vjp_single_argument_gives_one_element_tuple(rng):
    A = rng.standard_normal((2, 3))
    x = rng.standard_normal(3)
    ct = rng.standard_normal(2)
    out, vjp_fn = cr.vjp(lambda t: cr.matmul(cr.tensor(A), t), x)
    assert_close(out, A @ x)
    (g,) = vjp_fn(ct)
    assert_close(g, A.T @ ct)


def test_jvp_is_jacobian_times_tangent(rng):
    x = rng.standard_normal(4)
    v = rng.standard_normal(4)
    out, tan = cr.jvp(lambda t: cr.sin(t) * t, (x,), (v,))
    assert_close(out, np.sin(x) * x)
    assert_close(tan, (np.cos(x) * x + np.sin(x)) * v)


def test_jvp_two_arguments(rng):
    x = rng.standard_normal(3)
    y = rng.standard_normal(3)
    u = rng.standard_normal(3)
    w = rng.standard_normal(3)
    out, tan = cr.jvp(lambda a, b: a * cr.exp(b), (x, y), (u, w))
    assert_close(out, x * np.exp(y))
    assert_close(tan, u * np.exp(y) + x * np.exp(y) * w)


# ------------------------------------------------------------------ jacobian


def _vector_fn(A):
    def f(t):
        return cr.matmul(cr.tensor(A), cr.tanh(t)) * cr.sum(t)

    return f


@pytest.mark.parametrize("mode", ["rev", "fwd"])
def test_jacobian_vector_to_vector_matches_numerical(mode, rng):
    A = rng.standard_normal((2, 3))
    x = rng.standard_normal(3)
    f = _vector_fn(A)
    J = cr.jacobian(f, mode=mode)(x)
    assert J.shape == (2, 3)
    assert_close(J, numerical_jacobian(f, x), rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("mode", ["rev", "fwd"])
def test_jacobian_shape_is_out_shape_plus_in_shape(mode, rng):
    B = rng.standard_normal((6, 4))
    X = rng.standard_normal((2, 3))

    def f(t):
        return cr.matmul(cr.reshape(cr.tanh(t), (6,)), cr.tensor(B))

    J = cr.jacobian(f, mode=mode)(X)
    assert J.shape == (4, 2, 3)
    assert_close(J, numerical_jacobian(f, X), rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("mode", ["rev", "fwd"])
def test_jacobian_matrix_output(mode, rng):
    x = rng.standard_normal(3)

    def f(t):
        return cr.outer(t, cr.sin(t))

    J = cr.jacobian(f, mode=mode)(x)
    assert J.shape == (3, 3, 3)
    assert_close(J, numerical_jacobian(f, x), rtol=1e-6, atol=1e-8)


def test_jacobian_rev_and_fwd_agree_and_respect_argnums(rng):
    x = rng.standard_normal(3)
    y = rng.standard_normal(2)

    def f(a, b):
        return cr.outer(cr.exp(a), b).sum(axis=1)  # shape (3,)

    Jr = cr.jacobian(f, argnums=1, mode="rev")(x, y)
    Jf = cr.jacobian(f, argnums=1, mode="fwd")(x, y)
    assert Jr.shape == (3, 2)
    assert_close(Jr, np.outer(np.exp(x), np.ones(2)))
    assert_close(Jf, to_np(Jr))


def test_jacobian_of_linear_map_is_the_matrix(rng):
    W = rng.standard_normal((4, 3))
    x = rng.standard_normal(3)
    for mode in ("rev", "fwd"):
        assert_close(cr.jacobian(lambda t: cr.matmul(cr.tensor(W), t), mode=mode)(x), W)


# ------------------------------------------------------------- hessian, hvp


def test_hessian_of_quadratic_form_is_A_plus_A_transpose(rng):
    A = rng.standard_normal((4, 4))
    x = rng.standard_normal(4)
    At = cr.tensor(A)
    H = cr.hessian(lambda t: cr.dot(t, cr.matmul(At, t)))(x)
    assert H.shape == (4, 4)
    assert_close(H, A + A.T)


def test_hessian_of_half_quadratic_plus_linear_is_symmetric_part(rng):
    A = rng.standard_normal((3, 3))
    b = rng.standard_normal(3)
    x = rng.standard_normal(3)
    At, bt = cr.tensor(A), cr.tensor(b)
    H = cr.hessian(lambda t: 0.5 * cr.dot(t, cr.matmul(At, t)) + cr.dot(bt, t) + 7.0)(x)
    assert_close(H, (A + A.T) / 2)


def test_hessian_of_matrix_input_has_doubled_shape(rng):
    X = rng.standard_normal((2, 3))
    H = cr.hessian(lambda t: cr.sum(t ** 3))(X)
    assert H.shape == (2, 3, 2, 3)
    expected = np.diag(6 * X.ravel()).reshape(2, 3, 2, 3)
    assert_close(H, expected)


def test_hessian_argnums(rng):
    x = rng.standard_normal(2)
    y = rng.standard_normal(2)
    H = cr.hessian(lambda a, b: cr.sum(a * a * b * b), argnums=1)(x, y)
    assert_close(H, np.diag(2 * x * x))


def test_hvp_one_argument_returns_bare_product(rng):
    A = rng.standard_normal((4, 4))
    x = rng.standard_normal(4)
    v = rng.standard_normal(4)
    At = cr.tensor(A)
    out = cr.hvp(lambda t: cr.dot(t, cr.matmul(At, t)), (x,), (v,))
    assert not isinstance(out, tuple)
    assert_close(out, (A + A.T) @ v)


def test_hvp_several_arguments_returns_tuple_shaped_like_arguments(rng):
    x = rng.standard_normal(3)
    y = rng.standard_normal(3)
    u = rng.standard_normal(3)
    w = rng.standard_normal(3)
    # f = sum(x^2 y): H = [[diag 2y, diag 2x], [diag 2x, 0]]
    out = cr.hvp(lambda a, b: cr.sum(a * a * b), (x, y), (u, w))
    assert isinstance(out, tuple) and len(out) == 2
    assert_close(out[0], 2 * y * u + 2 * x * w)
    assert_close(out[1], 2 * x * u)


def test_hvp_matrix_argument_keeps_shape(rng):
    X = rng.standard_normal((2, 3))
    V = rng.standard_normal((2, 3))
    out = cr.hvp(lambda t: cr.sum(cr.sin(t)), (X,), (V,))
    assert_close(out, -np.sin(X) * V)


# --------------------------------------------------------------- composition


@pytest.mark.parametrize("x0", [0.0, 0.7, -2.3])
def test_third_derivative_of_sin_is_minus_cos(x0):
    x = np.array(x0)
    d1 = cr.grad(cr.sin)
    d2 = cr.grad(d1)
    d3 = cr.grad(d2)
    assert_close(d1(x), np.cos(x0))
    assert_close(d2(x), -np.sin(x0))
    assert_close(d3(x), -np.cos(x0))
    assert_close(cr.grad(d3)(x), np.sin(x0))


def test_grad_of_grad_of_polynomial():
    x = np.array(1.7)
    f = lambda t: t ** 4 - 3.0 * t ** 2 + t
    assert_close(cr.grad(cr.grad(f))(x), 12 * 1.7 ** 2 - 6)
    assert_close(cr.grad(cr.grad(cr.grad(f)))(x), 24 * 1.7)


def test_jvp_of_grad_is_hessian_vector_product(rng):
    A = rng.standard_normal((3, 3))
    x = rng.standard_normal(3)
    v = rng.standard_normal(3)
    At = cr.tensor(A)

    def f(t):
        return cr.dot(t, cr.matmul(At, t)) + cr.sum(t ** 3)

    g, hv = cr.jvp(cr.grad(f), (x,), (v,))
    assert_close(g, (A + A.T) @ x + 3 * x ** 2)
    assert_close(hv, (A + A.T) @ v + 6 * x * v)


@pytest.mark.parametrize("mode", ["rev", "fwd"])
def test_jacobian_of_grad_equals_hessian(mode, rng):
    x = rng.standard_normal(3)

    def f(t):
        return cr.sum(cr.exp(t) * cr.sin(cr.sum(t)))

    J = cr.jacobian(cr.grad(f), mode=mode)(x)
    H = cr.hessian(f)(x)
    assert J.shape == (3, 3)
    assert_close(J, to_np(H))
    assert_close(J, numerical_jacobian(cr.grad(f), x), rtol=1e-6, atol=1e-8)


def test_grad_of_function_that_calls_jvp_inside(rng):
    x = rng.standard_normal(4)

    def g(t):
        _, tangent = cr.jvp(lambda s: s ** 3, (t,), (cr.ones_like(t),))
        return cr.sum(tangent)  # sum of 3 t^2

    assert_close(cr.grad(g)(x), 6 * x)


def test_jvp_of_jvp_gives_second_directional_derivative():
    x = np.array(0.4)

    def first(t):
        return cr.jvp(cr.exp, (t,), (np.array(1.0),))[1]

    _, second = cr.jvp(first, (x,), (np.array(1.0),))
    assert_close(second, np.exp(0.4))


# ------------------------------------------------------ perturbation confusion


def test_perturbation_confusion_grad_inside_grad():
    # d/dx [ x * d/dy (x + y) ] = d/dx [ x * 1 ] = 1, not 2
    def outer(x):
        inner = cr.grad(lambda y: x + y)(np.array(1.0))
        return x * inner

    assert_close(cr.grad(outer)(np.array(1.0)), 1.0)


def test_perturbation_confusion_jvp_inside_jvp():
    def outer(x):
        _, inner = cr.jvp(lambda y: x + y, (np.array(1.0),), (np.array(1.0),))
        return x * inner

    _, tangent = cr.jvp(outer, (np.array(1.0),), (np.array(1.0),))
    assert_close(tangent, 1.0)


def test_perturbation_confusion_jvp_inside_grad():
    def outer(x):
        _, inner = cr.jvp(lambda y: x + y, (np.array(1.0),), (np.array(1.0),))
        return x * inner

    assert_close(cr.grad(outer)(np.array(1.0)), 1.0)


def test_nested_grad_with_closure_over_outer_variable():
    # d/dx [ x * d/dy (x * y) ] = d/dx [ x^2 ] = 2x
    def outer(x):
        return x * cr.grad(lambda y: x * y)(np.array(5.0))

    assert_close(cr.grad(outer)(np.array(3.0)), 6.0)


# ------------------------------------------------------------- stop_gradient


def test_stop_gradient_blocks_gradient_in_grad(rng):
    x = rng.standard_normal(3)
    f = lambda t: cr.sum(cr.stop_gradient(t) * t)
    assert_close(cr.grad(f)(x), x)
    assert_close(cr.stop_gradient(cr.tensor(x)), x)


def test_stop_gradient_blocks_tangent_in_jvp(rng):
    x = rng.standard_normal(3)
    v = rng.standard_normal(3)
    _, tan = cr.jvp(lambda t: cr.stop_gradient(t) * t, (x,), (v,))
    assert_close(tan, x * v)


def test_stop_gradient_blocks_eager_backward():
    data = np.array([1.0, 2.0])
    x = cr.tensor(data, requires_grad=True)
    (cr.stop_gradient(x * x) * x).sum().backward()
    assert_close(x.grad, data ** 2)


# -------------------------------------------------------------- cr.Function


class MultiplyGate(cr.Function):
    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return x * y

    @staticmethod
    def backward(ctx, dz):
        x, y = ctx.saved_tensors
        return y * dz, x * dz


def test_function_multiply_gate_backward(rng):
    a = rng.standard_normal(3)
    b = rng.standard_normal(3)
    x = cr.tensor(a, requires_grad=True)
    y = cr.tensor(b, requires_grad=True)
    z = MultiplyGate.apply(x, y)
    assert_close(z, a * b)
    (z * cr.tensor(np.array([1.0, 2.0, 3.0]))).sum().backward()
    assert_close(x.grad, b * [1.0, 2.0, 3.0])
    assert_close(y.grad, a * [1.0, 2.0, 3.0])


def test_function_multiply_gate_under_grad(rng):
    a = rng.standard_normal(3)
    b = rng.standard_normal(3)
    gx, gy = cr.grad(lambda x, y: cr.sum(MultiplyGate.apply(x, y)), argnums=(0, 1))(a, b)
    assert_close(gx, b)
    assert_close(gy, a)


class _SevenfoldGrad(cr.Function):
    """Identity forward, deliberately 'wrong' backward: proves the rule is used."""

    @staticmethod
    def forward(ctx, x):
        return x * 1.0

    @staticmethod
    def backward(ctx, g):
        return g * 7.0


def test_function_uses_the_custom_backward_not_the_forward_ops():
    x = cr.tensor(np.array([1.0, 2.0]), requires_grad=True)
    _SevenfoldGrad.apply(x).sum().backward()
    assert_close(x.grad, [7.0, 7.0])


class _Scale(cr.Function):
    @staticmethod
    def forward(ctx, x, k):
        ctx.k = k
        return x * k

    @staticmethod
    def backward(ctx, g):
        return g * ctx.k, None


def test_function_ctx_attributes_and_none_for_nondifferentiable_input():
    x = cr.tensor(np.array([1.0, -2.0]), requires_grad=True)
    out = _Scale.apply(x, 2.5)
    assert_close(out, [2.5, -5.0])
    out.sum().backward()
    assert_close(x.grad, [2.5, 2.5])


def test_function_methods_receive_tensors():
    seen = {}

    class Probe(cr.Function):
        @staticmethod
        def forward(ctx, x):
            seen["forward"] = isinstance(x, cr.Tensor)
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            seen["backward"] = isinstance(g, cr.Tensor)
            (x,) = ctx.saved_tensors
            return 2.0 * x * g

    x = cr.tensor(np.array([3.0]), requires_grad=True)
    Probe.apply(x).sum().backward()
    assert seen == {"forward": True, "backward": True}
    assert_close(x.grad, [6.0])


# ------------------------------------------------------------- custom_vjp


def _make_custom_sin(scale):
    @cr.custom_vjp
    def f(x):
        return cr.sin(x)

    def f_fwd(x):
        return cr.sin(x), (cr.cos(x),)

    def f_bwd(res, g):
        (c,) = res
        return (scale * c * g,)

    f.defvjp(f_fwd, f_bwd)
    return f


def test_custom_vjp_primal_value_and_gradient(rng):
    x = rng.standard_normal(3)
    f = _make_custom_sin(1.0)
    assert_close(f(cr.tensor(x)), np.sin(x))
    assert_close(cr.grad(lambda t: cr.sum(f(t)))(x), np.cos(x))


def test_custom_vjp_rule_is_used(rng):
    x = rng.standard_normal(3)
    f = _make_custom_sin(3.0)
    assert_close(cr.grad(lambda t: cr.sum(f(t)))(x), 3.0 * np.cos(x))


def test_custom_vjp_two_arguments(rng):
    a = rng.standard_normal(3)
    b = rng.standard_normal(3)

    @cr.custom_vjp
    def mul(x, y):
        return x * y

    def mul_fwd(x, y):
        return x * y, (x, y)

    def mul_bwd(res, g):
        x, y = res
        return (g * y, g * x)

    mul.defvjp(mul_fwd, mul_bwd)
    gx, gy = cr.grad(lambda x, y: cr.sum(mul(x, y) * x), argnums=(0, 1))(a, b)
    assert_close(gx, 2 * a * b)
    assert_close(gy, a * a)


def test_custom_vjp_works_with_eager_backward(rng):
    data = rng.standard_normal(3)
    f = _make_custom_sin(1.0)
    x = cr.tensor(data, requires_grad=True)
    f(x).sum().backward()
    assert_close(x.grad, np.cos(data))


def test_no_grad_inside_a_transformed_function_makes_a_constant_for_that_transform():
    def f(x):
        with cr.no_grad():
            c = x * 3.0  # a constant to grad, as under PyTorch's function transforms
        return c * x

    assert_close(cr.grad(f)(2.0), 6.0)           # d/dx (c·x) with c = 6 held fixed
    assert_close(cr.jvp(f, (2.0,), (1.0,))[1], 6.0)


def test_a_transform_started_inside_no_grad_still_differentiates():
    with cr.no_grad():
        assert_close(cr.grad(lambda x: x * x)(3.0), 6.0)
        assert_close(cr.jvp(lambda x: x * x, (3.0,), (1.0,))[1], 6.0)


def test_no_grad_blocks_only_the_levels_active_when_it_was_entered():
    def inner(x, y):
        with cr.no_grad():  # inside both grads: constant to both
            return x * y

    def outer(x):
        return cr.grad(lambda y: inner(x, y) + x * y)(1.0)  # d/dy = x (only the second term)

    assert_close(cr.grad(outer)(5.0), 1.0)
