"""The Tensor methods PyTorch users call that have no function of their own: size(), dim(), numel(),
item(), data, clone(), contiguous(), detach(), requires_grad_(), view() — and that every method of
the issue's list exists."""

import numpy as np
import pytest

import chainrule as cr
from helpers import check_gradient

PYTORCH_METHODS = ("pow unsqueeze permute t clamp square norm data to view contiguous size numel float double long "
                   "int bool argmax masked_fill index_select gather scatter_add chunk split repeat expand flatten "
                   "add sub mul div item detach clone requires_grad_ cpu type shape dim sort cumsum eq ne lt le gt ge "
                   "view_as").split()


def test_every_method_pytorch_users_reach_for_exists():
    missing = [name for name in PYTORCH_METHODS if not hasattr(cr.Tensor, name)]
    assert not missing


def test_size_is_pytorchs_shape_and_numel_the_element_count():
    x = cr.zeros(2, 3, 4)
    assert x.size() == (2, 3, 4) and isinstance(x.size(), cr.Size) and repr(x.size()) == "Size([2, 3, 4])"
    assert x.size(1) == 3 and x.size(-1) == 4 and x.size().numel() == 24 == x.numel()
    assert x.dim() == 3 == x.ndim
    with pytest.raises(ValueError, match="size: dim 3 is out of range"):
        x.size(3)


@pytest.mark.parametrize("shape", [(), (1,), (1, 1)])
def test_item_reads_any_one_element_tensor(shape):
    assert cr.tensor(np.full(shape, 2.5)).item() == 2.5
    with pytest.raises(ValueError, match="item\\(\\): only one-element tensors"):
        cr.zeros(2).item()


def test_data_shares_memory_outside_the_graph_as_pytorch():
    w = cr.tensor([1.0, 2.0], requires_grad=True)
    d = w.data
    assert not d.requires_grad and np.shares_memory(d.numpy(), w.numpy())
    (w * w).sum().backward()
    w.data -= 0.5 * w.grad.data  # the update idiom of PyTorch tutorials
    assert w.tolist() == [0.0, 0.0] and w.requires_grad


def test_assigning_data_replaces_the_values():
    w = cr.tensor([1.0, 2.0], requires_grad=True)
    w.data = cr.tensor([5.0, 6.0])
    assert w.tolist() == [5.0, 6.0] and w.requires_grad


def test_data_inside_a_transform_is_a_stopped_gradient():
    assert cr.grad(lambda v: (v * v.data).sum())(np.array([3.0])).tolist() == [3.0]


def test_clone_copies_memory_and_keeps_the_gradient_path():
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    y = x.clone()
    assert not np.shares_memory(y.numpy(), x.numpy()) and y.requires_grad
    check_gradient(lambda v: v.clone() * 3.0, np.array([1.0, -2.0]))
    assert cr.tensor(True).clone().dtype == np.bool_ and cr.tensor([1, 2]).clone().dtype == np.int64


def test_contiguous_detach_and_requires_grad_():
    x = cr.tensor([[1.0, 2.0]]).t()
    assert x.contiguous() is x
    y = cr.zeros(2).requires_grad_()
    assert y.requires_grad and not (y * 2).detach().requires_grad


def test_view_and_reshape_take_sizes_as_arguments_or_a_tuple():
    x = cr.arange(6.0)
    assert x.view(2, 3).shape == (2, 3) == x.view((2, -1)).shape == x.reshape(-1, 3).shape


def test_comparisons_have_pytorchs_names_and_view_as_takes_anothers_shape():
    pred, target = cr.tensor([[1], [2], [3]]), cr.tensor([1, 0, 3])
    assert pred.eq(target.view_as(pred)).sum().item() == 2  # the accuracy idiom of PyTorch's MNIST example
    x = cr.tensor([1.0, 2.0, 3.0])
    assert (x.ne(2.0).tolist(), x.lt(2.0).tolist(), x.le(2.0).tolist(), x.gt(2.0).tolist(), x.ge(2.0).tolist()) == \
        ([True, False, True], [True, False, False], [True, True, False], [False, False, True], [False, True, True])
    assert cr.eq(x, 2.0).tolist() == [False, True, False]


def test_argmax_takes_dim_and_keepdim():
    x = cr.tensor([[1.0, 5.0, 2.0], [7.0, 0.0, 3.0]])
    assert x.argmax(dim=1).tolist() == [1, 0] and x.argmax(dim=0, keepdim=True).tolist() == [[1, 0, 1]]
    assert x.argmax().item() == 3


def test_methods_match_pytorch(torch):
    values = np.arange(6.0).reshape(2, 3)
    ours, theirs = cr.tensor(values), torch.tensor(values)
    assert ours.size() == tuple(theirs.size()) and ours.size(0) == theirs.size(0) and ours.dim() == theirs.dim()
    assert ours.view(3, 2).tolist() == theirs.view(3, 2).tolist()
    assert ours.argmax(1, keepdim=True).tolist() == theirs.argmax(1, keepdim=True).tolist()
