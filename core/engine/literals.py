"""A number typed in an expression is a double: one that no double holds is refused, not rounded away.

`float("1e400")` is inf and `float("1e-400")` is 0.0 without a word, so `1e400*x` would show a graph of
infinities and `1e-400*x` a graph of zeros for a number the student did type. The parser asks here and
says which limit the literal passed instead. Subnormal numbers (down to 5e-324) are doubles and pass.
"""

from __future__ import annotations

import math

LARGEST_DOUBLE = "1.7976931348623157e308"
SMALLEST_DOUBLE = "5e-324"


def literal_problem(text: str) -> str | None:
    """Why `text` is no number this program can compute with, or None when it is a finite double."""
    try:
        value = float(text)
    except ValueError:
        return f"malformed number {text!r}"
    if not math.isfinite(value):
        return f"the number {_shown(text)} is larger than the largest double ({LARGEST_DOUBLE})"
    if rounds_to_zero(text, value):
        return too_small(text)
    return None


def too_small(text: str) -> str:
    return f"the number {_shown(text)} is smaller than the smallest double ({SMALLEST_DOUBLE}) and would be 0"


def rounds_to_zero(text: str, value: float) -> bool:
    """Whether a number the student typed, other than zero, became 0.0 (`1e-400`): for the options' checks."""
    mantissa = text.lower().partition("e")[0]
    return value == 0.0 and any(digit in "123456789" for digit in mantissa)


def _shown(text: str) -> str:
    return text if len(text) <= 24 else f"{text[:10]}…{text[-10:]} ({len(text)} characters)"
