"""Static graphs (TensorFlow-1 style), evaluation traces, pictures and jit.

``cr.trace(f, *examples)`` records ``f`` as a ``Graph``; ``g.grad()`` is a new graph
that computes the gradient; ``g.primal_table()``, ``g.tangent_table()`` and
``g.adjoint_table()`` print the lecture's evaluation traces; ``g.to_dot()`` draws
it; ``cr.jit(f)`` compiles it to straight-line NumPy.
"""

from .dot import draw_with_gradient, from_tensor, graph_to_dot, render_dot
from .graph import Graph, trace
from .ir import Equation, Var
from .jit import jit
from .recording import GraphTracer

__all__ = ["Graph", "Equation", "Var", "GraphTracer", "trace", "jit", "draw_with_gradient", "from_tensor",
           "graph_to_dot", "render_dot"]
