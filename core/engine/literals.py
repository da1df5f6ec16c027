"""A number the student types is a double: one that no double holds is refused, not rounded away.

`float("1e400")` is inf and `float("1e-400")` is 0.0 without a word, so `1e400*x` would show a graph of
infinities and `1e-400*x` a graph of zeros for a number the student did type. Every place that reads a
typed number (the parser's literals, `--at X=…`, predict's options) asks `typed_number` here, which says
which rule the text broke; each place keeps its own words for it. Subnormal numbers (down to 5e-324) are
doubles and pass.
"""

from __future__ import annotations

import math
from typing import Literal

from .quoting import number_text, quoted

LARGEST_DOUBLE = "1.7976931348623157e308"
SMALLEST_DOUBLE = "5e-324"


Rule = Literal["not a number", "not finite", "rounds to zero"]
"""The rules a typed number can break, in the order they are checked."""


class NumberRefused(ValueError):
    """Typed text that is no number to compute with, and the rule it broke."""

    def __init__(self, rule: Rule, text: str) -> None:
        super().__init__(f"{rule}: {text!r}")
        self.rule, self.text = rule, text


def typed_number(text: str) -> float:
    """`text` as the finite double it names (`−` accepted for a minus), else `NumberRefused` with the rule."""
    try:
        value = float(text.replace("−", "-"))
    except ValueError:
        raise NumberRefused("not a number", text) from None
    if not math.isfinite(value):
        raise NumberRefused("not finite", text)
    if rounds_to_zero(text, value):
        raise NumberRefused("rounds to zero", text)
    return value


def reads_as_number(text: str) -> bool:
    """Whether `text` reads as a number at all, finite or not (`typed_number`'s first rule): a number, not a word."""
    try:
        typed_number(text)
    except NumberRefused as refused:
        return refused.rule != "not a number"
    return True


def literal_problem(text: str) -> str | None:
    """Why a number literal in an expression is no number this program can compute with, or None."""
    try:
        typed_number(text)
    except NumberRefused as refused:
        if refused.rule == "not a number":
            return f"malformed number {quoted(text)}"
        if refused.rule == "not finite":
            return f"the number {number_text(text)} is larger than the largest double ({LARGEST_DOUBLE})"
        return too_small(text)
    return None


def too_small(text: str) -> str:
    return f"the number {number_text(text)} is smaller than the smallest double ({SMALLEST_DOUBLE}) and would be 0"


def rounds_to_zero(text: str, value: float) -> bool:
    """Whether a number the student typed, other than zero, became 0.0 (`1e-400`): `typed_number`'s third rule."""
    mantissa = text.lower().partition("e")[0]
    return value == 0.0 and any(digit in "123456789" for digit in mantissa)
