"""JAX-style function transforms: vjp, grad, value_and_grad, jvp, jacobian, hessian, hvp.

Each transform opens its own level (see ``tracer``), so they compose to any
depth — ``grad(grad(f))``, ``jvp(grad(f))``, ``jacobian(grad(f))`` — without
perturbation confusion. Functions receive Tensors; arguments may be Tensors,
arrays or Python numbers, or nested tuples/lists/dicts of them.
"""

import numpy as np

from .. import ops
from ..api.wrap import as_tensor
from ..core import pytree
from ..core.errors import DtypeError, ShapeError
from ..core.forward import JVPTrace, JVPTracer
from ..core.reverse import ReverseTrace, ReverseTracer
from ..core.tensor import Tensor
from ..core.tracer import new_level
from .vmap import vmap


def _check_float(x, what):
    if x.dtype.kind not in "fc":
        raise DtypeError(f"{what}: can only differentiate with respect to floating (or complex) inputs, got dtype "
                         f"{x.dtype} (convert with cr.tensor(x, dtype=np.float64))")


def _check_holomorphic(values, holomorphic, what, role):
    """JAX's rule: complex values where a real one is expected need ``holomorphic=True``, and
    ``holomorphic=True`` needs complex values."""
    for value in values:
        is_complex = value.dtype.kind == "c"
        if is_complex and not holomorphic:
            raise TypeError(f"{what} requires real-valued {role}s, but got {value.dtype}; for a holomorphic function "
                            f"pass holomorphic=True, otherwise differentiate its real part or abs()")
        if holomorphic and not is_complex:
            raise TypeError(f"{what} with holomorphic=True requires complex {role}s, but got {value.dtype}")


def _normalize_argnums(argnums, nargs, what):
    many = isinstance(argnums, (tuple, list))
    nums = tuple(argnums) if many else (argnums,)
    for n in nums:
        if not isinstance(n, int) or not -nargs <= n < nargs:
            raise ValueError(f"{what}: argnums={argnums!r} does not fit a call with {nargs} positional arguments")
    return tuple(n % nargs for n in nums), many


def _partial(f, args, nums):
    """``f`` as a function of the arguments at positions ``nums`` only."""
    def partial(*chosen):
        full = list(args)
        for n, value in zip(nums, chosen):
            full[n] = value
        return f(*full)
    return partial


def vjp(f, *primals, has_aux=False):
    """Reverse mode: ``(f(*primals), vjp_fn)``, with ``vjp_fn(cotangent)`` a tuple of
    cotangents, one per primal, each shaped like it (``ct · ∂f/∂x``).

    >>> out, vjp_fn = cr.vjp(lambda x: x * x, cr.tensor(3.0))
    >>> vjp_fn(cr.tensor(1.0))      # (tensor(6.),)
    """
    in_leaves, in_rebuild = pytree.flatten(primals)
    in_leaves = [as_tensor(x) for x in in_leaves]
    for x in in_leaves:
        _check_float(x, "vjp")
    with new_level(ReverseTrace) as trace:
        boxes = [ReverseTracer(trace, x) for x in in_leaves]
        result = f(*in_rebuild(boxes))
        out, aux = result if has_aux else (result, None)
        out_leaves, out_rebuild = pytree.flatten(out)
        out_leaves = [as_tensor(o) for o in out_leaves]

    def lower(o):
        return o._primal if isinstance(o, ReverseTracer) and o._trace is trace else o

    primal_out = out_rebuild([as_tensor(lower(o)) for o in out_leaves])
    if has_aux:  # auxiliary values are returned as values, without this transform's derivative
        aux_leaves, aux_rebuild = pytree.flatten(aux)
        aux = aux_rebuild([as_tensor(lower(a)) if isinstance(a, Tensor) else a for a in aux_leaves])

    def vjp_fn(cotangent):
        ct_leaves, _ = pytree.flatten(cotangent)
        if len(ct_leaves) != len(out_leaves):
            raise ValueError(f"vjp_fn: expected {len(out_leaves)} cotangent(s) matching the output, got {len(ct_leaves)}")
        totals = {}
        for o, ct in zip(out_leaves, ct_leaves):
            if not (isinstance(o, ReverseTracer) and o._trace is trace):
                continue
            ct = as_tensor(ct)
            if ct.shape != o.shape:
                raise ShapeError(f"vjp_fn: cotangent has shape {ct.shape} but the output has shape {o.shape}")
            if ct.dtype != o.dtype:
                ct = ct.astype(o.dtype)
            for key, c in trace.backward(o, ct).items():
                totals[key] = c if key not in totals else totals[key] + c
        grads = []
        for box, x in zip(boxes, in_leaves):
            c = totals.get(id(box))
            grads.append(as_tensor(c) if c is not None else Tensor._wrap(np.zeros_like(x._data)))
        return tuple(in_rebuild(grads))

    if has_aux:
        return primal_out, vjp_fn, aux
    return primal_out, vjp_fn


def value_and_grad(f, argnums=0, has_aux=False, holomorphic=False):
    """``f`` and its gradient in one reverse pass: ``(value, grad)`` or ``((value, aux), grad)``.

    ``f`` must return a real scalar (a one-element tensor). A tuple ``argnums`` gives a
    tuple of gradients. Complex numbers follow JAX: for real ``f`` of complex z = x + iy the
    gradient is ∂f/∂x − i·∂f/∂y (the conjugate of what ``backward`` leaves in ``.grad``);
    a holomorphic ``f`` with complex output needs ``holomorphic=True`` and gives f'(z).
    """
    def value_and_grad_f(*args, **kwargs):
        nums, many = _normalize_argnums(argnums, len(args), "grad")
        fun = _partial(lambda *a: f(*a, **kwargs), args, nums)
        chosen = [args[n] for n in nums]
        if has_aux:
            value, vjp_fn, aux = vjp(fun, *chosen, has_aux=True)
        else:
            value, vjp_fn = vjp(fun, *chosen)
        if not isinstance(value, Tensor) or value.numel() != 1:
            shape = getattr(value, "shape", type(value).__name__)
            raise TypeError(f"grad: the function must return a scalar (one-element tensor), got {shape}; "
                            f"use cr.vjp or cr.jacobian for non-scalar outputs")
        if holomorphic:
            _check_holomorphic([as_tensor(a) for a in chosen], True, "grad", "input")
        _check_holomorphic([value], holomorphic, "grad", "output")
        grads = vjp_fn(Tensor._wrap(np.ones_like(value._data)))
        grads = grads if many else grads[0]
        return ((value, aux) if has_aux else value), grads

    value_and_grad_f.__name__ = f"value_and_grad({getattr(f, '__name__', 'f')})"
    return value_and_grad_f


def grad(f, argnums=0, has_aux=False, holomorphic=False):
    """The gradient of a scalar function: ``grad(f)(x) = ∂f/∂x``, shaped like ``x``.

    >>> cr.grad(cr.sin)(cr.tensor(0.0))             # cos(0) = 1
    >>> cr.grad(cr.grad(cr.sin))(cr.tensor(0.0))    # -sin(0) = 0
    """
    vg = value_and_grad(f, argnums, has_aux, holomorphic)

    def grad_f(*args, **kwargs):
        (value_aux, g) = vg(*args, **kwargs)
        return (g, value_aux[1]) if has_aux else g

    grad_f.__name__ = f"grad({getattr(f, '__name__', 'f')})"
    return grad_f


def jvp(f, primals, tangents):
    """Forward mode: ``(f(*primals), ∂f · tangents)`` in one pass (the tangent trace).

    >>> cr.jvp(lambda x1, x2: cr.log(x1) + x1 * x2 - cr.sin(x2), (2.0, 5.0), (1.0, 0.0))
    (tensor(11.652...), tensor(5.5))
    """
    if not isinstance(primals, (tuple, list)) or not isinstance(tangents, (tuple, list)):
        raise TypeError("jvp: primals and tangents must be tuples, one entry per argument of f")
    p_leaves, p_rebuild = pytree.flatten(tuple(primals))
    t_leaves, _ = pytree.flatten(tuple(tangents))
    if len(p_leaves) != len(t_leaves):
        raise ValueError(f"jvp: {len(p_leaves)} primal(s) but {len(t_leaves)} tangent(s)")
    p_leaves = [as_tensor(p) for p in p_leaves]
    fitted = []
    for i, (p, t) in enumerate(zip(p_leaves, t_leaves)):
        _check_float(p, "jvp")
        t = as_tensor(t)
        if t.shape != p.shape:
            raise ShapeError(f"jvp: tangent {i} has shape {t.shape} but its primal has shape {p.shape}")
        fitted.append(t if t.dtype == p.dtype else t.astype(p.dtype))
    with new_level(JVPTrace) as trace:
        boxes = [JVPTracer(trace, p, t) for p, t in zip(p_leaves, fitted)]
        out = f(*p_rebuild(boxes))
        out_leaves, out_rebuild = pytree.flatten(out)
        primal_out, tangent_out = [], []
        for o in out_leaves:
            if isinstance(o, JVPTracer) and o._trace is trace:
                primal_out.append(as_tensor(o._primal))
                tangent_out.append(as_tensor(o._tangent))
            else:
                o = as_tensor(o)
                primal_out.append(o)
                tangent_out.append(Tensor._wrap(np.zeros_like(o._data)))
    return out_rebuild(primal_out), out_rebuild(tangent_out)


def _basis(like):
    """The standard basis of the arrays shaped like ``like``, stacked: shape (size,) + shape, on
    ``like``'s device."""
    size = int(np.prod(like.shape))
    return Tensor._wrap(np.eye(size, dtype=like.dtype, like=like._data).reshape((size,) + tuple(like.shape)))


def _zeros(values):
    return [Tensor._wrap(np.zeros_like(v._data)) for v in values]


def _zeros_shaped(shape, like):
    """Zeros of ``shape`` with ``like``'s dtype, on its device."""
    return Tensor._wrap(np.zeros(shape, like.dtype, like=like._data))


def jacobian(f, argnums=0, mode="rev", holomorphic=False):
    """The Jacobian, shaped ``out.shape + in.shape``.

    ``mode="rev"`` builds it row by row (the VJP of one forward pass, mapped with
    ``vmap`` over the output's basis); ``mode="fwd"`` column by column (the JVP mapped
    over each input's basis). As in JAX,
    complex outputs (rev) or inputs (fwd) need ``holomorphic=True``, which gives ∂f/∂z.
    """
    if mode not in ("rev", "fwd"):
        raise ValueError(f"jacobian: mode must be 'rev' or 'fwd', got {mode!r}")

    def jacobian_f(*args, **kwargs):
        nums, many = _normalize_argnums(argnums, len(args), "jacobian")
        fun = _partial(lambda *a: f(*a, **kwargs), args, nums)
        chosen = [as_tensor(args[n]) for n in nums]
        if mode == "rev":
            per_output, rebuild = _jacobian_rev(fun, chosen, holomorphic)
        else:
            _check_holomorphic(chosen, holomorphic, "jacobian(mode='fwd')", "input")
            per_output, rebuild = _jacobian_fwd(fun, chosen)
        return rebuild([tuple(jacs) if many else jacs[0] for jacs in per_output])

    jacobian_f.__name__ = f"jacobian({getattr(f, '__name__', 'f')})"
    return jacobian_f


def _jacobian_rev(fun, chosen, holomorphic):
    """Rows of the Jacobian: the VJP of one forward pass, mapped (vmap) over a basis of cotangents."""
    out, vjp_fn = vjp(fun, *chosen)
    out_leaves, rebuild = pytree.flatten(out)
    _check_holomorphic(out_leaves, holomorphic, "jacobian(mode='rev')", "output")
    per_output = []
    for k, o in enumerate(out_leaves):
        if o.numel() == 0:
            per_output.append([_zeros_shaped(o.shape + x.shape, x) for x in chosen])
            continue

        def row(e, k=k):
            cotangents = _zeros(out_leaves)
            cotangents[k] = e
            return vjp_fn(rebuild(cotangents))

        rows = vmap(row)(_basis(o))
        per_output.append([ops.reshape(r, o.shape + x.shape) for r, x in zip(rows, chosen)])
    return per_output, rebuild


def _jacobian_fwd(fun, chosen):
    """Columns of the Jacobian: the JVP, mapped (vmap) over a basis of tangents of each argument."""
    columns = []  # columns[a]: per output, the tangents of argument a's basis, shape (x.size,) + out.shape
    out = None
    for a, x in enumerate(chosen):
        if x.numel() == 0:
            columns.append(None)
            continue

        def column(e, a=a):
            tangents = _zeros(chosen)
            tangents[a] = e
            return jvp(fun, tuple(chosen), tuple(tangents))

        out, tangent_out = vmap(column, out_axes=(None, 0))(_basis(x))
        columns.append(pytree.flatten(tangent_out)[0])
    out_leaves, rebuild = pytree.flatten(out if out is not None else fun(*chosen))
    per_output = []
    for k, o in enumerate(out_leaves):
        jacs = []
        for a, x in enumerate(chosen):
            if columns[a] is None:
                jacs.append(_zeros_shaped(o.shape + x.shape, x))
                continue
            c = columns[a][k]
            jacs.append(ops.reshape(ops.transpose(c, tuple(range(1, c.ndim)) + (0,)), o.shape + x.shape))
        per_output.append(jacs)
    return per_output, rebuild


def hessian(f, argnums=0):
    """The Hessian ``∂²f/∂x²`` (forward over reverse), shaped ``x.shape + x.shape``."""
    h = jacobian(grad(f, argnums), argnums, mode="fwd")
    h.__name__ = f"hessian({getattr(f, '__name__', 'f')})"
    return h


def hvp(f, primals, tangents):
    """Hessian-vector product ``∇²f(primals) · tangents``, forward over reverse.

    ``primals`` and ``tangents`` are tuples matching ``f``'s arguments; the result
    is a tuple of products shaped like the arguments (a bare product when ``f``
    takes one argument).
    """
    primals = tuple(primals)
    n = len(primals)
    _, products = jvp(grad(f, argnums=tuple(range(n))), primals, tuple(tangents))
    return products[0] if n == 1 else tuple(products)


def stop_gradient(x):
    """``x`` as a constant for every derivative (all levels); its value is unchanged."""
    return ops.stop_gradient(as_tensor(x))


__all__ = ["vjp", "grad", "value_and_grad", "jvp", "jacobian", "hessian", "hvp", "stop_gradient"]
