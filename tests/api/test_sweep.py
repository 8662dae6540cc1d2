"""The sweep: every public function and common NumPy functions, called on tensors that require grad,
either return a result that carries the gradient (checked against finite differences, eagerly and
in every transform, in float64 and float32) or raise — never a silently detached result.

A public function without an example here fails the test, so a new one cannot skip the sweep.
"""

import numpy as np
import pytest

import chainrule as cr
from chainrule.api.names import ALIASES, TABLE

RNG = np.random.default_rng(0)
X = RNG.uniform(0.5, 1.5, (3, 4))        # positive, away from kinks and ties
Y = RNG.uniform(-1.5, -0.5, (4,))

# name -> function of one tensor x (shape (3, 4)) that calls it; a second operand is a constant
EXAMPLES = {
    "exp": cr.exp, "log": cr.log, "log1p": cr.log1p, "sqrt": cr.sqrt, "sin": cr.sin, "cos": cr.cos,
    "tan": cr.tan, "tanh": cr.tanh, "sigmoid": cr.sigmoid, "relu": cr.relu, "softplus": cr.softplus,
    "abs": cr.abs, "sign": cr.sign, "erf": cr.erf, "real": cr.real, "imag": cr.imag, "conj": cr.conj,
    "logical_not": cr.logical_not, "isfinite": cr.isfinite,
    "maximum": lambda x: cr.maximum(x, 1.0), "minimum": lambda x: cr.minimum(x, Y),
    "power": lambda x: cr.power(x, 2.5), "add": lambda x: cr.add(x, Y), "sub": lambda x: cr.sub(Y, x),
    "mul": lambda x: cr.mul(x, Y), "div": lambda x: cr.div(Y, x),
    "subtract": lambda x: cr.subtract(x, Y), "multiply": lambda x: cr.multiply(x, x), "divide": lambda x: cr.divide(x, 2.0),
    "negative": cr.negative, "neg": cr.neg,
    "equal": lambda x: cr.equal(x, 1.0), "not_equal": lambda x: cr.not_equal(x, 1.0), "less": lambda x: cr.less(x, 1.0),
    "less_equal": lambda x: cr.less_equal(x, 1.0), "greater": lambda x: cr.greater(x, 1.0),
    "greater_equal": lambda x: cr.greater_equal(x, 1.0), "logical_and": lambda x: cr.logical_and(x > 1, x < 1.2),
    "logical_or": lambda x: cr.logical_or(x > 1, x < 0.7),
    "where": lambda x: cr.where(x > 1.0, x, 2 * x), "clip": lambda x: cr.clip(x, 0.7, 1.2),
    "astype": lambda x: cr.astype(x, np.float32),
    "sum": lambda x: cr.sum(x, axis=0), "mean": lambda x: cr.mean(x, axis=1), "var": lambda x: cr.var(x, axis=0),
    "max": lambda x: cr.max(x, axis=1), "min": cr.min, "prod": lambda x: cr.prod(x, axis=0),
    "logsumexp": lambda x: cr.logsumexp(x, axis=1), "any": lambda x: cr.any(x > 1), "all": lambda x: cr.all(x > 1),
    "argmax": cr.argmax, "argmin": lambda x: cr.argmin(x, axis=0),
    "swapaxes": lambda x: cr.swapaxes(x, 0, 1), "expand_dims": lambda x: cr.expand_dims(x, 1),
    "squeeze": lambda x: cr.squeeze(cr.expand_dims(x, 0)), "broadcast_to": lambda x: cr.broadcast_to(x, (2, 3, 4)),
    "pad": lambda x: cr.pad(x, 1), "flip": lambda x: cr.flip(x, 1),
    "reshape": lambda x: cr.reshape(x, (4, 3)), "transpose": cr.transpose,
    "concatenate": lambda x: cr.concatenate([x, x * 2], axis=1), "stack": lambda x: cr.stack([x, Y + x]),
    "matmul": lambda x: cr.matmul(x, X.T), "dot": lambda x: cr.dot(Y, x.T), "outer": lambda x: cr.outer(x[0], Y),
    "einsum": lambda x: cr.einsum("ij,kj->ik", x, X),
    "sinh": cr.sinh, "cosh": cr.cosh, "arcsin": lambda x: cr.arcsin(x / 2), "arccos": lambda x: cr.arccos(x / 2),
    "arctan": cr.arctan, "arcsinh": cr.arcsinh, "arccosh": lambda x: cr.arccosh(x + 1),
    "arctanh": lambda x: cr.arctanh(x / 2), "log2": cr.log2, "log10": cr.log10, "expm1": cr.expm1, "exp2": cr.exp2,
    "square": cr.square, "reciprocal": cr.reciprocal, "cbrt": cr.cbrt, "sinc": cr.sinc, "degrees": cr.degrees,
    "radians": cr.radians, "deg2rad": cr.deg2rad, "rad2deg": cr.rad2deg,
    "arctan2": lambda x: cr.arctan2(x, Y), "hypot": lambda x: cr.hypot(Y, x), "logaddexp": lambda x: cr.logaddexp(x, Y),
    "logaddexp2": lambda x: cr.logaddexp2(Y, x), "fmax": lambda x: cr.fmax(x, 1.0), "fmin": lambda x: cr.fmin(Y, x),
    "isnan": cr.isnan, "isinf": cr.isinf, "floor": lambda x: cr.floor(3 * x) * x, "ceil": cr.ceil, "trunc": cr.trunc,
    "rint": cr.rint, "fix": cr.fix, "round": lambda x: cr.round(x, 1) + x, "around": lambda x: cr.around(x, 2),
    "floor_divide": lambda x: cr.floor_divide(x, 0.3), "remainder": lambda x: cr.remainder(x, 0.7),
    "mod": lambda x: cr.mod(2.0, x), "fmod": lambda x: cr.fmod(-x, 0.7),
    "std": lambda x: cr.std(x, axis=1, ddof=1), "cumsum": lambda x: cr.cumsum(x, axis=0), "cumprod": cr.cumprod,
    "argsort": cr.argsort, "argpartition": lambda x: cr.argpartition(x, 1, axis=0),
    "sort": lambda x: cr.sort(x, axis=0), "partition": lambda x: cr.partition(x, 2),
    "take": lambda x: cr.take(x, [2, 0, 2], axis=1),
    "take_along_axis": lambda x: cr.take_along_axis(x, cr.argsort(x), 1),
    "ravel": cr.ravel, "moveaxis": lambda x: cr.moveaxis(x, 0, 1), "rollaxis": lambda x: cr.rollaxis(x, 1),
    "roll": lambda x: cr.roll(x, 2, axis=1), "rot90": cr.rot90, "flipud": cr.flipud, "fliplr": cr.fliplr,
    "tile": lambda x: cr.tile(x, (2, 1)), "repeat": lambda x: cr.repeat(x, [1, 0, 2], axis=0),
    "atleast_1d": cr.atleast_1d, "atleast_2d": lambda x: cr.atleast_2d(x[0]), "atleast_3d": cr.atleast_3d,
    "diagonal": lambda x: cr.diagonal(x, 1), "diag": lambda x: cr.diag(x[0], -1),
    "diagflat": cr.diagflat, "tril": cr.tril, "triu": lambda x: cr.triu(x, 1),
    "tensordot": lambda x: cr.tensordot(x, X, axes=([0], [0])), "inner": lambda x: cr.inner(x, X),
    "kron": lambda x: cr.kron(x, X[:2, :2]), "cross": lambda x: cr.cross(x[:, :3], X[:, 1:]),
    "vdot": lambda x: cr.vdot(x, X),
    "conjugate": cr.conjugate, "copy": cr.copy, "searchsorted": lambda x: cr.searchsorted(cr.sort(x[0]), x),
    # PyTorch's names (chainrule.api compositions)
    "pow": lambda x: cr.pow(x, 2.5), "clamp": lambda x: cr.clamp(x, 0.7, 1.2),
    "norm": lambda x: cr.norm(x, dim=1), "unsqueeze": lambda x: cr.unsqueeze(x, 1),
    "t": cr.t, "flatten": lambda x: cr.flatten(x, 0, 1), "chunk": lambda x: cr.chunk(x, 2, dim=1)[1],
    "permute": lambda x: cr.permute(x, (1, 0)), "cat": lambda x: cr.cat([x, 2 * x], dim=1),
    "masked_fill": lambda x: cr.masked_fill(x, x > 1, 0.0), "index_select": lambda x: cr.index_select(x, 1, [3, 0, 3]),
    "gather": lambda x: cr.gather(x, 1, [[0, 0], [1, 3], [2, 2]]),
    "scatter_add": lambda x: cr.scatter_add(x, 1, [[0, 0], [3, 1]], 3 * x[:2, 1:3]),
    "eq": lambda x: cr.eq(x, X), "ne": lambda x: cr.ne(x, 1.0), "lt": lambda x: cr.lt(x, 1.0),
    "le": lambda x: cr.le(x, X), "gt": lambda x: cr.gt(x, 1.0), "ge": lambda x: cr.ge(x, 1.0),
}


def test_every_public_function_has_a_sweep_example():
    names = {op.name for op in TABLE} | set(ALIASES)
    assert names == set(EXAMPLES), f"missing: {sorted(names - set(EXAMPLES))}, unknown: {sorted(set(EXAMPLES) - names)}"


def _weights(out):
    return np.random.default_rng(1).standard_normal(np.shape(out))


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_a_public_function_carries_the_gradient_in_every_mode_or_is_not_differentiable(name):
    fn = EXAMPLES[name]
    x = cr.tensor(X.copy(), requires_grad=True)
    out = fn(x)
    assert isinstance(out, cr.Tensor)
    if out.dtype.kind not in "fc":      # booleans and indices: correctly outside every gradient
        assert not out.requires_grad
        return
    assert out.requires_grad, f"{name} returned a floating result detached from its input"
    w = _weights(out)
    f = lambda v: (fn(v) * cr.tensor(w)).sum()  # noqa: E731
    expected = cr.numerical_grad(f, X).numpy()
    tolerance = {"rtol": 1e-6, "atol": 1e-8} if out.dtype == np.float64 else {"rtol": 2e-3, "atol": 2e-3}
    f(x).backward()
    np.testing.assert_allclose(x.grad.numpy(), expected, **tolerance)                    # eager tape
    np.testing.assert_allclose(cr.grad(f)(X).numpy(), expected, **tolerance)             # transform
    v = np.random.default_rng(2).standard_normal(X.shape)
    _, tangent = cr.jvp(f, (X,), (v,))
    np.testing.assert_allclose(tangent.item(), np.sum(expected * v), **tolerance)        # forward mode
    np.testing.assert_allclose(cr.trace(f, X).grad()(X).numpy(), expected, **tolerance)  # graph to graph
    np.testing.assert_allclose(cr.jit(cr.grad(f))(X).numpy(), expected, **tolerance)     # compiled
    x32 = cr.tensor(X.astype(np.float32), requires_grad=True)
    (fn(x32) * cr.tensor(w.astype(np.float32))).sum().backward()
    np.testing.assert_allclose(x32.grad.numpy(), expected, rtol=2e-3, atol=2e-3)          # float32


# NumPy functions users call on arrays; on tensors each must work and differentiate, or raise TypeError naming it
NUMPY_CALLS = [
    (np.sum, lambda x: np.sum(x, axis=0)), (np.mean, lambda x: np.mean(x)), (np.std, lambda x: np.std(x, axis=1)),
    (np.var, lambda x: np.var(x)), (np.max, lambda x: np.max(x, axis=1)), (np.prod, lambda x: np.prod(x, axis=0)),
    (np.concatenate, lambda x: np.concatenate([x, x])), (np.stack, lambda x: np.stack([x, x], axis=2)),
    (np.where, lambda x: np.where(x > 1, x, 0.0)), (np.clip, lambda x: np.clip(x, 0.8, 1.2)),
    (np.dot, lambda x: np.dot(x, X.T)), (np.outer, lambda x: np.outer(x, Y)), (np.einsum, lambda x: np.einsum("ij->j", x)),
    (np.reshape, lambda x: np.reshape(x, (2, 6))), (np.transpose, lambda x: np.transpose(x)),
    (np.pad, lambda x: np.pad(x, 1)), (np.flip, lambda x: np.flip(x)), (np.ravel, lambda x: np.ravel(x)),
    (np.expand_dims, lambda x: np.expand_dims(x, 0)), (np.broadcast_to, lambda x: np.broadcast_to(x, (2, 3, 4))),
    (np.sin, np.sin), (np.exp, np.exp), (np.log, np.log), (np.sqrt, np.sqrt), (np.abs, np.abs), (np.tanh, np.tanh),
    (np.maximum, lambda x: np.maximum(x, 1.0)), (np.power, lambda x: np.power(x, 3)),
    (np.matmul, lambda x: np.matmul(x, X.T)), (np.add, lambda x: np.add(Y, x)), (np.multiply, lambda x: X * x),
    (np.roll, lambda x: np.roll(x, 1)), (np.fft.fft, lambda x: np.abs(np.fft.fft(x))),
    (np.linalg.norm, lambda x: np.linalg.norm(x)), (np.cumsum, lambda x: np.cumsum(x, axis=1)),
    (np.sort, lambda x: np.sort(x, axis=1)), (np.tensordot, lambda x: np.tensordot(x, X, axes=([0], [0]))),
    (np.tril, lambda x: np.tril(x)), (np.diff, lambda x: np.diff(x, axis=1)), (np.trace, lambda x: np.trace(x)),
    (np.cross, lambda x: np.cross(x[:, :3], X[:, :3])), (np.linalg.inv, lambda x: np.linalg.inv(x[:, :3])),
    (np.kron, lambda x: np.kron(x, X)), (np.tile, lambda x: np.tile(x, 2)), (np.repeat, lambda x: np.repeat(x, 2)),
    (np.median, lambda x: np.median(x, axis=0)), (np.arctan2, lambda x: np.arctan2(x, X)),
    (np.cosh, np.cosh), (np.log10, np.log10), (np.square, np.square), (np.hypot, lambda x: np.hypot(x, X)),
    (np.histogram, lambda x: np.histogram(x)[0] * 1.0), (np.interp, lambda x: np.interp(x, [0, 2], [0, 1])),
    (np.sinh, np.sinh), (np.arcsin, lambda x: np.arcsin(x / 2)), (np.arccos, lambda x: np.arccos(x / 2)),
    (np.arctan, np.arctan), (np.arcsinh, np.arcsinh), (np.arccosh, lambda x: np.arccosh(x + 1)),
    (np.arctanh, lambda x: np.arctanh(x / 2)), (np.log2, np.log2), (np.expm1, np.expm1), (np.exp2, np.exp2),
    (np.logaddexp, lambda x: np.logaddexp(x, X)), (np.logaddexp2, lambda x: np.logaddexp2(X, x)),
    (np.sinc, np.sinc), (np.reciprocal, np.reciprocal), (np.fabs, np.fabs), (np.cbrt, np.cbrt),
    (np.fmin, lambda x: np.fmin(x, 1.0)), (np.fmax, lambda x: np.fmax(X, x)), (np.mod, lambda x: np.mod(x, 0.7)),
    (np.remainder, lambda x: np.remainder(2.0, x)), (np.fmod, lambda x: np.fmod(x, 0.7)),
    (np.floor, lambda x: np.floor(3 * x) * x), (np.ceil, lambda x: np.ceil(x) + x),
    (np.round, lambda x: np.round(x, 1) + x),
    (np.rint, lambda x: np.rint(x) * x), (np.trunc, lambda x: np.trunc(x) + x), (np.degrees, np.degrees),
    (np.radians, np.radians), (np.deg2rad, np.deg2rad), (np.rad2deg, np.rad2deg), (np.nan_to_num, np.nan_to_num),
    (np.average, lambda x: np.average(x, axis=1, weights=[1.0, 2.0, 3.0, 4.0])), (np.cumprod, lambda x: np.cumprod(x)),
    (np.nansum, lambda x: np.nansum(x, axis=0)), (np.nanmean, np.nanmean), (np.nanmax, lambda x: np.nanmax(x, axis=1)),
    (np.nanmin, np.nanmin), (np.ptp, lambda x: np.ptp(x, axis=0)), (np.quantile, lambda x: np.quantile(x, [0.3, 0.8])),
    (np.rot90, np.rot90), (np.flipud, np.flipud), (np.fliplr, np.fliplr), (np.moveaxis, lambda x: np.moveaxis(x, 0, 1)),
    (np.rollaxis, lambda x: np.rollaxis(x, 1)), (np.atleast_3d, np.atleast_3d),
    (np.vstack, lambda x: np.vstack([x, X])),
    (np.hstack, lambda x: np.hstack([x, X])), (np.dstack, lambda x: np.dstack([x, x])),
    (np.column_stack, lambda x: np.column_stack([x[0], X[1]])), (np.split, lambda x: np.split(x, 2, axis=1)[1]),
    (np.array_split, lambda x: np.array_split(x, 3)[0]), (np.append, lambda x: np.append(x, X)),
    (np.diag, lambda x: np.diag(x[0])), (np.diagonal, lambda x: np.diagonal(x, 1)), (np.triu, lambda x: np.triu(x, -1)),
    (np.inner, lambda x: np.inner(x, X)), (np.einsum, lambda x: np.einsum(x, [0, 1], X, [2, 1], [0, 2])),
    (np.select, lambda x: np.select([x > 1.0], [x], 0.5)), (np.take, lambda x: np.take(x, [1, 3], axis=1)),
    (np.take_along_axis, lambda x: np.take_along_axis(x, np.argsort(X, axis=1), axis=1)),
    (np.partition, lambda x: np.partition(x, 1, axis=1)), (np.real, np.real), (np.conj, np.conj),
    (np.angle, lambda x: np.angle(x * (1 + 1j))), (np.convolve, lambda x: np.convolve(x[0], X[1])),
    (np.gradient, lambda x: np.gradient(x, axis=1)), (np.cov, np.cov), (np.polyval, lambda x: np.polyval(x[0], x)),
]


@pytest.mark.parametrize("func, call", NUMPY_CALLS, ids=lambda item: getattr(item, "__name__", ""))
def test_a_numpy_function_on_tensors_differentiates_or_raises_naming_itself(func, call):
    x = cr.tensor(X.copy(), requires_grad=True)
    try:
        out = call(x)
    except TypeError as error:
        assert func.__name__ in str(error), f"the error for numpy.{func.__name__} does not name it: {error}"
        return
    assert isinstance(out, cr.Tensor) and out.requires_grad, f"numpy.{func.__name__} dropped the gradient"
    w = _weights(out)
    f = lambda v: (call(v) * cr.tensor(w)).sum()  # noqa: E731
    expected = cr.numerical_grad(f, X).numpy()
    (out * cr.tensor(w)).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), expected, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(cr.grad(f)(X).numpy(), expected, rtol=1e-6, atol=1e-8)
