"""Pictures of computational graphs: Graphviz DOT text, and rendering through ``dot``.

``graph_to_dot`` draws a traced Graph (inputs as ellipses, one box per primitive,
constants as plain text, outputs with a double border, example values or shapes
in the labels); ``draw_with_gradient`` puts a graph and its gradient graph side by
side (the TensorFlow-1 picture); ``from_tensor`` draws the eager tape behind a
tensor, as torchviz does for PyTorch.
"""

import os
import shutil
import subprocess

from ..core.errors import BackwardError
from ..core.tensor import Tensor
from .ir import Var
from .tables import _indices, _primal_values, format_value

_FORMATS = ("svg", "png", "pdf", "dot")


def _quote(text):
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _statement(name, **attributes):
    attrs = ", ".join(f"{k}={_quote(v)}" for k, v in attributes.items())
    return f"  {name} [{attrs}];"


def _cluster_lines(graph, prefix, values):
    """DOT statements for one graph, node ids prefixed so that several graphs can share a picture."""
    numbers = _primal_values(graph, graph.example_args) if values else None
    index = _indices(graph)
    outputs = {o for o in graph.outputs if isinstance(o, Var)}

    def describe(var, head):
        extra = format_value(numbers[var]) if numbers is not None else var.type_string
        border = {"peripheries": "2"} if var in outputs else {}
        return head + "\n" + extra, border

    lines = []
    for var, name in zip(graph.inputs, graph.input_names):
        label, border = describe(var, f"v_{index[var]} = {name}")
        lines.append(_statement(f"{prefix}v{var.index}", label=label, shape="ellipse", style="filled",
                                fillcolor="#dbe9f6", **border))
    constants = 0
    for node in graph.nodes:
        label, border = describe(node.out, f"v_{index[node.out]} = {node.prim.name}")
        lines.append(_statement(f"{prefix}v{node.out.index}", label=label, shape="box", style="rounded,filled",
                                fillcolor="#f2f2f2", **border))
        for position, operand in enumerate(node.inputs):
            if isinstance(operand, Var):
                source = f"{prefix}v{operand.index}"
            else:
                constants += 1
                source = f"{prefix}c{constants}"
                lines.append(_statement(source, label=format_value(operand), shape="plaintext"))
            lines.append(f"  {source} -> {prefix}v{node.out.index} [label={_quote(position) if len(node.inputs) > 1 else _quote('')}];")
    for k, out in enumerate(graph.outputs):
        if isinstance(out, Var):
            lines.append(_statement(f"{prefix}y{k}", label="y" if len(graph.outputs) == 1 else f"y{k + 1}",
                                    shape="plaintext"))
            lines.append(f"  {prefix}v{out.index} -> {prefix}y{k};")
    return lines


def _digraph(body):
    return "\n".join(["digraph chainrule {", "  rankdir=LR;", '  node [fontname="Helvetica", fontsize=11];',
                      '  edge [fontname="Helvetica", fontsize=9];'] + body + ["}"]) + "\n"


def graph_to_dot(graph, values=True):
    """DOT text of ``graph``; labels show example values (``values=True``) or shapes and dtypes."""
    return _digraph(_cluster_lines(graph, "", values))


def draw_with_gradient(graph, wrt=0, values=True):
    """DOT text with the forward graph and its (optimized) gradient graph side by side."""
    gradient = graph.grad(wrt).optimize()
    body = ["  subgraph cluster_forward {", '  label="forward graph";']
    body += _cluster_lines(graph, "f_", values)
    body += ["  }", "  subgraph cluster_gradient {", '  label="gradient graph (a new graph)";']
    body += _cluster_lines(gradient, "g_", values)
    body += ["  }"]
    return _digraph(body)


def from_tensor(tensor):
    """DOT text of the eager tape that produced ``tensor``: ops (grad_fn) and the leaves
    requiring grad, as torchviz draws PyTorch's graphs."""
    if not isinstance(tensor, Tensor) or (tensor.grad_fn is None and not tensor.requires_grad):
        raise ValueError("from_tensor: the tensor has no recorded history (create its inputs with requires_grad=True)")
    body = []
    seen = {id(tensor)}
    stack = [tensor]
    body.append(_statement(f"t{id(tensor)}_out", label=f"output\n{tensor.dtype.name}{list(tensor.shape)}",
                           shape="plaintext"))
    body.append(f"  t{id(tensor)} -> t{id(tensor)}_out;")
    while stack:
        value = stack.pop()
        node = value._node
        if node is None:
            body.append(_statement(f"t{id(value)}", label=f"leaf\n{value.dtype.name}{list(value.shape)}",
                                   shape="ellipse", style="filled", fillcolor="#dbe9f6"))
            continue
        if node.inputs is None:
            raise BackwardError(f"from_tensor: the graph behind {node.name} was freed by a backward pass; "
                                f"draw it before backward or pass retain_graph=True")
        body.append(_statement(f"t{id(value)}", label=f"{node.name}\n{value.dtype.name}{list(value.shape)}",
                               shape="box", style="rounded,filled", fillcolor="#f2f2f2"))
        for parent in node.inputs:
            if isinstance(parent, Tensor) and parent.requires_grad:
                body.append(f"  t{id(parent)} -> t{id(value)};")
                if id(parent) not in seen:
                    seen.add(id(parent))
                    stack.append(parent)
    return _digraph(body)


def render_dot(dot_text, path):
    """Write ``dot_text`` to ``path``: as DOT for ``.dot``, else through Graphviz's ``dot`` program."""
    fmt = os.path.splitext(str(path))[1].lstrip(".").lower()
    if fmt not in _FORMATS:
        raise ValueError(f"render: cannot tell the format of {path!r}; use one of .{', .'.join(_FORMATS)}")
    if fmt == "dot":
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(dot_text)
        return path
    executable = shutil.which("dot")
    if executable is None:
        raise RuntimeError(
            f"render: Graphviz's `dot` program is needed to write {path!r} but was not found on PATH. "
            f"Install Graphviz (Debian/Ubuntu: apt-get install graphviz; macOS: brew install graphviz; "
            f"conda: conda install graphviz), or write DOT text instead: g.render('graph.dot') / g.to_dot().")
    result = subprocess.run([executable, f"-T{fmt}", "-o", str(path)], input=dot_text.encode("utf-8"),
                            capture_output=True, timeout=60)
    if result.returncode != 0:
        raise RuntimeError(f"render: dot failed on {path!r}: {result.stderr.decode(errors='replace').strip()}")
    return path
