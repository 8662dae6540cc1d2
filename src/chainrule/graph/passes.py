"""Graph passes: dead-code elimination, common-subexpression elimination, constant
folding and algebraic identities. ``optimize`` repeats them until nothing changes.

Each pass maps a graph to a new one; replacements keep shapes and dtypes, so the
optimized graph computes exactly what the original did.
"""

import numpy as np

from ..core.devices import is_device_array
from ..ops.indexing import IndexSlot
from .ir import Equation, Var


def _rebuild(graph, nodes, replace):
    """A new graph (with its own Vars) of ``nodes``, every value read through ``replace``
    (a map from Var to the Var or constant that stands for it)."""
    fresh = {v: Var(v.index, v.shape, v.dtype) for v in graph.inputs}

    def look(value):
        while isinstance(value, Var) and value in replace:
            value = replace[value]
        return fresh[value] if isinstance(value, Var) else value

    new_nodes = []
    for node in nodes:
        inputs = [look(a) for a in node.inputs]
        out = fresh[node.out] = Var(node.out.index, node.out.shape, node.out.dtype)
        new_nodes.append(Equation(node.prim, inputs, node.params, out))
    return graph.rebuilt([fresh[v] for v in graph.inputs], new_nodes, [look(o) for o in graph.outputs])


def scalar_constant(value):
    """A 0-d result as an immutable NumPy scalar (arrays stay arrays, device arrays on their device)."""
    if is_device_array(value):
        return value
    value = np.asarray(value)
    return value[()] if value.ndim == 0 else value


def eliminate_dead_code(graph):
    """Drop nodes whose value reaches no output."""
    live = {o for o in graph.outputs if isinstance(o, Var)}
    kept = []
    for node in reversed(graph.nodes):
        if node.out in live:
            kept.append(node)
            live.update(a for a in node.inputs if isinstance(a, Var))
    return _rebuild(graph, list(reversed(kept)), {})


def _freeze(value):
    """A hashable key for a param or constant, equal for equal values."""
    if isinstance(value, np.ndarray):
        return ("array", value.shape, value.dtype.str, value.tobytes())
    if isinstance(value, np.generic):
        return ("scalar", value.dtype.str, value.item())
    if isinstance(value, (tuple, list)):
        return (type(value).__name__,) + tuple(_freeze(v) for v in value)
    if isinstance(value, dict):
        return ("dict",) + tuple((k, _freeze(v)) for k, v in sorted(value.items()))
    if isinstance(value, slice):
        return ("slice", value.start, value.stop, value.step)
    if isinstance(value, np.dtype):
        return ("dtype", value.str)
    if isinstance(value, IndexSlot):
        return ("slot", value.position)
    if isinstance(value, (int, float, bool, str, type(None), type(Ellipsis))):
        return (type(value).__name__, value)
    return ("object", id(value))


def _operand_key(value):
    """Vars and array constants by identity (an array captured from a tensor may change in place
    later, so two arrays equal at trace time are not the same operand); scalars by value."""
    if isinstance(value, (Var, np.ndarray)):
        return ("identity", id(value))
    return _freeze(value)


def eliminate_common_subexpressions(graph):
    """Compute each (primitive, inputs, params) once."""
    seen = {}
    replace = {}
    kept = []
    for node in graph.nodes:
        inputs = tuple(replace.get(a, a) if isinstance(a, Var) else a for a in node.inputs)
        key = (node.prim.name, tuple(_operand_key(a) for a in inputs), _freeze(node.params))
        if key in seen:
            replace[node.out] = seen[key]
        else:
            seen[key] = node.out
            kept.append(node)
    return _rebuild(graph, kept, replace)


def fold_constants(graph):
    """Evaluate nodes whose inputs are all scalar constants (never arrays, which may change)."""
    replace = {}
    kept = []
    for node in graph.nodes:
        inputs = [replace.get(a, a) if isinstance(a, Var) else a for a in node.inputs]
        if all(not isinstance(a, (Var, np.ndarray)) for a in inputs):  # arrays may change in place
            replace[node.out] = scalar_constant(node.prim.impl(*inputs, **node.params))
        else:
            kept.append(node)
    return _rebuild(graph, kept, replace)


def _is_constant(value, number):
    """Whether ``value`` is an immutable scalar constant equal to ``number``. Arrays never are:
    an array captured from a tensor may be changed in place after tracing."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.generic)):
        return False
    return np.asarray(value).dtype.kind in "iuf" and value == number


def _identity_operand(node):
    """The input that an identity node just passes through (x·1, 1·x, x+0, 0+x, x−0, x/1, −(−x))."""
    name, inputs = node.prim.name, node.inputs
    candidates = []
    if name == "mul":
        candidates = [(inputs[0], inputs[1], 1), (inputs[1], inputs[0], 1)]
    elif name == "add":
        candidates = [(inputs[0], inputs[1], 0), (inputs[1], inputs[0], 0)]
    elif name in ("sub",):
        candidates = [(inputs[0], inputs[1], 0)]
    elif name == "div":
        candidates = [(inputs[0], inputs[1], 1)]
    elif name == "neg" and isinstance(inputs[0], Var) and inputs[0]._node is not None \
            and inputs[0]._node.prim.name == "neg":
        return inputs[0]._node.inputs[0]
    for operand, other, number in candidates:
        if isinstance(operand, Var) and _is_constant(other, number):
            return operand
    return None


def simplify_identities(graph):
    """Replace identity operations by their operand when shape and dtype are unchanged."""
    replace = {}
    kept = []
    for node in graph.nodes:
        operand = _identity_operand(node)
        while isinstance(operand, Var) and operand in replace:
            operand = replace[operand]
        if isinstance(operand, Var) and operand.shape == node.out.shape and operand.dtype == node.out.dtype:
            replace[node.out] = operand
        else:
            kept.append(node)
    return _rebuild(graph, kept, replace)


def drop_stop_gradients(graph):
    """Replace ``stop_gradient`` by its operand: for compiled code, which is never
    differentiated again (the gradient it computes already respects the stops)."""
    replace = {node.out: node.inputs[0] for node in graph.nodes if node.prim.name == "stop_gradient"}
    return _rebuild(graph, [node for node in graph.nodes if node.out not in replace], replace)


PASSES = (fold_constants, simplify_identities, eliminate_common_subexpressions, eliminate_dead_code)


def optimize(graph):
    """Apply every pass until the graph stops shrinking."""
    while True:
        size = len(graph.nodes)
        for graph_pass in PASSES:
            graph = graph_pass(graph)
        if len(graph.nodes) == size:
            return graph
