"""``Graph``: a traced function as a static graph (TensorFlow-1 style), and ``cr.trace``.

A ``Graph`` has ``inputs`` (``Var``s), ``nodes`` (``Equation``s, each one primitive
applied to earlier ``Var``s or constants, producing one ``Var``) and ``outputs``
(``Var``s or constants). Evaluating a graph binds the same primitives as eager
code, so a graph can itself be traced, differentiated and jitted: ``g.grad()`` is a
new graph, built by tracing the gradient transform of this one.
"""

import numpy as np

from ..api.wrap import as_tensor
from ..core import pytree
from ..core.bind import bind
from ..core.errors import OpTypeError, ShapeError
from ..func.transforms import grad, jvp
from . import dot, passes, tables
from .ir import Var, format_constant, format_param, order_by_depth
from .recording import record


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

    def rebuilt(self, inputs, nodes, outputs):
        """A graph of the same kind, example arguments and input names with new contents (for passes)."""
        return Graph(inputs, nodes, outputs, self.example_args, self.input_names)

    # ------------------------------------------------------------------ evaluation
    def _check_args(self, args):
        if len(args) != len(self.inputs):
            raise TypeError(f"graph: expected {len(self.inputs)} input(s) ({', '.join(self.input_names)}), "
                            f"got {len(args)}")
        values = []
        for name, var, arg in zip(self.input_names, self.inputs, args):
            value = as_tensor(arg)
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
        return [env[o] if isinstance(o, Var) else as_tensor(o) for o in self.outputs]

    def __call__(self, *args):
        outs = [as_tensor(o) for o in self.evaluate(*args)]
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
        nums, many = self._wrt(wrt)
        if len(self.outputs) != 1 or int(np.prod(self.outputs[0].shape if isinstance(self.outputs[0], Var)
                                                  else np.shape(self.outputs[0]))) != 1:
            raise ValueError("graph.grad: the graph must have one scalar output; use g.jvp or cr.jacobian otherwise")
        gradient = grad(self, argnums=nums if many else nums[0])
        return trace(gradient, *self.example_args, names=self.input_names)

    def jvp(self, wrt=0):
        """A new Graph of forward mode: inputs are this graph's inputs followed by one tangent
        per ``wrt`` input; outputs are this graph's outputs followed by their tangents."""
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
        return passes.optimize(self)

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
        return tables.primal_table(self)

    def tangent_table(self, wrt=0):
        """The forward tangent trace (v̇ column), seeding input ``wrt`` with 1."""
        return tables.tangent_table(self, wrt)

    def adjoint_table(self):
        """The reverse adjoint trace (v̄ column), seeding the output with ȳ = 1."""
        return tables.adjoint_table(self)

    def to_dot(self, values=True):
        """Graphviz DOT text of the computational graph."""
        return dot.graph_to_dot(self, values=values)

    def render(self, path):
        """Write the picture to ``path`` (.svg, .png or .dot) with Graphviz's ``dot``."""
        return dot.render_dot(self.to_dot(), path)


def trace(f, *example_args, names=None):
    """Trace ``f`` on example arguments into a ``cr.Graph``.

    The graph's inputs keep the shapes and dtypes of the examples (Python floats
    become the default dtype); ``f`` may return a tensor or a tuple/list/dict of them.

    >>> g = cr.trace(lambda x1, x2: cr.log(x1) + x1 * x2 - cr.sin(x2), 2.0, 5.0)
    >>> g(2.0, 5.0)        # tensor(11.652...)
    """
    examples = [as_tensor(a) for a in example_args]
    inputs, equations, outputs = record(f, examples)
    return Graph(inputs, equations, outputs, [x._data for x in examples], names)


def trace_structure(f, *example_args):
    """Like ``trace``, also returning a function that rebuilds ``f``'s output structure."""
    structure = []

    def recording(*args):
        out = f(*args)
        leaves, rebuild = pytree.flatten(out)
        structure.append(rebuild)
        return leaves

    graph = trace(recording, *example_args)
    return graph, structure[0]
