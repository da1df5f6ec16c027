"""A student's typed answer as a number: a constant expression (`e^-9`, `1/(1+exp(-9))`, `2*pi`), parsed
with the graph parser's grammar and limits and evaluated bottom-up over its tree, never with `eval`."""

from __future__ import annotations

import math

import numpy as np

from .parser import Expr, ParseError, parse_expression
from .primitives import primitive
from .topological import topological_order

CONSTANTS: dict[str, float] = {"e": math.e, "pi": math.pi, "π": math.pi}
"""Names a constant expression may use (a student's answer: `e^-9`, `1/(1+exp(-9))`, `2*pi`)."""


def evaluate_constant(source: str) -> float:
    """The number a constant expression stands for, with the graph parser's grammar and limits.

    Knows `e`, `pi`/`π`, the graph's functions (`exp`, `log`, `σ`, …) and `^`/`**`. Evaluated
    bottom-up over the parsed tree (no recursion, never `eval`); an undefined or overflowing step
    (`log(-1)`, `1/0`, `10^10^10`) is a ParseError at its column, like a typo.
    """
    tree = parse_expression(source)
    folded: dict[int, float] = {}
    for item in topological_order([tree], lambda node: node.args):
        args = [folded[id(arg)] for arg in item.args]
        folded[id(item)] = _evaluate_node(item, args, source)
    return folded[id(tree)]


def _evaluate_node(item: Expr, args: list[float], source: str) -> float:
    if item.kind == "number":
        value = item.value
    elif item.kind == "name":
        if item.text not in CONSTANTS:
            raise ParseError(f"unknown name {item.text!r}: an answer is a number or uses only "
                             f"{', '.join(CONSTANTS)}", source, item.column)
        value = CONSTANTS[item.text]
    elif item.kind == "neg":
        value = -args[0]
    elif item.kind == "call":
        with np.errstate(all="ignore"):
            value = float(primitive(item.text).evaluate(np.float64(args[0])))
    else:
        value = _arithmetic(item, args[0], args[1], source)
    if not math.isfinite(value):  # every finite double is an answer (e^700 = 1.01e304 is a table's value)
        raise ParseError("this is not a finite number (an overflow, a division by zero or a log of a number ≤ 0)",
                         source, item.column)
    return value


def _arithmetic(item: Expr, left: float, right: float, source: str) -> float:
    if item.text == "/":
        if right == 0:
            raise ParseError("division by zero", source, item.column)
        return left / right
    if item.text == "**":
        if left == 0 and right < 0:
            raise ParseError("0 to a negative power", source, item.column)
        if left < 0 and not float(right).is_integer():
            raise ParseError("a negative number to a fractional power", source, item.column)
        try:
            return float(left ** right)
        except (OverflowError, ZeroDivisionError):
            raise ParseError("the power is too large", source, item.column) from None
    return {"+": left + right, "-": left - right, "*": left * right}[item.text]
