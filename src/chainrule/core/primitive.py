"""Primitives: the one table from which every derivative is derived.

A primitive is declared once, with

* ``impl``  – the NumPy implementation on plain arrays;
* ``vjp``   – its reverse-mode rule(s): ``vjp_k(g, ans, *args, **params)`` gives the
  cotangent of argument ``k`` from the output cotangent ``g``;
* ``jvp``   – its forward-mode rule(s): ``jvp_k(t, ans, *args, **params)`` gives the
  output tangent contributed by the tangent ``t`` of argument ``k``;
* ``samples`` – inputs on which the registry test checks both rules against
  finite differences, to first and second order.

Rules are written in chainrule's own ops (and operators), so they work on plain
arrays (the fast path), on eager tensors (``create_graph=True``) and on the
tracers of every transform: derivatives of derivatives come for free.

``bind`` is the single entry point: it hands the application to the innermost
active transform level, or evaluates it eagerly at level 0.
"""

REGISTRY = {}


class Primitive:
    """One differentiable (or explicitly non-differentiable) operation.

    Parameters
    ----------
    name : str
        Unique name, shown in errors, graphs and traces.
    impl : callable
        ``impl(*arrays, **params) -> array``.
    vjp : callable or tuple of (callable or None), optional
        Per-argument VJP rules; ``None`` marks a non-differentiable argument.
    jvp : callable or tuple, or ``"linear"``
        Per-argument JVP rules. ``"linear"`` means the op is linear in its array
        arguments, so its tangent is the op applied to the tangents.
    vjp_joint : callable, optional
        ``vjp_joint(needed, g, ans, *args, **params) -> tuple`` for ops with a
        variable number of arguments or cotangents computed together; ``needed``
        flags the arguments whose cotangent is wanted.
    jvp_joint : callable, optional
        ``jvp_joint(tangents, ans, *args, **params)`` with ``None`` for zero tangents.
    linear : bool
        The VJP reads no primal value, so in-place changes of the inputs after
        the forward pass are harmless.
    differentiable : bool
        ``False`` for ops with zero or undefined derivative (comparisons, sign):
        their outputs are never part of a gradient.
    samples : callable
        ``samples(rng) -> list of (args, params)`` in float64 for the registry test.
    """

    __slots__ = ("name", "impl", "vjps", "vjp_joint", "jvps", "jvp_joint", "linear",
                 "differentiable", "samples", "__weakref__")

    def __init__(self, name, impl, *, vjp=None, jvp=None, vjp_joint=None, jvp_joint=None, linear=False,
                 differentiable=True, samples=None, register=True):
        self.name = name
        self.impl = impl
        self.vjps = (vjp,) if callable(vjp) else vjp
        self.vjp_joint = vjp_joint
        self.jvps = (jvp,) if callable(jvp) else jvp
        self.jvp_joint = jvp_joint
        self.linear = linear
        self.differentiable = differentiable
        self.samples = samples
        if differentiable and vjp is None and vjp_joint is None:
            raise ValueError(f"primitive {name!r}: a differentiable primitive needs a vjp rule")
        if register:
            if name in REGISTRY:
                raise ValueError(f"primitive {name!r} is declared twice")
            REGISTRY[name] = self

    def __repr__(self):
        return f"<primitive {self.name}>"

    def vjp_contributions(self, g, ans, args, params, needed):
        """Cotangents for the arguments flagged in ``needed`` (others ``None``)."""
        if self.vjp_joint is not None:
            cts = self.vjp_joint(needed, g, ans, *args, **params)
            if not isinstance(cts, (tuple, list)):
                cts = (cts,)
            return [ct if need else None for ct, need in zip(cts, needed)]
        out = []
        for rule, need in zip(self.vjps, needed):
            out.append(rule(g, ans, *args, **params) if need and rule is not None else None)
        return out

    def jvp_contribution(self, tangents, ans, args, params):
        """The output tangent given argument tangents (``None`` = zero), or ``None``."""
        from .values import zeros_like_value

        if self.jvp_joint is not None:
            return self.jvp_joint(tangents, ans, *args, **params)
        if self.jvps == "linear":
            if all(t is None for t in tangents):
                return None
            filled = [zeros_like_value(a) if t is None else t for t, a in zip(tangents, args)]
            return bind(self, *filled, **params)
        if self.jvps is None:
            raise NotImplementedError(f"{self.name}: forward mode is not defined for this op")
        total = None
        for rule, t in zip(self.jvps, tangents):
            if t is None or rule is None:
                continue
            contribution = rule(t, ans, *args, **params)
            total = contribution if total is None else total + contribution
        return total


def bind(prim, *args, **params):
    """Apply ``prim``: at the innermost transform level among ``args``, else eagerly."""
    if _STACK:  # some transform is active: find the innermost level among the arguments
        top = None
        for a in args:
            if isinstance(a, Tracer):
                trace = a._trace
                if not trace.alive:
                    return bind(prim, *[lower_dead(x) for x in args], **params)
                if top is None or trace.level > top.level:
                    top = trace
        if top is not None:
            return top.process(prim, args, params)
    return apply_eager(prim, args, params)


def lower_dead(value):
    """A tracer whose transform has returned behaves as the value it wraps."""
    while isinstance(value, Tracer) and not value._trace.alive:
        value = value._primal
    return value


from .tape import apply_eager  # noqa: E402  (tape needs Primitive defined first)
from .tracer import _STACK, Tracer  # noqa: E402
