"""chainrule.numpy.fft: NumPy's results for every function with n/s, axis/axes and norm, gradients
through the cropping and zero-padding, complex inputs by both conventions, NumPy's errors."""

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp

RNG = np.random.default_rng(0)
X = RNG.normal(size=(3, 4, 6))
Z = X + 1j * RNG.normal(size=(3, 4, 6))

ONE_D = [{}, {"n": 5}, {"n": 9, "axis": 0, "norm": "ortho"}, {"axis": 1, "norm": "forward"}]
N_D = [{}, {"s": (5, 7), "axes": (-2, -1)}, {"axes": (0, 2)}, {"s": (2, 8), "axes": (2, 0), "norm": "ortho"}, {"axes": (1,), "norm": "forward"}]
CASES = ([(name, kw) for name in ("fft", "ifft", "rfft", "irfft", "hfft", "ihfft") for kw in ONE_D]
         + [(name, kw) for name in ("fft2", "ifft2", "fftn", "ifftn", "rfft2", "rfftn", "irfft2", "irfftn")
            for kw in N_D if not (name.endswith("2") and len(kw.get("axes", (0, 1))) != 2)])


def _input(name):
    return X if name.startswith(("rfft", "ihfft")) else Z


def _weighted(name, kw):
    out = np.fft.__dict__[name](_input(name), **kw)
    weights = np.random.default_rng(1).normal(size=out.shape)
    if np.iscomplexobj(out):
        weights = weights + 1j * np.random.default_rng(2).normal(size=out.shape)
    return lambda v: cr.real((getattr(cnp.fft, name)(v, **kw) * cr.tensor(weights)).sum())


@pytest.mark.parametrize("name, kw", CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CASES)])
def test_results_are_numpys_and_gradients_match_finite_differences(name, kw):
    ours = getattr(cnp.fft, name)(_input(name), **kw).numpy()
    theirs = getattr(np.fft, name)(_input(name), **kw)
    assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)
    f = _weighted(name, kw)
    cr.check_grad(f, _input(name))        # complex inputs: finite differences in the real and imaginary parts
    if np.iscomplexobj(_input(name)):
        leaf = cr.tensor(Z, requires_grad=True)
        f(leaf).backward()                 # PyTorch's convention: the conjugate of cr.grad's
        np.testing.assert_allclose(leaf.grad.numpy(), np.conj(cr.grad(f)(Z).numpy()), rtol=1e-12)


def test_single_precision_stays_single():
    out = cnp.fft.rfft(X.astype(np.float32))
    assert out.dtype == np.complex64
    x = cr.tensor(X.astype(np.float32), requires_grad=True)
    cr.abs(cnp.fft.irfft(cnp.fft.rfft(x), n=6)).sum().backward()
    assert x.grad.dtype == np.float32


@pytest.mark.parametrize("name", ["fftshift", "ifftshift"])
@pytest.mark.parametrize("axes", [None, 1, (0, 2), -1])
def test_shifts_are_numpys_and_move_the_gradient_back(name, axes):
    np.testing.assert_array_equal(getattr(cnp.fft, name)(X, axes=axes).numpy(), getattr(np.fft, name)(X, axes=axes))
    weights = RNG.normal(size=X.shape)
    g = cr.grad(lambda v: (getattr(cnp.fft, name)(v, axes=axes) * cr.tensor(weights)).sum())(X)
    inverse = "ifftshift" if name == "fftshift" else "fftshift"
    np.testing.assert_array_equal(g.numpy(), getattr(np.fft, inverse)(weights, axes=axes))


def test_frequencies_are_numpys_and_differentiate_in_the_sample_spacing():
    np.testing.assert_array_equal(cnp.fft.fftfreq(7, 0.3).numpy(), np.fft.fftfreq(7, 0.3))
    np.testing.assert_array_equal(cnp.fft.rfftfreq(8, 2).numpy(), np.fft.rfftfreq(8, 2))
    g = cr.grad(lambda d: cnp.fft.rfftfreq(8, d).sum())(np.float64(0.5))
    np.testing.assert_allclose(g.item(), -np.fft.rfftfreq(8, 0.5).sum() / 0.5)


def test_numpy_functions_on_tensors_run_chainrules_versions():
    x = cr.tensor(X, requires_grad=True)
    (np.abs(np.fft.fft2(x)) ** 2).sum().backward()      # Parseval over each 4×6 plane: the gradient is 2·24·x
    np.testing.assert_allclose(x.grad.numpy(), 2 * 24 * X, rtol=1e-12)


def test_bad_arguments_are_refused_with_numpys_errors_naming_the_function():
    with pytest.raises(ValueError, match='fft.fft: invalid norm value .* "backward", "ortho" or "forward"'):
        cnp.fft.fft(X, norm="unitary")
    with pytest.raises(ValueError, match="fft.ifft: invalid number of data points"):
        cnp.fft.ifft(X, n=0)
    with pytest.raises(ValueError, match="fft.fftn: axis 3 is out of bounds"):
        cnp.fft.fftn(X, axes=(0, 3))
    with pytest.raises(ValueError, match="fft.rfftn: shape s=.* and axes=.* must have the same length"):
        cnp.fft.rfftn(X, s=(2, 3), axes=(0,))
    with pytest.raises(TypeError, match="fft.rfftn: the input must be real"):
        cnp.fft.rfft(Z)
    with pytest.raises(TypeError, match="out="):
        cnp.fft.fft(X, out=np.empty(X.shape, complex))


def test_vmap_over_signals_equals_the_loop():
    f = lambda v: cnp.fft.irfft(cnp.fft.rfft(v, n=8) * 2, n=6) + cnp.fft.fftshift(v)  # noqa: E731
    signals = X[0]
    np.testing.assert_allclose(cr.vmap(f)(signals).numpy(), np.stack([f(cr.tensor(s)).numpy() for s in signals]),
                               rtol=1e-12)
    grads = cr.vmap(cr.grad(lambda v: (cr.abs(cnp.fft.fft(v, n=9)) ** 2).sum()))(signals).numpy()
    np.testing.assert_allclose(grads, 2 * 9 * signals, rtol=1e-12)                   # Parseval, per signal
