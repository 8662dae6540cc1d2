"""Reverse mode as a transform level: the engine behind ``vjp``, ``grad`` and ``jacobian``.

Inside ``vjp(f, x)`` the argument is boxed in a ``ReverseTracer`` of a fresh level;
each op on such tracers is evaluated one level down and recorded in a ``Node``
(the same structure the eager tape uses). The returned ``vjp_fn`` runs the shared
reverse sweep over those nodes, applying the VJP rules to the lower-level values,
so an enclosing transform sees (and can differentiate) the whole backward pass.
"""

from .backprop import sweep
from .primitive import bind
from .tape import Node
from .tracer import Trace, Tracer


class ReverseTracer(Tracer):
    __slots__ = ()


class ReverseTrace(Trace):
    def process(self, prim, args, params):
        primals = [a._primal if isinstance(a, Tracer) and a._trace is self else a for a in args]
        out = bind(prim, *primals, **params)
        if not prim.differentiable:
            return out
        box = ReverseTracer(self, out)
        box._node = Node(prim, params, args, None, None)
        return box

    def is_tracked(self, value):
        return isinstance(value, ReverseTracer) and value._trace is self

    def value_of(self, value):
        return value._primal if isinstance(value, ReverseTracer) and value._trace is self else value

    def backward(self, root, seed):
        """Cotangents of this level's leaves, as a dict ``id(leaf) -> cotangent``."""
        leaves = sweep(root, seed, self.is_tracked, self.value_of)
        return {id(leaf): ct for leaf, ct in leaves if ct is not None}
