"""The Tensor contract: dtype rules, attributes, operators, indexing, methods,
reductions, linear algebra and creation functions, each checked against NumPy."""

import numpy as np
import pytest

import chainrule as cr
from helpers import assert_close, to_np


def assert_same(actual, expected, rtol=1e-12, atol=1e-12):
    assert_close(actual, expected, rtol=rtol, atol=atol, as_float64=False)


@pytest.fixture
def restore_default_dtype():
    previous = cr.get_default_dtype()
    yield
    cr.set_default_dtype(previous)


@pytest.fixture
def rng():
    return np.random.default_rng(1234)


# --------------------------------------------------------------------------- dtypes


def test_python_floats_become_float32_by_default():
    assert cr.tensor([1.0, 2.0]).dtype == np.dtype(np.float32)
    assert cr.tensor(3.5).dtype == np.dtype(np.float32)
    assert cr.tensor([[1, 2.5], [3, 4]]).dtype == np.dtype(np.float32)


def test_python_ints_become_int64():
    assert cr.tensor([1, 2, 3]).dtype == np.dtype(np.int64)
    assert cr.tensor(7).dtype == np.dtype(np.int64)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.float16, np.int32, np.int64, np.bool_])
def test_numpy_array_keeps_its_dtype(dtype):
    data = np.arange(6).reshape(2, 3).astype(dtype)
    t = cr.tensor(data)
    assert t.dtype == np.dtype(dtype)
    assert_same(t, data)


def test_dtype_attribute_is_a_numpy_dtype():
    assert isinstance(cr.tensor([1.0]).dtype, np.dtype)
    assert isinstance(cr.tensor(np.ones(2, dtype=np.int32)).dtype, np.dtype)


def test_default_dtype_round_trip(restore_default_dtype):
    assert np.dtype(cr.get_default_dtype()) == np.dtype(np.float32)
    cr.set_default_dtype(np.float64)
    assert np.dtype(cr.get_default_dtype()) == np.dtype(np.float64)
    assert cr.tensor([1.0, 2.0]).dtype == np.dtype(np.float64)
    # ints are not affected by the default floating dtype
    assert cr.tensor([1, 2]).dtype == np.dtype(np.int64)
    cr.set_default_dtype(np.float32)
    assert np.dtype(cr.get_default_dtype()) == np.dtype(np.float32)
    assert cr.tensor([1.0, 2.0]).dtype == np.dtype(np.float32)


def test_requires_grad_on_integer_tensor_raises_naming_the_dtype():
    with pytest.raises((TypeError, RuntimeError)) as info:
        cr.tensor([1, 2, 3], requires_grad=True)
    assert "int64" in str(info.value)


@pytest.mark.parametrize(
    "expr",
    [
        lambda x: 0.5 * x,
        lambda x: x * 0.5,
        lambda x: x + 1,
        lambda x: 2.0 - x,
        lambda x: x / 3,
        lambda x: 1.0 / x,
        lambda x: x ** 2,
        lambda x: -x,
    ],
    ids=["rmul", "mul", "add_int", "rsub", "div_int", "rdiv", "pow", "neg"],
)
def test_python_scalars_are_weak_and_keep_float32(expr):
    x = cr.tensor([1.0, 2.0, 4.0])
    assert x.dtype == np.dtype(np.float32)
    result = expr(x)
    assert result.dtype == np.dtype(np.float32)
    np.testing.assert_allclose(to_np(result), expr(np.array([1.0, 2.0, 4.0], dtype=np.float32)), rtol=1e-6)


def test_python_int_scalar_keeps_int64_tensor_integer():
    x = cr.tensor([1, 2, 3])
    assert (x + 1).dtype == np.dtype(np.int64)
    assert (x * 2).dtype == np.dtype(np.int64)
    assert_same(x * 2 + 1, np.array([3, 5, 7]))


def test_float64_tensor_stays_float64_with_python_scalars():
    x = cr.tensor(np.array([1.0, 2.0]))
    assert (0.5 * x + 1).dtype == np.dtype(np.float64)


# ---------------------------------------------------------------------- attributes


def test_basic_attributes(rng):
    data = rng.standard_normal((2, 3))
    x = cr.tensor(data)
    assert isinstance(x, cr.Tensor)
    assert x.shape == (2, 3)
    assert tuple(x.shape) == (2, 3)
    assert x.ndim == 2
    assert x.requires_grad is False
    assert_same(x.numpy(), data)
    assert_same(x.T, data.T)
    assert x.T.shape == (3, 2)


def test_item_returns_python_number():
    value = cr.tensor(np.array(2.5)).item()
    assert isinstance(value, float) and value == 2.5
    value = cr.tensor(np.array([[4.0]])).item()
    assert value == 4.0
    ivalue = cr.tensor(3).item()
    assert isinstance(ivalue, int) and ivalue == 3


def test_numpy_shares_memory_with_the_tensor():
    x = cr.tensor(np.array([1.0, 2.0, 3.0]))
    a = x.numpy()
    b = x.numpy()
    assert np.shares_memory(a, b)
    a[0] = 10.0
    assert x.numpy()[0] == 10.0
    assert x[0].item() == 10.0


def test_numpy_works_on_tensor_requiring_grad():
    x = cr.tensor(np.array([1.0, 2.0]), requires_grad=True)
    assert x.requires_grad is True
    assert_same(x.numpy(), [1.0, 2.0])


def test_numpy_view_sees_inplace_updates():
    x = cr.tensor(np.array([1.0, 2.0, 3.0]))
    a = x.numpy()
    x.add_(1.0)
    assert_same(a, [2.0, 3.0, 4.0])
    x[1] = -5.0
    assert_same(a, [2.0, -5.0, 4.0])


def test_detach_drops_requires_grad_and_keeps_values():
    x = cr.tensor(np.array([1.0, 2.0]), requires_grad=True)
    y = x * 3.0
    assert y.requires_grad is True
    d = y.detach()
    assert d.requires_grad is False
    assert_same(d, [3.0, 6.0])


def test_op_on_requires_grad_tensor_requires_grad():
    x = cr.tensor(np.array([1.0, 2.0]), requires_grad=True)
    c = cr.tensor(np.array([1.0, 2.0]))
    assert (x + c).requires_grad is True
    assert (c * c).requires_grad is False


# ----------------------------------------------------------------------- operators


def test_arithmetic_operators_match_numpy(rng):
    a = rng.uniform(0.5, 2.0, (3, 4))
    b = rng.uniform(0.5, 2.0, (4,))
    ta, tb = cr.tensor(a), cr.tensor(b)
    assert_same(ta + tb, a + b)
    assert_same(ta - tb, a - b)
    assert_same(ta * tb, a * b)
    assert_same(ta / tb, a / b)
    assert_same(ta ** tb, a ** b)
    assert_same(-ta, -a)
    assert_same(ta @ cr.tensor(a.T), a @ a.T)
    # mixing with NumPy arrays and Python scalars on either side
    assert_same(ta + b, a + b)
    assert_same(2.0 * ta - 1.0, 2.0 * a - 1.0)
    assert_same(1.0 / ta, 1.0 / a)
    assert_same(ta ** 2, a ** 2)


@pytest.mark.parametrize(
    "op",
    [
        lambda a, b: a > b,
        lambda a, b: a >= b,
        lambda a, b: a < b,
        lambda a, b: a <= b,
        lambda a, b: a == b,
        lambda a, b: a != b,
    ],
    ids=["gt", "ge", "lt", "le", "eq", "ne"],
)
def test_comparisons_return_bool_tensors(op):
    a = np.array([1.0, 2.0, 3.0, 4.0])
    b = np.array([4.0, 2.0, 1.0, 4.0])
    result = op(cr.tensor(a), cr.tensor(b))
    assert isinstance(result, cr.Tensor)
    assert result.dtype == np.dtype(np.bool_)
    assert_same(result, op(a, b))


def test_comparison_with_scalar_is_usable_as_mask(rng):
    data = rng.standard_normal((3, 4))
    x = cr.tensor(data)
    mask = x > 0
    assert mask.dtype == np.dtype(np.bool_)
    assert_same(x[mask], data[data > 0])
    assert_same(x[x <= 0.1], data[data <= 0.1])


def test_comparisons_are_not_differentiable():
    x = cr.tensor(np.array([1.0, -1.0]), requires_grad=True)
    assert (x > 0).requires_grad is False


# ------------------------------------------------------------------------ indexing


@pytest.mark.parametrize(
    "index",
    [
        1,
        -1,
        (1, 2),
        (slice(None), slice(1, 3)),
        (slice(None, None, -1),),
        (Ellipsis, 0),
        (None, 1),
        (slice(None), None, 2),
        [0, 2],
        (np.array([0, 2]), np.array([1, 3])),
        (slice(None), [3, 0, 0]),
        np.array([True, False, True]),
    ],
    ids=[
        "int",
        "negative",
        "pair",
        "slice",
        "reverse",
        "ellipsis",
        "newaxis",
        "newaxis-middle",
        "list",
        "two-arrays",
        "slice-and-list",
        "bool-rows",
    ],
)
def test_indexing_matches_numpy(index, rng):
    data = rng.standard_normal((3, 4))
    x = cr.tensor(data)
    assert_same(x[index], data[index])


def test_indexing_with_bool_tensor_mask(rng):
    data = rng.standard_normal((3, 4))
    x = cr.tensor(data)
    mask = cr.tensor(data > 0.2)
    assert_same(x[mask], data[data > 0.2])


# ------------------------------------------------------- functions and methods

POSITIVE_UNARY = {
    "exp": np.exp,
    "log": np.log,
    "log1p": np.log1p,
    "sqrt": np.sqrt,
}
SIGNED_UNARY = {
    "exp": np.exp,
    "sin": np.sin,
    "cos": np.cos,
    "tan": np.tan,
    "tanh": np.tanh,
    "sigmoid": lambda a: 1.0 / (1.0 + np.exp(-a)),
    "relu": lambda a: np.maximum(a, 0.0),
    "softplus": lambda a: np.log1p(np.exp(a)),
    "abs": np.abs,
    "sign": np.sign,
}


@pytest.mark.parametrize("name", sorted(POSITIVE_UNARY))
def test_unary_on_positive_function_and_method_match_numpy(name, rng):
    data = rng.uniform(0.2, 3.0, (3, 4))
    x = cr.tensor(data)
    expected = POSITIVE_UNARY[name](data)
    assert_same(getattr(cr, name)(x), expected)
    assert_same(getattr(x, name)(), expected)


@pytest.mark.parametrize("name", sorted(SIGNED_UNARY))
def test_unary_function_and_method_match_numpy(name, rng):
    data = rng.uniform(-1.5, 1.5, (3, 4))
    x = cr.tensor(data)
    expected = SIGNED_UNARY[name](data)
    assert_same(getattr(cr, name)(x), expected)
    assert_same(getattr(x, name)(), expected)


def test_unary_function_accepts_numpy_array():
    data = np.array([0.1, 0.2])
    result = cr.exp(data)
    assert isinstance(result, cr.Tensor)
    assert_same(result, np.exp(data))


def test_binary_elementwise_functions_and_methods(rng):
    a = rng.uniform(0.5, 2.0, (3, 4))
    b = rng.uniform(0.5, 2.0, (1, 4))
    ta, tb = cr.tensor(a), cr.tensor(b)
    assert_same(cr.maximum(ta, tb), np.maximum(a, b))
    assert_same(ta.maximum(tb), np.maximum(a, b))
    assert_same(cr.minimum(ta, tb), np.minimum(a, b))
    assert_same(ta.minimum(tb), np.minimum(a, b))
    assert_same(cr.power(ta, 3), a ** 3)
    assert_same(ta.power(tb), a ** b)
    assert_same(cr.clip(ta, 0.8, 1.5), np.clip(a, 0.8, 1.5))
    assert_same(ta.clip(0.8, 1.5), np.clip(a, 0.8, 1.5))
    assert_same(cr.where(ta > tb, ta, tb), np.where(a > b, a, b))
    assert_same(cr.where(a > 1.0, ta, 0.0), np.where(a > 1.0, a, 0.0))


REDUCTIONS = {
    "sum": np.sum,
    "mean": np.mean,
    "var": np.var,
    "max": np.max,
    "min": np.min,
    "prod": np.prod,
    "logsumexp": lambda a, axis=None, keepdims=False: np.log(np.sum(np.exp(a), axis=axis, keepdims=keepdims)),
}


@pytest.mark.parametrize("name", sorted(REDUCTIONS))
@pytest.mark.parametrize("axis", [None, 0, 1, -1, (0, 2), (1,)], ids=str)
@pytest.mark.parametrize("keepdims", [False, True])
def test_reductions_match_numpy(name, axis, keepdims, rng):
    data = rng.uniform(-1.0, 1.0, (2, 3, 4))
    x = cr.tensor(data)
    expected = REDUCTIONS[name](data, axis=axis, keepdims=keepdims)
    assert_same(getattr(cr, name)(x, axis=axis, keepdims=keepdims), expected, rtol=1e-10)
    assert_same(getattr(x, name)(axis=axis, keepdims=keepdims), expected, rtol=1e-10)


@pytest.mark.parametrize("name", sorted(REDUCTIONS))
def test_reductions_default_to_all_axes(name, rng):
    data = rng.uniform(-1.0, 1.0, (3, 4))
    x = cr.tensor(data)
    expected = REDUCTIONS[name](data)
    assert_same(getattr(cr, name)(x), expected, rtol=1e-10)
    assert_same(getattr(x, name)(), expected, rtol=1e-10)


@pytest.mark.parametrize("name", sorted(REDUCTIONS))
def test_reductions_accept_dim_as_alias_of_axis(name, rng):
    data = rng.uniform(-1.0, 1.0, (3, 4))
    x = cr.tensor(data)
    expected = REDUCTIONS[name](data, axis=1)
    assert_same(getattr(cr, name)(x, dim=1), expected, rtol=1e-10)
    assert_same(getattr(x, name)(dim=1), expected, rtol=1e-10)
    expected_keep = REDUCTIONS[name](data, axis=0, keepdims=True)
    assert_same(getattr(x, name)(dim=0, keepdims=True), expected_keep, rtol=1e-10)


def test_var_uses_ddof_zero():
    data = np.array([1.0, 2.0, 3.0, 4.0])
    assert cr.var(cr.tensor(data)).item() == pytest.approx(1.25)


def test_shape_functions_and_methods_match_numpy(rng):
    data = rng.standard_normal((2, 3, 4))
    x = cr.tensor(data)
    assert_same(cr.reshape(x, (6, 4)), data.reshape(6, 4))
    assert_same(x.reshape((4, -1)), data.reshape(4, -1))
    assert_same(cr.transpose(x), np.transpose(data))
    assert_same(cr.transpose(x, (2, 0, 1)), np.transpose(data, (2, 0, 1)))
    assert_same(x.transpose((1, 2, 0)), np.transpose(data, (1, 2, 0)))
    assert_same(cr.swapaxes(x, 0, 2), np.swapaxes(data, 0, 2))
    assert_same(x.swapaxes(0, 1), np.swapaxes(data, 0, 1))
    assert_same(cr.expand_dims(x, 1), np.expand_dims(data, 1))
    assert_same(x.expand_dims(0), np.expand_dims(data, 0))
    assert_same(cr.flip(x, axis=1), np.flip(data, axis=1))
    assert_same(x.flip(axis=0), np.flip(data, axis=0))
    assert_same(cr.flip(x), np.flip(data))


def test_squeeze_and_broadcast_to_match_numpy(rng):
    data = rng.standard_normal((3, 1, 4))
    x = cr.tensor(data)
    assert_same(cr.squeeze(x), np.squeeze(data))
    assert_same(cr.squeeze(x, axis=1), np.squeeze(data, axis=1))
    assert_same(x.squeeze(axis=1), np.squeeze(data, axis=1))
    row = rng.standard_normal((1, 4))
    assert_same(cr.broadcast_to(cr.tensor(row), (3, 4)), np.broadcast_to(row, (3, 4)))
    assert_same(cr.tensor(row).broadcast_to((5, 4)), np.broadcast_to(row, (5, 4)))


def test_pad_function_matches_numpy(rng):
    mat = rng.standard_normal((2, 3))
    pad = ((1, 2), (0, 1))
    assert_same(cr.pad(cr.tensor(mat), pad), np.pad(mat, pad))


def test_pad_is_also_a_tensor_method(rng):
    mat = rng.standard_normal((2, 3))
    pad = ((1, 2), (0, 1))
    assert_same(cr.tensor(mat).pad(pad), np.pad(mat, pad))


def test_concatenate_and_stack(rng):
    a = rng.standard_normal((2, 3))
    b = rng.standard_normal((2, 3))
    assert_same(cr.concatenate([cr.tensor(a), cr.tensor(b)], axis=0), np.concatenate([a, b], axis=0))
    assert_same(cr.concatenate([cr.tensor(a), cr.tensor(b)], axis=1), np.concatenate([a, b], axis=1))
    assert_same(cr.stack([cr.tensor(a), cr.tensor(b)]), np.stack([a, b]))
    assert_same(cr.stack([cr.tensor(a), cr.tensor(b)], axis=2), np.stack([a, b], axis=2))


# ------------------------------------------------------------------- linear algebra


@pytest.mark.parametrize(
    "shape_a, shape_b",
    [
        ((3,), (3,)),
        ((2, 3), (3,)),
        ((3,), (3, 4)),
        ((2, 3), (3, 4)),
        ((5, 2, 3), (3, 4)),
        ((5, 2, 3), (5, 3, 4)),
        ((1, 2, 3), (5, 3, 4)),
        ((3,), (5, 3, 4)),
        ((2, 1, 2, 3), (4, 3, 2)),
    ],
    ids=str,
)
def test_matmul_matches_numpy(shape_a, shape_b, rng):
    a = rng.standard_normal(shape_a)
    b = rng.standard_normal(shape_b)
    expected = np.matmul(a, b)
    assert_same(cr.matmul(cr.tensor(a), cr.tensor(b)), expected)
    assert_same(cr.tensor(a) @ cr.tensor(b), expected)


def test_matmul_shape_mismatch_raises_value_error():
    with pytest.raises(ValueError):
        cr.matmul(cr.tensor(np.ones((2, 3))), cr.tensor(np.ones((4, 2))))


def test_dot_and_outer_match_numpy(rng):
    a = rng.standard_normal(4)
    b = rng.standard_normal(4)
    m = rng.standard_normal((3, 4))
    assert_same(cr.dot(cr.tensor(a), cr.tensor(b)), np.dot(a, b))
    assert_same(cr.dot(cr.tensor(m), cr.tensor(a)), np.dot(m, a))
    assert_same(cr.dot(cr.tensor(m), cr.tensor(m.T)), np.dot(m, m.T))
    assert_same(cr.outer(cr.tensor(a), cr.tensor(b[:3])), np.outer(a, b[:3]))


@pytest.mark.parametrize(
    "subscripts, shapes",
    [
        ("ij,jk->ik", [(2, 3), (3, 4)]),
        ("ii->", [(3, 3)]),
        ("ij->ji", [(2, 3)]),
        ("i,i->", [(4,), (4,)]),
        ("i,j->ij", [(2,), (3,)]),
        ("bij,bjk->bik", [(5, 2, 3), (5, 3, 4)]),
        ("ij,ij->i", [(3, 4), (3, 4)]),
        ("ijk->k", [(2, 3, 4)]),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_einsum_matches_numpy(subscripts, shapes, rng):
    arrays = [rng.standard_normal(s) for s in shapes]
    assert_same(cr.einsum(subscripts, *[cr.tensor(a) for a in arrays]), np.einsum(subscripts, *arrays))


# ------------------------------------------------------------------------ creation


def test_creation_functions_use_default_dtype_float32():
    f32 = np.dtype(np.float32)
    assert cr.zeros((2, 3)).dtype == f32
    assert cr.ones((2, 3)).dtype == f32
    assert cr.full((2, 2), 3.5).dtype == f32
    assert cr.eye(3).dtype == f32
    assert cr.linspace(0.0, 1.0, 5).dtype == f32


def test_creation_functions_follow_changed_default_dtype(restore_default_dtype):
    cr.set_default_dtype(np.float64)
    f64 = np.dtype(np.float64)
    assert cr.zeros((2, 3)).dtype == f64
    assert cr.ones(4).dtype == f64
    assert cr.full((2,), 1.5).dtype == f64
    assert cr.eye(2).dtype == f64
    assert cr.linspace(0.0, 1.0, 3).dtype == f64


def test_creation_function_values():
    assert_same(cr.zeros((2, 3)), np.zeros((2, 3)))
    assert_same(cr.ones((3,)), np.ones(3))
    assert_same(cr.full((2, 2), 3.5), np.full((2, 2), 3.5))
    assert_same(cr.eye(3), np.eye(3))
    assert_same(cr.linspace(0.0, 1.0, 5), np.linspace(0.0, 1.0, 5), rtol=1e-6)
    assert_same(cr.arange(5), np.arange(5))
    assert_same(cr.arange(1, 7, 2), np.arange(1, 7, 2))
    assert_same(cr.arange(0.0, 1.0, 0.25), np.arange(0.0, 1.0, 0.25))


def test_like_functions_keep_shape_and_dtype():
    x = cr.tensor(np.arange(6.0).reshape(2, 3))
    z = cr.zeros_like(x)
    o = cr.ones_like(x)
    assert z.shape == (2, 3) and z.dtype == np.dtype(np.float64)
    assert o.shape == (2, 3) and o.dtype == np.dtype(np.float64)
    assert_same(z, np.zeros((2, 3)))
    assert_same(o, np.ones((2, 3)))


def test_creation_functions_take_requires_grad():
    w = cr.ones((3,), requires_grad=True)
    assert w.requires_grad is True
    assert cr.zeros((2,), requires_grad=True).requires_grad is True
    assert cr.ones((2,)).requires_grad is False
    (w * w).sum().backward()
    assert_same(w.grad, np.full(3, 2.0), rtol=1e-6)


def test_random_seed_makes_normal_and_uniform_reproducible():
    cr.random.seed(7)
    a = cr.random.normal(0.0, 1.0, (3, 4))
    u = cr.random.uniform(-1.0, 2.0, (5,))
    cr.random.seed(7)
    b = cr.random.normal(0.0, 1.0, (3, 4))
    v = cr.random.uniform(-1.0, 2.0, (5,))
    assert a.shape == (3, 4) and u.shape == (5,)
    np.testing.assert_array_equal(to_np(a), to_np(b))
    np.testing.assert_array_equal(to_np(u), to_np(v))
    cr.random.seed(8)
    c = cr.random.normal(0.0, 1.0, (3, 4))
    assert not np.array_equal(to_np(a), to_np(c))


def test_random_uses_default_dtype(restore_default_dtype):
    assert cr.random.normal(0.0, 1.0, (2,)).dtype == np.dtype(np.float32)
    assert cr.random.uniform(0.0, 1.0, (2,)).dtype == np.dtype(np.float32)
    cr.set_default_dtype(np.float64)
    assert cr.random.normal(0.0, 1.0, (2,)).dtype == np.dtype(np.float64)
    assert cr.random.uniform(0.0, 1.0, (2,)).dtype == np.dtype(np.float64)


def test_random_distributions_have_requested_parameters():
    cr.random.seed(0)
    n = to_np(cr.random.normal(3.0, 2.0, (20000,))).astype(np.float64)
    assert abs(n.mean() - 3.0) < 0.1
    assert abs(n.std() - 2.0) < 0.1
    u = to_np(cr.random.uniform(-1.0, 2.0, (20000,))).astype(np.float64)
    assert u.min() >= -1.0 and u.max() < 2.0
    assert abs(u.mean() - 0.5) < 0.05


def test_integer_results_never_carry_a_gradient():
    x = cr.tensor([1.5, 2.5], requires_grad=True)
    assert not x.astype(np.int64).requires_grad
    assert cr.grad(lambda v: (v.astype(np.int64) * v).sum())(np.array([1.5, 2.5])).numpy().tolist() == [1.0, 2.0]


def test_integers_meeting_floats_take_the_floats_dtype_as_in_pytorch():
    a, n = cr.tensor([1.0, 2.0]), cr.tensor([2, 3])
    for result in (a ** n, n * a, a - n, n / a, cr.maximum(a, n), np.ones(2, np.int64) * a, a + np.int64(1)):
        assert result.dtype == np.float32
    assert (cr.tensor([1.0]) * cr.tensor(np.array([2.0]))).dtype == np.float64   # floats keep NumPy's rule
