"""New tensors made on the device they are asked for, or on their input's device (the ``*_like``
functions and PyTorch's ``x.new_*``), as PyTorch makes them — with the device-array double."""

import numpy as np
import pytest

import chainrule as cr
from device_double import DeviceArray, host


def _on_device(t):
    return isinstance(t._data, DeviceArray)


MAKERS = {
    "zeros_like": lambda x: cr.zeros_like(x), "ones_like": lambda x: cr.ones_like(x),
    "empty_like": lambda x: cr.empty_like(x), "full_like": lambda x: cr.full_like(x, 2.0),
    "randn_like": lambda x: cr.randn_like(x), "rand_like": lambda x: cr.rand_like(x),
    "new_zeros": lambda x: x.new_zeros(2), "new_ones": lambda x: x.new_ones(2), "new_empty": lambda x: x.new_empty(2),
    "new_full": lambda x: x.new_full((2,), 1.0), "new_tensor": lambda x: x.new_tensor([1.0, 2.0]),
}


@pytest.mark.parametrize("name", sorted(MAKERS))
def test_functions_of_an_input_make_their_tensor_on_its_device(name, gpu):
    assert _on_device(MAKERS[name](cr.ones(2, 3, device="cuda")))
    assert not _on_device(MAKERS[name](cr.ones(2, 3)))


def test_a_device_given_wins_over_the_inputs(gpu):
    x = cr.ones(2, device="cuda")
    assert not _on_device(cr.zeros_like(x, device="cpu")) and not _on_device(x.new_zeros(2, device="cpu"))
    assert _on_device(cr.ones_like(cr.ones(2), device="cuda"))


def test_linspace_between_device_tensors_stays_on_the_device_and_carries_the_gradient(gpu):
    start = cr.tensor(0.0, device="cuda", requires_grad=True)
    grid = cr.linspace(start, cr.tensor(1.0, device="cuda"), 5)
    assert _on_device(grid)
    grid.sum().backward()
    assert _on_device(start.grad) and host(start.grad) == pytest.approx(2.5)
    np.testing.assert_allclose(host(grid), np.linspace(0, 1, 5))
