"""Every function of ``chainrule.numpy`` (and its ``linalg`` and ``fft``) on device arrays, called as
the coverage table calls it (``chainrule.numpy.coverage``): on the CuPy-like double it gives the
CPU's values, keeps what depends on its input on the device, and sends the gradient back there."""

import warnings

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp
from chainrule.numpy import coverage
from device_double import DeviceArray, host


def _covered():
    """``(qualified name, probe)`` for every function chainrule.numpy has."""
    probes = coverage._probes(cnp)
    found = []
    for path in coverage.MODULES:
        numpy_module, ours = coverage._submodule(np, path), coverage._submodule(cnp, path)
        for name in coverage.numpy_functions(numpy_module):
            mine = getattr(ours, name, None)
            if callable(mine) and mine is not getattr(numpy_module, name):
                qualified = f"{path}.{name}" if path else name
                found.append((qualified, probes.get(qualified, mine)))
    return found


COVERED = _covered()


def _run(probe, device):
    """The probe's outputs and the gradient of their sum with respect to its input, on ``device``."""
    x = cr.tensor(coverage._input(), device=device, requires_grad=True)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        out = probe(x)
        total = coverage._scalar(out)
        if isinstance(total, cr.Tensor) and total.requires_grad:
            total.backward()
    return coverage._leaves(out), x.grad


def test_every_function_of_chainrule_numpy_is_run_on_the_device():
    assert len(COVERED) > 300


@pytest.mark.parametrize("name, probe", COVERED, ids=[name for name, _ in COVERED])
def test_a_numpy_function_computes_and_differentiates_on_the_device(name, probe, gpu):
    try:
        expected, expected_grad = _run(probe, "cpu")
    except Exception:  # noqa: BLE001 (a probe that does not run on the CPU either; its row says why)
        pytest.skip("the coverage table's probe does not run on the CPU")
    found, grad = _run(probe, "cuda")
    assert len(found) == len(expected)
    for mine, theirs in zip(found, expected):
        if isinstance(theirs, cr.Tensor):
            if theirs.requires_grad:
                assert isinstance(mine._data, DeviceArray), f"{name}: a result that depends on x left the device"
            np.testing.assert_allclose(host(mine), host(theirs), rtol=1e-10, atol=1e-12, err_msg=name)
        else:
            assert mine == theirs or np.allclose(mine, theirs), name
    if expected_grad is not None:
        assert isinstance(grad._data, DeviceArray), f"{name}: the gradient left the device"
        np.testing.assert_allclose(host(grad), host(expected_grad), rtol=1e-9, atol=1e-12, err_msg=name)
