"""Every primitive on device arrays (the CuPy-like test double): each view gives the same numbers as on
NumPy arrays and keeps its results on the device — nothing is pulled to the host or created there."""

import numpy as np
import pytest

import chainrule as cr
from chainrule.core.bind import bind
from device_double import DeviceArray, host, to_device

PRIMITIVES = sorted((p for p in cr.primitives.values() if p.name != "transfer"), key=lambda p: p.name)
"""Every primitive but ``transfer``, whose job is to move values between devices (tests/api/test_device.py)."""


def _samples(prim):
    return prim.samples(np.random.default_rng(0))


def _tensors(args, place):
    return [cr.tensor(place(a)) if isinstance(a, (np.ndarray, np.generic)) else a for a in args]


CASES = [pytest.param(prim, args, params, id=f"{prim.name}-{i}")
         for prim in PRIMITIVES for i, (args, params) in enumerate(_samples(prim))]


def _on_device(value):
    return isinstance(value._data if isinstance(value, cr.Tensor) else value, DeviceArray)


@pytest.mark.parametrize("prim,args,params", CASES)
def test_a_primitive_computes_on_the_device(prim, args, params):
    out = bind(prim, *_tensors(args, to_device), **params)
    expected = bind(prim, *_tensors(args, np.array), **params)
    assert _on_device(out), f"{prim.name} returned a host array"
    np.testing.assert_allclose(host(out), host(expected), rtol=1e-12, atol=1e-12)


DIFFERENTIABLE = [pytest.param(prim, args, params, k, id=f"{prim.name}-{i}-arg{k}")
                  for prim in PRIMITIVES if prim.differentiable
                  for i, (args, params) in enumerate(_samples(prim))
                  for k, a in enumerate(args) if isinstance(a, np.ndarray) and a.dtype.kind in "fc"]


@pytest.mark.parametrize("prim,args,params,k", DIFFERENTIABLE)
def test_every_view_of_the_derivative_stays_on_the_device(prim, args, params, k):
    def runs(place):
        full = _tensors(args, place)
        out = bind(prim, *full, **params)
        weights = cr.tensor(place(np.random.default_rng(1).standard_normal(out.shape).astype(out.dtype)))

        def f(x):
            total = (bind(prim, *full[:k], x, *full[k + 1:], **params) * weights).sum()
            return cr.real(total) if total.dtype.kind == "c" else total

        x = cr.tensor(place(args[k]), requires_grad=True)
        f(x).backward()
        direction = cr.tensor(place(np.ones_like(args[k])))
        _, tangent = cr.jvp(f, (cr.tensor(place(args[k])),), (direction,))
        per_example = cr.vmap(cr.grad(f))(cr.tensor(place(np.stack([args[k], args[k] * 1.01]))))
        return {"backward": x.grad, "grad": cr.grad(f)(cr.tensor(place(args[k]))), "jvp": tangent,
                "vmap(grad)": per_example, "hvp": cr.hvp(f, (cr.tensor(place(args[k])),), (direction,))}

    on_device, on_host = runs(to_device), runs(np.array)
    for view, value in on_device.items():
        assert _on_device(value), f"{prim.name}: the {view} result came back to the host"
        np.testing.assert_allclose(host(value), host(on_host[view]), rtol=1e-10, atol=1e-12, err_msg=view)
