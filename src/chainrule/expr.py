"""A small expression language for the command line, parsed — never ``eval``-ed.

Grammar (``^`` and ``**`` are powers, right-associative and binding tighter than
unary minus, so ``-x^2 = -(x^2)``)::

    expr  := term (("+" | "-") term)*
    term  := unary (("*" | "/") unary)*
    unary := "-" unary | power
    power := atom (("^" | "**") unary)?
    atom  := NUMBER | NAME | FUNCTION "(" expr ")" | "(" expr ")"

Names are ``[A-Za-z_][A-Za-z0-9_]*``; the functions are ln, log (both natural
logarithms), exp, sqrt, sin, cos, tan, tanh, sigmoid, relu and abs. Anything else
raises ``ExpressionError``, which shows the expression with a caret under the
offending column.
"""

import re

from . import ops

FUNCTIONS = {
    "ln": ops.log, "log": ops.log, "exp": ops.exp, "sqrt": ops.sqrt, "sin": ops.sin, "cos": ops.cos,
    "tan": ops.tan, "tanh": ops.tanh, "sigmoid": ops.sigmoid, "relu": ops.relu, "abs": ops.abs,
}
MAX_DEPTH = 100  # each level costs a few Python frames; stays far below the recursion limit
MAX_LENGTH = 10_000

_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>\*\*|[-+*/^()])
""", re.VERBOSE)


class ExpressionError(ValueError):
    """A refused expression; ``str()`` shows the expression and a caret at ``column``."""

    WINDOW = 70

    def __init__(self, message, text, column):
        self.message, self.text, self.column = message, text, column
        start = max(0, min(column - self.WINDOW // 2, len(text) - self.WINDOW))
        shown = "".join(" " if ch in "\n\r\t\v\f" else ch for ch in text[start:start + self.WINDOW])
        prefix = "…" if start > 0 else ""
        suffix = "…" if start + self.WINDOW < len(text) else ""
        caret = " " * (len(prefix) + column - start) + "^"
        super().__init__(f"{message} (column {column + 1})\n  {prefix}{shown}{suffix}\n  {caret}")


def tokenize(text):
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"expression too long ({len(text)} characters, at most {MAX_LENGTH})", text, MAX_LENGTH)
    tokens, position = [], 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise ExpressionError(f"unexpected character {text[position]!r}", text, position)
        kind = match.lastgroup
        if kind != "space":
            tokens.append((kind, match.group(), position))
        position = match.end()
    tokens.append(("end", "", len(text)))
    return tokens


class _Parser:
    def __init__(self, text):
        self.text = text
        self.tokens = tokenize(text)
        self.position = 0
        self.depth = 0

    def peek(self):
        return self.tokens[self.position]

    def take(self):
        token = self.tokens[self.position]
        self.position += 1
        return token

    def fail(self, message, token=None):
        token = token or self.peek()
        raise ExpressionError(message, self.text, token[2])

    def expect(self, value):
        token = self.peek()
        if token[1] != value:
            found = "the end of the expression" if token[0] == "end" else repr(token[1])
            self.fail(f"expected {value!r} but found {found}")
        return self.take()

    def descend(self):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            self.fail(f"expression nested too deeply (more than {MAX_DEPTH} levels)")

    def parse(self):
        tree = self.expr()
        if self.peek()[0] != "end":
            self.fail(f"unexpected {self.peek()[1]!r} after a complete expression")
        return tree

    def expr(self):
        tree = self.term()
        while self.peek()[1] in ("+", "-"):
            op = self.take()[1]
            tree = ("binary", op, tree, self.term())
        return tree

    def term(self):
        tree = self.unary()
        while self.peek()[1] in ("*", "/"):
            op = self.take()[1]
            tree = ("binary", op, tree, self.unary())
        return tree

    def unary(self):
        if self.peek()[1] == "-":
            self.take()
            self.descend()
            tree = ("neg", self.unary())
            self.depth -= 1
            return tree
        return self.power()

    def power(self):
        base = self.atom()
        if self.peek()[1] in ("^", "**"):
            self.take()
            self.descend()
            exponent = self.unary()
            self.depth -= 1
            return ("binary", "^", base, exponent)
        return base

    def atom(self):
        token = self.peek()
        kind, value, column = token
        if kind == "number":
            self.take()
            return ("number", float(value))
        if kind == "name":
            self.take()
            if self.peek()[1] == "(":
                if value not in FUNCTIONS:
                    self.fail(f"unknown function {value!r}; the functions are {', '.join(sorted(FUNCTIONS))}", token)
                self.take()
                self.descend()
                argument = self.expr()
                self.depth -= 1
                self.expect(")")
                return ("call", value, argument)
            if value in FUNCTIONS:
                self.fail(f"{value!r} is a function: write {value}(...)", token)
            return ("variable", value, column)
        if value == "(":
            self.take()
            self.descend()
            tree = self.expr()
            self.depth -= 1
            self.expect(")")
            return tree
        if kind == "end":
            self.fail("the expression ended where a number, a name or '(' was expected")
        self.fail(f"unexpected {value!r}: expected a number, a name or '('")


_BINARY = {"+": ops.add, "-": ops.sub, "*": ops.mul, "/": ops.div, "^": ops.power}


class Expression:
    """A parsed expression: ``variables`` in order of first appearance, callable on values."""

    def __init__(self, text):
        self.text = text
        self.tree = _Parser(text).parse()
        self.variables = []
        stack = [self.tree]
        while stack:
            node = stack.pop()
            if node[0] == "variable" and node[1] not in self.variables:
                self.variables.append(node[1])
            stack.extend(reversed([child for child in node[1:] if isinstance(child, tuple)]))

    def __call__(self, *values):
        env = dict(zip(self.variables, values))
        return self._evaluate(self.tree, env)

    def _evaluate(self, root, env):
        # iterative post-order evaluation: deep expressions need no Python recursion
        results = []
        stack = [(root, False)]
        while stack:
            node, expanded = stack.pop()
            kind = node[0]
            if kind == "number":
                results.append(node[1])
            elif kind == "variable":
                results.append(env[node[1]])
            elif not expanded:
                stack.append((node, True))
                children = [c for c in node[1:] if isinstance(c, tuple)]
                stack.extend((child, False) for child in reversed(children))
            elif kind == "neg":
                results.append(ops.neg(results.pop()))
            elif kind == "call":
                results.append(FUNCTIONS[node[1]](results.pop()))
            else:
                right, left = results.pop(), results.pop()
                results.append(_BINARY[node[1]](left, right))
        return results[0]

    def bind_values(self, assignments):
        """Values for the variables from ``name=value`` strings; missing or extra names are refused."""
        values = {}
        for item in assignments:
            name, sep, number = item.partition("=")
            name = name.strip()
            if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
                raise ValueError(f"--at expects name=value, got {item!r}")
            try:
                values[name] = float(number)
            except ValueError:
                raise ValueError(f"--at {name}: {number!r} is not a number") from None
        missing = [v for v in self.variables if v not in values]
        extra = [v for v in values if v not in self.variables]
        if missing:
            raise ValueError(f"no value given for {', '.join(missing)}: add --at {' '.join(m + '=...' for m in missing)}")
        if extra:
            raise ValueError(f"--at names {', '.join(extra)}, which the expression does not use "
                             f"(its variables: {', '.join(self.variables) or 'none'})")
        return [values[v] for v in self.variables]


def parse(text):
    """Parse ``text`` into an ``Expression`` (raises ``ExpressionError``)."""
    return Expression(text)
