"""Every function of chainrule.numpy that differentiates, called as the coverage table calls it, against
finite differences: the gradient (reverse mode), a directional derivative (forward mode) and a
Hessian-vector product — for complex inputs too where the table says so (in the real and imaginary
parts: cr.grad gives ∂f/∂x − i·∂f/∂y, JAX's convention)."""

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp
from chainrule.numpy import coverage

ROWS = [row for row in coverage.rows() if row.supported and row.derivative == "yes" and "." not in row.name
        and row.name not in coverage.IN_PLACE]
PROBES = coverage._probes(cnp)
RNG = np.random.default_rng(0)
X = RNG.uniform(0.2, 0.8, (4, 4))          # away from kinks: no value of a rounding step or clip bound nearby
Z = X + 1j * RNG.uniform(-0.4, 0.4, (4, 4))
DIRECTION = RNG.standard_normal((4, 4))
H = 1e-6


def _scalar_function(name):
    probe = PROBES.get(name, getattr(cnp, name))
    weights = {}

    def f(x):
        total = 0
        for k, leaf in enumerate(coverage._leaves(probe(x))):
            if isinstance(leaf, cr.Tensor) and leaf.dtype.kind in "fc":
                w = weights.setdefault(k, np.random.default_rng(k).standard_normal(leaf.shape))
                value = (leaf * cr.tensor(w)).sum()
                total = total + (cr.real(value) if value.dtype.kind == "c" else value)
        return total
    return f


def _central(f, x, v):
    return (f(cr.tensor(x + H * v)).item() - f(cr.tensor(x - H * v)).item()) / (2 * H)


@pytest.mark.parametrize("name", [row.name for row in ROWS])
def test_the_function_differentiates_to_second_order_as_finite_differences_say(name):
    f = _scalar_function(name)
    with np.errstate(all="ignore"):
        expected = _central(f, X, DIRECTION)
        gradient = cr.grad(f)(X).numpy()
        np.testing.assert_allclose(np.sum(gradient * DIRECTION), expected, rtol=1e-5, atol=1e-6)
        _, tangent = cr.jvp(f, (X,), (DIRECTION,))
        np.testing.assert_allclose(tangent.item(), expected, rtol=1e-5, atol=1e-6)
        grad_f = cr.grad(f)
        second = (grad_f(X + H * DIRECTION).numpy() - grad_f(X - H * DIRECTION).numpy()) / (2 * H)
        np.testing.assert_allclose(cr.hvp(f, (X,), (DIRECTION,)).numpy(), second, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("name", [row.name for row in ROWS if row.complex == "yes"])
def test_the_function_differentiates_complex_inputs_in_both_parts(name):
    f = _scalar_function(name)
    direction = DIRECTION + 1j * np.random.default_rng(1).standard_normal((4, 4))
    with np.errstate(all="ignore"):
        expected = _central(f, Z, direction)
        gradient = cr.grad(f)(Z).numpy()                                  # JAX: ∂f/∂x − i·∂f/∂y
        np.testing.assert_allclose(np.sum(gradient * direction).real, expected, rtol=1e-5, atol=1e-6)
        z = cr.tensor(Z.copy(), requires_grad=True)
        f(z).backward()                                                   # PyTorch: the conjugate
        np.testing.assert_allclose(z.grad.numpy(), np.conj(gradient), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("name", sorted(coverage.IN_PLACE))
def test_in_place_functions_record_their_change_on_the_eager_tape(name):
    f = _scalar_function(name)
    x = cr.tensor(X.copy(), requires_grad=True)
    f(x).backward()
    np.testing.assert_allclose(np.sum(x.grad.numpy() * DIRECTION), _central(f, X, DIRECTION), rtol=1e-5, atol=1e-6)
