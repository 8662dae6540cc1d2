"""The pieces of the graph IR: values (``Var``) and primitive applications (``Equation``).

A graph (``chainrule.graph.Graph``) is a straight-line program — a Wengert list — of
equations ``out = prim(*inputs, **params)``, each reading earlier ``Var``s or constants
and defining one ``Var``.
"""

import numpy as np

from ..core.devices import to_host


class Var:
    """A value of the graph: its number, shape and dtype (and, while tracing, an example value)."""

    __slots__ = ("index", "shape", "dtype", "_node", "name", "_hooks")

    def __init__(self, index, shape, dtype, name=None):
        self.index = index
        self.shape = tuple(shape)
        self.dtype = np.dtype(dtype)
        self._node = None
        self.name = name
        self._hooks = None  # the reverse sweep runs over Vars as over tensors; Vars carry no hooks

    @property
    def type_string(self):
        return f"{self.dtype.name}[{','.join(str(s) for s in self.shape)}]"

    def __repr__(self):
        return f"%{self.index}"


class Equation:
    """One primitive application in a graph: ``out = prim(*inputs, **params)``."""

    __slots__ = ("prim", "inputs", "params", "out")

    def __init__(self, prim, inputs, params, out):
        self.prim = prim
        self.inputs = tuple(inputs)
        self.params = dict(params)
        self.out = out
        out._node = self

    @property
    def name(self):
        return self.prim.name

    @property
    def seq(self):
        """Creation order, for the reverse sweep: Var numbers grow along every path."""
        return self.out.index

    @property
    def needed(self):
        """Which inputs are values of the graph (the rest are constants)."""
        return [isinstance(a, Var) for a in self.inputs]


def order_by_depth(nodes):
    """Equations sorted by their distance from the inputs, ties kept in recording order.

    A topological order that lists independent operations of the same depth
    together, as evaluation traces in textbooks do (ln x1, x1·x2, sin x2, then +, then −).
    """
    depth = {}
    keyed = []
    for position, node in enumerate(nodes):
        d = 1 + max((depth.get(a, 0) for a in node.inputs if isinstance(a, Var)), default=0)
        depth[node.out] = d
        keyed.append((d, position, node))
    return [node for _, _, node in sorted(keyed, key=lambda item: item[:2])]


def format_constant(value):
    array = to_host(value)  # shown on the host
    if array.ndim == 0:
        return f"{array.item():g}" if array.dtype.kind == "f" else repr(array.item())
    return f"const{{{array.dtype.name}[{','.join(str(s) for s in array.shape)}]}}"


def format_param(value):
    if isinstance(value, np.ndarray):
        return format_constant(value)
    if isinstance(value, np.dtype):
        return value.name
    return repr(value)
