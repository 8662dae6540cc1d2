"""The layers: the engine (core/) imports no op declarations, and no modules import each other in a loop."""

import ast
import pathlib
import subprocess
import sys

SRC = pathlib.Path(__file__).resolve().parents[1] / "src" / "chainrule"


def _module_name(path):
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in SRC.rglob("*.py")}


def _imports(name, path):
    """The chainrule modules that ``name`` imports (at any depth of its code)."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                submodule = f"{target}.{alias.name}"
                found.add(submodule if submodule in MODULES else target)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {m for m in found if m in MODULES and m != name}


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def test_engine_modules_import_nothing_above_the_engine():
    for name, imported in GRAPH.items():
        if name.startswith("chainrule.core."):
            above = sorted(m for m in imported if not m.startswith("chainrule.core"))
            assert not above, f"{name} imports {above}: the engine must not depend on the ops or anything above"


def test_no_modules_import_each_other_in_a_loop():
    index, low, stack, on_stack, loops = {}, {}, [], set(), []

    def visit(v):  # Tarjan's strongly connected components, iteratively
        work = [(v, iter(sorted(GRAPH[v])))]
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        while work:
            node, children = work[-1]
            for w in children:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(sorted(GRAPH[w]))))
                    break
                if w in on_stack:
                    low[node] = min(low[node], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        w = stack.pop()
                        on_stack.discard(w)
                        component.append(w)
                        if w == node:
                            break
                    if len(component) > 1:
                        loops.append(sorted(component))

    for name in sorted(GRAPH):
        if name not in index:
            visit(name)
    assert not loops, f"import loops: {loops}"


def test_the_engine_imports_and_runs_without_the_rest_of_chainrule():
    code = f"""
import sys, types
package = types.ModuleType("chainrule")
package.__path__ = [{str(SRC)!r}]
sys.modules["chainrule"] = package
import numpy as np
from chainrule.core.bind import bind
from chainrule.core.primitive import Primitive
from chainrule.core.tensor import Tensor
square = Primitive("square", np.square, vjp=lambda needed, g, ans, args, params: [g * 2 * args[0]], register=False)
x = Tensor(np.array([3.0]), requires_grad=True)
y = bind(square, x)
from chainrule.core import tape
tape.backward(bind(Primitive("total", np.sum, vjp=lambda needed, g, ans, args, params: [g * np.ones_like(args[0])],
                            register=False), y))
assert x.grad.numpy().tolist() == [6.0], x.grad
loaded = sorted(m for m in sys.modules if m.startswith("chainrule.") and not m.startswith("chainrule.core"))
assert not loaded, loaded
print("ok")
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr
