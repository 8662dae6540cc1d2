"""Forward mode as a transform level: dual numbers, the lecture's tangent trace.

A ``JVPTracer`` carries a primal value and its tangent (v and v-dot). Each op
computes its primal one level down and its tangent with the primitive's JVP rules,
which are chainrule ops themselves, so tangents can be differentiated again.
"""

from .primitive import bind
from .state import STATE
from .tracer import Trace, Tracer


class JVPTracer(Tracer):
    __slots__ = ("_tangent",)

    def __init__(self, trace, primal, tangent):
        super().__init__(trace, primal)
        self._tangent = tangent


class JVPTrace(Trace):
    def process(self, prim, args, params):
        primals = []
        tangents = []
        for a in args:
            if isinstance(a, JVPTracer) and a._trace is self:
                primals.append(a._primal)
                tangents.append(a._tangent)
            else:
                primals.append(a)
                tangents.append(None)
        out = bind(prim, *primals, **params)
        if not prim.differentiable or self.level <= STATE.frozen_levels:
            return out
        tangent = prim.jvp_contribution(tangents, out, primals, params)
        if tangent is None:
            return out
        return JVPTracer(self, out, fit_tangent(tangent, out))


def fit_tangent(tangent, like):
    """Broadcast a tangent to its primal's shape and cast it to its dtype."""
    if tangent.shape != like.shape:
        tangent = ops.broadcast_to(tangent, like.shape)
    if tangent.dtype != like.dtype:
        tangent = ops.astype(tangent, like.dtype)
    return tangent


from .. import ops  # noqa: E402
