"""Declaring a primitive: its implementation and its derivative, stated once.

The op modules declare every primitive with one of these helpers, which build the
engine's joint rules (``Primitive.vjp`` and ``Primitive.jvp``) from a short form:

``elementwise(name, impl, partials, math)``
    one partial derivative per argument, ∂out/∂x_k as a function of the arguments and
    the answer (or ``ONE``, ``MINUS_ONE``, ``ZERO``, or ``Over(d)`` for 1/d); the VJP is
    g·∂_k, the JVP Σ_k ẋ_k·∂_k.
``primitive(name, impl, vjp=..., linear=... | multilinear=... | jvp=...)``
    VJP rules per argument (or one joint rule), and the forward mode either generated
    from linearity — ``linear``: the op is linear in those arguments *jointly*, so its
    JVP is the op applied to their tangents (add, sum, getitem); ``multilinear``:
    linear in each *separately*, so its JVP is Σ_k op(…, ẋ_k, …) (matmul, conv) — or
    given as rules when neither holds.

Each primitive also has a batching rule for ``vmap``: generated for elementwise ops and for
ops that broadcast over leading axes (``batch=broadcasting(core)``), written by hand otherwise
(``batch=rule`` with ``rule(args, dims, params) -> (out, out_dim)``).

Broadcasting and dtype are undone here, once, beside the rules (as HIPS autograd's
``unbroadcast``): each cotangent is summed back to its argument's shape and cast to its
dtype, each tangent broadcast to the output's shape and cast to its dtype. The sums,
reshapes and casts are the values' own (NumPy's on arrays, chainrule's on tensors), so
they are differentiable wherever the rules are.

``Math`` holds the derivative in textbook notation; the trace tables and the derivative
reference (``docs/derivatives.md``) read it from the declarations.
"""

import dis

import numpy as np

from ..core.bind import bind
from ..core.primitive import Primitive
from ..core.tensor import zero_like

ONE, MINUS_ONE, ZERO = "1", "−1", "0"
"""Constant partial derivatives: the rules pass the cotangent on (negated), or nothing."""


class Over:
    """A partial derivative 1/d: the rules divide by ``denominator(*args, ans, **params)``
    (one NumPy call, where multiplying by a reciprocal would take two)."""

    __slots__ = ("denominator",)

    def __init__(self, denominator):
        self.denominator = denominator


class Math:
    """A primitive in textbook notation; ``{0}``, ``{1}`` … stand for its arguments.

    Parameters
    ----------
    definition : str
        The op, e.g. ``"sin {0}"`` or ``"{0} @ {1}"``.
    partials : tuple of (str or None)
        For elementwise ops, ∂out/∂x_k per argument (``"cos {0}"``); the chain-rule terms
        of the traces are made from them (``"{d} × cos {0}"``, ``{d}`` the carried derivative).
    tangent, adjoint : tuple of (str or None), optional
        The chain-rule terms themselves, for ops whose forward and reverse terms differ
        (matmul: ``"{d} @ {1}"`` and ``"{d} @ {1}ᵀ"``).
    names : tuple of str, optional
        What to call the arguments in the derivative reference (``("A", "B")``); x, y, z
        by default.
    """

    __slots__ = ("definition", "partials", "tangent", "adjoint", "names")

    def __init__(self, definition, partials=(), *, tangent=None, adjoint=None, names=("x", "y", "z")):
        self.definition = definition
        self.names = tuple(names)
        self.partials = tuple(partials)
        self.tangent = tuple(tangent) if tangent is not None else tuple(map(chain_term, self.partials))
        self.adjoint = tuple(adjoint) if adjoint is not None else self.tangent


def chain_term(partial):
    """The chain-rule term for a partial derivative: ``"{d} × cos {0}"``, ``"{d} / {0}"``, ``"−{d}"``."""
    if partial is None:
        return None
    if partial == ZERO:
        return "0"
    if partial == ONE:
        return "{d}"
    if partial == MINUS_ONE:
        return "−{d}"
    if partial.startswith("1/"):
        return "{d} / " + partial[2:]
    if partial.startswith("−"):
        return "−{d} × " + partial[1:]
    return "{d} × " + partial


# --------------------------------------------------------------- broadcasting, dtype
def unbroadcast(c, shape):
    """Sum ``c`` over the axes that broadcasting added or stretched, giving ``shape``."""
    lead = c.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(lead + i for i, s in enumerate(shape) if s == 1 and c.shape[lead + i] != 1)
    if axes:
        c = c.sum(axis=axes, keepdims=True)
    return c.reshape(shape)


def _cast(value, dtype):
    """``value`` in ``dtype``; a complex value meeting a real dtype keeps its real part (the
    cotangent of a real argument of a complex computation, the tangent of a real result)."""
    if value.dtype.kind == "c" and dtype.kind != "c":
        value = value.real
    return value if value.dtype == dtype else value.astype(dtype)


def fit_cotangent(c, like):
    """A cotangent summed back to the shape of its argument ``like`` and cast to its dtype."""
    if c.shape != like.shape:
        c = unbroadcast(c, like.shape)
    return c if c.dtype == like.dtype else _cast(c, like.dtype)


def fit_tangent(t, ans):
    """A tangent broadcast to the shape of the answer and cast to its dtype."""
    if t.shape != ans.shape:
        t = np.broadcast_to(t, ans.shape)
    return t if t.dtype == ans.dtype else _cast(t, ans.dtype)


# ----------------------------------------------------------------- batching (vmap)
def ndim_of(value):
    return value.ndim if hasattr(value, "ndim") else np.ndim(value)


def batch_to_front(value, dim):
    """``value`` with its batch axis ``dim`` moved to the front (axis 0)."""
    if dim == 0:
        return value
    return value.transpose((dim,) + tuple(i for i in range(ndim_of(value)) if i != dim))


class broadcasting:  # noqa: N801 (used like a function: batch=broadcasting(2))
    """The batching rule of an op that broadcasts its arguments over leading axes and acts on
    the last ``core`` axes of each (an int for all, or one per argument): elementwise ops have
    core 0, a matrix op (inverse, solve) core 2. Each batched argument gets its batch axis in
    front, padded with length-1 axes so that it lines up ahead of every other argument's
    leading axes; the op then runs once on the whole batch, whose axis in the result is 0."""

    def __init__(self, core=0):
        self.core = core

    def rule_for(self, prim):
        def rule(args, dims, params):
            cores = self.core if isinstance(self.core, tuple) else (self.core,) * len(args)
            lead = max(ndim_of(a) - (d is not None) - c for a, d, c in zip(args, dims, cores))
            moved = []
            for a, d, c in zip(args, dims, cores):
                if d is not None:
                    a = batch_to_front(a, d)
                    missing = lead - (a.ndim - 1 - c)
                    if missing:
                        a = a.reshape(a.shape[:1] + (1,) * missing + a.shape[1:])
                moved.append(a)
            return bind(prim, *moved, **params), 0
        return rule


def batch_by_loop(prim):
    """A batching rule that applies ``prim`` to one example at a time and stacks the results:
    correct for any op, but a Python loop over the batch (used for ops without a rule of their
    own, and by rules for the rare cases they do not vectorize)."""
    def rule(args, dims, params):
        size = next(a.shape[d] for a, d in zip(args, dims) if d is not None)
        results = []
        for b in range(size):
            example = [a if d is None else a[(slice(None),) * d + (b,)] for a, d in zip(args, dims)]
            results.append(bind(prim, *example, **params))
        return np.stack(results), 0
    return rule


class rebinding:  # noqa: N801 (used like a function: batch=rebinding(rule))
    """A batching rule that applies its own primitive again: ``rule(prim, args, dims, params)``."""

    def __init__(self, rule):
        self.rule = rule

    def rule_for(self, prim):
        def rule(args, dims, params):
            return self.rule(prim, args, dims, params)
        return rule


def along_axis(prim, args, dims, params):
    """A rule for ``rebinding``: an op on one array along the non-negative axis (or axes) in
    ``params["axis"]``; the batch axis moves to the front and the axis parameter shifts by one."""
    axis = params["axis"]
    shifted = axis + 1 if isinstance(axis, int) else tuple(a + 1 for a in axis)
    return bind(prim, batch_to_front(args[0], dims[0]), **{**params, "axis": shifted}), 0


def _batching(prim, batch):
    return batch.rule_for(prim) if isinstance(batch, (broadcasting, rebinding)) else batch


# -------------------------------------------------------------------- elementwise
def _times_partial(g, partial, args, ans, params):
    """g · ∂ for one partial derivative in any of its forms (see ``elementwise``)."""
    if partial is ONE:
        return g
    if partial is MINUS_ONE:
        return -g
    if type(partial) is Over:
        return g / partial.denominator(*args, ans, **params)
    return g * partial(*args, ans, **params)


def elementwise(name, impl, partials, math, samples, *, differentiable=True, complex_rules=False):
    """An elementwise primitive from its partial derivatives (see the module docstring).

    ``partials[k](*args, ans, **params)`` is ∂out/∂args[k]; ``None`` marks an argument
    that is never differentiated (a condition), ``ZERO`` a derivative that is zero
    almost everywhere (sign, floor): the gradient is zero, as in PyTorch and JAX.
    ``complex_rules=True`` where the partials also hold for complex values (holomorphic
    ops, whose rules are their real ones in JAX's convention).
    """
    active = [(k, p) for k, p in enumerate(partials) if p is not None and p is not ZERO]

    def vjp(needed, g, ans, args, params):
        out = [None] * len(args)
        for k, partial in active:
            if needed[k]:
                if partial is ONE:  # the common cases inline: this runs once per op in every backward pass
                    c = g
                elif type(partial) is Over or partial is MINUS_ONE:
                    c = _times_partial(g, partial, args, ans, params)
                else:
                    c = g * partial(*args, ans, **params)
                a = args[k]
                out[k] = c if c.shape == a.shape and c.dtype == a.dtype else fit_cotangent(c, a)
        return out

    def jvp(tangents, ans, args, params):
        total = None
        for k, partial in active:
            t = tangents[k]
            if t is not None:
                term = _times_partial(t, partial, args, ans, params)
                total = term if total is None else total + term
        return None if total is None else fit_tangent(total, ans)

    read = set().union(*[_parameters_read(p.denominator if type(p) is Over else p) for _, p in active
                         if callable(p) or type(p) is Over])
    unread = frozenset(k for k in range(len(partials)) if k not in read)
    prim = Primitive(name, impl, vjp=vjp, jvp=jvp, differentiable=differentiable,
                     unread_inputs="all" if len(unread) == len(partials) else unread,
                     reads_output=len(partials) in read, complex_rules=complex_rules, math=math, samples=samples)
    prim.batch = broadcasting(0).rule_for(prim)
    return prim


def _parameters_read(fn):
    """Which positional parameters of ``fn(*args, ans)`` its body reads: so that an in-place
    change of an argument (or the answer) that no partial derivative reads is not an error."""
    code = fn.__code__
    names = code.co_varnames[:code.co_argcount]
    loaded = {ins.argval for ins in dis.get_instructions(code) if ins.opname.startswith("LOAD_")}
    return {k for k, name in enumerate(names) if name in loaded}


def nondifferentiable(name, impl, samples, definition, batch=None):
    """A primitive whose outputs are never part of a gradient (comparisons, argmax, isfinite);
    elementwise (batched by broadcasting) unless ``batch`` says otherwise."""
    prim = Primitive(name, impl, differentiable=False, math=Math(definition), samples=samples)
    prim.batch = _batching(prim, broadcasting(0) if batch is None else batch)
    return prim


# ---------------------------------------------------------------- general primitives
def _per_argument_vjp(rules):
    """Rules for the leading arguments; any further ones (index operands) are not differentiated."""
    def vjp(needed, g, ans, args, params):
        out = [None] * len(args)
        for k, rule in enumerate(rules):
            if needed[k] and rule is not None:
                out[k] = fit_cotangent(rule(g, ans, *args, **params), args[k])
        return out
    return vjp


def _joint_vjp(rule):
    def vjp(needed, g, ans, args, params):
        cts = rule(needed, g, ans, *args, **params)
        return [fit_cotangent(c, a) if need and c is not None else None for c, a, need in zip(cts, args, needed)]
    return vjp


def _per_argument_jvp(rules):
    def jvp(tangents, ans, args, params):
        total = None
        for rule, t in zip(rules, tangents):
            if t is not None and rule is not None:
                term = rule(t, ans, *args, **params)
                total = term if total is None else total + term
        return None if total is None else fit_tangent(total, ans)
    return jvp


def _joint_jvp(rule):
    def jvp(tangents, ans, args, params):
        t = rule(tangents, ans, *args, **params)
        return None if t is None else fit_tangent(t, ans)
    return jvp


def _linear_jvp(prim_box, positions):
    """The op itself applied to the tangents of its (jointly) linear arguments."""
    def jvp(tangents, ans, args, params):
        chosen = range(len(args)) if positions == "all" else positions
        if all(tangents[k] is None for k in chosen):
            return None
        filled = list(args)
        for k in chosen:
            filled[k] = zero_like(args[k]) if tangents[k] is None else tangents[k]
        return fit_tangent(bind(prim_box[0], *filled, **params), ans)
    return jvp


def _multilinear_jvp(prim_box, positions):
    """Σ_k the op with the tangent in argument k (product rule for ops linear in each argument)."""
    def jvp(tangents, ans, args, params):
        total = None
        for k in range(len(args)) if positions == "all" else positions:
            if tangents[k] is not None:
                term = bind(prim_box[0], *args[:k], tangents[k], *args[k + 1:], **params)
                total = term if total is None else total + term
        return None if total is None else fit_tangent(total, ans)
    return jvp


def primitive(name, impl, *, vjp=None, vjp_joint=None, jvp=None, jvp_joint=None, linear=None, multilinear=None,
              batch=None, complex_rules=None, math, samples, register=True):
    """A primitive from per-argument rules (see the module docstring).

    Parameters
    ----------
    vjp : tuple of (callable or None)
        ``vjp[k](g, ans, *args, **params)`` is the cotangent of ``args[k]``.
    vjp_joint : callable
        ``vjp_joint(needed, g, ans, *args, **params)`` gives all cotangents at once
        (variadic ops, or cotangents computed together).
    linear : "all" or tuple of int
        The op is linear in these arguments jointly: the JVP is generated, and the VJP reads
        neither their values nor the answer (an in-place change of them is harmless).
    multilinear : "all" or tuple of int
        The op is linear in each of these arguments separately: the JVP is generated, and the
        VJP reads the arguments but not the answer.
    jvp, jvp_joint : per-argument rules ``jvp[k](t, ans, *args, **params)`` or one joint
        rule ``jvp_joint(tangents, ans, *args, **params)``, where the JVP is not generated.
    batch : broadcasting, rebinding or callable
        The batching rule for ``vmap``: ``broadcasting(core)`` for ops that broadcast over
        leading axes, ``rebinding(rule)`` for a rule ``rule(prim, args, dims, params)`` that
        applies the primitive again, or ``rule(args, dims, params) -> (out, out_dim)``.
    complex_rules : bool, optional
        The rules hold for complex values too, in JAX's convention; by default true of
        linear and multilinear ops, whose rules transpose without conjugation.
    """
    box = []
    if linear is not None:
        forward = _linear_jvp(box, linear)
    elif multilinear is not None:
        forward = _multilinear_jvp(box, multilinear)
    elif jvp_joint is not None:
        forward = _joint_jvp(jvp_joint)
    else:
        forward = _per_argument_jvp(jvp)
    unread = "all" if linear == "all" else frozenset(linear or ())
    if complex_rules is None:
        complex_rules = linear is not None or multilinear is not None
    prim = Primitive(name, impl, vjp=_joint_vjp(vjp_joint) if vjp_joint is not None else _per_argument_vjp(vjp),
                     jvp=forward, unread_inputs=unread, reads_output=linear is None and multilinear is None,
                     complex_rules=complex_rules, math=math, samples=samples, register=register)
    prim.batch = _batching(prim, batch)
    box.append(prim)
    return prim


_PYTHON_NUMBERS = (float, int, bool, complex)


def promote_pair(x, y):
    """Operands of a binary op with integers (or booleans) meeting a floating or complex operand
    converted to that operand's dtype, as PyTorch and JAX promote (NumPy would make
    float32 ** int64 a float64). Python numbers are left alone: they are weak anyway."""
    if type(x) in _PYTHON_NUMBERS or type(y) in _PYTHON_NUMBERS:  # the common x * 2.0, first: once per op
        return x, y
    dx = getattr(x, "dtype", None)
    dy = getattr(y, "dtype", None)
    if dx is None or dy is None or dx is dy or dx == dy:
        return x, y
    if dx.kind in "fc" and dy.kind in "iub":
        return x, y.astype(dx)
    if dy.kind in "fc" and dx.kind in "iub":
        return x.astype(dy), y
    return x, y


def function_of(prim, doc, promote=False):
    """``f(*args)`` applying ``prim`` to its arguments, named after it, documented with ``doc``;
    ``promote`` applies PyTorch's integer-to-float promotion to its two operands."""
    if promote:
        def fn(x, y):
            return bind(prim, *promote_pair(x, y))
    else:
        def fn(*args):
            return bind(prim, *args)

    fn.__name__ = prim.name
    fn.__qualname__ = prim.name
    fn.__doc__ = doc
    return fn
