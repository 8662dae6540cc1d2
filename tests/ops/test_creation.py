"""Creation functions given tensors: linspace and full carry the gradient, arange refuses."""

import numpy as np
import pytest

import chainrule as cr


def test_linspace_is_differentiated_in_its_end_points():
    # Σ_k (s + (1 − s)·k/4) = 5s + 2.5(1 − s): d/ds = 2.5
    assert cr.grad(lambda s: cr.linspace(s, 1.0, 5).sum())(0.0).item() == pytest.approx(2.5)
    g = cr.grad(lambda s, t: (cr.linspace(s, t, 3) ** 2).sum(), argnums=(0, 1))(1.0, 3.0)
    # points s, (s + t)/2, t: d/ds = 2s + (s + t)/2 = 4, d/dt = (s + t)/2 + 2t = 8
    assert [v.item() for v in g] == pytest.approx([4.0, 8.0])
    x = cr.tensor(2.0, requires_grad=True)
    cr.linspace(0.0, x, 4).sum().backward()
    assert x.grad.item() == pytest.approx(2.0)


def test_linspace_of_numbers_is_unchanged_and_refuses_a_new_leaf_from_tensors():
    np.testing.assert_allclose(cr.linspace(0.0, 1.0, 5).numpy(), np.linspace(0, 1, 5))
    assert cr.linspace(0.0, 1.0, 4, endpoint=False).numpy().tolist() == [0.0, 0.25, 0.5, 0.75]
    with pytest.raises(ValueError, match="linspace"):
        cr.linspace(cr.tensor(0.0, requires_grad=True), 1.0, 3, requires_grad=True)


def test_full_carries_the_gradient_of_its_fill_value():
    assert cr.grad(lambda v: cr.full((2, 3), v).sum())(2.0).item() == 6.0
    out = cr.full((2,), cr.tensor(1.5))
    out.add_(1.0)  # writeable, like any new tensor
    assert out.numpy().tolist() == [2.5, 2.5]


def test_arange_refuses_tensor_arguments_instead_of_detaching_them():
    with pytest.raises(TypeError, match="arange"):
        cr.grad(lambda s: cr.arange(s, 5.0).sum())(0.0)
