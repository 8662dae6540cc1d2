"""Fixtures shared by every test directory."""

import numpy as np
import pytest

import chainrule as cr


@pytest.fixture
def torch():
    """PyTorch as a reference; a test that takes it is skipped where PyTorch is not installed (as in CI)."""
    return pytest.importorskip("torch")


@pytest.fixture
def against_torch(torch):
    """``check(ours, theirs, *arrays, constants=(), rtol, atol)``: the same function of the same float64
    arrays in chainrule and PyTorch, compared in value and in the gradient of Σ out·r (r random)
    with respect to every array. ``constants`` are passed after the arrays, unconverted."""

    def check(ours, theirs, *arrays, constants=(), rtol=1e-10, atol=1e-12):
        arrays = [np.asarray(a, dtype=np.float64) for a in arrays]
        mine = [cr.tensor(a, requires_grad=True) for a in arrays]
        reference = [torch.tensor(a, requires_grad=True) for a in arrays]
        out, expected = ours(*mine, *constants), theirs(*reference, *constants)
        np.testing.assert_allclose(out.numpy(), expected.detach().numpy(), rtol=rtol, atol=atol)
        weights = np.random.default_rng(0).normal(size=out.shape)
        (out * weights).sum().backward()
        (expected * torch.tensor(weights)).sum().backward()
        for index, (m, r) in enumerate(zip(mine, reference)):
            if r.grad is None:
                assert m.grad is None or not np.any(m.grad.numpy()), f"argument {index}: PyTorch gives no gradient"
                continue
            np.testing.assert_allclose(m.grad.numpy(), r.grad.numpy(), rtol=rtol, atol=atol,
                                       err_msg=f"gradient of argument {index}")
        return out

    return check


@pytest.fixture
def no_gpu(monkeypatch):
    """A machine without a usable GPU backend (CuPy missing), whatever this one has."""
    from chainrule.core import devices

    def missing():
        raise RuntimeError("device 'cuda' needs CuPy, which is not installed: pip install 'chainrule[cuda]'")

    monkeypatch.delitem(devices.BACKENDS, "cuda", raising=False)
    monkeypatch.setitem(devices._FACTORIES, "cuda", missing)


@pytest.fixture
def gpu(monkeypatch):
    """The device-array test double as chainrule's "cuda" backend (tests/device_double.py)."""
    from device_double import use_as_cuda

    use_as_cuda(monkeypatch)
