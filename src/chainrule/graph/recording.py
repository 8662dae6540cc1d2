"""Recording a graph: run a function once on graph tracers and note every primitive.

The graph level is one more transform level: a ``GraphTracer`` carries a concrete
example value (so traces can show numbers) and the graph ``Var`` it stands for.
Python control flow runs once, at trace time: loops are unrolled, and an ``if``
on a traced value is refused (the branch would be baked in silently).
"""

import numpy as np

from ..core import pytree
from ..core.bind import bind
from ..core.errors import TracerError
from ..core.tensor import Tensor, array_of
from ..core.tracer import Trace, Tracer, new_level
from .ir import Equation, Var

_CONTROL_FLOW = ("a traced value was used where Python needs a concrete one ({what}). cr.trace and cr.jit run "
                 "Python code once and record the ops, so `if`, `while`, bool(), float() and .numpy() cannot "
                 "depend on traced values; use cr.where(cond, a, b) for data-dependent choices, or call the "
                 "function eagerly")


class GraphTracer(Tracer):
    __slots__ = ("_var",)

    def __init__(self, trace, primal, var):
        super().__init__(trace, primal)
        self._var = var

    def _refuse(self, what):
        raise TracerError(_CONTROL_FLOW.format(what=what))

    def __bool__(self):
        self._refuse("bool(), as in `if x:` or `while x:`")

    def __float__(self):
        self._refuse("float()")

    def __int__(self):
        self._refuse("int()")

    def __index__(self):
        self._refuse("use as an index or size")

    def item(self):
        self._refuse(".item()")

    def numpy(self):
        self._refuse(".numpy()")

    def tolist(self):
        self._refuse(".tolist()")

    def __array__(self, dtype=None, copy=None):
        self._refuse("conversion to a NumPy array")


class GraphTrace(Trace):
    stages = True

    def __init__(self, level):
        super().__init__(level)
        self.nodes = []
        self.count = 0

    def new_var(self, value):
        data = array_of(value)
        self.count += 1
        return Var(self.count, data.shape, data.dtype)

    def process(self, prim, args, params):
        primals = [a._primal if isinstance(a, GraphTracer) and a._trace is self else a for a in args]
        out = bind(prim, *primals, **params)
        inputs = [a._var if isinstance(a, GraphTracer) and a._trace is self else _constant(a) for a in args]
        var = self.new_var(out)
        self.nodes.append(Equation(prim, inputs, params, var))
        return GraphTracer(self, out, var)


def _constant(value):
    """A value from outside the graph. Python scalars stay weak; a 0-d value (a gradient seed,
    a reduction of constants) becomes an immutable NumPy scalar; an array stays the very array,
    read when the graph runs, so that in-place updates of captured tensors are seen."""
    if isinstance(value, Tensor):
        value = array_of(value)
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return value[()]
    return value


def record(f, examples):
    """Run ``f`` once on graph tracers of the example tensors: ``(inputs, equations, outputs)``,
    with ``outputs`` the flattened leaves of what ``f`` returned (Vars or constants)."""
    with new_level(GraphTrace) as graph_trace:
        inputs = [graph_trace.new_var(x) for x in examples]
        boxes = [GraphTracer(graph_trace, x, v) for x, v in zip(examples, inputs)]
        out = f(*boxes)
        leaves, _ = pytree.flatten(out)
        outputs = [o._var if isinstance(o, GraphTracer) and o._trace is graph_trace else _constant(o)
                   for o in leaves]
    return inputs, graph_trace.nodes, outputs
