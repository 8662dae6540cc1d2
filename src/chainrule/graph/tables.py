"""Evaluation traces as tables: the primal, tangent and adjoint traces of the lecture.

Numbering follows Baydin et al.: inputs v_{1−n} … v_0, intermediates v_1 … v_k, and
y = v_k. Each row gives the variable, its definition in terms of earlier variables
and its value; the tangent trace shows each v̇ with its chain-rule expression, the
adjoint trace each v̄ accumulated from its consumers in reverse order. The notation
is each primitive's own (``prim.math``, declared with it); values are computed with
the primitives' own JVP and VJP rules. Scalars print to 3 decimals,
tensors as a shape and a range.
"""

import re
import unicodedata

import numpy as np

from ..core.backprop import sweep
from ..core.devices import to_host
from ..core.tensor import array_of
from .ir import Var

_LATEX = (("×", r"\times "), ("−", "-"), ("√", r"\sqrt "), ("σ", r"\sigma"), ("Σ", r"\sum "), ("²", "^2"),
          ("ln ", r"\ln "), ("exp ", r"\exp "), ("sin ", r"\sin "), ("cos ", r"\cos "), ("tanh ", r"\tanh "),
          ("tan ", r"\tan "), ("sign ", r"\operatorname{sign} "), ("1[", r"\mathbb{1}["), ("@", r"\,"))


def format_number(value):
    """3 decimals with trailing zeros dropped (2, 0.693, 10.693), as the lecture prints."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def format_complex(value):
    """a + bi with the parts to 3 decimals (2 + 1i, 0.5 − 3i)."""
    imaginary = format_number(abs(value.imag))
    return f"{format_number(value.real)} {'−' if value.imag < 0 else '+'} {imaginary}i"


def format_value(value):
    data = to_host(array_of(value) if not isinstance(value, (int, float, complex)) else value)  # shown on the host
    if data.size == 0:
        return f"{data.dtype.name}{list(data.shape)} (empty)"
    if data.dtype.kind == "c":
        if data.size == 1:
            return format_complex(complex(data.reshape(())))
        return f"{data.dtype.name}{list(data.shape)} with |z| in [{format_number(float(np.abs(data).min()))}, " \
               f"{format_number(float(np.abs(data).max()))}]"
    if data.size == 1:
        return format_number(float(data.reshape(())))
    return (f"{data.dtype.name}{list(data.shape)} in [{format_number(float(data.min()))}, "
            f"{format_number(float(data.max()))}]")


class Names:
    """Variable names in one output format: 'text', 'markdown' or 'latex'."""

    def __init__(self, style):
        self.style = style

    def var(self, index, mark=""):
        if self.style == "latex":
            base = {"": "v", "dot": r"\dot{v}", "bar": r"\bar{v}"}[mark]
            return f"{base}_{{{index}}}"
        base = {"": "v", "dot": "v\u0307", "bar": "v\u0304"}[mark]
        return f"{base}_{index}" if self.style == "text" else f"{base}\\_{index}"

    def named(self, name, mark=""):
        if self.style == "latex":
            body = {"": name, "dot": rf"\dot{{{name}}}", "bar": rf"\bar{{{name}}}"}[mark]
            return body
        return name[:1] + {"": "", "dot": "\u0307", "bar": "\u0304"}[mark] + name[1:]

    def expression(self, template):
        if self.style != "latex":
            return template
        for plain, latex in _LATEX:
            template = template.replace(plain, latex)
        return template


def _width(text):
    """Display width: combining marks (the dot of v̇, the bar of v̄) take no column."""
    return sum(1 for ch in text if not unicodedata.combining(ch))


class Table:
    """An evaluation trace: ``str()`` is aligned text; also ``to_markdown()``, ``to_latex()``, ``to_rich()``."""

    def __init__(self, title, columns, build):
        self.title = title
        self.columns = columns
        self._build = build  # build(names) -> list of rows (tuples of strings)

    @property
    def rows(self):
        return self._build(Names("text"))

    def __str__(self):
        rows = [self.columns] + self.rows
        widths = [max(_width(r[i]) for r in rows) for i in range(len(self.columns))]
        lines = [self.title]
        for k, row in enumerate(rows):
            lines.append("  ".join(cell + " " * (w - _width(cell)) for cell, w in zip(row, widths)).rstrip())
            if k == 0:
                lines.append("  ".join("-" * w for w in widths))
        return "\n".join(lines)

    __repr__ = __str__

    def to_markdown(self):
        rows = self._build(Names("markdown"))
        lines = [f"**{self.title}**", "", "| " + " | ".join(self.columns) + " |",
                 "|" + "|".join("---" for _ in self.columns) + "|"]
        lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
        return "\n".join(lines)

    def to_latex(self):
        rows = self._build(Names("latex"))
        lines = [r"\begin{tabular}{" + "l" * len(self.columns) + "}", r"\hline",
                 " & ".join(self.columns) + r" \\", r"\hline"]
        lines += [" & ".join(f"${cell}$" if cell else "" for cell in row) + r" \\" for row in rows]
        lines += [r"\hline", r"\end{tabular}"]
        return "\n".join(lines)

    def to_rich(self):
        from rich.table import Table as RichTable

        table = RichTable(title=self.title)
        for column in self.columns:
            table.add_column(column)
        for row in self.rows:
            table.add_row(*row)
        return table


def _indices(graph):
    """Baydin's index of every Var (inputs 1−n … 0, nodes 1 … k)."""
    n = len(graph.inputs)
    index = {var: i + 1 - n for i, var in enumerate(graph.inputs)}
    index.update({node.out: k for k, node in enumerate(graph.nodes, start=1)})
    return index


def _operand(value, index, names, mark=""):
    return names.var(index[value], mark) if isinstance(value, Var) else format_value(value)


_PLACEHOLDER = re.compile(r"\{(\d+|d)\}")


def _fill(template, operands, derivative=None):
    """Put operand texts at {0}, {1} … and the carried derivative at {d}, in one pass
    (so that a LaTeX name such as v_{0} is never substituted again)."""
    def replace(match):
        key = match.group(1)
        return derivative if key == "d" else operands[int(key)]

    return _PLACEHOLDER.sub(replace, template)


def definition(node, operands, names):
    return names.expression(_fill(node.prim.math.definition, operands))


def _join_terms(terms):
    if not terms:
        return "0"
    text = terms[0]
    for term in terms[1:]:
        text += f" − {term[1:]}" if term.startswith("−") else f" + {term}"
    return text


def partial_term(node, position, operands, derivative, direction):
    """One chain-rule term in plain notation (convert with ``names.expression`` after joining):
    the declared ``tangent`` or ``adjoint`` term of the op for the operand at ``position``
    (the last one serves every further operand of a variadic op); ``None`` for an operand
    that is not differentiated (a condition)."""
    terms = getattr(node.prim.math, direction)
    if not terms:  # a user op, declared without math
        return f"{derivative} ∂{node.prim.name}/∂x{position}"
    template = terms[min(position, len(terms) - 1)]
    return None if template is None else _fill(template, operands, derivative)


def _primal_values(graph, args):
    values = dict(zip(graph.inputs, [array_of(a) for a in args]))
    for node in graph.nodes:
        values[node.out] = array_of(node.prim.impl(*[values[a] if isinstance(a, Var) else a for a in node.inputs],
                                                  **node.params))
    return values


def _value(values, item):
    return values[item] if isinstance(item, Var) else item


def _output_label(graph, k, names, mark=""):
    return names.named("y" if len(graph.outputs) == 1 else f"y{k + 1}", mark)


def primal_table(graph, args=None):
    values = _primal_values(graph, args if args is not None else graph.example_args)
    index = _indices(graph)

    def build(names):
        rows = [(names.var(index[v]), names.named(name), "", format_value(values[v]))
                for v, name in zip(graph.inputs, graph.input_names)]
        for node in graph.nodes:
            symbols = [_operand(a, index, names) for a in node.inputs]
            numbers = [format_value(_value(values, a)) for a in node.inputs]
            rows.append((names.var(index[node.out]), definition(node, symbols, names),
                         definition(node, numbers, names), format_value(values[node.out])))
        for k, out in enumerate(graph.outputs):
            rows.append((_output_label(graph, k, names), _operand(out, index, names), "",
                         format_value(_value(values, out))))
        return rows

    return Table("Forward primal trace", ("variable", "definition", "with values", "value"), build)


def tangent_table(graph, wrt=0, args=None):
    nums, _ = graph._wrt(wrt)
    values = _primal_values(graph, args if args is not None else graph.example_args)
    tangents = {}
    for i, var in enumerate(graph.inputs):
        tangents[var] = np.full(var.shape, 1.0 if i in nums else 0.0, var.dtype)
    for node in graph.nodes:
        ins = [tangents.get(a) if isinstance(a, Var) else None for a in node.inputs]
        primals = [_value(values, a) for a in node.inputs]
        out = values[node.out]
        t = node.prim.jvp(ins, out, primals, node.params) if node.prim.differentiable else None
        tangents[node.out] = np.zeros(out.shape, out.dtype) if t is None else array_of(t)
    index = _indices(graph)

    def build(names):
        rows = [(names.var(index[v], "dot"), names.named(name, "dot"), format_value(tangents[v]))
                for v, name in zip(graph.inputs, graph.input_names)]
        for node in graph.nodes:
            symbols = [_operand(a, index, names) for a in node.inputs]
            terms = [partial_term(node, k, symbols, names.var(index[a], "dot"), "tangent")
                     for k, a in enumerate(node.inputs) if isinstance(a, Var)]
            terms = [term for term in terms if term is not None]
            rows.append((names.var(index[node.out], "dot"),
                         names.expression(_join_terms(terms)) if node.prim.differentiable else "0",
                         format_value(tangents[node.out])))
        for k, out in enumerate(graph.outputs):
            rows.append((_output_label(graph, k, names, "dot"), _operand(out, index, names, "dot"),
                         format_value(tangents[out] if isinstance(out, Var) else 0.0)))
        return rows

    seeds = ", ".join(f"{name}=1" for i, name in enumerate(graph.input_names) if i in nums)
    return Table(f"Forward tangent trace (seed {seeds})", ("tangent", "chain rule", "value"), build)


def adjoint_table(graph, args=None):
    if len(graph.outputs) != 1 or not isinstance(graph.outputs[0], Var) or np.prod(graph.outputs[0].shape) != 1:
        raise ValueError("adjoint_table: the graph needs one scalar output (ȳ = 1 is the seed)")
    values = _primal_values(graph, args if args is not None else graph.example_args)
    root = graph.outputs[0]
    adjoints = {}
    sweep(root, np.ones(root.shape, root.dtype), lambda a: _value(values, a),
          on_cotangent=lambda var, ct: adjoints.__setitem__(var, ct))
    consumers = {}
    for node in graph.nodes:
        for k, a in enumerate(node.inputs):
            if isinstance(a, Var):
                consumers.setdefault(a, []).append((node, k))
    index = _indices(graph)
    order = [node.out for node in reversed(graph.nodes)] + list(reversed(graph.inputs))

    def adjoint_value(var):
        ct = adjoints.get(var)
        return format_value(np.zeros(var.shape, var.dtype) if ct is None else ct)

    def build(names):
        rows = [(names.var(index[root], "bar"), _output_label(graph, 0, names, "bar"), "1")]
        for var in order:
            if var is root:
                continue
            terms = []
            for node, k in consumers.get(var, []):
                symbols = [_operand(a, index, names) for a in node.inputs]
                term = partial_term(node, k, symbols, names.var(index[node.out], "bar"), "adjoint")
                if term is not None:
                    terms.append(term)
            rows.append((names.var(index[var], "bar"), names.expression(_join_terms(terms)), adjoint_value(var)))
        for var, name in zip(graph.inputs, graph.input_names):
            rows.append((names.named(name, "bar"), names.var(index[var], "bar"), adjoint_value(var)))
        return rows

    return Table("Reverse adjoint trace", ("adjoint", "accumulation", "value"), build)
