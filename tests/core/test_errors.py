"""Bad input gets a clear error naming the op, the shapes or the offending value."""

import numpy as np
import pytest

import chainrule as cr


def test_matmul_shape_mismatch_names_the_op_and_both_shapes():
    a = cr.tensor(np.ones((2, 3)))
    b = cr.tensor(np.ones((4, 5)))
    with pytest.raises(ValueError) as info:
        a @ b
    message = str(info.value)
    assert "matmul" in message and "(2, 3)" in message and "(4, 5)" in message
    assert isinstance(info.value, cr.ShapeError)


def test_shape_error_points_at_the_users_line():
    with pytest.raises(cr.ShapeError) as info:
        cr.tensor(np.ones(3)) + cr.tensor(np.ones(4))  # this line
    assert "add" in str(info.value) and "test_errors.py" in str(info.value)


def test_requires_grad_on_an_integer_tensor_is_refused():
    with pytest.raises(TypeError) as info:
        cr.tensor([1, 2, 3], requires_grad=True)
    assert "int64" in str(info.value) and "floating" in str(info.value)
    with pytest.raises(RuntimeError):  # the PyTorch user's except clause works too
        cr.tensor([1, 2, 3]).requires_grad = True


def test_grad_of_a_non_scalar_function_is_refused_with_its_shape():
    with pytest.raises(TypeError, match=r"scalar.*\(3,\)"):
        cr.grad(lambda x: x * 2)(np.ones(3))


def test_grad_with_respect_to_an_integer_argument_is_refused():
    with pytest.raises(TypeError, match="floating"):
        cr.grad(lambda x: (x * 2).sum())(np.arange(3))


def test_jvp_tangent_of_the_wrong_shape_is_refused():
    with pytest.raises(ValueError, match=r"tangent 0 has shape \(2,\).*\(3,\)"):
        cr.jvp(cr.sin, (np.ones(3),), (np.ones(2),))


def test_backward_with_a_gradient_of_the_wrong_shape_is_refused():
    x = cr.tensor(np.ones(3), requires_grad=True)
    with pytest.raises(ValueError, match=r"\(2,\).*\(3,\)"):
        (x * 2).backward(np.ones(2))


def test_bad_axis_names_the_reduction_and_shape():
    with pytest.raises(ValueError, match=r"sum: axis 2 .*\(2, 3\)"):
        cr.tensor(np.ones((2, 3))).sum(axis=2)


def test_leaf_requiring_grad_cannot_change_in_place_while_recording():
    w = cr.tensor(np.ones(3), requires_grad=True)
    with pytest.raises(RuntimeError, match="no_grad"):
        w.add_(1.0)
    with cr.no_grad():
        w.add_(1.0)
    np.testing.assert_array_equal(w.numpy(), [2.0, 2.0, 2.0])


def test_in_place_change_inside_a_transform_is_refused():
    def f(x):
        x.add_(1.0)
        return x.sum()

    with pytest.raises(TypeError, match="in place"):
        cr.grad(f)(np.ones(2))


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_anomaly_error_names_the_op_and_the_line_that_created_it():
    x = cr.tensor(np.array([1.0, 0.0]), requires_grad=True)
    with cr.detect_anomaly():
        y = cr.sqrt(x)  # forward is finite; backward divides by 0
        with pytest.raises(RuntimeError) as info:
            y.sum().backward()
    message = str(info.value)
    assert "sqrt" in message and "backward" in message and "test_errors.py" in message


def test_einsum_subscripts_that_do_not_fit_are_refused():
    with pytest.raises(ValueError, match="einsum"):
        cr.einsum("ij,jk->ik", np.ones((2, 3)), np.ones((3,)))
