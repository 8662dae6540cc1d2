"""The graph IR: a straight-line program of primitive applications (a Wengert list).

A ``Graph`` has ``inputs`` (``Var``s), ``nodes`` (``Node``s, each one primitive
applied to earlier ``Var``s or constants, producing one ``Var``) and ``outputs``
(``Var``s or constants). Evaluating a graph binds the same primitives as eager
code, so a graph can itself be traced, differentiated and jitted.
"""

import numpy as np

from ..core.errors import ShapeError, OpTypeError
from ..core.primitive import bind
from ..core.tensor import Tensor


class Var:
    """A value of the graph: its number, shape and dtype (and, while tracing, an example value)."""

    __slots__ = ("index", "shape", "dtype", "_node", "name")

    def __init__(self, index, shape, dtype, name=None):
        self.index = index
        self.shape = tuple(shape)
        self.dtype = np.dtype(dtype)
        self._node = None
        self.name = name

    @property
    def type_string(self):
        return f"{self.dtype.name}[{','.join(str(s) for s in self.shape)}]"

    def __repr__(self):
        return f"%{self.index}"


class Node:
    """One primitive application: ``out = prim(*inputs, **params)``."""

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
    """Nodes sorted by their distance from the inputs, ties kept in recording order.

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
    array = np.asarray(value)
    if array.ndim == 0:
        return f"{array.item():g}" if array.dtype.kind == "f" else repr(array.item())
    return f"const{{{array.dtype.name}[{','.join(str(s) for s in array.shape)}]}}"


def format_param(value):
    if isinstance(value, np.ndarray):
        return format_constant(value)
    if isinstance(value, np.dtype):
        return value.name
    return repr(value)


class Graph:
    """A traced function: ``g(*args)`` evaluates it; ``g.grad()`` is its gradient graph.

    Attributes
    ----------
    inputs : list of Var
    nodes : list of Node, in an order where every input of a node comes earlier
    outputs : list of Var or constants
    example_args : the arrays it was traced with (used to trace derived graphs)
    """

    def __init__(self, inputs, nodes, outputs, example_args, input_names=None):
        self.inputs = list(inputs)
        self.nodes = order_by_depth(nodes)
        self.outputs = list(outputs)
        self.example_args = tuple(example_args)
        self.input_names = list(input_names) if input_names else [f"x{i + 1}" for i in range(len(self.inputs))]

    # ------------------------------------------------------------------ evaluation
    def _check_args(self, args):
        if len(args) != len(self.inputs):
            raise TypeError(f"graph: expected {len(self.inputs)} input(s) ({', '.join(self.input_names)}), "
                            f"got {len(args)}")
        values = []
        for name, var, arg in zip(self.input_names, self.inputs, args):
            value = arg if isinstance(arg, Tensor) else Tensor(arg)
            if tuple(value.shape) != var.shape:
                raise ShapeError(f"graph: input {name} has shape {tuple(value.shape)}, but the graph was traced "
                                 f"with shape {var.shape}; trace again for a new shape")
            if value.dtype != var.dtype:
                raise OpTypeError(f"graph: input {name} has dtype {value.dtype}, but the graph was traced with "
                                  f"dtype {var.dtype}; convert it or trace again")
            values.append(value)
        return values

    def evaluate(self, *args, on_node=None):
        """All output values (a list); ``on_node(node, value)`` sees every intermediate."""
        env = dict(zip(self.inputs, self._check_args(args)))
        for node in self.nodes:
            value = bind(node.prim, *[env[a] if isinstance(a, Var) else a for a in node.inputs], **node.params)
            env[node.out] = value
            if on_node is not None:
                on_node(node, value)
        return [env[o] if isinstance(o, Var) else Tensor(o) for o in self.outputs]

    def __call__(self, *args):
        outs = [o if isinstance(o, Tensor) else Tensor._wrap(np.asarray(o)) for o in self.evaluate(*args)]
        return outs[0] if len(outs) == 1 else tuple(outs)

    # ---------------------------------------------------------------- derived graphs
    def _wrt(self, wrt):
        many = isinstance(wrt, (tuple, list))
        nums = tuple(wrt) if many else (wrt,)
        for n in nums:
            if not isinstance(n, int) or not 0 <= n < len(self.inputs):
                raise ValueError(f"graph: wrt={wrt!r} must name inputs 0..{len(self.inputs) - 1}")
        return nums, many

    def grad(self, wrt=0):
        """A new Graph computing the gradient of this (scalar) graph's output with respect
        to input(s) ``wrt``, built by applying the primitives' VJP rules to graph values."""
        from ..core.transforms import grad
        from .trace import trace

        nums, many = self._wrt(wrt)
        if len(self.outputs) != 1 or int(np.prod(self.outputs[0].shape if isinstance(self.outputs[0], Var)
                                                  else np.shape(self.outputs[0]))) != 1:
            raise ValueError("graph.grad: the graph must have one scalar output; use g.jvp or cr.jacobian otherwise")
        gradient = grad(self, argnums=nums if many else nums[0])
        return trace(gradient, *self.example_args, names=self.input_names)

    def jvp(self, wrt=0):
        """A new Graph of forward mode: inputs are this graph's inputs followed by one tangent
        per ``wrt`` input; outputs are this graph's outputs followed by their tangents."""
        from ..core.transforms import jvp
        from .trace import trace

        nums, _ = self._wrt(wrt)
        n = len(self.inputs)

        def forward(*args):
            primals, tangents = args[:n], list(args[n:])
            full = [tangents[nums.index(i)] if i in nums else np.zeros(self.inputs[i].shape, self.inputs[i].dtype)
                    for i in range(n)]
            out, tangent = jvp(self, tuple(primals), tuple(full))
            out = out if isinstance(out, tuple) else (out,)
            tangent = tangent if isinstance(tangent, tuple) else (tangent,)
            return out + tangent

        examples = list(self.example_args) + [np.ones(self.inputs[i].shape, self.inputs[i].dtype) for i in nums]
        names = self.input_names + [f"{self.input_names[i]}_dot" for i in nums]
        return trace(forward, *examples, names=names)

    def optimize(self):
        """A smaller equivalent graph: dead code, common subexpressions, constants and
        identities (x·1, x+0, −(−x)) removed."""
        from .passes import optimize

        return optimize(self)

    # ------------------------------------------------------------------------ views
    def var_names(self):
        """Baydin's numbering: inputs v_{1−n} … v_0, then v_1 … in node order."""
        names = {}
        n = len(self.inputs)
        for i, var in enumerate(self.inputs):
            names[var] = f"v_{i + 1 - n}"
        for k, node in enumerate(self.nodes, start=1):
            names[node.out] = f"v_{k}"
        return names

    def operand(self, value, names):
        return names[value] if isinstance(value, Var) else format_constant(value)

    def __str__(self):
        names = self.var_names()
        header = ", ".join(f"{names[v]}: {v.type_string}" for v in self.inputs)
        lines = [f"graph({header}):"]
        for node in self.nodes:
            args = [self.operand(a, names) for a in node.inputs]
            args += [f"{k}={format_param(v)}" for k, v in node.params.items()]
            lines.append(f"    {names[node.out]}: {node.out.type_string} = {node.prim.name}({', '.join(args)})")
        lines.append("    return " + ", ".join(self.operand(o, names) for o in self.outputs))
        return "\n".join(lines)

    def __repr__(self):
        return f"<Graph: {len(self.inputs)} input(s), {len(self.nodes)} node(s), {len(self.outputs)} output(s)>"

    def primal_table(self):
        """The forward primal trace: each v_i, its definition and its value."""
        from .tables import primal_table

        return primal_table(self)

    def tangent_table(self, wrt=0):
        """The forward tangent trace (v̇ column), seeding input ``wrt`` with 1."""
        from .tables import tangent_table

        return tangent_table(self, wrt)

    def adjoint_table(self):
        """The reverse adjoint trace (v̄ column), seeding the output with ȳ = 1."""
        from .tables import adjoint_table

        return adjoint_table(self)

    def to_dot(self, values=True):
        """Graphviz DOT text of the computational graph."""
        from .dot import graph_to_dot

        return graph_to_dot(self, values=values)

    def render(self, path):
        """Write the picture to ``path`` (.svg, .png or .dot) with Graphviz's ``dot``."""
        from .dot import render_dot

        return render_dot(self.to_dot(), path)
