"""Python sequences that hold tensors are stacked differentiably wherever chainrule takes array data."""

import numpy as np
import pytest

import chainrule as cr


@pytest.mark.parametrize("reduction, expected", [(cr.mean, 1.0), (cr.sum, 2.0), (cr.max, 1.0), (cr.min, 1.0)])
def test_reductions_of_lists_of_tensors_carry_the_gradient(reduction, expected):
    assert cr.grad(lambda x: reduction([x, x + 2]))(0.0).item() == expected


def test_tensor_of_traced_values_keeps_their_gradient():
    assert cr.grad(lambda x: cr.tensor([x, x * x]).sum())(3.0).item() == 7.0
    assert cr.grad(lambda x: cr.tensor([[x, 1.0], [2.0, x]]).sum())(3.0).item() == 2.0


def test_tensor_of_eager_tensors_is_part_of_the_computation_and_a_copy():
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    y = cr.tensor(x)
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [1.0, 1.0])
    assert not np.shares_memory(x.numpy(), y.numpy())
    stacked = cr.tensor([x, 3 * x])
    assert stacked.shape == (2, 2) and stacked.requires_grad


def test_tensor_with_requires_grad_starts_a_new_leaf_and_refuses_inside_a_transform():
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    leaf = cr.tensor([x, x], requires_grad=True)
    assert leaf.is_leaf and leaf.requires_grad
    with pytest.raises(cr.TracerError):
        cr.grad(lambda v: cr.tensor([v, v], requires_grad=True).sum())(1.0)


def test_mixed_sequences_promote_like_pytorch():
    x = cr.tensor([1.0, 2.0])
    assert cr.tensor([x, [3, 4]]).dtype == np.float32     # an int row does not make a float32 stack float64
