"""The derivative reference, ``docs/derivatives.md``, generated from the registry.

Every primitive's derivative as its declaration states it (``prim.math``), in textbook
notation: ẋ is the tangent of the argument x (forward mode), ḡ the cotangent of the
output (reverse mode). ``python -m chainrule.reference`` rewrites the file; a test fails
when it is out of date.
"""

import re
import sys
import unicodedata

import numpy as np

from .core.primitive import REGISTRY

PATH = "docs/derivatives.md"
_PLACEHOLDER = re.compile(r"\{(\d+|d)\}")

_HEADER = """# Derivative reference

Generated from chainrule's registry of primitives by `python -m chainrule.reference`; do not edit
by hand. Each primitive is declared once, in `src/chainrule/ops/`, with its NumPy implementation
and its derivative; everything below is read from those declarations.

Notation: for an argument x, ẋ is its tangent (forward mode) and x̄ its cotangent (reverse mode);
ḡ is the cotangent of the output. 1[·] is 1 where the condition holds and 0 elsewhere. Cotangents
are summed back over broadcast axes and cast to their argument's dtype, centrally, so the rules
below never mention broadcasting.

Every differentiable primitive is checked by `tests/ops/test_registry.py` against finite
differences in float64 (and in float32 with looser tolerances) in each view listed: the eager tape
(`backward`), the `cr.grad` transform, forward mode (`cr.jvp`), second derivatives (forward over
reverse, reverse over reverse, `create_graph=True`), the graph-to-graph gradient
(`cr.trace(f).grad()`) with its evaluation traces, and `cr.jit`.
"""


def _render(template, names, derivative=""):
    def replace(match):
        key = match.group(1)
        return derivative if key == "d" else names[int(key)] if int(key) < len(names) else f"x{key}"

    return _PLACEHOLDER.sub(replace, template).replace("|", "\\|")


def _names(prim):
    count = max(len(prim.math.tangent), len(prim.math.adjoint), 1)
    names = list(prim.math.names)
    while len(names) < count:
        names.append(f"x{len(names)}")
    return names


def _forward(prim, names):
    terms = [_render(term, names, names[k] + "\u0307") for k, term in enumerate(prim.math.tangent) if term]
    return " + ".join(terms).replace("+ −", "− ") if terms else "0"


def _reverse(prim, names):
    terms = [f"{names[k]}\u0304 = {_render(term, names, 'ḡ')}" for k, term in enumerate(prim.math.adjoint) if term]
    return "; ".join(terms) if terms else "0"


def _parameters(prim):
    samples = prim.samples(np.random.default_rng(0)) if prim.samples is not None else []
    keys = sorted({key for _, params in samples for key in params})
    return ", ".join(f"`{key}`" for key in keys) or "—"


def _views(prim):
    views = ["tape", "grad", "2nd order", "trace", "jit"]
    if prim.jvp is not None:
        views.insert(2, "jvp")
    return ", ".join(views)


def reference():
    """The text of ``docs/derivatives.md`` for the primitives registered now."""
    prims = sorted(REGISTRY.values(), key=lambda p: p.name)
    lines = [_HEADER, "## Differentiable primitives", "",
             "| primitive | definition | forward mode: tangent of the output | reverse mode: cotangents | "
             "parameters | views |",
             "|---|---|---|---|---|---|"]
    for prim in prims:
        if prim.differentiable:
            names = _names(prim)
            lines.append(f"| `{prim.name}` | {_render(prim.math.definition, names)} | {_forward(prim, names)} | "
                         f"{_reverse(prim, names)} | {_parameters(prim)} | {_views(prim)} |")
    lines += ["", "## Primitives without a derivative", "",
              "Their outputs never carry gradients (comparisons, logic, argmax): a value computed from them is a "
              "constant to every derivative.", "", "| primitive | definition |", "|---|---|"]
    for prim in prims:
        if not prim.differentiable:
            lines.append(f"| `{prim.name}` | {_render(prim.math.definition, _names(prim))} |")
    return unicodedata.normalize("NFC", "\n".join(lines) + "\n")


def main(argv=None):
    path = (argv or sys.argv[1:] or [PATH])[0]
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(reference())
    print(f"wrote {path} ({len(REGISTRY)} primitives)")


if __name__ == "__main__":
    main()
