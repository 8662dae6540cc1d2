"""The one table of public names: every op in it is ``cr.X`` and, where it is a method, ``x.X``,
with the same signature; the public function always returns a Tensor."""

import inspect

import numpy as np
import pytest

import chainrule as cr
from chainrule.api.names import ALIASES, TABLE

METHODS = [op for op in TABLE if op.method]


@pytest.mark.parametrize("op", TABLE, ids=lambda op: op.name)
def test_every_public_op_is_a_chainrule_function_with_the_ops_signature(op):
    public = getattr(cr, op.name)
    assert inspect.signature(public) == inspect.signature(op.function)
    assert op.name in cr.__all__


@pytest.mark.parametrize("op", METHODS, ids=lambda op: op.name)
def test_methods_have_the_signature_of_the_public_function(op):
    method = getattr(cr.Tensor, op.name)
    assert inspect.signature(method) == inspect.signature(getattr(cr, op.name))


def test_the_numpy_spellings_are_the_same_ops():
    x, y = cr.tensor([1.0, 2.0]), cr.tensor([3.0, 5.0])
    for alias, target in ALIASES.items():
        args = (x,) if target == "neg" else (x, y)
        np.testing.assert_array_equal(getattr(cr, alias)(*args).numpy(), getattr(cr, target)(*args).numpy())


def test_public_functions_return_tensors_for_python_data_and_arrays():
    assert isinstance(cr.exp(1.0), cr.Tensor) and cr.exp(1.0).dtype == np.float32
    assert isinstance(cr.mul(np.ones(2), np.ones(2)), cr.Tensor)
    assert cr.maximum(cr.tensor([0.0, 2.0]), 0.5).dtype == np.float32  # Python numbers stay weak
