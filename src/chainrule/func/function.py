"""User-defined ops: PyTorch's ``Function`` and JAX's ``custom_vjp``.

Both become a primitive (unregistered: user ops carry no samples) whose forward
runs the user's code on concrete tensors and whose VJP calls the user's backward,
so they work on the eager tape and inside every transform.

What the forward saved (``ctx.saved_tensors``, the residuals) was computed from
concrete arrays. The eager backward uses it as it is. Anywhere else — inside a
transform, a traced graph or ``jit``, or with ``create_graph=True`` — the VJP
first runs the forward again on the values it is given, so the saved tensors are
part of the computation: a jitted gradient reads its new inputs, and second
derivatives see how the saved tensors depend on the inputs.
"""

import functools

import numpy as np

from .. import ops
from ..api.wrap import as_tensor
from ..core.bind import bind
from ..core.errors import BackwardError, UndefinedRuleError
from ..core.state import no_grad
from ..core.tensor import Tensor, zero_like
from ..ops.declare import Math, primitive
from . import transforms


def pack_outputs(out, who):
    """The forward's output as one array, and its layout: ``None`` for a single tensor, else the
    (shape, dtype) of each output of a tuple, packed flat one after the other. The primitive
    stays single-output; ``_unpack`` splits the result with getitem and reshape, whose VJPs
    bring the outputs' cotangents back together."""
    if isinstance(out, (tuple, list)):
        arrays = [o._data if isinstance(o, Tensor) else np.asarray(o) for o in out]
        if not arrays:
            raise TypeError(f"{who}: forward returned no output")
        dtype = np.result_type(*arrays)
        return np.concatenate([a.astype(dtype).ravel() for a in arrays]), [(a.shape, a.dtype) for a in arrays]
    return (out._data if isinstance(out, Tensor) else np.asarray(out)), None


def unpack_outputs(packed, layout):
    """The outputs (or their cotangents) of ``layout`` from a packed value of any level."""
    pieces, offset = [], 0
    for shape, dtype in layout:
        size = int(np.prod(shape))
        pieces.append(ops.astype(ops.reshape(ops.getitem(packed, slice(offset, offset + size)), shape), dtype))
        offset += size
    return tuple(pieces)


def packed_dtype(layout):
    """The dtype several outputs are packed in: their common one."""
    return np.result_type(*[d for _, d in layout])


def repack_tangents(values, layout):
    """Tangents of several outputs as one packed tangent."""
    return ops.concatenate([ops.reshape(ops.astype(v, packed_dtype(layout)), (-1,)) for v in values])


def output_cotangents(g, layout):
    """The cotangent(s) handed to the user's backward: one per output."""
    if layout is None:
        return (as_tensor(g),)
    return tuple(as_tensor(piece) for piece in unpack_outputs(g, layout))


def input_cotangents(grads, args, g, who):
    """The user's gradients as a list, one per argument, in the cotangent's own kind."""
    if not isinstance(grads, (tuple, list)):
        grads = (grads,)
    if len(grads) != len(args):
        raise BackwardError(f"{who}: backward returned {len(grads)} gradient(s) for {len(args)} input(s)")
    raw = not isinstance(g, Tensor)
    out = []
    for grad in grads:
        if grad is None:
            out.append(None)
        elif raw:
            out.append(grad._data if isinstance(grad, Tensor) else np.asarray(grad))
        else:
            out.append(as_tensor(grad))
    return out


def same_values(args, raw):
    """Whether the VJP is given the very arrays the forward ran on (the eager fast path)."""
    return raw is not None and len(args) == len(raw) and all(a is r for a, r in zip(args, raw))


def as_inputs(args):
    """The arguments as the user's code sees them: arrays become tensors, the rest stay."""
    return [as_tensor(a) if isinstance(a, (np.ndarray, np.generic)) else a for a in args]


def user_primitive(name, impl, vjp, jvp):
    """An unregistered primitive for a user op (user ops carry no samples)."""
    return primitive(name, impl, vjp_joint=vjp, jvp_joint=jvp, math=Math(name + "({0}, …)"), samples=None,
                     register=False)


class FunctionCtx:
    """Per-call state handed to ``forward`` and ``backward``."""

    def __init__(self):
        self.saved_tensors = ()
        self._inputs = None  # the arrays the forward ran on
        self._layout = None  # the outputs' shapes and dtypes when forward returns several

    def save_for_backward(self, *tensors):
        """Keep tensors for ``backward`` (read them as ``ctx.saved_tensors``)."""
        self.saved_tensors = tensors


class Function:
    """An op with a hand-written backward, called as ``MyOp.apply(*args)``.

    Subclass it with staticmethods ``forward(ctx, *args)`` and ``backward(ctx, *grads)``;
    ``forward`` returns a tensor or a tuple of tensors, ``backward`` receives one
    cotangent per output and returns one gradient per input (a bare value for one
    input, ``None`` for a non-differentiable one). An optional ``jvp(ctx, *tangents)``
    (returning one tangent per output) enables forward mode. The lecture's multiply gate:

    >>> class MultiplyGate(cr.Function):
    ...     @staticmethod
    ...     def forward(ctx, x, y):
    ...         ctx.save_for_backward(x, y)    # must keep these around!
    ...         return x * y
    ...     @staticmethod
    ...     def backward(ctx, dz):
    ...         x, y = ctx.saved_tensors
    ...         return y * dz, x * dz          # [dz/dx * dL/dz], [dz/dy * dL/dz]
    >>> x = cr.tensor(3.0, requires_grad=True)
    >>> MultiplyGate.apply(x, cr.tensor(-4.0)).backward()
    >>> x.grad                                 # tensor(-4.)

    Outside the eager backward (transforms, ``jit``, ``create_graph=True``) the
    backward pass runs ``forward`` again on its own values first, so that what
    ``forward`` saved takes part in the trace; ``forward`` should have no side effects.
    """

    _prim = None

    @staticmethod
    def forward(ctx, *args):
        raise NotImplementedError("Function subclasses define forward(ctx, *args)")

    @staticmethod
    def backward(ctx, *grads):
        raise NotImplementedError("Function subclasses define backward(ctx, *grads)")

    @classmethod
    def _primitive(cls):
        if cls.__dict__.get("_prim") is None:
            name = cls.__name__

            def impl(*raw, ctx):
                ctx._inputs = raw
                with no_grad():
                    packed, ctx._layout = pack_outputs(cls.forward(ctx, *as_inputs(raw)), name)
                return packed

            def vjp(needed, g, ans, *args, ctx):
                grads = output_cotangents(g, ctx._layout)
                if not same_values(args, ctx._inputs):
                    ctx = FunctionCtx()  # forward again, on the values of this level
                    cls.forward(ctx, *as_inputs(args))
                return input_cotangents(cls.backward(ctx, *grads), args, g, name)

            def jvp(tangents, ans, *args, ctx):
                if "jvp" not in dir(cls):
                    raise UndefinedRuleError(f"{name}: forward mode needs a jvp(ctx, *tangents) staticmethod")
                out = cls.jvp(ctx, *[t if t is None else as_tensor(t) for t in tangents])
                return out if ctx._layout is None else repack_tangents(out, ctx._layout)

            cls._prim = user_primitive(name, impl, vjp, jvp)
        return cls._prim

    @classmethod
    def apply(cls, *args):
        args = [as_tensor(a) if isinstance(a, (list, tuple, np.ndarray)) else a for a in args]
        ctx = FunctionCtx()
        out = bind(cls._primitive(), *args, ctx=ctx)
        return out if ctx._layout is None else unpack_outputs(out, ctx._layout)


class _Residuals:
    __slots__ = ("value", "inputs", "layout")


class custom_vjp:
    """JAX's custom VJP: ``f.defvjp(fwd, bwd)`` with ``fwd(*args) -> (out, residuals)``
    and ``bwd(residuals, g) -> tuple`` (one cotangent per argument).

    Forward mode differentiates ``f`` itself, so ``jvp`` and ``hvp`` still work.

    >>> @cr.custom_vjp
    ... def clip_gradient(x):
    ...     return x
    >>> clip_gradient.defvjp(lambda x: (x, None), lambda res, g: (cr.clip(g, -1.0, 1.0),))
    """

    def __init__(self, fun):
        functools.update_wrapper(self, fun)
        self.fun = fun
        self.fwd = None
        self.bwd = None
        self._prim = None

    def defvjp(self, fwd, bwd):
        self.fwd, self.bwd = fwd, bwd
        name = getattr(self.fun, "__name__", "custom_vjp")

        def impl(*raw, residuals):
            residuals.inputs = raw
            with no_grad():
                out, residuals.value = self.fwd(*as_inputs(raw))
            packed, residuals.layout = pack_outputs(out, name)
            return packed

        def vjp(needed, g, ans, *args, residuals):
            grads = output_cotangents(g, residuals.layout)
            saved = residuals.value
            if not same_values(args, residuals.inputs):
                saved = self.fwd(*as_inputs(args))[1]  # residuals of this level's values
            return input_cotangents(self.bwd(saved, grads[0] if residuals.layout is None else grads), args, g, name)

        def jvp(tangents, ans, *args, residuals):
            filled = tuple(zero_like(a) if t is None else t for t, a in zip(tangents, args))
            out = transforms.jvp(self.fun, tuple(args), filled)[1]
            return out if residuals.layout is None else repack_tangents(out, residuals.layout)

        self._prim = user_primitive(name, impl, vjp, jvp)
        return self

    def __call__(self, *args):
        if self._prim is None:
            raise TypeError(f"custom_vjp {self.__name__}: call .defvjp(fwd, bwd) before using it")
        args = [as_tensor(a) if isinstance(a, (list, tuple, np.ndarray, float, int)) else a for a in args]
        residuals = _Residuals()
        out = bind(self._prim, *args, residuals=residuals)
        return out if residuals.layout is None else unpack_outputs(out, residuals.layout)
