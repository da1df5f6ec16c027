"""The expression parser for user graphs: a small recursive-descent (precedence-climbing) parser.

Never `eval`: the text is tokenised and parsed here, into a graph of the primitives. Limits on
length and nesting refuse hostile input quickly with a ParseError, before it can hang the parser
or exhaust the stack; every error carries the column and a caret line.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .graph import Graph, GraphBuilder
from .primitives import FUNCTION_NAMES
from .quoting import quoted
from .tokens import MAX_EXPRESSION_CHARS, ParseError, Token, tokenize
from .topological import topological_order

__all__ = ["MAX_EXPRESSION_CHARS", "Expr", "ParseError", "Token", "graph_from_expression", "parse_expression",
           "tokenize"]

MAX_NESTING = 100
RESERVED_PREFIX = "ξ"


@dataclass(eq=False)
class Expr:
    """A parsed expression node; identity-hashed so the graph conversion can sort it iteratively."""

    kind: str
    column: int
    text: str = ""
    value: float = 0.0
    args: list[Expr] = field(default_factory=list)


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.tokens = tokenize(source)
        self.position = 0
        self.token: Token = self.tokens[0]
        """The token at `position`, kept as an attribute (a property was 120,000 calls on a 20,000-character sum)."""
        self.depth = 0

    def fail(self, message: str, token: Token | None = None) -> ParseError:
        return ParseError(message, self.source, (token or self.token).column)

    def advance(self) -> Token:
        token = self.token
        self.position += 1
        # Nothing advances past the end token (every caller checks for it first): it stays the last token.
        self.token = self.tokens[min(self.position, len(self.tokens) - 1)]
        return token

    def expect(self, text: str) -> Token:
        if self.token.text != text or self.token.kind != "op":
            found = "the end of the expression" if self.token.kind == "end" else quoted(self.token.text)
            raise self.fail(f"expected {text!r} but found {found}")
        return self.advance()

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise self.fail(f"expression is nested too deeply (the limit is {MAX_NESTING} levels)")

    def parse(self) -> Expr:
        if self.token.kind == "end":
            raise self.fail("the expression is empty")
        expr = self.sum()
        if self.token.kind != "end":
            raise self.fail(f"unexpected {quoted(self.token.text)}")
        return expr

    def sum(self) -> Expr:
        left = self.product()
        while self.token.kind == "op" and self.token.text in "+-":
            op = self.advance()
            left = Expr("binary", op.column, op.text, args=[left, self.product()])
        return left

    def product(self) -> Expr:
        left = self.unary()
        while self.token.kind == "op" and self.token.text in ("*", "/"):
            op = self.advance()
            left = Expr("binary", op.column, op.text, args=[left, self.unary()])
        return left

    def unary(self) -> Expr:
        signs: list[Token] = []
        while self.token.kind == "op" and self.token.text in "+-":
            signs.append(self.advance())
            if len(signs) > MAX_NESTING:
                raise self.fail(f"too many signs in a row (the limit is {MAX_NESTING})")
        expr = self.power()
        for sign in reversed(signs):
            if sign.text == "-":
                expr = Expr("neg", sign.column, args=[expr])
        return expr

    def power(self) -> Expr:
        base = self.atom()
        if self.token.kind == "op" and self.token.text == "**":
            op = self.advance()
            self.enter()
            exponent = self.unary()
            self.depth -= 1
            return Expr("binary", op.column, "**", args=[base, exponent])
        return base

    def atom(self) -> Expr:
        token = self.token
        if token.kind == "number":
            self.advance()
            return Expr("number", token.column, token.text, value=float(token.text))
        if token.kind == "name":
            self.advance()
            if self.token.kind == "op" and self.token.text == "(":
                if token.text not in FUNCTION_NAMES:
                    known = ", ".join(sorted(FUNCTION_NAMES))
                    raise self.fail(f"unknown function {quoted(token.text)}; known: {known}", token)
                self.enter()
                self.advance()
                argument = self.sum()
                self.expect(")")
                self.depth -= 1
                return Expr("call", token.column, FUNCTION_NAMES[token.text], args=[argument])
            if token.text in FUNCTION_NAMES:
                raise self.fail(f"{quoted(token.text)} is a function: write {token.text}(…)", token)
            if token.text.startswith(RESERVED_PREFIX):
                raise self.fail(f"names starting with {RESERVED_PREFIX} are reserved for the graph's nodes", token)
            return Expr("name", token.column, token.text)
        if token.kind == "op" and token.text == "(":
            self.enter()
            self.advance()
            expr = self.sum()
            self.expect(")")
            self.depth -= 1
            return expr
        if token.kind == "end":
            raise self.fail("the expression ends too early")
        raise self.fail(f"unexpected {quoted(token.text)}")


def parse_expression(source: str) -> Expr:
    """The expression tree of `source`, or a ParseError pointing at the problem."""
    return _Parser(source).parse()


def _constant(expr: Expr) -> float | None:
    """The number an exponent stands for (`2`, `-1`, `(1/2)`, `2**3`): number arithmetic only.

    Folded bottom-up in topological order (no recursion), so a long flat exponent cannot blow the stack.
    """
    folded: dict[int, float | None] = {}
    for item in topological_order([expr], lambda node: node.args):
        args = [folded[id(arg)] for arg in item.args]
        if item.kind == "number":
            folded[id(item)] = item.value
        elif item.kind == "neg" and args[0] is not None:
            folded[id(item)] = -args[0]
        elif item.kind == "binary" and None not in args:
            folded[id(item)] = _fold(item.text, args[0], args[1])
        else:
            folded[id(item)] = None
    return folded[id(expr)]


def _fold(operator: str, left: float, right: float) -> float | None:
    if operator == "/":
        return left / right if right else None
    if operator == "**":
        if left <= 0 or abs(right) > 64:
            return None
        try:
            return float(left ** right)
        except OverflowError:
            return None
    return {"+": left + right, "-": left - right, "*": left * right}[operator]


def graph_from_expression(source: str) -> Graph:
    """Parse `source` and build its computational graph (inputs first, then operations in topological order)."""
    tree = parse_expression(source)
    order = _post_order(tree)
    builder = GraphBuilder()
    names: dict[str, str] = {}
    for expr in order:
        if expr.kind == "name" and expr.text not in names:
            names[expr.text] = builder.input(expr.text)
    if not names:
        raise ParseError("the expression has no variables to differentiate with respect to", source, 1)
    built: dict[int, str | float] = {}
    operations = 0
    for expr in order:
        if expr.kind == "number":
            built[id(expr)] = expr.value
            continue
        if expr.kind == "name":
            built[id(expr)] = names[expr.text]
            continue
        args = [built[id(arg)] for arg in expr.args]
        op, op_args = _operation(expr, args, source)
        if op is None:
            built[id(expr)] = op_args[0]
            continue
        operations += 1
        built[id(expr)] = builder.op(op, *op_args)
    if operations == 0:
        raise ParseError("the expression needs at least one operation", source, 1)
    return builder.build()


def _post_order(tree: Expr) -> list[Expr]:
    """Every node of the parsed tree after its arguments, in argument order: `topological_order` for a
    tree (the parser never shares a subtree), without its bookkeeping of visited nodes and cycles."""
    order: list[Expr] = []
    stack: list[tuple[Expr, bool]] = [(tree, False)]
    while stack:
        expr, arguments_done = stack.pop()
        if arguments_done:
            order.append(expr)
        else:
            stack.append((expr, True))
            stack.extend((arg, False) for arg in reversed(expr.args))
    return order


def _operation(expr: Expr, args: list[str | float], source: str) -> tuple[str | None, list[str | float]]:
    """The primitive for one parsed node, preferring the lecture's one-input forms (`1/ξ3`, `1−ξ4`)."""
    if expr.kind == "neg":
        if isinstance(args[0], float):
            return None, [-args[0]]
        return "neg", args
    if expr.kind == "call":
        return expr.text, args
    left, right = args
    if expr.text == "**":
        exponent = _constant(expr.args[1])
        if exponent is None or not math.isfinite(exponent):
            raise ParseError("the exponent must be a number (pow with a constant exponent)", source,
                             expr.args[1].column)
        return "pow", [left, exponent]
    if expr.text == "/" and left == 1.0 and isinstance(right, str):
        return "reciprocal", [right]
    if expr.text == "-" and left == 1.0 and isinstance(right, str):
        return "one_minus", [right]
    return {"+": "add", "-": "sub", "*": "mul", "/": "div"}[expr.text], args
