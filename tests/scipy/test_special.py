"""chainrule.scipy.special: SciPy's values, derivatives to second order (each derivative is again a
function of the family), and SciPy imported only when needed."""

import subprocess
import sys

import numpy as np
import pytest

import chainrule as cr

special = pytest.importorskip("scipy.special")
cs = pytest.importorskip("chainrule.scipy.special")

RNG = np.random.default_rng(0)
X = RNG.uniform(-1.5, 1.5, (2, 3))
P = RNG.uniform(0.1, 0.9, (2, 3))

CALLS = [  # name, arguments (differentiated in every float argument)
    ("erf", (X,)), ("erfc", (X,)), ("erfinv", (P - 0.5,)), ("gammaln", (P + 0.5,)), ("gammaln", (-P - 1.05,)),
    ("digamma", (P + 0.2,)), ("xlogy", (X, P)), ("xlog1py", (X, P - 0.5)), ("entr", (P,)), ("expit", (X,)),
    ("logit", (P,)), ("softmax", (X,)), ("log_softmax", (X,)), ("logsumexp", (X,)),
]


@pytest.mark.parametrize("name, args", CALLS, ids=[c[0] for c in CALLS])
def test_values_are_scipys_and_derivatives_check_to_second_order(name, args):
    ours, theirs = getattr(cs, name), getattr(special, name)
    np.testing.assert_allclose(ours(*args).numpy(), theirs(*args), rtol=1e-12, atol=1e-14)
    cr.check_grad(lambda *a: (ours(*a) * np.arange(1.0, 7.0).reshape(2, 3) if ours(*a).ndim else ours(*a)).sum(),
                  *args, order=2)


@pytest.mark.parametrize("n", [0, 1, 2, 3])
def test_polygamma_chains_to_the_next_order(n):
    x = P + 0.5
    np.testing.assert_allclose(cs.polygamma(n, x).numpy(), special.polygamma(n, x), rtol=1e-12)
    np.testing.assert_allclose(cr.grad(lambda v: cs.polygamma(n, v).sum())(x).numpy(), special.polygamma(n + 1, x),
                               rtol=1e-10)
    second = cr.grad(lambda v: cr.grad(lambda w: cs.polygamma(n, w).sum())(v).sum())(x)
    np.testing.assert_allclose(second.numpy(), special.polygamma(n + 2, x), rtol=1e-10)
    with pytest.raises(ValueError, match="one integer"):
        cs.polygamma(np.array([1, 2]), x[0, :2])


def test_the_second_derivative_of_gammaln_is_the_trigamma_function():
    x = np.array([0.7, 2.5, 10.0])
    h = cr.grad(lambda v: cr.grad(lambda w: cs.gammaln(w).sum())(v).sum())(x)
    np.testing.assert_allclose(h.numpy(), special.polygamma(1, x), rtol=1e-12)


def test_xlogy_is_zero_where_x_is_zero_and_its_gradients_stay_finite():
    x, y = np.array([0.0, 0.0, 2.0]), np.array([0.0, 3.0, 0.5])
    np.testing.assert_array_equal(cs.xlogy(x, y).numpy(), special.xlogy(x, y))
    with np.errstate(divide="ignore"):
        gx, gy = cr.grad(lambda a, b: cs.xlogy(a, b).sum(), argnums=(0, 1))(x, y)
    np.testing.assert_allclose(gy.numpy(), [0.0, 0.0, 4.0])            # x/y, 0 where x = y = 0
    np.testing.assert_allclose(gx.numpy()[1:], np.log(y[1:]))          # ln y (−inf at y = 0)


def test_entr_at_and_below_zero():
    x = np.array([-1.0, 0.0, 0.5])
    np.testing.assert_array_equal(cs.entr(x).numpy(), special.entr(x))
    np.testing.assert_array_equal(cr.grad(lambda v: cs.entr(v).sum())(x).numpy(), [0.0, np.inf, -(1 + np.log(0.5))])


@pytest.mark.parametrize("kwargs", [{"axis": 1}, {"axis": 0, "keepdims": True}, {"axis": 1, "b": P},
                                    {"axis": None, "b": -P, "return_sign": True}])
def test_logsumexp_takes_scipys_weights_and_sign(kwargs):
    ours, theirs = cs.logsumexp(X, **kwargs), special.logsumexp(X, **kwargs)
    if kwargs.get("return_sign"):
        for a, b in zip(ours, theirs):
            np.testing.assert_allclose(a.numpy(), b, rtol=1e-12)
        cr.check_grad(lambda v: cs.logsumexp(v, **kwargs)[0], X, order=2)
    else:
        np.testing.assert_allclose(ours.numpy(), theirs, rtol=1e-12)
        cr.check_grad(lambda v: (cs.logsumexp(v, **kwargs) ** 2).sum(), X, order=2)
    with pytest.raises(ValueError, match="return_sign"):
        cs.logsumexp(X, b=-P)


def test_erfc_and_erf_differentiate_complex_arguments_holomorphically():
    z = np.array([0.3 + 0.4j, -0.5 + 0.1j])
    for f, d in ((cs.erf, 2 / np.sqrt(np.pi) * np.exp(-z ** 2)), (cs.erfc, -2 / np.sqrt(np.pi) * np.exp(-z ** 2))):
        np.testing.assert_allclose(cr.grad(lambda v: f(v).sum(), holomorphic=True)(z).numpy(), d, rtol=1e-12)


def test_scipys_own_ufuncs_on_tensors_run_chainrules_versions():
    t = cr.tensor(X.copy(), requires_grad=True)
    special.erf(t).sum().backward()
    np.testing.assert_allclose(t.grad.numpy(), 2 / np.sqrt(np.pi) * np.exp(-X ** 2))
    with pytest.raises(TypeError, match=r"scipy\.special\.gamma"):
        special.gamma(t)


def test_importing_chainrule_and_its_scipy_package_does_not_import_scipy():
    code = ("import sys, chainrule, chainrule.numpy, chainrule.scipy.special; "
            "print(any(m == 'scipy' or m.startswith('scipy.') for m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "False", result.stderr
