"""Primitives: the one table from which every derivative is derived.

A ``Primitive`` is what the engine knows about an op:

* ``impl(*arrays, **params)`` — its NumPy implementation;
* ``vjp(needed, g, ans, args, params)`` — the cotangents of the arguments flagged in
  ``needed`` (``None`` for the others), each shaped and typed like its argument;
* ``jvp(tangents, ans, args, params)`` — the output tangent, shaped and typed like
  ``ans``, from the argument tangents (``None`` for a zero tangent); ``None`` if zero;
* ``differentiable`` — ``False`` for ops whose outputs are never part of a gradient
  (comparisons, argmax);
* ``unread_inputs`` — the positions of inputs whose values the VJP never reads (``"all"``
  for a linear op); an in-place change of any *other* input before backward is caught;
* ``reads_output`` — whether the VJP reads the answer (exp, tanh), so that an in-place
  change of the output before backward is caught too;
* ``complex_rules`` — whether the rules hold for complex values, in JAX's convention
  (a cotangent is ∂L/∂x − i·∂L/∂y for z = x + iy, so a holomorphic op's rules are its
  real ones); an op without them refuses to differentiate through complex values;
* ``batch(args, dims, **params) -> (out, out_dim)`` — the batching rule of ``vmap``: the op
  applied to values that carry a batch axis at ``dims[k]`` (``None``: not batched), giving
  the batched result and where its batch axis is;
* ``math`` — the derivative in textbook notation, for traces and the reference;
* ``samples(rng)`` — inputs on which the registry test checks every view.

The rules are written in chainrule's own ops, so they run on plain arrays (the fast
path), on eager tensors (``create_graph=True``) and on the tracers of every transform:
derivatives of derivatives come for free. ``chainrule.ops.declare`` builds these
rules from the short forms the op modules use (an elementwise derivative, linearity,
one rule per argument); the engine never looks inside them.
"""

REGISTRY = {}


class Primitive:
    """One differentiable (or explicitly non-differentiable) operation; see the module docstring."""

    __slots__ = ("name", "impl", "vjp", "jvp", "batch", "differentiable", "unread_inputs", "reads_output",
                 "reads_values", "complex_rules", "math", "samples", "__weakref__")

    def __init__(self, name, impl, *, vjp=None, jvp=None, batch=None, differentiable=True, unread_inputs=frozenset(),
                 reads_output=True, complex_rules=False, math=None, samples=None, register=True):
        if differentiable and vjp is None:
            raise ValueError(f"primitive {name!r}: a differentiable primitive needs a vjp rule")
        self.name = name
        self.impl = impl
        self.vjp = vjp
        self.jvp = jvp
        self.batch = batch
        self.differentiable = differentiable
        self.unread_inputs = unread_inputs
        self.reads_output = reads_output
        self.reads_values = reads_output or unread_inputs != "all"  # versions must be recorded
        self.complex_rules = complex_rules
        self.math = math
        self.samples = samples
        if register:
            if name in REGISTRY:
                raise ValueError(f"primitive {name!r} is declared twice")
            REGISTRY[name] = self

    def __repr__(self):
        return f"<primitive {self.name}>"

    def refuse_complex(self):
        """The error for differentiating through a complex value with rules that do not hold for it."""
        return TypeError(f"{self.name}: differentiating through complex values is not supported by this op (its "
                         f"derivative rules are for real numbers); take the real part, imaginary part or abs() first")
