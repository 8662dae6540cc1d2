"""vmap: JAX's semantics (in_axes, out_axes, axis_size, nesting) and composition with every transform."""

import warnings

import numpy as np
import pytest

import chainrule as cr

RNG = np.random.default_rng(0)


def test_in_axes_per_argument_with_shared_arguments():
    xs, w = RNG.normal(size=(5, 3)), RNG.normal(size=(3, 2))
    out = cr.vmap(lambda x, w: cr.tanh(x @ w), in_axes=(0, None))(xs, w)
    np.testing.assert_allclose(out.numpy(), np.tanh(xs @ w), rtol=1e-12)


def test_in_axes_other_than_zero_and_out_axes():
    xs = RNG.normal(size=(3, 5))
    out = cr.vmap(lambda x: x * 2.0, in_axes=1, out_axes=1)(xs)
    np.testing.assert_allclose(out.numpy(), xs * 2.0)
    out = cr.vmap(lambda x: cr.sum(x), in_axes=-1)(xs)
    np.testing.assert_allclose(out.numpy(), xs.sum(axis=0))


def test_in_axes_as_a_prefix_of_nested_arguments_and_dict_outputs():
    params = {"w": RNG.normal(size=(3,)), "b": 0.5}
    xs = RNG.normal(size=(4, 3))
    f = lambda p, x: {"y": x @ p["w"] + p["b"], "n": cr.sum(x * x)}  # noqa: E731
    out = cr.vmap(f, in_axes=({"w": None, "b": None}, 0))(params, xs)
    np.testing.assert_allclose(out["y"].numpy(), xs @ params["w"] + 0.5)
    np.testing.assert_allclose(out["n"].numpy(), (xs * xs).sum(axis=1))


def test_unmapped_outputs_are_repeated_or_returned_once():
    xs = RNG.normal(size=(4, 2))
    out = cr.vmap(lambda x: (x, cr.tensor(1.0)))(xs)
    assert out[1].shape == (4,)
    same = cr.vmap(lambda x: (x * 2, cr.tensor(3.0)), out_axes=(0, None))(xs)
    assert same[1].shape == () and same[1].item() == 3.0
    with pytest.raises(ValueError, match="out_axes=None"):
        cr.vmap(lambda x: x, out_axes=None)(xs)
    np.testing.assert_allclose(cr.vmap(lambda: cr.tensor([1.0, 2.0]), axis_size=3)().numpy(), [[1.0, 2.0]] * 3)


def test_nested_vmap_is_an_outer_product_of_batches():
    a, b = RNG.normal(size=(3,)), RNG.normal(size=(4,))
    out = cr.vmap(lambda x: cr.vmap(lambda y: x * y)(b))(a)
    np.testing.assert_allclose(out.numpy(), np.outer(a, b))


def test_errors_name_what_is_wrong():
    with pytest.raises(ValueError, match="different sizes"):
        cr.vmap(lambda x, y: x + y)(np.ones(3), np.ones(4))
    with pytest.raises(ValueError, match="2 entries for 1"):
        cr.vmap(lambda x: x, in_axes=(0, 0))(np.ones(3))
    with pytest.raises(ValueError, match="axis_size"):
        cr.vmap(lambda x: x, in_axes=None)(np.ones(3))


def test_shape_inside_is_one_examples_shape():
    seen = []
    cr.vmap(lambda x: seen.append(x.shape) or x)(np.ones((5, 2, 3)))
    assert seen == [(2, 3)]


def test_vmap_composes_with_jvp_jacobian_hessian_and_jit():
    xs = RNG.normal(size=(4, 3))
    f = lambda x: cr.sum(cr.sin(x) * x)  # noqa: E731
    _, tangents = cr.vmap(lambda x: cr.jvp(f, (x,), (cr.ones_like(x),)))(xs)
    np.testing.assert_allclose(tangents.numpy(), (np.cos(xs) * xs + np.sin(xs)).sum(axis=1), rtol=1e-12)
    hessians = cr.vmap(cr.hessian(f))(xs)
    expected = np.stack([np.diag(2 * np.cos(x) - x * np.sin(x)) for x in xs])
    np.testing.assert_allclose(hessians.numpy(), expected, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(cr.jit(cr.vmap(cr.grad(f)))(xs).numpy(), np.cos(xs) * xs + np.sin(xs), rtol=1e-12)
    jac = cr.jacobian(cr.vmap(cr.sin))(xs[0])
    np.testing.assert_allclose(jac.numpy(), np.diag(np.cos(xs[0])), rtol=1e-12)


class _Cube(cr.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x * x

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return 3 * x * x * g


def test_user_functions_run_in_a_loop_with_a_warning_once():
    xs = RNG.normal(size=(3, 2))
    with pytest.warns(RuntimeWarning, match="_Cube has no batching rule"):
        out = cr.vmap(_Cube.apply)(xs)
    np.testing.assert_allclose(out.numpy(), xs ** 3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        grads = cr.vmap(cr.grad(lambda x: _Cube.apply(x).sum()))(xs)
    np.testing.assert_allclose(grads.numpy(), 3 * xs ** 2, rtol=1e-12)


@pytest.mark.parametrize("shapes, in_axes", [
    (((6, 4, 3), (3, 2)), (0, None)),        # batched stack times a shared matrix: folded into rows
    (((6, 3), (3,)), (0, None)),             # batched matrix times a shared vector
    (((6, 4, 1), (6, 1, 5)), (0, 0)),        # contraction of length 1: outer products
    (((4, 1), (6, 1, 5)), (None, 0)),
    (((3, 6, 4), (4, 2)), (1, None)),        # batch axis not in front
])
def test_matmul_batching_shortcuts_agree_with_a_loop_over_the_batch(shapes, in_axes):
    a, b = (RNG.normal(size=s) for s in shapes)
    out = cr.vmap(lambda x, y: x @ y, in_axes=in_axes)(a, b)
    size = (a.shape[in_axes[0]] if in_axes[0] is not None else b.shape[in_axes[1]])
    take = lambda v, axis, i: v if axis is None else np.take(v, i, axis=axis)  # noqa: E731
    expected = np.stack([take(a, in_axes[0], i) @ take(b, in_axes[1], i) for i in range(size)])
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-12)


def test_per_example_gradients_of_a_linear_layer_are_outer_products():
    w, xs = RNG.normal(size=(3, 4)), RNG.normal(size=(5, 4))
    grads = cr.vmap(cr.grad(lambda w, x: cr.sum(cr.tanh(x @ w.T))), in_axes=(None, 0))(w, xs)
    expected = (1 - np.tanh(xs @ w.T) ** 2)[:, :, None] * xs[:, None, :]
    np.testing.assert_allclose(grads.numpy(), expected, rtol=1e-12)
