"""Dtypes and casts with PyTorch's names: cr.float32 … are NumPy dtypes; x.to, x.type and the cast
methods; casts to floating dtypes are differentiable, casts to integers are detached."""

import numpy as np
import pytest

import chainrule as cr


def test_dtype_names_are_numpy_dtypes():
    for name in ("float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "bool",
                 "complex64", "complex128"):
        assert getattr(cr, name) == np.dtype(name)
    assert (cr.float, cr.double, cr.half, cr.long, cr.int, cr.short) == \
        (cr.float32, cr.float64, cr.float16, cr.int64, cr.int32, cr.int16)
    assert cr.tensor([1.0]).dtype == cr.float32 == np.float32
    assert "float" not in cr.__all__ and "float32" in cr.__all__  # a star import keeps Python's float()


@pytest.mark.parametrize("method, dtype", [("float", np.float32), ("double", np.float64), ("half", np.float16),
                                           ("long", np.int64), ("int", np.int32), ("short", np.int16),
                                           ("bool", np.bool_), ("cfloat", np.complex64)])
def test_cast_methods(method, dtype):
    assert getattr(cr.tensor([1.5, 0.0]), method)().dtype == dtype


def test_casts_to_floating_dtypes_differentiate_and_casts_to_integers_are_detached():
    x = cr.tensor([1.5, -2.5], requires_grad=True)
    assert x.double().requires_grad and not x.long().requires_grad and not x.to(cr.bool).requires_grad
    assert x.long().tolist() == [1, -2]
    (x.double() * x.to(cr.float64)).sum().backward()  # the cotangent is cast back to x's float32
    assert x.grad.dtype == np.float32 and x.grad.tolist() == [3.0, -5.0]


def test_to_takes_a_dtype_a_device_both_or_another_tensor():
    x = cr.tensor([1.0, 2.0])
    assert x.to(cr.float64).dtype == np.float64
    assert x.to("float64").dtype == np.float64 and x.to(float).dtype == np.float64
    assert x.to("cpu") is x and x.to(cr.device("cpu")) is x and x.to(cr.float32) is x
    assert x.to("cpu", cr.float64).dtype == np.float64
    assert x.to(device="cpu", dtype=cr.int64).dtype == np.int64
    assert x.to(cr.tensor([1], dtype=np.int32)).dtype == np.int32


def test_to_copies_only_when_asked():
    x = cr.tensor([1.0, 2.0])
    y = x.to(cr.float32, copy=True)
    assert y is not x and not np.shares_memory(y.numpy(), x.numpy())
    assert x.to("cpu", cr.float32, False, True) is not x


@pytest.mark.parametrize("args, kwargs, match", [(("cpu", "cpu"), {}, "expected a dtype"),
                                                 ((3.5,), {}, "expected a dtype"),
                                                 ((cr.float32, 1), {}, "extra arguments"),
                                                 ((), {"layout": 1}, "unexpected keyword argument 'layout'")])
def test_to_refuses_what_it_cannot_read_naming_it(args, kwargs, match):
    with pytest.raises(TypeError, match=f"Tensor.to: .*{match}"):
        cr.tensor([1.0]).to(*args, **kwargs)


def test_type_names_the_tensor_type_or_casts():
    x = cr.tensor([1.0])
    assert x.type() == "chainrule.FloatTensor" and x.long().type() == "chainrule.LongTensor"
    assert x.type(cr.float64).dtype == np.float64
    assert x.type("torch.DoubleTensor").dtype == np.float64 and x.type("chainrule.IntTensor").dtype == np.int32


def test_module_to_accepts_devices_and_dtypes_as_pytorch(no_gpu):
    model = cr.nn.Linear(2, 3)
    assert model.to("cpu") is model and model.weight.dtype == np.float32
    assert model.to("cpu", cr.float64).weight.dtype == np.float64
    assert model.to(dtype=cr.float32).bias.dtype == np.float32
    assert model.to(cr.tensor([1.0], dtype=np.float64)).weight.dtype == np.float64
    assert model.cpu() is model
    with pytest.raises(RuntimeError, match="Module.to: device 'cuda' needs CuPy"):
        model.to("cuda")
    with pytest.raises(RuntimeError, match="Module.to: device 'cuda' needs CuPy"):
        model.cuda()
    with pytest.raises(TypeError, match="Module.to: expected a floating dtype, got int64"):
        model.to(cr.long)


def test_conversions_match_pytorch(torch):
    x = torch.tensor([1.5, -2.0])
    ours = cr.tensor([1.5, -2.0])
    for name in ("float", "double", "long", "int", "bool", "half"):
        assert getattr(ours, name)().tolist() == getattr(x, name)().tolist()
        assert getattr(ours, name)().type().split(".")[1] == getattr(x, name)().type().split(".")[1]
