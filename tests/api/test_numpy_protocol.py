"""NumPy functions called on tensors: chainrule's version runs and differentiates, or TypeError names
the function — never a silent conversion that drops the gradient (NEP 13, NEP 18)."""

import numpy as np
import pytest

import chainrule as cr


def test_numpy_functions_and_ufuncs_on_tensors_run_chainrules_version():
    x = np.array([1.0, 2.0, 3.0])
    np.testing.assert_allclose(cr.grad(lambda t: np.sum(np.sin(t) * t))(x).numpy(), np.cos(x) * x + np.sin(x))
    np.testing.assert_allclose(cr.grad(lambda t: np.mean(np.stack([t, t * t]), axis=0).sum())(x).numpy(),
                               (1 + 2 * x) / 2)
    t = cr.tensor(x, requires_grad=True)
    y = np.ones(3) * np.exp(t)                    # ndarray * Tensor is a Tensor on the tape
    assert isinstance(y, cr.Tensor) and y.requires_grad
    np.add.reduce(y).backward()                   # ufunc.reduce of add is sum
    np.testing.assert_allclose(t.grad.numpy(), np.exp(x))


def test_a_numpy_function_chainrule_lacks_raises_a_type_error_naming_it():
    x = cr.tensor([1.0, 2.0, 3.0], requires_grad=True)
    with pytest.raises(TypeError, match=r"numpy\.histogram"):
        np.histogram(x)
    with pytest.raises(TypeError, match=r"numpy\.frexp"):
        np.frexp(x)                                # a ufunc chainrule does not implement


def test_out_arguments_are_refused():
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(TypeError, match="out="):
        np.sin(x, out=np.empty(2))
    with pytest.raises(TypeError, match="out="):
        np.sum(x, out=np.empty(()))


def test_implicit_conversion_of_a_tensor_that_requires_grad_raises_as_in_pytorch():
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(TypeError, match=r"detach\(\)\.numpy\(\)"):
        np.asarray(x)
    with pytest.raises(TypeError, match="detach"):
        np.array(x)
    np.testing.assert_array_equal(x.numpy(), [1.0, 2.0])         # explicit: documented to work
    np.testing.assert_array_equal(np.asarray(x.detach()), [1.0, 2.0])
    assert float(cr.tensor(2.0, requires_grad=True)) == 2.0       # as torch: item()/float() are explicit


def test_converting_a_value_being_differentiated_raises_inside_a_transform():
    for conversion in (float, lambda t: t.item(), lambda t: t.numpy(), np.asarray, lambda t: t.tolist()):
        with pytest.raises(cr.TracerError, match="derivative"):
            cr.grad(lambda t: cr.tensor(conversion(t)) * t)(2.0)
    assert cr.grad(lambda t: t * t.detach().item())(3.0).item() == 3.0  # detach() is the explicit way
    _, tangent = cr.jvp(lambda t: t * float(t.detach()), (2.0,), (1.0,))
    assert tangent.item() == 2.0


def test_comparisons_and_control_flow_on_values_under_grad_still_work():
    f = lambda t: t * t if t > 0 else -t  # noqa: E731
    assert cr.grad(f)(3.0).item() == 6.0 and cr.grad(f)(-1.0).item() == -1.0
