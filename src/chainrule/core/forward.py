"""Forward mode as a transform level: dual numbers, the lecture's tangent trace.

A ``JVPTracer`` carries a primal value and its tangent (v and v-dot). Each op
computes its primal one level down and its tangent with the primitive's JVP rule,
written in chainrule ops, so tangents can be differentiated again.
"""

from .bind import bind
from .errors import UndefinedRuleError
from .tensor import array_of
from .tracer import Trace, Tracer


class JVPTracer(Tracer):
    __slots__ = ("_tangent",)

    def __init__(self, trace, primal, tangent):
        super().__init__(trace, primal)
        self._tangent = tangent


class JVPTrace(Trace):
    def process(self, prim, args, params):
        primals, tangents = [], []
        for a in args:
            if isinstance(a, JVPTracer) and a._trace is self:
                primals.append(a._primal)
                tangents.append(a._tangent)
            else:
                primals.append(a)
                tangents.append(None)
        out = bind(prim, *primals, **params)
        if not prim.differentiable or self.frozen:
            return out
        kind = array_of(out).dtype.kind
        if kind not in "fc":  # integers and booleans carry no derivative
            return out
        if kind == "c" and not prim.complex_rules:
            raise prim.refuse_complex()
        if prim.jvp is None:
            raise UndefinedRuleError(f"{prim.name}: forward mode is not defined for this op (it has no JVP rule)")
        tangent = prim.jvp(tangents, out, primals, params)
        return out if tangent is None else JVPTracer(self, out, tangent)
