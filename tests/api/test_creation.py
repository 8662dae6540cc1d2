"""Creation functions with PyTorch's device= and the ways data becomes a tensor: tensor copies,
as_tensor shares when it can, from_numpy always shares."""

import inspect

import numpy as np
import pytest

import chainrule as cr

CREATORS = {"zeros": (2, 3), "ones": (2, 3), "full": ((2, 3), 1.5), "eye": (3,), "arange": (4,),
            "linspace": (0.0, 1.0, 5), "empty": (2, 3), "zeros_like": (np.ones(2),), "ones_like": (np.ones(2),),
            "full_like": (np.ones(2), 4.0), "empty_like": (np.ones(2),), "tensor": ([1.0],), "as_tensor": ([1.0],),
            "randn": (2,), "rand": (2,), "randint": (5, (2,)), "randperm": (3,), "randn_like": (np.ones(2),),
            "rand_like": (np.ones(2),)}


@pytest.mark.parametrize("name", CREATORS)
def test_every_creation_function_takes_a_cpu_device_and_refuses_cuda(name, no_gpu):
    fn, args = getattr(cr, name), CREATORS[name]
    assert "device" in inspect.signature(fn).parameters
    assert isinstance(fn(*args, device="cpu"), cr.Tensor)
    assert isinstance(fn(*args, device=cr.device("cpu")), cr.Tensor)
    with pytest.raises(RuntimeError, match=f"{name}: device 'cuda' needs CuPy"):
        fn(*args, device="cuda")


def test_creation_functions_keep_their_own_arguments():
    assert cr.zeros(2, 3, dtype=cr.float64, requires_grad=True, device="cpu").requires_grad
    assert cr.full_like(np.ones(2, np.int32), 7).dtype == np.int32
    assert cr.full_like(cr.ones(2), 7, dtype=cr.float64).tolist() == [7.0, 7.0]
    assert cr.empty(2, 2).shape == (2, 2) and cr.empty_like(cr.ones(3, dtype=cr.int64)).dtype == np.int64
    with pytest.raises(TypeError, match="zeros: expected a device such as 'cpu'"):
        cr.zeros(2, device=0.5)


def test_tensor_copies_as_tensor_and_from_numpy_share():
    a = np.ones(3)
    copied, shared, wrapped = cr.tensor(a), cr.as_tensor(a), cr.from_numpy(a)
    a[0] = 5.0
    assert copied.tolist()[0] == 1.0 and shared.tolist()[0] == 5.0 and wrapped.tolist()[0] == 5.0
    wrapped.numpy()[1] = 7.0
    assert a[1] == 7.0 and wrapped.dtype == np.float64


def test_as_tensor_stacks_tensors_differentiably_and_converts_dtypes():
    x = cr.tensor(2.0, requires_grad=True)
    assert cr.as_tensor([x, x]).requires_grad
    assert cr.as_tensor([1, 2], dtype=cr.float32).dtype == np.float32


@pytest.mark.parametrize("value, match", [([1.0], "expected a numpy.ndarray, got list"),
                                          (np.array(["a"]), "dtype <U1")])
def test_from_numpy_refuses_anything_but_numeric_arrays(value, match):
    with pytest.raises(TypeError, match=f"from_numpy: .*{match}"):
        cr.from_numpy(value)


def test_from_numpy_shares_as_pytorch(torch):
    a = np.arange(3.0)
    ours, theirs = cr.from_numpy(a), torch.from_numpy(a)
    a += 1
    assert ours.tolist() == theirs.tolist() == [1.0, 2.0, 3.0]


def test_new_methods_take_the_tensors_dtype_unless_given_as_pytorchs(torch):
    ours, theirs = cr.ones(2, dtype=cr.float64), torch.ones(2, dtype=torch.float64)
    for call in (lambda x: x.new_zeros(2, 3), lambda x: x.new_ones((4,)), lambda x: x.new_empty(2),
                 lambda x: x.new_full((2, 2), 7), lambda x: x.new_tensor([1, 2])):
        mine, reference = call(ours), call(theirs)
        assert mine.shape == tuple(reference.shape) and str(mine.dtype) == str(reference.dtype).split(".")[1]
        assert mine.requires_grad is False
    assert cr.ones(2).new_zeros(3, dtype=cr.int64).dtype == np.int64
    assert cr.ones(2).new_full((2,), 7.0).numpy().tolist() == [7.0, 7.0]
    assert cr.ones(2).new_tensor([0.5], requires_grad=True).is_leaf
