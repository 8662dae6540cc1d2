"""cr.jit: trace + optimize + straight-line NumPy, cached per shape/dtype signature."""

import ast
import re

import numpy as np
import pytest

import chainrule as cr
from chainrule import examples
from helpers import assert_close, to_np


def lecture_f(x1, x2):
    return cr.log(x1) + x1 * x2 - cr.sin(x2)


def f64(value):
    return np.asarray(value, dtype=np.float64)


def flat(value):
    if isinstance(value, (tuple, list)):
        return [leaf for v in value for leaf in flat(v)]
    return [value]


def assert_tree_close(got, expected, rtol=1e-10, atol=1e-12):
    got, expected = flat(got), flat(expected)
    assert len(got) == len(expected)
    for a, e in zip(got, expected):
        assert isinstance(a, cr.Tensor)
        assert_close(a, to_np(e), rtol=rtol, atol=atol)


# ------------------------------------------------------------------ lecture examples


@pytest.mark.parametrize("make", examples.LECTURE_EXAMPLES, ids=lambda m: m.__name__)
def test_jit_value_equals_eager_on_lecture_examples(make):
    ex = make()
    got = cr.jit(ex.f)(*ex.args)
    assert_tree_close(got, ex.f(*[cr.tensor(a) for a in ex.args]))


@pytest.mark.parametrize("make", examples.LECTURE_EXAMPLES, ids=lambda m: m.__name__)
def test_jit_value_and_grad_equals_eager_and_analytic_on_lecture_examples(make):
    ex = make()
    nums = tuple(range(len(ex.args)))
    step = cr.jit(cr.value_and_grad(ex.f, argnums=nums))
    value, grads = step(*ex.args)
    e_value, e_grads = cr.value_and_grad(ex.f, argnums=nums)(*ex.args)
    assert_tree_close(value, e_value)
    assert_tree_close(grads, e_grads)
    assert_tree_close(grads, ex.analytic(*ex.args), rtol=1e-9)


def test_jit_lecture_numbers_11_652_and_5_5():
    step = cr.jit(cr.value_and_grad(lecture_f, argnums=(0, 1)))
    value, (d1, d2) = step(f64(2.0), f64(5.0))
    assert round(float(value.item()), 3) == 11.652
    assert_close(d1, 5.5)
    assert_close(d2, 2.0 - np.cos(5.0))


def test_jit_evaluates_new_values_of_the_same_shape_correctly():
    jf = cr.jit(lecture_f)
    for a, b in [(2.0, 5.0), (0.5, 1.0), (9.0, -3.0)]:
        assert_close(jf(f64(a), f64(b)), np.log(a) + a * b - np.sin(b))
    assert jf.compile_count == 1


# ------------------------------------------------------------------ MLP loss


def mlp_loss(W1, b1, W2, b2, W3, b3, X, Y):
    """2 hidden layers, softmax cross-entropy written with logsumexp (Y one-hot)."""
    h = cr.relu(X @ W1 + b1)
    h = cr.tanh(h @ W2 + b2)
    z = h @ W3 + b3
    return (cr.logsumexp(z, axis=1) - (z * Y).sum(axis=1)).mean()


def mlp_args(batch, d_in=6, h1=8, h2=5, classes=4, seed=0, dtype=np.float64):
    rng = np.random.default_rng(seed)
    shapes = [(d_in, h1), (h1,), (h1, h2), (h2,), (h2, classes), (classes,)]
    params = [rng.normal(scale=0.5, size=s).astype(dtype) for s in shapes]
    X = rng.normal(size=(batch, d_in)).astype(dtype)
    Y = np.eye(classes, dtype=dtype)[rng.integers(0, classes, batch)]
    return params + [X, Y]


PARAMS = tuple(range(6))


@pytest.mark.parametrize("batch", [1, 7, 32])
def test_jit_mlp_loss_and_gradients_equal_eager(batch):
    args = mlp_args(batch)
    step = cr.jit(cr.value_and_grad(mlp_loss, argnums=PARAMS))
    value, grads = step(*args)
    e_value, e_grads = cr.value_and_grad(mlp_loss, argnums=PARAMS)(*args)
    assert_tree_close(value, e_value)
    assert len(grads) == 6
    for g, e, p in zip(grads, e_grads, args):
        assert g.shape == p.shape
        assert_close(g, to_np(e), rtol=1e-9, atol=1e-12)


def test_jit_mlp_in_float32_equals_eager():
    args = mlp_args(16, dtype=np.float32)
    step = cr.jit(cr.value_and_grad(mlp_loss, argnums=PARAMS))
    value, grads = step(*args)
    e_value, e_grads = cr.value_and_grad(mlp_loss, argnums=PARAMS)(*args)
    assert value.dtype == np.float32
    assert_close(value, to_np(e_value), rtol=1e-5, atol=1e-6)
    for g, e in zip(grads, e_grads):
        assert g.dtype == np.float32
        assert_close(g, to_np(e), rtol=1e-4, atol=1e-6)


def test_jit_mlp_loss_is_the_cross_entropy():
    args = mlp_args(5)
    W1, b1, W2, b2, W3, b3, X, Y = args
    h = np.tanh(np.maximum(X @ W1 + b1, 0) @ W2 + b2)
    z = h @ W3 + b3
    p = np.exp(z - z.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    expected = -np.mean(np.log((p * Y).sum(axis=1)))
    assert_close(cr.jit(mlp_loss)(*args), expected, rtol=1e-12)


@pytest.mark.parametrize("shape", [(3,), (2, 5), (4, 3, 2)])
def test_jit_elementwise_and_reductions_for_several_shapes(shape):
    def f(x, y):
        return cr.exp(cr.tanh(x) * y).sum(axis=0), (x * y).mean()

    rng = np.random.default_rng(len(shape))
    x, y = rng.normal(size=shape), rng.normal(size=shape)
    assert_tree_close(cr.jit(f)(x, y), f(cr.tensor(x), cr.tensor(y)))


# ------------------------------------------------------------------ compile cache


def test_new_shape_triggers_exactly_one_recompile_repeated_shape_none():
    step = cr.jit(cr.value_and_grad(mlp_loss, argnums=PARAMS))
    assert step.compile_count == 0
    step(*mlp_args(4))
    assert step.compile_count == 1
    step(*mlp_args(4, seed=1))  # same shapes, new values
    assert step.compile_count == 1
    step(*mlp_args(9))           # new batch size
    assert step.compile_count == 2
    step(*mlp_args(9, seed=2))
    step(*mlp_args(4, seed=3))   # back to the first shape: cached
    assert step.compile_count == 2


def test_new_dtype_triggers_a_recompile():
    jf = cr.jit(lambda x: cr.exp(x).sum())
    jf(np.ones(3))
    jf(np.ones(3))
    assert jf.compile_count == 1
    out = jf(np.ones(3, np.float32))
    assert jf.compile_count == 2
    assert out.dtype == np.float32


def test_tensor_and_array_inputs_share_one_compilation():
    jf = cr.jit(lambda x: cr.sin(x) * 2.0)
    a = jf(np.array([0.1, 0.2]))
    b = jf(cr.tensor(np.array([0.1, 0.2])))
    assert jf.compile_count == 1
    assert_close(a, to_np(b))


def test_source_and_graph_do_not_recompile_a_cached_signature():
    jf = cr.jit(lecture_f)
    jf(f64(2.0), f64(5.0))
    jf.source(f64(2.0), f64(5.0))
    jf.graph(f64(2.0), f64(5.0))
    assert jf.compile_count == 1


def test_python_number_arguments_are_compile_time_constants():
    jf = cr.jit(lambda x, scale: x * scale)
    assert_close(jf(np.ones(2), 2.0), [2.0, 2.0])
    assert_close(jf(np.ones(2), 3.0), [3.0, 3.0])
    assert jf.compile_count == 2


# ------------------------------------------------------------------ generated source


def test_source_is_python_calling_numpy_without_tensors():
    step = cr.jit(cr.value_and_grad(mlp_loss, argnums=PARAMS))
    src = step.source(*mlp_args(4))
    assert isinstance(src, str)
    tree = ast.parse(src)
    assert isinstance(tree.body[0], ast.FunctionDef)
    assert "np." in src
    assert "Tensor" not in src
    assert "for " not in src and "while " not in src  # straight-line code


def test_source_of_lecture_function_calls_np_log_sin_and_multiplies_with_an_operator():
    src = cr.jit(lecture_f).source(f64(2.0), f64(5.0))
    for name in ("np.log", "np.sin"):
        assert name in src
    assert re.search(r"= a0 \* a1$", src, re.M)  # x1 * x2: an allocating ufunc written as an operator
    assert "Tensor" not in src
    assert len(ast.parse(src).body[0].args.args) == 2


def test_graph_method_returns_the_optimized_graph():
    step = cr.jit(cr.value_and_grad(lecture_f, argnums=(0, 1)))
    g = step.graph(f64(2.0), f64(5.0))
    assert isinstance(g, cr.Graph)
    unoptimized = cr.trace(cr.value_and_grad(lecture_f, argnums=(0, 1)), f64(2.0), f64(5.0))
    assert len(g.nodes) < len(unoptimized.nodes)


# ------------------------------------------------------------------ outputs


def test_outputs_are_tensors_without_gradient_history():
    x = cr.tensor(np.array([0.5, 1.5]), requires_grad=True)
    out = cr.jit(lambda x: (cr.exp(x) * x).sum())(x)
    assert isinstance(out, cr.Tensor)
    assert not out.requires_grad
    assert out.grad_fn is None


def test_value_and_grad_outputs_have_no_history():
    step = cr.jit(cr.value_and_grad(mlp_loss, argnums=PARAMS))
    value, grads = step(*mlp_args(3))
    for t in [value, *grads]:
        assert isinstance(t, cr.Tensor) and not t.requires_grad and t.grad_fn is None


ALIAS_CASES = {
    "mlp_value_and_grad": (cr.value_and_grad(mlp_loss, argnums=PARAMS), lambda s: mlp_args(6, seed=s)),
    "elementwise_chain": (lambda x: cr.exp(cr.sin(x) * 2.0) + 1.0, lambda s: [np.random.default_rng(s).normal(size=(5, 4))]),
    "reshaped_intermediate": (lambda x: (cr.exp(x) * 3.0).reshape((20,)),
                              lambda s: [np.random.default_rng(s).normal(size=(5, 4))]),
    "transposed_intermediate": (lambda x: (cr.tanh(x) + 1.0).T, lambda s: [np.random.default_rng(s).normal(size=(5, 4))]),
    "large_transposed_intermediates": (lambda x: ((cr.tanh(x) + 1.0).T, cr.exp(cr.sin(x) * 2.0).reshape((-1,))),
                                       lambda s: [np.random.default_rng(s).normal(size=(64, 80))]),
    "two_outputs_sharing_work": (lambda x: (cr.exp(x), cr.exp(x) * 2.0),
                                 lambda s: [np.random.default_rng(s).normal(size=(3, 3))]),
    "stop_gradient_of_intermediate": (lambda x: cr.stop_gradient(cr.exp(x) * 2.0),
                                      lambda s: [np.random.default_rng(s).normal(size=(4,))]),
}


@pytest.mark.parametrize("name", sorted(ALIAS_CASES))
def test_outputs_do_not_alias_internal_buffers(name):
    f, make = ALIAS_CASES[name]
    jf = cr.jit(f)
    first = jf(*make(0))
    snapshot = [to_np(t).copy() for t in flat(first)]
    second = jf(*make(1))
    assert jf.compile_count == 1
    for t, saved in zip(flat(first), snapshot):
        np.testing.assert_array_equal(to_np(t), saved)
    assert_tree_close(second, f(*[cr.tensor(a) for a in make(1)]))


@pytest.mark.parametrize("f", [lambda x: x * 1.0, lambda x: x + 0.0, lambda x: -(-x), lambda x: x.reshape((3, 1))[:, 0]],
                         ids=["x*1", "x+0", "neg_neg", "a view"])
def test_outputs_do_not_share_memory_with_the_inputs(f):
    # eager x * 1 is a new tensor; the jitted result must not be the caller's array
    x = np.array([1.0, 2.0, 3.0])
    out = cr.jit(f)(x)
    assert_close(out, x)
    assert not np.shares_memory(to_np(out), x)


def test_constant_outputs_are_fresh_arrays_on_every_call():
    # x.numpy() shares memory with the tensor (DESIGN), so a caller may write into a result;
    # that must not change what the next call returns
    jf = cr.jit(lambda x: (x.sum(), np.ones(3)))
    first = jf(np.ones(2))
    first[1].numpy()[...] = 5.0
    second = jf(np.ones(2))
    assert_close(second[1], np.ones(3))


def test_folded_results_are_fresh_arrays_on_every_call():
    # Python floats are compile-time constants, so the whole lecture function folds to a constant
    jf = cr.jit(lecture_f)
    first = jf(2.0, 5.0)
    first.numpy()[...] = 0.0
    assert round(float(jf(2.0, 5.0).item()), 3) == 11.652


def test_nested_output_structures_are_preserved():
    def f(x, y):
        return {"sum": (x + y).sum(), "parts": (x * y, [cr.exp(x), cr.sin(y)]), "scale": 2.0 * x}

    x, y = np.array([0.1, 0.2, 0.3]), np.array([1.0, -1.0, 0.5])
    out = cr.jit(f)(x, y)
    assert isinstance(out, dict) and set(out) == {"sum", "parts", "scale"}
    assert isinstance(out["parts"], tuple) and len(out["parts"]) == 2
    assert isinstance(out["parts"][1], list) and len(out["parts"][1]) == 2
    assert_close(out["sum"], (x + y).sum())
    assert_close(out["parts"][0], x * y)
    assert_close(out["parts"][1][0], np.exp(x))
    assert_close(out["parts"][1][1], np.sin(y))
    assert_close(out["scale"], 2.0 * x)


def test_value_and_grad_structure_is_value_then_tuple_of_grads():
    out = cr.jit(cr.value_and_grad(lecture_f, argnums=(0, 1)))(f64(2.0), f64(5.0))
    assert isinstance(out, tuple) and len(out) == 2
    assert isinstance(out[0], cr.Tensor)
    assert isinstance(out[1], tuple) and len(out[1]) == 2


def test_jit_refuses_python_if_on_traced_values():
    def f(x):
        if x.sum() > 0:
            return x
        return -x

    with pytest.raises(cr.TracerError, match="cr.where"):
        cr.jit(f)(np.ones(3))


def test_jit_value_and_grad_of_a_cnn_loss_equals_eager():
    F = cr.nn.functional
    rng = np.random.default_rng(0)
    x = rng.standard_normal((4, 1, 8, 8))
    labels = np.array([0, 2, 1, 2])
    w1 = rng.standard_normal((3, 1, 3, 3)) * 0.3
    w2 = rng.standard_normal((5, 3 * 4 * 4)) * 0.3

    def loss(w1, w2, x):
        h = F.max_pool2d(F.relu(F.conv2d(x, w1, padding=1)), 2)
        return F.cross_entropy(F.linear(h.reshape(4, -1), w2), labels)

    eager_value, eager_grads = cr.value_and_grad(loss, argnums=(0, 1))(w1, w2, x)
    step = cr.jit(cr.value_and_grad(loss, argnums=(0, 1)))
    value, grads = step(w1, w2, x)
    assert_close(value, eager_value.numpy())
    for g, e in zip(grads, eager_grads):
        assert_close(g, e.numpy())
    assert "conv" in step.source(w1, w2, x)


def test_jitted_loss_reads_the_labels_it_is_called_with():
    F = cr.nn.functional
    rng = np.random.default_rng(0)
    W = rng.standard_normal((5, 3))
    X = rng.standard_normal((8, 5))

    def loss(W, X, y):
        return F.cross_entropy(X @ W, y)

    step = cr.jit(cr.value_and_grad(loss))
    for _ in range(3):
        y = rng.integers(0, 3, 8)
        value, grad = step(W, X, y)
        eager_value, eager_grad = cr.value_and_grad(loss)(W, X, y)
        assert_close(value, eager_value.numpy())
        assert_close(grad, eager_grad.numpy())
    assert step.compile_count == 1


def test_jitted_advanced_index_reads_the_index_it_is_called_with():
    f = cr.jit(lambda x, i: (x[i] * 2.0).sum())
    x = np.arange(5.0)
    assert f(x, np.array([0, 1])).item() == 2.0
    assert f(x, np.array([3, 4])).item() == 14.0


def test_large_intermediates_share_buffers_without_changing_results():
    def f(x, w):
        h = cr.tanh(x @ w) * 2.0 + 1.0
        h = cr.tanh(h @ w) * 3.0 - 1.0
        return (h * h).sum(), h.T  # a view of an intermediate among the outputs

    rng = np.random.default_rng(0)
    x, w = rng.standard_normal((64, 64)), rng.standard_normal((64, 64)) * 0.1
    jitted = cr.jit(f)
    source = jitted.source(x, w)
    buffers = set(re.findall(r"out=(_buf\d+)", source))
    assert 0 < len(buffers) < source.count("out=")  # some buffers serve several results
    first_value, first_view = jitted(x, w)
    kept = first_view.numpy().copy()
    eager_value, eager_view = f(cr.tensor(x), cr.tensor(w))
    assert_close(first_value, eager_value.numpy())
    assert_close(first_view, eager_view.numpy())
    jitted(x * 2.0, w)
    assert_close(first_view, kept)  # the next call did not write into an earlier result


def test_arguments_of_another_structure_compile_again_instead_of_reusing_code():
    f = cr.jit(lambda params, x: params["w"] * x + params["b"])
    x = np.full(3, 2.0)
    first = f({"w": np.full(3, 2.0), "b": np.zeros(3)}, x)
    second = f({"b": np.full(3, 5.0), "w": np.zeros(3)}, x)  # same leaves, keys in another order
    assert_close(first, [4.0, 4.0, 4.0])
    assert_close(second, [5.0, 5.0, 5.0])  # reusing the first code would swap w and b: 10
    assert f.compile_count == 2


def test_keyword_arguments_are_traced_like_positional_ones():
    f = cr.jit(lambda x, scale=1.0, shift=None: x * scale + shift)
    assert_close(f(np.ones(2), scale=3.0, shift=np.array([1.0, 2.0])), [4.0, 5.0])
    assert_close(f(np.ones(2), scale=3.0, shift=np.array([0.0, 0.0])), [3.0, 3.0])
    assert f.compile_count == 1


def test_user_functions_with_the_same_or_an_odd_class_name_compile_to_distinct_safe_calls():
    def gate(name, factor):
        def forward(ctx, x):
            return x * factor

        def backward(ctx, g):
            return g * factor

        return type(name, (cr.Function,), {"forward": staticmethod(forward), "backward": staticmethod(backward)})

    double, triple = gate("Gate", 2.0), gate("Gate", 3.0)
    odd = gate("x(); import os; y", 5.0)
    f = cr.jit(lambda x: double.apply(x) + triple.apply(x) + odd.apply(x))
    assert_close(f(np.ones(2)), [10.0, 10.0])
    source = f.source(np.ones(2))
    assert "import os" not in source
    ast.parse(source)


class _LyingFloat(float):
    """A float whose repr is code: jit must never write it into the generated source."""

    def __repr__(self):
        return "(1/0)"


def test_jit_never_writes_a_constants_repr_into_its_source():
    x = cr.tensor([1.0, 2.0])
    f = lambda v: v * _LyingFloat(2.0)  # noqa: E731
    np.testing.assert_array_equal(cr.jit(f)(x).numpy(), f(x).numpy())
    assert "(1/0)" not in cr.jit(f).source(x)


def test_jit_takes_an_int_enum_as_an_index():
    import enum

    class Axis(enum.IntEnum):
        ROWS = 0
        COLS = 1

    m = cr.tensor([[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_array_equal(cr.jit(lambda v: v[Axis.COLS])(m).numpy(), [3.0, 4.0])


def test_jit_cache_never_confuses_static_arguments_that_print_alike():
    class Scale:
        def __init__(self, value):
            self.value = value

        def __repr__(self):
            return "Scale"

    f = cr.jit(lambda v, s: v * s.value)
    x = cr.tensor([1.0])
    assert f(x, Scale(2.0)).item() == 2.0
    assert f(x, Scale(3.0)).item() == 3.0


def test_jit_inside_a_transform_is_the_function_itself():
    f = lambda v: (cr.sin(v) * v).sum()  # noqa: E731
    jitted = cr.jit(f)
    x, t = cr.tensor(np.array([0.5, 1.5])), cr.tensor(np.array([1.0, -2.0]))
    xs = cr.tensor(np.arange(6.0).reshape(3, 2))
    for name, transform in {"grad": lambda g: cr.grad(g)(x), "jvp": lambda g: cr.jvp(g, (x,), (t,))[1],
                            "vmap": lambda g: cr.vmap(g)(xs), "hessian": lambda g: cr.hessian(g)(x),
                            "vmap(grad)": lambda g: cr.vmap(cr.grad(g))(xs)}.items():
        np.testing.assert_allclose(transform(jitted).numpy(), transform(f).numpy(), err_msg=name)
    assert jitted.compile_count == 0
