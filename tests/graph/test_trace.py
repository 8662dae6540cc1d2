"""cr.trace: the Graph IR, evaluating graphs, control flow, and graph-to-graph derivatives."""

import numpy as np
import pytest

import chainrule as cr
from helpers import assert_close, to_np


def lecture_f(x1, x2):
    return cr.log(x1) + x1 * x2 - cr.sin(x2)


def f64(value):
    return np.asarray(value, dtype=np.float64)


@pytest.fixture
def lecture_graph():
    return cr.trace(lecture_f, f64(2.0), f64(5.0))


# ------------------------------------------------------------------ structure


def test_lecture_graph_has_two_inputs_five_nodes_one_output(lecture_graph):
    g = lecture_graph
    assert isinstance(g, cr.Graph)
    assert len(g.inputs) == 2
    assert len(g.nodes) == 5
    assert len(g.outputs) == 1


def test_lecture_graph_nodes_are_log_mul_sin_add_sub_in_that_order(lecture_graph):
    assert [node.prim.name for node in lecture_graph.nodes] == ["log", "mul", "sin", "add", "sub"]


def test_lecture_graph_wiring_matches_the_wengert_list(lecture_graph):
    g = lecture_graph
    x1, x2 = g.inputs
    log, mul, sin, add, sub = g.nodes
    assert log.inputs == (x1,)
    assert mul.inputs == (x1, x2)
    assert sin.inputs == (x2,)
    assert add.inputs == (log.out, mul.out)
    assert sub.inputs == (add.out, sin.out)
    assert g.outputs == [sub.out]


def test_graph_inputs_keep_example_shapes_and_dtypes():
    g = cr.trace(lambda a, b: (a @ b).sum(), np.ones((2, 3), np.float32), np.ones((3, 4), np.float64))
    assert g.inputs[0].shape == (2, 3) and g.inputs[0].dtype == np.float32
    assert g.inputs[1].shape == (3, 4) and g.inputs[1].dtype == np.float64


def test_python_float_examples_become_default_dtype_inputs():
    g = cr.trace(lecture_f, 2.0, 5.0)
    assert all(v.dtype == cr.get_default_dtype() for v in g.inputs)


def test_var_names_follow_baydin_numbering(lecture_graph):
    names = lecture_graph.var_names()
    g = lecture_graph
    assert [names[v] for v in g.inputs] == ["v_-1", "v_0"]
    assert [names[n.out] for n in g.nodes] == ["v_1", "v_2", "v_3", "v_4", "v_5"]


def test_print_graph_shows_one_line_per_node(lecture_graph):
    text = str(lecture_graph)
    lines = text.splitlines()
    assert lines[0].startswith("graph(") and "v_-1" in lines[0] and "v_0" in lines[0]
    assert "float64" in lines[0]
    body = lines[1:-1]
    assert len(body) == 5
    for line, prim in zip(body, ["log", "mul", "sin", "add", "sub"]):
        assert f"{prim}(" in line
    assert "v_1: float64[] = log(v_-1)" in text
    assert "v_2: float64[] = mul(v_-1, v_0)" in text
    assert "v_5: float64[] = sub(v_4, v_3)" in text
    assert lines[-1].strip() == "return v_5"


def test_print_shows_tensor_shapes_and_static_params():
    g = cr.trace(lambda x: x.sum(axis=0), np.ones((3, 4)))
    text = str(g)
    assert "float64[3,4]" in text
    assert "float64[4]" in text
    assert "axis" in text


# ------------------------------------------------------------------ evaluation


def test_graph_call_equals_eager_on_new_inputs(lecture_graph):
    for a, b in [(2.0, 5.0), (0.5, -1.0), (3.7, 12.0)]:
        expected = lecture_f(cr.tensor(f64(a)), cr.tensor(f64(b)))
        assert_close(lecture_graph(f64(a), f64(b)), to_np(expected))


def test_graph_call_on_tensor_valued_function_equals_eager():
    def f(W, x, b):
        return cr.tanh(W @ x + b).sum(axis=0)

    rng = np.random.default_rng(0)
    g = cr.trace(f, rng.normal(size=(4, 3)), rng.normal(size=(3, 2)), rng.normal(size=(4, 1)))
    for _ in range(3):
        args = rng.normal(size=(4, 3)), rng.normal(size=(3, 2)), rng.normal(size=(4, 1))
        out = g(*args)
        assert isinstance(out, cr.Tensor)
        assert_close(out, to_np(f(*[cr.tensor(a) for a in args])))


def test_graph_accepts_tensors_as_inputs(lecture_graph):
    out = lecture_graph(cr.tensor(f64(2.0)), cr.tensor(f64(5.0)))
    assert round(float(to_np(out)), 3) == 11.652


def test_wrong_shape_input_is_refused_naming_input_and_both_shapes(lecture_graph):
    with pytest.raises(ValueError) as info:
        lecture_graph(f64(2.0), np.ones(3))
    message = str(info.value)
    assert "x2" in message
    assert "(3,)" in message and "()" in message


def test_wrong_shape_of_matrix_input_names_both_shapes():
    g = cr.trace(lambda W: W.sum(), np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"x1") as info:
        g(np.ones((3, 2)))
    assert "(3, 2)" in str(info.value) and "(2, 3)" in str(info.value)


def test_wrong_dtype_input_is_refused_naming_input_and_dtypes(lecture_graph):
    with pytest.raises(TypeError) as info:
        lecture_graph(np.float32(2.0), f64(5.0))
    message = str(info.value)
    assert "x1" in message
    assert "float32" in message and "float64" in message


def test_wrong_number_of_inputs_is_refused(lecture_graph):
    with pytest.raises(TypeError, match="2"):
        lecture_graph(f64(2.0))


def test_multiple_outputs_return_a_tuple():
    def f(a, b):
        return a + b, a * b, cr.exp(a)

    g = cr.trace(f, np.ones(3), np.ones(3))
    assert len(g.outputs) == 3
    a, b = np.array([1.0, 2.0, 3.0]), np.array([-1.0, 0.5, 4.0])
    out = g(a, b)
    assert isinstance(out, tuple) and len(out) == 3
    assert_close(out[0], a + b)
    assert_close(out[1], a * b)
    assert_close(out[2], np.exp(a))


def test_single_output_returns_a_bare_tensor(lecture_graph):
    assert isinstance(lecture_graph(f64(1.0), f64(1.0)), cr.Tensor)


# ------------------------------------------------------------------ control flow


def _looped(n):
    def f(x):
        for _ in range(n):
            x = cr.sin(x) * 2.0
        return x

    return f


def test_python_loops_are_unrolled_node_count_grows_with_loop_count():
    counts = [len(cr.trace(_looped(n), f64(0.3)).nodes) for n in (1, 3, 6)]
    assert counts == [2, 6, 12]


def test_unrolled_loop_graph_computes_the_loop():
    g = cr.trace(_looped(4), f64(0.3))
    x = 0.9
    for _ in range(4):
        x = np.sin(x) * 2.0
    assert_close(g(f64(0.9)), x)


def test_if_on_traced_value_raises_tracer_error_mentioning_where():
    def f(x):
        if x > 0:
            return x
        return -x

    with pytest.raises(cr.TracerError) as info:
        cr.trace(f, f64(1.0))
    assert isinstance(info.value, TypeError)
    assert "cr.where" in str(info.value)


def test_while_on_traced_value_raises_tracer_error():
    def f(x):
        while x < 10:
            x = x * 2
        return x

    with pytest.raises(cr.TracerError, match="cr.where"):
        cr.trace(f, f64(1.0))


@pytest.mark.parametrize("escape", [float, lambda x: x.numpy(), lambda x: x.item(), bool, int])
def test_concrete_value_escapes_are_refused_while_tracing(escape):
    with pytest.raises(cr.TracerError):
        cr.trace(lambda x: escape(x), f64(1.0))


def test_where_is_the_traceable_alternative_to_if():
    g = cr.trace(lambda x: cr.where(x > 0, x, -x), np.ones(4))
    x = np.array([-2.0, -0.5, 0.5, 3.0])
    assert_close(g(x), np.abs(x))


# ------------------------------------------------------------------ graph-to-graph gradient

rng = np.random.default_rng(1)

GRAD_CASES = {
    "lecture": (lecture_f, (f64(2.0), f64(5.0)), (0, 1)),
    "broadcast_add_mul": (lambda x, y: ((x + y) * x).sum(),
                          (rng.normal(size=(3, 1)), rng.normal(size=(4,))), (0, 1)),
    "matmul_tanh": (lambda W, x: cr.tanh(W @ x).sum(), (rng.normal(size=(4, 3)), rng.normal(size=(3, 2))), (0, 1)),
    "mean_axis_and_exp": (lambda x: cr.exp(x).mean(axis=0).sum(), (rng.normal(size=(5, 3)),), 0),
    "max_reduction": (lambda x: (x.max(axis=1) * 2.0).sum(), (rng.normal(size=(4, 6)),), 0),
    "logsumexp": (lambda x: cr.logsumexp(x, axis=1).sum(), (rng.normal(size=(3, 5)),), 0),
    "broadcast_bias_relu": (lambda W, b, x: cr.relu(x @ W + b).sum(),
                            (rng.normal(size=(3, 4)), rng.normal(size=(4,)), rng.normal(size=(6, 3))), (0, 1)),
    "var_sqrt": (lambda x: cr.sqrt(x.var() + 1.0), (rng.normal(size=(7,)),), 0),
}


@pytest.mark.parametrize("name", sorted(GRAD_CASES))
def test_graph_grad_equals_eager_grad(name):
    f, args, wrt = GRAD_CASES[name]
    g = cr.trace(f, *args)
    dg = g.grad(wrt=wrt)
    assert isinstance(dg, cr.Graph)
    got = dg(*args)
    expected = cr.grad(f, argnums=wrt)(*args)
    if isinstance(wrt, tuple):
        assert isinstance(got, tuple) and len(got) == len(wrt)
        for a, e in zip(got, expected):
            assert_close(a, to_np(e), rtol=1e-9)
    else:
        assert_close(got, to_np(expected), rtol=1e-9)


@pytest.mark.parametrize("name", ["broadcast_add_mul", "matmul_tanh", "logsumexp"])
def test_graph_grad_evaluates_at_new_points(name):
    f, args, wrt = GRAD_CASES[name]
    dg = cr.trace(f, *args).grad(wrt=wrt)
    new = tuple(a + 0.3 * np.random.default_rng(5).normal(size=a.shape) for a in args)
    expected = cr.grad(f, argnums=wrt)(*new)
    for a, e in zip(dg(*new), expected):
        assert_close(a, to_np(e), rtol=1e-9)


def test_lecture_gradient_graph_gives_5_5_and_1_716(lecture_graph):
    d1, d2 = lecture_graph.grad(wrt=(0, 1))(f64(2.0), f64(5.0))
    assert_close(d1, 5.5)
    assert_close(d2, 2.0 - np.cos(5.0))


def test_gradient_graph_gradient_shape_matches_the_input():
    f, args, wrt = GRAD_CASES["matmul_tanh"]
    dW = cr.trace(f, *args).grad(wrt=0)(*args)
    assert dW.shape == args[0].shape


def test_second_derivative_via_gradient_of_gradient_graph():
    def f(x):
        return cr.sin(x) * x ** 3

    def f2(x):
        return -np.sin(x) * x ** 3 + 6 * x ** 2 * np.cos(x) + 6 * x * np.sin(x)

    g = cr.trace(f, f64(0.7))
    dg = g.grad(0)
    ddg = dg.grad(0)
    assert isinstance(ddg, cr.Graph)
    for x in (0.7, -1.3, 2.5):
        assert_close(dg(f64(x)), 3 * x ** 2 * np.sin(x) + x ** 3 * np.cos(x), rtol=1e-12)
        assert_close(ddg(f64(x)), f2(x), rtol=1e-12)


def test_second_derivative_of_lecture_function_mixed_partial(lecture_graph):
    # d/dx2 (df/dx1) = d/dx2 (1/x1 + x2) = 1; d/dx1 (df/dx1) = -1/x1^2
    d1 = lecture_graph.grad(0)
    dd = d1.grad((0, 1))
    h11, h12 = dd(f64(2.0), f64(5.0))
    assert_close(h11, -0.25)
    assert_close(h12, 1.0)


def test_grad_of_non_scalar_graph_is_refused():
    g = cr.trace(lambda x: x * 2.0, np.ones(3))
    with pytest.raises(ValueError, match="scalar"):
        g.grad(0)


def test_grad_with_out_of_range_wrt_is_refused(lecture_graph):
    with pytest.raises(ValueError, match="wrt"):
        lecture_graph.grad(wrt=2)


# ------------------------------------------------------------------ forward-mode graph


def test_jvp_graph_outputs_equal_cr_jvp_on_lecture(lecture_graph):
    jg = lecture_graph.jvp(wrt=0)
    assert isinstance(jg, cr.Graph)
    assert len(jg.inputs) == 3
    out, tangent = jg(f64(2.0), f64(5.0), f64(1.0))
    e_out, e_tangent = cr.jvp(lecture_f, (f64(2.0), f64(5.0)), (f64(1.0), f64(0.0)))
    assert_close(out, to_np(e_out))
    assert_close(tangent, to_np(e_tangent))
    assert_close(tangent, 5.5)


def test_jvp_graph_wrt_both_inputs_equals_cr_jvp():
    f, args, _ = GRAD_CASES["matmul_tanh"]
    rng2 = np.random.default_rng(3)
    tangents = tuple(rng2.normal(size=a.shape) for a in args)
    jg = cr.trace(f, *args).jvp(wrt=(0, 1))
    assert len(jg.inputs) == 4
    out, tangent = jg(*args, *tangents)
    e_out, e_tangent = cr.jvp(f, args, tangents)
    assert_close(out, to_np(e_out), rtol=1e-12)
    assert_close(tangent, to_np(e_tangent), rtol=1e-10)


def test_jvp_graph_of_vector_function_with_partial_seed():
    def f(x, y):
        return cr.exp(x) * y, (x * y).sum()

    x, y = np.array([0.1, -0.4, 1.2]), np.array([2.0, 0.5, -1.0])
    tx = np.array([1.0, -2.0, 0.5])
    jg = cr.trace(f, x, y).jvp(wrt=0)
    o1, o2, t1, t2 = jg(x, y, tx)
    (e1, e2), (et1, et2) = cr.jvp(f, (x, y), (tx, np.zeros(3)))
    for got, expected in [(o1, e1), (o2, e2), (t1, et1), (t2, et2)]:
        assert_close(got, to_np(expected), rtol=1e-12)


def test_an_index_array_is_an_input_of_the_graph_not_a_frozen_constant():
    g = cr.trace(lambda x, i: x[i], np.arange(4.0), np.array([2, 0]))
    assert [n.prim.name for n in g.nodes] == ["getitem"]
    assert g.nodes[0].inputs[1] is g.inputs[1]
    assert_close(g(np.arange(4.0), np.array([1, 3])), [1.0, 3.0])
