"""Reverse mode as a transform level: the engine behind ``vjp``, ``grad`` and ``jacobian``.

Inside ``vjp(f, x)`` the argument is boxed in a ``ReverseTracer`` of a fresh level;
each op on such tracers is evaluated one level down and recorded in a ``TapeNode``
(the structure the eager tape uses). ``backward`` runs the shared reverse sweep over
those nodes, applying the VJP rules to the lower-level values, so an enclosing
transform sees (and can differentiate) the whole backward pass.
"""

from .backprop import sweep
from .bind import bind
from .tape import TapeNode
from .tensor import array_of
from .tracer import Trace, Tracer


class ReverseTracer(Tracer):
    __slots__ = ()


class ReverseTrace(Trace):
    def process(self, prim, args, params):
        needed = [isinstance(a, ReverseTracer) and a._trace is self for a in args]
        primals = [a._primal if mine else a for a, mine in zip(args, needed)]
        out = bind(prim, *primals, **params)
        if not prim.differentiable or self.frozen:
            return out
        kind = array_of(out).dtype.kind
        if kind not in "fc":  # integers and booleans carry no derivative
            return out
        if kind == "c" and not prim.complex_rules:
            raise prim.refuse_complex()
        box = ReverseTracer(self, out)
        box._node = TapeNode(prim, params, args, needed, None, None)
        return box

    def value_of(self, value):
        return value._primal if isinstance(value, ReverseTracer) and value._trace is self else value

    def backward(self, root, seed):
        """Cotangents of this level's leaves, as a dict ``id(leaf) -> cotangent``."""
        leaves = sweep(root, seed, self.value_of)
        return {id(leaf): ct for leaf, ct in leaves if ct is not None}
