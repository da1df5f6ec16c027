"""The expression parser: the lecture's loss as typed by a student, and refusals that point at the column."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from backprop_tui.core.engine.parser import MAX_EXPRESSION_CHARS, ParseError, graph_from_expression, parse_expression
from backprop_tui.core.stepping.steppers import ReverseStepper


def test_the_lecture_loss_parses_into_one_node_per_basic_function():
    graph = graph_from_expression("-y*log(1/(1+exp(-W*X)))")
    assert graph.inputs == ("y", "W", "X")
    ops = [graph.node(name).op for name in graph.operations]
    assert ops == ["neg", "neg", "mul", "exp", "add", "reciprocal", "log", "mul"]
    final = ReverseStepper(graph, {"X": 3.0, "y": 1.0, "W": 3.0}).final()
    assert final.row("W").accumulated == pytest.approx(-3.70183728e-4, rel=1e-8)


def test_precedence_and_associativity():
    graph = graph_from_expression("a - b - c")
    values = graph.evaluate({"a": 10.0, "b": 3.0, "c": 2.0})
    assert values[graph.output] == 5.0
    graph = graph_from_expression("a**3**2")
    assert graph.evaluate({"a": 2.0})[graph.output] == 2.0 ** 9
    graph = graph_from_expression("-a**2")
    assert graph.evaluate({"a": 3.0})[graph.output] == -9.0
    graph = graph_from_expression("a/b*c")
    assert graph.evaluate({"a": 8.0, "b": 2.0, "c": 3.0})[graph.output] == 12.0
    graph = graph_from_expression("a^2 + sigmoid(b)")
    assert graph.evaluate({"a": 3.0, "b": 0.0})[graph.output] == 9.5


def test_one_input_forms_follow_the_lecture():
    graph = graph_from_expression("1/(1+exp(a))")
    assert [graph.node(name).op for name in graph.operations] == ["exp", "add", "reciprocal"]
    graph = graph_from_expression("1 - a")
    assert [graph.node(name).op for name in graph.operations] == ["one_minus"]
    assert graph.definitions[graph.output].text == "1−a"


@pytest.mark.parametrize(("source", "column", "message"), [
    ("x +", 4, "ends too early"),
    ("(x", 3, "expected ')'"),
    ("foo(x)", 1, "unknown function 'foo'"),
    ("x $ y", 3, "unexpected character"),
    ("x ** y", 6, "exponent must be a number"),
    ("exp x", 1, "is a function"),
    ("x y", 3, "unexpected 'y'"),
    ("", 1, "empty"),
    ("3 * 4", 1, "no variables"),
    ("ξ1 + x", 1, "reserved"),
    ("1..2 * x", 1, "malformed number"),
    ("x * 1e400", 5, "larger than the largest double (1.7976931348623157e308)"),
    ("x + " + "9" * 400, 5, "9999999999…9999999999 (400 characters) is larger than the largest double"),
    ("2 * x * 1e-400", 9, "smaller than the smallest double (5e-324) and would be 0"),
])
def test_errors_point_at_the_column(source, column, message):
    with pytest.raises(ParseError, match=re.escape(message)) as caught:
        graph_from_expression(source)
    assert caught.value.column == column
    text_line, caret_line = caught.value.caret.split("\n")
    assert text_line == (source if len(source) <= 200 else source[:column + 100])
    assert caret_line == " " * (column - 1) + "^"


TOO_LONG = f"expression is too long ({MAX_EXPRESSION_CHARS + 1} characters; the limit is {MAX_EXPRESSION_CHARS})"
TOO_DEEP = "expression is nested too deeply (the limit is 100 levels)"


@pytest.mark.parametrize(("source", "message"), [
    ("x" * (MAX_EXPRESSION_CHARS + 1), TOO_LONG),
    ("(" * 10_000 + "x" + ")" * 10_000, TOO_LONG),
    ("-" * 10_000 + "x", "too many signs in a row (the limit is 100)"),
    ("x" + "**x" * 5_000, TOO_DEEP),
    ("exp(" * 5_000 + "x" + ")" * 5_000, "expression is too long (25001 characters; the limit is 20000)"),
    ("x" + "**2" * 5_000, TOO_DEEP),
], ids=["too-long", "deep-parentheses", "many-signs", "power-tower", "deep-calls", "constant-powers"])
def test_hostile_input_is_refused(source, message):
    """Refused with its message, not a RecursionError or a hang; how quickly is a benchmark figure
    (tests/benchmarks/bench.py, parse_hostile_slowest), not a wall-clock assertion here."""
    with pytest.raises(ParseError, match=re.escape(message)):
        parse_expression(source)


def test_a_long_but_flat_expression_is_accepted():
    source = "+".join(f"sin(x*{i % 7 + 1})" for i in range(900))
    assert len(source) < MAX_EXPRESSION_CHARS
    graph = graph_from_expression(source)
    assert len(graph.operations) == 900 * 2 + 899


def test_no_eval_or_exec_anywhere_in_the_source():
    root = Path(__file__).resolve().parents[1]
    forbidden = re.compile(r"(?<![\w.])(eval|exec|compile|__import__)\s*\(")
    offenders = [f"{path.name}: {match.group(0)}"
                 for folder in ("core", "tui")
                 for path in (root / folder).rglob("*.py")
                 for match in forbidden.finditer(path.read_text(encoding="utf-8"))]
    assert offenders == []
    assert forbidden.search("x = eval(text)") and not forbidden.search("graph.evaluate(x); re.compile(p)")


def test_a_long_constant_exponent_is_folded_without_recursion():
    graph = graph_from_expression("x**(" + "+".join(["0.001"] * 3000) + ")")
    assert graph.evaluate({"x": 2.0})[graph.output] == pytest.approx(2.0 ** 3.0)


@pytest.mark.parametrize("literal", ["5e-324", "1e-320", "0.0", "0e999", "1.7976931348623157e308", "000"])
def test_every_double_is_a_literal(literal):
    """The smallest subnormal, the largest double and the many spellings of zero are numbers the parser keeps."""
    graph = graph_from_expression(f"x * {literal}")
    assert graph.evaluate({"x": 1.0})[graph.output] == float(literal)
