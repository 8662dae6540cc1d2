"""Evaluation traces as tables: golden tests against the lecture's primal, tangent and adjoint traces."""

import re
import unicodedata

import numpy as np
import pytest

import chainrule as cr

DOT = "\u0307"  # combining dot above: v̇
BAR = "\u0304"  # combining macron: v̄


def lecture_f(x1, x2):
    return cr.log(x1) + x1 * x2 - cr.sin(x2)


def plain(text):
    """Compare minus signs, spacing and unicode composition loosely: the lecture writes '-',
    tables may print '−'; ẋ may be one code point or x + a combining dot."""
    return " ".join(unicodedata.normalize("NFD", text).replace("\u2212", "-").split())


def display(text):
    return "".join(ch for ch in text if not unicodedata.combining(ch))


@pytest.fixture(params=[np.float64, np.float32], ids=["float64", "float32"])
def lecture_graph(request):
    dtype = request.param
    return cr.trace(lecture_f, np.asarray(2.0, dtype), np.asarray(5.0, dtype))


# ------------------------------------------------------------------ primal trace (golden)

PRIMAL = [
    ("v_-1", "x1", "2"),
    ("v_0", "x2", "5"),
    ("v_1", "ln v_-1", "0.693"),
    ("v_2", "v_-1 × v_0", "10"),
    ("v_3", "sin v_0", "-0.959"),
    ("v_4", "v_1 + v_2", "10.693"),
    ("v_5", "v_4 - v_3", "11.652"),
    ("y", "v_5", "11.652"),
]


def test_primal_trace_reproduces_the_lecture(lecture_graph):
    table = lecture_graph.primal_table()
    rows = table.rows
    assert len(rows) == len(PRIMAL)
    for row, (var, definition, value) in zip(rows, PRIMAL):
        assert row[0] == var
        assert plain(row[1]) == definition
        assert row[-1] == value


def test_primal_trace_with_values_column_substitutes_numbers(lecture_graph):
    rows = {row[0]: row for row in lecture_graph.primal_table().rows}
    assert plain(rows["v_1"][2]) == "ln 2"
    assert plain(rows["v_2"][2]) == "2 × 5"
    assert plain(rows["v_3"][2]) == "sin 5"
    assert plain(rows["v_4"][2]) == "0.693 + 10"
    assert "10.693" in rows["v_5"][2] and "0.959" in rows["v_5"][2]


def test_primal_trace_text_has_title_header_and_values(lecture_graph):
    text = str(lecture_graph.primal_table())
    assert text.splitlines()[0] == "Forward primal trace"
    for value in ("0.693", "10.693", "-0.959", "11.652"):
        assert value in text
    assert re.search(r"^y\s+v_5\s+11\.652$", text, re.M)


# ------------------------------------------------------------------ tangent trace (golden)

TANGENT_X1 = [
    ("v̇_-1", "ẋ1", "1"),
    ("v̇_0", "ẋ2", "0"),
    ("v̇_1", "v̇_-1 / v_-1", "0.5"),
    ("v̇_2", "v̇_-1 × v_0 + v̇_0 × v_-1", "5"),
    ("v̇_3", "v̇_0 × cos v_0", "0"),
    ("v̇_4", "v̇_1 + v̇_2", "5.5"),
    ("v̇_5", "v̇_4 - v̇_3", "5.5"),
    ("ẏ", "v̇_5", "5.5"),
]


def test_golden_strings_use_the_combining_dot():
    assert TANGENT_X1[2][0] == "v" + DOT + "_1"


def test_tangent_trace_wrt_x1_reproduces_the_lecture(lecture_graph):
    table = lecture_graph.tangent_table(wrt=0)
    rows = table.rows
    assert len(rows) == len(TANGENT_X1)
    for row, (var, rule, value) in zip(rows, TANGENT_X1):
        assert plain(row[0]) == plain(var)
        assert plain(row[1]) == plain(rule)
        assert row[2] == value


def test_tangent_chain_rule_of_v2_is_the_product_rule(lecture_graph):
    rows = {row[0]: row for row in lecture_graph.tangent_table(wrt=0).rows}
    assert rows["v" + DOT + "_2"][1] == f"v{DOT}_-1 × v_0 + v{DOT}_0 × v_-1"


def test_tangent_trace_title_names_the_seed(lecture_graph):
    assert str(lecture_graph.tangent_table(wrt=0)).splitlines()[0] == "Forward tangent trace (seed x1=1)"
    assert "seed x2=1" in str(lecture_graph.tangent_table(wrt=1)).splitlines()[0]


def test_tangent_trace_wrt_x2_gives_df_dx2(lecture_graph):
    rows = lecture_graph.tangent_table(wrt=1).rows
    values = {plain(row[0]): row[2] for row in rows}
    assert values["v" + DOT + "_-1"] == "0"
    assert values["v" + DOT + "_0"] == "1"
    assert values["v" + DOT + "_2"] == "2"
    assert values["v" + DOT + "_3"] == "0.284"  # cos 5
    assert values[plain("y" + DOT)] == "1.716"


# ------------------------------------------------------------------ adjoint trace (golden)


def test_adjoint_trace_gives_x1bar_5_5_and_x2bar_1_716(lecture_graph):
    rows = lecture_graph.adjoint_table().rows
    values = {plain(row[0]): row[2] for row in rows}
    assert values[plain("x" + BAR + "1")] == "5.5"
    assert values[plain("x" + BAR + "2")] == "1.716"


def test_adjoint_trace_runs_in_reverse_order_from_ybar_1(lecture_graph):
    rows = lecture_graph.adjoint_table().rows
    order = [plain(row[0]) for row in rows]
    bar = "v" + BAR + "_"
    assert order == [plain(t) for t in [bar + "5", bar + "4", bar + "3", bar + "2", bar + "1", bar + "0",
                                        bar + "-1", "x" + BAR + "1", "x" + BAR + "2"]]
    values = [row[2] for row in rows]
    assert values == ["1", "1", "-1", "1", "1", "1.716", "5.5", "5.5", "1.716"]


def test_adjoint_accumulation_sums_over_consumers(lecture_graph):
    rows = {row[0]: row for row in lecture_graph.adjoint_table().rows}
    # v_-1 feeds ln (v_1) and the product (v_2); v_0 feeds the product and sin (v_3)
    assert plain(rows["v" + BAR + "_-1"][1]) == f"v{BAR}_1 / v_-1 + v{BAR}_2 × v_0"
    assert plain(rows["v" + BAR + "_0"][1]) == f"v{BAR}_2 × v_-1 + v{BAR}_3 × cos v_0"
    assert plain(rows["v" + BAR + "_3"][1]) == f"-v{BAR}_5"


def test_adjoint_table_needs_a_scalar_output():
    g = cr.trace(lambda x: cr.exp(x), np.ones(3))
    with pytest.raises(ValueError, match="scalar"):
        g.adjoint_table()


# ------------------------------------------------------------------ text alignment


def _assert_aligned(table):
    lines = str(table).splitlines()
    assert lines[0] == table.title
    header, rule = lines[1], lines[2]
    assert set(rule.replace(" ", "")) == {"-"}
    starts = [m.start() for m in re.finditer(r"-+", rule)]
    widths = [len(m.group()) for m in re.finditer(r"-+", rule)]
    assert len(starts) == len(table.columns)
    body = lines[3:]
    rows = [tuple(table.columns)] + list(table.rows)
    assert len(body) == len(rows) - 1
    for line, row in zip([header] + body, rows):
        shown = display(line)
        for start, width, cell in zip(starts, widths, row):
            cell = display(cell)
            assert len(cell) <= width
            assert shown[start:start + len(cell)] == cell, (line, cell)
            if start > 0:
                assert shown[start - 1] == " "


@pytest.mark.parametrize("kind", ["primal", "tangent", "adjoint"])
def test_text_columns_align(lecture_graph, kind):
    table = {"primal": lecture_graph.primal_table, "tangent": lecture_graph.tangent_table,
             "adjoint": lecture_graph.adjoint_table}[kind]()
    _assert_aligned(table)


def test_text_columns_align_for_tensor_tables():
    g = cr.trace(lambda W, x: cr.tanh(W @ x).sum(), np.arange(6.0).reshape(2, 3) / 10, np.array([1.0, -2.0, 3.0]))
    for table in (g.primal_table(), g.tangent_table(1), g.adjoint_table()):
        _assert_aligned(table)


# ------------------------------------------------------------------ markdown and latex


def _markdown_cells(line):
    assert line.startswith("| ") and line.endswith(" |")
    return re.split(r"(?<!\\)\|", line[1:-1])


@pytest.mark.parametrize("kind", ["primal", "tangent", "adjoint"])
def test_markdown_is_a_pipe_table_with_consistent_columns(lecture_graph, kind):
    table = {"primal": lecture_graph.primal_table, "tangent": lecture_graph.tangent_table,
             "adjoint": lecture_graph.adjoint_table}[kind]()
    lines = table.to_markdown().splitlines()
    table_lines = [line for line in lines if line.startswith("|")]
    n = len(table.columns)
    assert table_lines[1] == "|" + "|".join(["---"] * n) + "|"
    header = [c.strip() for c in _markdown_cells(table_lines[0])]
    assert header == list(table.columns)
    body = table_lines[2:]
    assert len(body) == len(table.rows)
    for line in body:
        assert len(_markdown_cells(line)) == n


def test_markdown_contains_the_lecture_values(lecture_graph):
    primal = lecture_graph.primal_table().to_markdown()
    for value in ("| 0.693 |", "| 10 |", "| -0.959 |", "| 10.693 |", "| 11.652 |"):
        assert value in primal
    assert "Forward primal trace" in primal
    tangent = lecture_graph.tangent_table(0).to_markdown()
    assert "| 0.5 |" in tangent and "| 5.5 |" in tangent
    adjoint = lecture_graph.adjoint_table().to_markdown()
    assert "| 5.5 |" in adjoint and "| 1.716 |" in adjoint


def test_markdown_escapes_underscores_in_names(lecture_graph):
    md = lecture_graph.primal_table().to_markdown()
    assert "v\\_-1" in md


def _latex_rows(text):
    lines = text.splitlines()
    assert lines[0].startswith(r"\begin{tabular}{") and lines[-1] == r"\end{tabular}"
    return [line for line in lines if line.endswith(r"\\")]


@pytest.mark.parametrize("kind", ["primal", "tangent", "adjoint"])
def test_latex_is_a_tabular_with_balanced_braces_and_dollars(lecture_graph, kind):
    table = {"primal": lecture_graph.primal_table, "tangent": lecture_graph.tangent_table,
             "adjoint": lecture_graph.adjoint_table}[kind]()
    text = table.to_latex()
    n = len(table.columns)
    assert text.splitlines()[0] == r"\begin{tabular}{" + "l" * n + "}"
    rows = _latex_rows(text)
    assert len(rows) == len(table.rows) + 1  # header + body
    for row in rows:
        assert row.count("&") == n - 1
        assert row.count("{") == row.count("}")
        assert row.count("$") % 2 == 0
    assert text.isascii(), "LaTeX output should use macros, not unicode symbols"


def test_latex_contains_the_lecture_values_and_macros(lecture_graph):
    primal = lecture_graph.primal_table().to_latex()
    assert "$11.652$" in primal and "$10.693$" in primal and "$0.693$" in primal
    assert r"\ln v_{-1}" in primal
    assert r"v_{-1} \times" in primal
    tangent = lecture_graph.tangent_table(0).to_latex()
    assert r"\dot{v}_{2}" in tangent and "$5.5$" in tangent and "$0.5$" in tangent
    adjoint = lecture_graph.adjoint_table().to_latex()
    assert r"\bar{v}_{0}" in adjoint and "$1.716$" in adjoint and "$5.5$" in adjoint


def _latex_cell(text, row_start, column):
    for line in text.splitlines():
        if line.startswith(row_start):
            return plain(line.split("&")[column].strip().strip("\\\\").strip().strip("$"))
    raise AssertionError(f"no LaTeX row starting with {row_start!r}")


def test_latex_tangent_chain_rule_keeps_every_variable_index(lecture_graph):
    tangent = lecture_graph.tangent_table(0).to_latex()
    assert _latex_cell(tangent, r"$\dot{v}_{2}$", 1) == plain(r"\dot{v}_{-1} \times v_{0} + \dot{v}_{0} \times v_{-1}")
    assert _latex_cell(tangent, r"$\dot{v}_{3}$", 1) == plain(r"\dot{v}_{0} \times \cos v_{0}")
    assert _latex_cell(tangent, r"$\dot{v}_{4}$", 1) == plain(r"\dot{v}_{1} + \dot{v}_{2}")
    assert "}_v" not in tangent  # a subscript never swallows another variable's name


def test_latex_adjoint_accumulation_keeps_every_variable_index(lecture_graph):
    adjoint = lecture_graph.adjoint_table().to_latex()
    assert _latex_cell(adjoint, r"$\bar{v}_{-1}$", 1) == plain(r"\bar{v}_{1} / v_{-1} + \bar{v}_{2} \times v_{0}")
    assert _latex_cell(adjoint, r"$\bar{v}_{0}$", 1) == plain(r"\bar{v}_{2} \times v_{-1} + \bar{v}_{3} \times \cos v_{0}")
    assert "}_v" not in adjoint


def test_latex_subtraction_reads_as_a_minus_not_plus_minus(lecture_graph):
    tangent = lecture_graph.tangent_table(0).to_latex()
    assert _latex_cell(tangent, r"$\dot{v}_{5}$", 1) == plain(r"\dot{v}_{4} - \dot{v}_{3}")
    assert "+ -" not in tangent


def test_to_rich_has_the_same_rows(lecture_graph):
    pytest.importorskip("rich")
    table = lecture_graph.primal_table()
    rich_table = table.to_rich()
    assert rich_table.row_count == len(table.rows)
    assert len(rich_table.columns) == len(table.columns)


# ------------------------------------------------------------------ tensors: shapes and ranges


def test_tensor_tables_show_shapes_and_ranges_not_full_arrays():
    x = np.linspace(-3.0, 4.0, 60).reshape(6, 10)
    g = cr.trace(lambda x: cr.exp(x * 0.5).sum(), x)
    text = str(g.primal_table())
    assert "float64[6, 10] in [-3, 4]" in text
    assert "float64[6, 10]" in text
    assert "0.5" in text
    # no element listing: the 60 values are not printed
    assert "-2.881" not in text and "[[" not in text
    for line in text.splitlines():
        assert len(line) < 160
    for table in (g.tangent_table(0), g.adjoint_table()):
        s = str(table)
        assert "float64[6, 10] in [" in s and "[[" not in s


def test_tensor_table_value_cells_are_shape_and_range_or_scalar():
    rng = np.random.default_rng(0)
    g = cr.trace(lambda W, x: cr.tanh(W @ x).sum(), rng.normal(size=(4, 5)), rng.normal(size=(5,)))
    pattern = re.compile(r"^(float64\[\d+(, \d+)*\] in \[-?[\d.]+, -?[\d.]+\]|-?[\d.]+)$")
    for table in (g.primal_table(), g.tangent_table(0), g.adjoint_table()):
        for row in table.rows:
            assert pattern.match(row[-1]), row


def test_tensor_adjoint_table_ranges_match_the_gradient():
    W = np.arange(6.0).reshape(2, 3) / 10
    x = np.array([1.0, -2.0, 3.0])
    f = lambda W, x: cr.tanh(W @ x).sum()  # noqa: E731
    g = cr.trace(f, W, x)
    rows = {plain(row[0]): row[2] for row in g.adjoint_table().rows}
    dW = cr.grad(f)(W, x).numpy()
    lo, hi = f"{dW.min():.3f}".rstrip("0").rstrip("."), f"{dW.max():.3f}".rstrip("0").rstrip(".")
    assert rows[plain("x" + BAR + "1")] == f"float64[2, 3] in [{lo}, {hi}]"
