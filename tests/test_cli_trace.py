"""`chainrule trace` and `chainrule graph`: the lecture's tables and pictures from the command line."""

import io
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from chainrule.cli import build_parser, cmd_graph, cmd_trace

LECTURE = "ln(x1) + x1*x2 - sin(x2)"
SRC = str(Path(__file__).resolve().parents[1] / "src")


def run(argv):
    args = build_parser().parse_args(argv)
    out, err = io.StringIO(), io.StringIO()
    command = {"trace": cmd_trace, "graph": cmd_graph}[args.command]
    status = command(args, out=out, err=err)
    return status, out.getvalue(), err.getvalue()


def nfd(text):
    return unicodedata.normalize("NFD", text)


def row_value(text, label):
    """The last cell of the text-table row whose first cell is ``label``."""
    for line in nfd(text).splitlines():
        cells = line.split()
        if cells and cells[0] == nfd(label):
            return cells[-1]
    raise AssertionError(f"no row {label!r} in:\n{text}")


def section(text, title):
    start = text.index(title)
    rest = text[start:]
    end = rest.find("\n\n")
    return rest if end < 0 else rest[:end]


# ------------------------------------------------------------------ trace: text


def test_trace_prints_the_three_tables_with_the_lecture_numbers():
    status, out, err = run(["trace", LECTURE, "--at", "x1=2", "x2=5"])
    assert status == 0, err
    assert err == ""
    for title in ("Forward primal trace", "Forward tangent trace", "Reverse adjoint trace"):
        assert title in out
    assert out.index("Forward primal trace") < out.index("Forward tangent trace") < out.index("Reverse adjoint trace")
    primal = section(out, "Forward primal trace")
    assert row_value(primal, "v_4") == "10.693"
    assert row_value(primal, "y") == "11.652"
    tangent = section(out, "Forward tangent trace")
    assert "seed x1=1" in tangent
    assert row_value(tangent, "v\u0307_1") == "0.5"
    assert row_value(tangent, "y\u0307") == "5.5"
    adjoint = section(out, "Reverse adjoint trace")
    assert row_value(adjoint, "x\u03041") == "5.5"
    assert row_value(adjoint, "x\u03042") == "1.716"


def test_trace_wrt_x2_seeds_x2():
    status, out, err = run(["trace", LECTURE, "--at", "x1=2", "x2=5", "--wrt", "x2"])
    assert status == 0, err
    tangent = section(out, "Forward tangent trace")
    assert "seed x2=1" in tangent
    assert row_value(tangent, "v\u0307_-1") == "0"
    assert row_value(tangent, "v\u0307_0") == "1"
    assert row_value(tangent, "y\u0307") == "1.716"


def test_trace_wrt_defaults_to_the_first_variable_in_the_expression():
    status, out, _ = run(["trace", "x2 * x1^2", "--at", "x1=3", "x2=5"])
    assert status == 0
    tangent = section(out, "Forward tangent trace")
    assert "seed x2=1" in tangent
    assert row_value(tangent, "y\u0307") == "9"


def test_trace_at_values_in_any_order():
    status, out, _ = run(["trace", LECTURE, "--at", "x2=5", "x1=2"])
    assert status == 0
    assert row_value(section(out, "Forward primal trace"), "y") == "11.652"


def test_trace_wrt_unknown_variable_exits_2_naming_it():
    status, out, err = run(["trace", LECTURE, "--at", "x1=2", "x2=5", "--wrt", "x9"])
    assert status == 2
    assert "x9" in err and out == ""


# ------------------------------------------------------------------ trace: markdown and latex


def test_trace_markdown_format():
    status, out, err = run(["trace", LECTURE, "--at", "x1=2", "x2=5", "--format", "markdown"])
    assert status == 0, err
    assert out.count("|---|") >= 3
    assert "| variable | definition | with values | value |" in out
    for value in ("| 11.652 |", "| 5.5 |", "| 1.716 |", "| 0.693 |"):
        assert value in out
    assert "\\begin{tabular}" not in out


def test_trace_latex_format():
    status, out, err = run(["trace", LECTURE, "--at", "x1=2", "x2=5", "--format", "latex"])
    assert status == 0, err
    assert out.count("\\begin{tabular}") == 3 and out.count("\\end{tabular}") == 3
    for value in ("$11.652$", "$5.5$", "$1.716$", "$10.693$"):
        assert value in out
    assert "\\dot{v}" in out and "\\bar{v}" in out


def test_trace_refuses_an_unknown_format():
    with pytest.raises(SystemExit) as info:
        build_parser().parse_args(["trace", LECTURE, "--at", "x1=2", "x2=5", "--format", "html"])
    assert info.value.code == 2


# ------------------------------------------------------------------ trace: refusals


@pytest.mark.parametrize("expression, column", [
    ("ln(x1) + x1.x2", 11),
    ("__import__(x1)", 0),
    ("x1 + 'a'", 5),
    ("(x1 + x2", 8),
])
def test_refused_expression_exits_2_and_prints_the_caret(expression, column):
    status, out, err = run(["trace", expression, "--at", "x1=2", "x2=5"])
    assert status == 2
    assert out == ""
    lines = err.rstrip("\n").split("\n")
    shown = next(line for line in lines if expression in line)
    caret = lines[lines.index(shown) + 1]
    assert caret.strip() == "^"
    assert caret.index("^") == shown.index(expression) + column


def test_missing_at_value_is_named_status_2():
    status, out, err = run(["trace", LECTURE, "--at", "x1=2"])
    assert status == 2
    assert "x2" in err and out == ""


def test_extra_at_value_is_named_status_2():
    status, out, err = run(["trace", LECTURE, "--at", "x1=2", "x2=5", "x3=7"])
    assert status == 2
    assert "x3" in err and out == ""


def test_malformed_at_value_exits_2():
    status, _, err = run(["trace", LECTURE, "--at", "x1=2", "x2=five"])
    assert status == 2
    assert "x2" in err


def test_expression_without_variables_exits_2():
    status, _, err = run(["trace", "2 + 3", "--at", "x=1"])
    assert status == 2
    assert err


# ------------------------------------------------------------------ subprocess


def _env():
    env = dict(os.environ)
    env["PYTHONPATH"] = SRC + os.pathsep + env.get("PYTHONPATH", "")
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def test_python_dash_m_chainrule_trace():
    result = subprocess.run([sys.executable, "-m", "chainrule", "trace", LECTURE, "--at", "x1=2", "x2=5"],
                            capture_output=True, env=_env(), timeout=120)
    out = result.stdout.decode("utf-8")
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    assert "11.652" in out and "5.5" in out and "1.716" in out
    assert re.search(r"^y\s+v_5\s+11\.652\s*$", out, re.M)


# ------------------------------------------------------------------ graph


def test_graph_writes_dot(tmp_path):
    path = tmp_path / "f.dot"
    status, out, err = run(["graph", LECTURE, "--out", str(path)])
    assert status == 0, err
    assert str(path) in out
    dot = path.read_text(encoding="utf-8")
    assert dot.lstrip().startswith("digraph")
    for prim in ("log", "mul", "sin", "add", "sub"):
        assert prim in dot
    assert "x1" in dot and "x2" in dot
    assert "cluster_" not in dot


def test_graph_with_at_values_shows_values(tmp_path):
    path = tmp_path / "f.dot"
    status, _, _ = run(["graph", LECTURE, "--out", str(path), "--at", "x1=2", "x2=5"])
    assert status == 0
    assert "11.652" in path.read_text(encoding="utf-8")


def test_graph_with_gradient_writes_both_clusters(tmp_path):
    path = tmp_path / "g.dot"
    status, _, err = run(["graph", LECTURE, "--out", str(path), "--with-gradient"])
    assert status == 0, err
    dot = path.read_text(encoding="utf-8")
    assert dot.count("subgraph cluster_") == 2
    assert "cluster_forward" in dot and "cluster_gradient" in dot


def test_graph_refused_expression_exits_2(tmp_path):
    path = tmp_path / "f.dot"
    status, _, err = run(["graph", "x1 + os.system", "--out", str(path)])
    assert status == 2
    assert "^" in err
    assert not path.exists()


def test_graph_svg_without_graphviz_reports_how_to_install(tmp_path, monkeypatch):
    import shutil

    monkeypatch.setattr(shutil, "which", lambda *args, **kwargs: None)
    status, _, err = run(["graph", LECTURE, "--out", str(tmp_path / "f.svg")])
    assert status != 0
    assert "Graphviz" in err


def test_graph_into_a_missing_directory_is_one_line_and_status_2(tmp_path):
    target = tmp_path / "missing" / "g.dot"
    status, _, err = run(["graph", "x*y", "--out", str(target)])
    assert status == 2
    assert err == f"chainrule graph: cannot write {target}: No such file or directory\n"


# ------------------------------------------------------- expressions starting with a minus


@pytest.mark.parametrize("argv, expected", [
    (["trace", "-x^2", "--at", "x=3"], ["trace", "--at", "x=3", "--", "-x^2"]),
    (["trace", "--at", "x=3", "-(x+1)"], ["trace", "--at", "x=3", "--", "-(x+1)"]),
    (["graph", "-x", "--out=g.dot"], ["graph", "--out=g.dot", "--", "-x"]),
    (["trace", "x^2", "--at", "x=-3"], ["trace", "x^2", "--at", "x=-3"]),
    (["trace", "-h"], ["trace", "-h"]),
    (["trace", "--at", "x=1", "--", "-x"], ["trace", "--at", "x=1", "--", "-x"]),
    (["train", "--seed", "-1"], ["train", "--seed", "-1"]),
])
def test_an_expression_starting_with_a_minus_is_moved_behind_double_dash(argv, expected):
    from chainrule.cli import expression_last

    assert expression_last(argv) == expected


def test_trace_accepts_an_expression_starting_with_a_minus():
    result = subprocess.run([sys.executable, "-m", "chainrule", "trace", "-x^2", "--at", "x=3"],
                            capture_output=True, env=_env(), timeout=120)
    out = result.stdout.decode("utf-8")
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    assert row_value(out, "y") == "-9" and row_value(out, "ẏ") == "-6"
