"""The CLI's expression language: grammar, precedence, hostile inputs, and fuzzing against a
reference evaluator written here (a separate tokenizer and precedence-climbing parser)."""

import math
import string
from unittest import mock

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chainrule.expr import FUNCTIONS, ExpressionError, parse
from helpers import to_np


def value(text, **env):
    expression = parse(text)
    out = expression(*[np.float64(env[name]) for name in expression.variables])
    return float(to_np(out))


def caret_target(error):
    """(the expression line, the caret column in it) from an ExpressionError's message."""
    lines = str(error).split("\n")
    assert len(lines) == 3, str(error)
    assert lines[1].startswith("  ") and lines[2].startswith("  ")
    shown, caret = lines[1][2:], lines[2][2:]
    assert caret.strip() == "^"
    return shown, caret.index("^")


def refused(text):
    with pytest.raises(ExpressionError) as info:
        parse(text)
    return info.value


def assert_caret_under(text, column):
    error = refused(text)
    assert isinstance(error, ValueError)
    assert error.column == column
    shown, at = caret_target(error)
    if len(text) <= 60:
        assert shown.strip() == text.strip()
    if column < len(text):
        assert shown[at] == text[column]
    return error


# ------------------------------------------------------------------ precedence and associativity


@pytest.mark.parametrize("text, env, expected", [
    ("-x^2", {"x": 3}, -9.0),
    ("-x**2", {"x": 3}, -9.0),
    ("(-x)^2", {"x": 3}, 9.0),
    ("2^3^2", {}, 512.0),
    ("2**3**2", {}, 512.0),
    ("(2^3)^2", {}, 64.0),
    ("2**-1", {}, 0.5),
    ("2^-1^2", {}, 0.5),          # 2^(-(1^2))
    ("a-b-c", {"a": 10, "b": 3, "c": 2}, 5.0),
    ("a/b/c", {"a": 10, "b": 4, "c": 2}, 1.25),
    ("a-b+c", {"a": 10, "b": 3, "c": 2}, 9.0),
    ("a/b*c", {"a": 12, "b": 4, "c": 2}, 6.0),
    ("1+2*3", {}, 7.0),
    ("(1+2)*3", {}, 9.0),
    ("2*3^2", {}, 18.0),
    ("-2*-3", {}, 6.0),
    ("--x", {"x": 4}, 4.0),
    ("x - -x", {"x": 4}, 8.0),
    ("1e2 + .5 + 3.", {}, 103.5),
    ("2.5E-1", {}, 0.25),
    ("  x  *  y  ", {"x": 2, "y": 7}, 14.0),
])
def test_precedence_and_associativity(text, env, expected):
    assert value(text, **env) == pytest.approx(expected, rel=1e-15)


def test_lecture_expression_value():
    assert round(value("ln(x1) + x1*x2 - sin(x2)", x1=2, x2=5), 3) == 11.652


REFERENCE_FUNCTIONS = {
    "ln": np.log, "log": np.log, "exp": np.exp, "sqrt": np.sqrt, "sin": np.sin, "cos": np.cos, "tan": np.tan,
    "tanh": np.tanh, "sigmoid": lambda v: 1.0 / (1.0 + np.exp(-v)), "relu": lambda v: np.maximum(v, 0.0),
    "abs": np.abs,
}


def test_the_function_set_is_the_documented_one():
    assert set(FUNCTIONS) == set(REFERENCE_FUNCTIONS)


@pytest.mark.parametrize("name", sorted(REFERENCE_FUNCTIONS))
@pytest.mark.parametrize("x", [0.7, 2.3, -0.4])
def test_every_function(name, x):
    if name in ("ln", "log", "sqrt") and x < 0:
        x = -x
    expected = REFERENCE_FUNCTIONS[name](np.float64(x))
    assert value(f"{name}(x)", x=x) == pytest.approx(float(expected), rel=1e-13, abs=1e-15)
    assert value(f"2 * {name}(x + 0) ^ 1", x=x) == pytest.approx(2 * float(expected), rel=1e-13, abs=1e-15)


def test_nested_function_calls():
    assert value("exp(ln(sqrt(x)))", x=9) == pytest.approx(3.0)
    assert value("abs(sin(-x)) + relu(-x) + sigmoid(0)", x=1) == pytest.approx(np.sin(1.0) + 0.5)


def test_variables_in_order_of_first_appearance():
    assert parse("b + a*b + c + a").variables == ["b", "a", "c"]
    assert parse("sin(y) + x^y").variables == ["y", "x"]
    assert parse("ln(x1) + x1*x2 - sin(x2)").variables == ["x1", "x2"]
    assert parse("2 + 3").variables == []
    assert parse("_a + a_1 + A").variables == ["_a", "a_1", "A"]


def test_values_are_bound_in_variable_order():
    expression = parse("b - a")
    assert float(to_np(expression(np.float64(10.0), np.float64(4.0)))) == 6.0  # b=10, a=4


def test_division_by_zero_and_domain_errors_give_inf_and_nan_not_exceptions():
    with np.errstate(all="ignore"):
        assert value("1/x", x=0) == math.inf
        assert math.isnan(value("ln(x)", x=-1))
        assert value("10^x", x=1000) == math.inf


def test_bind_values_names_missing_and_extra_variables():
    expression = parse("x1 * x2")
    assert expression.bind_values(["x2=5", "x1=2"]) == [2.0, 5.0]
    with pytest.raises(ValueError, match="x2"):
        expression.bind_values(["x1=2"])
    with pytest.raises(ValueError, match="x3"):
        expression.bind_values(["x1=2", "x2=5", "x3=1"])
    with pytest.raises(ValueError, match="number"):
        expression.bind_values(["x1=2", "x2=five"])


# ------------------------------------------------------------------ hostile inputs


def test_expression_error_is_a_value_error_with_expression_and_caret():
    error = refused("x.y")
    assert isinstance(error, ValueError)
    text = str(error)
    assert "x.y" in text and "^" in text and "column 2" in text


@pytest.mark.parametrize("text, column", [
    ("x.y", 1),
    ("x.__class__", 1),
    ("(1).real", 3),
    ("'abc'", 0),
    ('x + "abc"', 4),
    ("x; y", 1),
    ("x[0]", 1),
    ("[x]", 0),
    ("{x}", 0),
    ("x, y", 1),
    ("lambda: 1", 6),
    ("x == y", 2),
    ("x @ y", 2),
    ("x × y", 2),
    ("`x`", 0),
    ("x # comment", 2),
    ("x \\ y", 2),
])
def test_characters_outside_the_grammar_are_refused_with_caret(text, column):
    assert_caret_under(text, column)


@pytest.mark.parametrize("text, column", [
    ("foo(x)", 0),
    ("x + evil(1)", 4),
    ("__import__(os)", 0),
    ("eval(x)", 0),
    ("exec(x)", 0),
    ("getattr(x)", 0),
    ("open(x)", 0),
    ("Sin(x)", 0),
    ("x + sin", 4),
    ("exp + 1", 0),
])
def test_unknown_function_names_and_bare_function_names_are_refused(text, column):
    error = assert_caret_under(text, column)
    if "(" in text[column:]:
        assert "unknown function" in error.message
        assert "sin" in error.message  # lists the functions that exist


def test_dunder_import_with_a_string_is_refused_at_the_first_offending_column():
    text = "__import__('os')"
    error = refused(text)
    shown, at = caret_target(error)
    assert shown == text
    assert error.column in (0, text.index("'"))
    assert shown[at] == text[error.column]


def test_dunder_import_of_os_system_is_refused():
    error = refused("__import__('os').system('ls')")
    assert "__import__" in str(error)


@pytest.mark.parametrize("text, column", [
    ("(x + 1", 6),
    ("((x)", 4),
    ("sin(x", 5),
    ("x + 1)", 5),
    ("())", 1),
    (")", 0),
    ("", 0),
    ("x +", 3),
    ("* x", 0),
    ("+x", 0),
    ("x ^^ 2", 3),
    ("x ***2", 4),
    ("2 3", 2),
    ("2x", 1),
    ("sin(x)(y)", 6),
    ("sin()", 4),
    ("sin(x, y)", 5),
    ("1.2.3", 3),
])
def test_unbalanced_parentheses_and_broken_syntax_are_refused_with_caret(text, column):
    error = refused(text)
    assert error.column == column, str(error)
    shown, at = caret_target(error)
    assert shown == text
    assert at == column


@pytest.mark.parametrize("text", [
    "(" * 10_000 + "x" + ")" * 10_000,
    "(" * 4_000 + "x" + ")" * 4_000,
    "-" * 10_000 + "x",
    "-" * 9_999 + "x",
    "sin(" * 2_000 + "x" + ")" * 2_000,
    "2^" * 3_000 + "2",
    "(" * 10_000,
    "-(" * 3_000 + "x" + ")" * 3_000,
], ids=["10k_parens", "4k_parens", "10k_minus", "9999_minus", "2k_sin_calls", "3k_powers", "10k_open_parens",
        "3k_minus_parens"])
def test_deep_nesting_is_refused_without_recursion_error(text):
    error = refused(text)  # never RecursionError
    message = str(error)
    assert "^" in message
    assert len(message) < 500  # a window of the expression, not all of it


def test_moderate_nesting_is_fine():
    assert value("(" * 40 + "x" + ")" * 40, x=2) == 2.0
    assert value("-" * 41 + "x", x=2) == -2.0
    assert value("sin(" * 30 + "x" + ")" * 30, x=0.0) == 0.0


def test_very_long_flat_expression_parses_and_evaluates():
    text = " + ".join(["x"] * 2_000)  # 9,997 characters, left-nested 2,000 deep
    assert value(text, x=1.5) == pytest.approx(3_000.0)
    text = "*".join(["y"] * 3_000)
    assert value(text, y=1.0) == 1.0


def test_overlong_expression_is_refused_with_a_short_message():
    text = "x+" * 60_000 + "x"
    error = refused(text)
    message = str(error)
    assert "long" in message
    assert len(message) < 500
    shown, at = caret_target(error)
    assert "…" in shown


def test_caret_in_a_long_expression_points_into_the_window():
    text = "x + " * 100 + "x.y" + " + x" * 100
    error = refused(text)
    shown, at = caret_target(error)
    assert error.column == text.index(".")
    assert shown[at] == "."
    assert shown.startswith("…") and shown.endswith("…")


# ------------------------------------------------------------------ reference evaluator


class RefError(Exception):
    pass


DIGITS = "0123456789"
NAME_START = string.ascii_letters + "_"
NAME_CHARS = NAME_START + DIGITS


def ref_tokenize(text):
    tokens = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in " \t\n\r\f\v":
            i += 1
        elif c in DIGITS or (c == "." and i + 1 < n and text[i + 1] in DIGITS):
            j = i
            while j < n and text[j] in DIGITS:
                j += 1
            if j < n and text[j] == ".":
                j += 1
                while j < n and text[j] in DIGITS:
                    j += 1
            if j < n and text[j] in "eE":
                k = j + 1
                if k < n and text[k] in "+-":
                    k += 1
                if k < n and text[k] in DIGITS:
                    while k < n and text[k] in DIGITS:
                        k += 1
                    j = k
            tokens.append(("num", float(text[i:j])))
            i = j
        elif c in NAME_START:
            j = i
            while j < n and text[j] in NAME_CHARS:
                j += 1
            tokens.append(("name", text[i:j]))
            i = j
        elif text.startswith("**", i):
            tokens.append(("op", "^"))
            i += 2
        elif c in "+-*/^()":
            tokens.append(("op", c))
            i += 1
        else:
            raise RefError(c)
    return tokens


class RefParser:
    """Precedence climbing: + - (left) < * / (left) < unary - < ^ (right, exponent may be unary)."""

    def __init__(self, tokens, env):
        self.tokens, self.i, self.env = tokens, 0, env

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else ("end", None)

    def next(self):
        token = self.peek()
        self.i += 1
        return token

    def run(self):
        result = self.binary(0)
        if self.peek()[0] != "end":
            raise RefError("trailing")
        return result

    LEVELS = [("+", "-"), ("*", "/")]

    def binary(self, level):
        if level == len(self.LEVELS):
            return self.signed()
        left = self.binary(level + 1)
        while self.peek()[0] == "op" and self.peek()[1] in self.LEVELS[level]:
            op = self.next()[1]
            right = self.binary(level + 1)
            left = {"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.divide}[op](left, right)
        return left

    def signed(self):
        if self.peek() == ("op", "-"):
            self.next()
            return np.negative(self.signed())
        return self.exponent()

    def exponent(self):
        base = self.primary()
        if self.peek() == ("op", "^"):
            self.next()
            return np.power(base, self.signed())
        return base

    def primary(self):
        kind, val = self.next()
        if kind == "num":
            return np.float64(val)
        if kind == "name":
            if self.peek() == ("op", "("):
                if val not in REFERENCE_FUNCTIONS:
                    raise RefError("function")
                self.next()
                arg = self.binary(0)
                if self.next() != ("op", ")"):
                    raise RefError(")")
                return np.float64(REFERENCE_FUNCTIONS[val](arg))
            if val in REFERENCE_FUNCTIONS:
                raise RefError("bare function")
            return np.float64(self.env[val])
        if (kind, val) == ("op", "("):
            inner = self.binary(0)
            if self.next() != ("op", ")"):
                raise RefError(")")
            return inner
        raise RefError("primary")


def value_for(name):
    return 0.25 + (sum(map(ord, name)) % 17) / 8.0


def reference(text):
    tokens = ref_tokenize(text)
    env = {val: value_for(val) for kind, val in tokens if kind == "name" and val not in REFERENCE_FUNCTIONS}
    with np.errstate(all="ignore"):
        return RefParser(tokens, env).run(), env


def test_reference_evaluator_agrees_on_known_values():
    assert reference("2^3^2")[0] == 512.0
    assert reference("-2^2")[0] == -4.0
    assert reference("2**-1")[0] == 0.5
    assert reference("1.e1 + .5e1")[0] == 15.0
    with pytest.raises(RefError):
        reference("sin")
    with pytest.raises(RefError):
        reference("x.y")


ALPHABET = DIGITS + "xyzabe" + "sincoltqrpgmhu" + "E_" + "+-*/^()" + "  " + "'\"" + ".."

TOKENS = ["x", "y", "z2", "2", "0.5", "3e2", "1.", ".25", "(", ")", "+", "-", "*", "/", "^", "**",
          "sin(", "cos(", "ln(", "log(", "exp(", "sqrt(", "tanh(", "tan(", "sigmoid(", "relu(", "abs(", " "]


def check_against_reference(text):
    try:
        expected, env = reference(text)
        ref_ok = True
    except RefError:
        ref_ok = False
    try:
        expression = parse(text)
    except ExpressionError as error:
        # refused cleanly, with a caret line
        shown, at = caret_target(error)
        assert 0 <= error.column <= len(text)
        assert not ref_ok, f"{text!r} refused ({error.message}) but the reference evaluates it"
        return
    except Exception as error:  # pragma: no cover - the property under test
        raise AssertionError(f"{text!r} raised {type(error).__name__}: {error}") from error
    assert ref_ok, f"{text!r} accepted but the reference refuses it"
    assert sorted(expression.variables) == sorted(env)
    with np.errstate(all="ignore"):
        try:
            got = float(to_np(expression(*[np.float64(env[name]) for name in expression.variables])))
        except Exception as error:  # pragma: no cover - the property under test
            raise AssertionError(f"{text!r} evaluation raised {type(error).__name__}: {error}") from error
    expected = float(expected)
    if math.isfinite(got) and math.isfinite(expected):
        assert np.isclose(got, expected, rtol=1e-9, atol=1e-12), (text, got, expected)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=ALPHABET, max_size=40))
def test_fuzz_any_string_parses_to_the_reference_value_or_is_refused(text):
    check_against_reference(text)


LEAVES = st.sampled_from(["x", "y", "z2", "2", "0.5", "3e-1", "1.", ".25", "10"])
OPERATORS = st.sampled_from(["+", "-", "*", "/", "^", "**", " + ", " - ", " * "])
EXPRESSIONS = st.recursive(
    LEAVES,
    lambda inner: st.one_of(
        st.tuples(inner, OPERATORS, inner).map("".join),
        inner.map(lambda e: "-" + e),
        inner.map(lambda e: f"({e})"),
        st.tuples(st.sampled_from(sorted(REFERENCE_FUNCTIONS)), inner).map(lambda t: f"{t[0]}({t[1]})"),
    ),
    max_leaves=10,
)


@st.composite
def near_valid(draw):
    """A grammatical expression, sometimes with one token inserted or one character deleted."""
    text = draw(EXPRESSIONS)
    action = draw(st.sampled_from(["keep", "keep", "insert", "delete"]))
    if action == "insert":
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(TOKENS + ["'", ".", "foo("])) + text[at:]
    elif action == "delete" and text:
        at = draw(st.integers(0, len(text) - 1))
        text = text[:at] + text[at + 1:]
    return text


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(near_valid())
def test_fuzz_near_grammatical_expressions_parse_to_the_reference_value_or_are_refused(text):
    check_against_reference(text)


HUGE_NUMBERS = st.one_of(st.integers(300, 5_000).map(lambda n: "9" * n),
                         st.integers(309, 99_999).map(lambda e: f"1e{e}"),
                         st.integers(309, 99_999).map(lambda e: f"0.5e-{e}"))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(HUGE_NUMBERS, st.sampled_from(["(", "-", "sin(", "-(", "2^"]), st.integers(0, 3_000),
       st.sampled_from(["*x", "+x", "^x", "/x", ""]))
def test_fuzz_huge_numbers_in_deep_nesting_are_parsed_or_refused_and_nothing_is_evaluated(number, opener, depth,
                                                                                          tail):
    closer = ")" * (depth * opener.count("("))
    text = opener * depth + number + tail + closer
    tripwire = AssertionError("the parser reached for eval, exec or compile")
    with mock.patch("builtins.eval", side_effect=tripwire), mock.patch("builtins.exec", side_effect=tripwire), \
            mock.patch("builtins.compile", side_effect=tripwire):
        try:
            expression = parse(text)
        except ExpressionError as error:
            assert depth > 40 or len(text) > 10_000, error  # refused only for depth or length
            return
    with np.errstate(all="ignore"):
        expression(*[np.float64(2.0)] * len(expression.variables))  # inf or nan at worst, never an exception
        assert float(to_np(parse(number)())) == float(number)  # inf or 0.0, as Python reads it: no int limit
