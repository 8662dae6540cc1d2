"""Devices: PyTorch's spellings wherever PyTorch takes a device; a device that cannot be used here
(no CuPy, no GPU) is refused saying why; with a GPU backend (here the device-array double) tensors
and modules move there and back, differentiably."""

import pytest

import chainrule as cr

NO_GPU = "needs CuPy"


def test_device_parses_pytorchs_spellings():
    assert cr.device("cpu") == cr.device("cpu") and cr.device("cpu") != cr.device("cpu:0")
    assert repr(cr.device("cpu")) == "device(type='cpu')"
    assert str(cr.device("cuda:1")) == "cuda:1" and cr.device("cuda", 1) == cr.device("cuda:1")
    assert cr.device(cr.device("cpu")).type == "cpu"
    assert {cr.device("cpu"): 1}[cr.device("cpu")] == 1


@pytest.mark.parametrize("args, kind, match", [(("gpu",), ValueError, "unknown device type 'gpu'"),
                                               (("cuda:x",), ValueError, "must be a non-negative integer"),
                                               (("cuda:0", 1), ValueError, "already names an index"),
                                               ((3.0,), TypeError, "expected a string")])
def test_device_refuses_what_is_not_a_device(args, kind, match):
    with pytest.raises(kind, match=f"device: .*{match}"):
        cr.device(*args)


def test_the_pytorch_idiom_for_choosing_a_device_chooses_the_cpu(no_gpu):
    device = cr.device("cuda" if cr.cuda.is_available() else "cpu")
    assert device.type == "cpu" and cr.cuda.device_count() == 0


def test_a_tensor_lives_on_the_cpu():
    x = cr.tensor([1.0, 2.0])
    assert x.device == cr.device("cpu") and not x.is_cuda
    assert x.cpu() is x


@pytest.mark.parametrize("call", [lambda x: x.cuda(), lambda x: x.cuda(0), lambda x: x.to("cuda"),
                                  lambda x: x.to(cr.device("cuda:0"), cr.float64)])
def test_using_a_gpu_raises_saying_why_where_there_is_none(call, no_gpu):
    with pytest.raises(RuntimeError, match=f"Tensor\\.(cuda|to): device 'cuda' {NO_GPU}"):
        call(cr.tensor([1.0]))
