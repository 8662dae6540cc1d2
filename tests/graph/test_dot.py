"""Graph pictures: DOT text, forward + gradient side by side, eager tapes, rendering."""

import os
import re
import shutil
import stat
import sys

import numpy as np
import pytest

import chainrule as cr
from chainrule.graph import draw_with_gradient, from_tensor, graph_to_dot, render_dot


def lecture_f(x1, x2):
    return cr.log(x1) + x1 * x2 - cr.sin(x2)


@pytest.fixture
def g():
    return cr.trace(lecture_f, np.float64(2.0), np.float64(5.0))


STATEMENT = re.compile(r"^\s*(\w+) \[(.*)\];$")
EDGE = re.compile(r"^\s*(\w+) -> (\w+)")


def statements(dot):
    """node id -> attribute text, for every node statement."""
    out = {}
    for line in dot.splitlines():
        m = STATEMENT.match(line)
        if m and m.group(1) not in ("node", "edge"):
            out[m.group(1)] = m.group(2)
    return out


def edges(dot):
    return [EDGE.match(line).groups() for line in dot.splitlines() if EDGE.match(line)]


def test_to_dot_is_a_digraph(g):
    dot = g.to_dot()
    assert dot.lstrip().startswith("digraph")
    assert dot.rstrip().endswith("}")
    assert dot.count("{") == dot.count("}")


def test_to_dot_has_one_node_per_input_and_per_primitive(g):
    nodes = statements(g.to_dot())
    ellipses = [k for k, attrs in nodes.items() if 'shape="ellipse"' in attrs]
    boxes = [k for k, attrs in nodes.items() if 'shape="box"' in attrs]
    assert len(ellipses) == len(g.inputs) == 2
    assert len(boxes) == len(g.nodes) == 5
    labels = " ".join(nodes[k] for k in boxes)
    for prim in ("log", "mul", "sin", "add", "sub"):
        assert prim in labels


def test_to_dot_edges_follow_the_data_flow(g):
    dot = g.to_dot()
    nodes = statements(dot)

    def node_id(var):
        matches = [k for k, attrs in nodes.items()
                   if re.search(r'label="v_%s = ' % re.escape(g.var_names()[var][2:]), attrs)]
        assert len(matches) == 1, (var, matches)
        return matches[0]

    expected = set()
    for node in g.nodes:
        for a in node.inputs:
            expected.add((node_id(a), node_id(node.out)))
    found = edges(dot)
    out_edges = [e for e in found if e[1] not in {node_id(n.out) for n in g.nodes}]
    data_edges = set(found) - set(out_edges)
    assert data_edges == expected
    assert len(expected) == 8  # log 1, mul 2, sin 1, add 2, sub 2
    # the output is marked: one edge to an output marker, from the last node
    assert out_edges == [(node_id(g.outputs[0]), out_edges[0][1])]


def test_to_dot_marks_only_the_output_node(g):
    nodes = statements(g.to_dot())
    marked = [k for k, attrs in nodes.items() if 'peripheries="2"' in attrs]
    assert len(marked) == 1
    assert "sub" in nodes[marked[0]]


def test_to_dot_labels_show_values_or_shapes(g):
    with_values = g.to_dot()
    assert "11.652" in with_values and "0.693" in with_values
    shapes = g.to_dot(values=False)
    assert "11.652" not in shapes
    assert "float64[]" in shapes


def test_to_dot_of_tensor_graph_shows_shapes_and_constants():
    g = cr.trace(lambda W, x: cr.relu(W @ x + 1.0).sum(), np.ones((3, 4)), np.ones(4))
    dot = graph_to_dot(g, values=False)
    assert "float64[3,4]" in dot and "float64[4]" in dot
    nodes = statements(dot)
    assert any('shape="plaintext"' in attrs and 'label="1"' in attrs for attrs in nodes.values())


def test_draw_with_gradient_has_two_clusters(g):
    dot = draw_with_gradient(g)
    assert dot.count("subgraph cluster_") == 2
    assert "cluster_forward" in dot and "cluster_gradient" in dot
    ids = statements(dot)
    assert any(k.startswith("f_") for k in ids) and any(k.startswith("g_") for k in ids)
    # edges never cross between the two pictures
    for a, b in edges(dot):
        assert a[:2] == b[:2]
    assert dot.count("{") == dot.count("}")


def test_draw_with_gradient_gradient_cluster_shows_the_gradient_value(g):
    dot = draw_with_gradient(g, wrt=0)
    gradient_part = dot.split("cluster_gradient", 1)[1]
    assert "5.5" in gradient_part


def test_from_tensor_draws_the_eager_tape():
    x = cr.tensor(np.array([1.0, 2.0, 3.0]), requires_grad=True)
    w = cr.tensor(np.array([0.5, -1.0, 2.0]), requires_grad=True)
    y = (cr.exp(x) * w).sum()
    dot = from_tensor(y)
    assert dot.lstrip().startswith("digraph")
    for name in ("mulBackward", "expBackward", "sumBackward"):
        assert name in dot
    nodes = statements(dot)
    leaves = [k for k, attrs in nodes.items() if "leaf" in attrs]
    assert len(leaves) == 2
    assert len(edges(dot)) >= 4


def test_from_tensor_refuses_a_tensor_without_history():
    with pytest.raises(ValueError, match="history"):
        from_tensor(cr.tensor(np.array([1.0, 2.0])))


def test_from_tensor_refuses_a_tensor_computed_without_grad():
    x = cr.tensor(np.array([1.0, 2.0]))
    with pytest.raises(ValueError):
        from_tensor(cr.exp(x) * 2.0)


# ------------------------------------------------------------------ rendering


def test_render_dot_file_writes_the_dot_text(g, tmp_path):
    path = tmp_path / "graph.dot"
    g.render(str(path))
    assert path.read_text(encoding="utf-8") == g.to_dot()


def test_render_without_graphviz_raises_runtime_error_saying_how_to_install(g, tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda *args, **kwargs: None)
    path = tmp_path / "graph.svg"
    with pytest.raises(RuntimeError) as info:
        g.render(str(path))
    message = str(info.value)
    assert "Graphviz" in message
    assert "install" in message.lower()
    assert "dot" in message
    assert not path.exists()


def _fake_dot(tmp_path, exit_code=0):
    """A `dot` executable that writes its stdin to the -o file and logs its arguments."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    script = bindir / "dot"
    log = tmp_path / "dot_args.txt"
    script.write_text(
        f"#!{sys.executable}\n"
        "import sys\n"
        "args = sys.argv[1:]\n"
        f"open({str(log)!r}, 'w').write(' '.join(args))\n"
        "data = sys.stdin.buffer.read()\n"
        "out = args[args.index('-o') + 1]\n"
        "open(out, 'wb').write(data)\n"
        f"sys.exit({exit_code})\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return bindir, log


@pytest.mark.skipif(os.name == "nt", reason="shebang scripts")
def test_render_svg_runs_dot_from_path(g, tmp_path, monkeypatch):
    bindir, log = _fake_dot(tmp_path)
    monkeypatch.setenv("PATH", str(bindir) + os.pathsep + os.environ.get("PATH", ""))
    path = tmp_path / "graph.svg"
    g.render(str(path))
    assert path.read_text(encoding="utf-8") == g.to_dot()
    args = log.read_text().split()
    assert "-Tsvg" in args and str(path) in args


@pytest.mark.skipif(os.name == "nt", reason="shebang scripts")
def test_render_png_asks_dot_for_png(g, tmp_path, monkeypatch):
    bindir, log = _fake_dot(tmp_path)
    monkeypatch.setenv("PATH", str(bindir) + os.pathsep + os.environ.get("PATH", ""))
    path = tmp_path / "graph.png"
    render_dot(g.to_dot(), str(path))
    assert path.exists()
    assert "-Tpng" in log.read_text().split()


@pytest.mark.skipif(os.name == "nt", reason="shebang scripts")
def test_render_reports_a_failing_dot(g, tmp_path, monkeypatch):
    bindir, _ = _fake_dot(tmp_path, exit_code=3)
    monkeypatch.setenv("PATH", str(bindir) + os.pathsep + os.environ.get("PATH", ""))
    with pytest.raises(RuntimeError, match="dot"):
        g.render(str(tmp_path / "graph.svg"))


def test_render_refuses_an_unknown_format(g, tmp_path):
    with pytest.raises(ValueError, match=r"\.svg"):
        g.render(str(tmp_path / "graph.jpeg"))
