"""Checking a typed answer: a number or an expression (`e^-9`, `1/(1+exp(-9))`), within a stated tolerance.

The answer is evaluated with the project's own parser (never Python's eval), so a typo gets the
parser's message and column, not a "wrong".
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from ..engine.constant_answers import evaluate_constant
from ..engine.parser import ParseError

RELATIVE_TOLERANCE = 1e-4
"""0.01 %: five significant digits are enough, and 1 is not accepted for ξ4 = 0.99988 (the lecture's point)."""
ABSOLUTE_TOLERANCE = 1e-9
"""Near 0 a relative tolerance accepts nothing; answers this close to the expected number are right."""
TOLERANCE_TEXT = "within 0.01 % (5 significant digits are enough), or 1e-9 near 0"

Verdict = Literal["right", "wrong", "unparsed"]


@dataclass(frozen=True)
class Checked:
    """The verdict on one typed answer; for `unparsed`, the parser's message and where it points."""

    verdict: Verdict
    value: float | None = None
    message: str = ""
    column: int = 0
    caret: str = ""


def close_enough(value: float, expected: float) -> bool:
    return math.isclose(value, expected, rel_tol=RELATIVE_TOLERANCE, abs_tol=ABSOLUTE_TOLERANCE)


def check_number(text: str, expected: float) -> Checked:
    """Evaluate `text` and compare it with `expected`; an empty or unparsable answer is `unparsed`."""
    if not text.strip():
        return Checked("unparsed", message="type a number or an expression, e.g. -9 or e^-9", column=1,
                       caret=f"{text}\n^")
    try:
        value = evaluate_constant(text)
    except ParseError as error:
        return Checked("unparsed", message=error.message, column=error.column, caret=error.caret)
    return Checked("right" if close_enough(value, expected) else "wrong", value=value)


def check_choice(text: str, options: int, expected: int) -> Checked:
    """A choice typed as its number (1-based); anything else is `unparsed` with the range to use."""
    stripped = text.strip().rstrip(".)")
    if not stripped.isdigit() or not 1 <= int(stripped) <= options:
        return Checked("unparsed", message=f"type the number of a choice, 1 to {options}", column=1)
    chosen = int(stripped) - 1
    return Checked("right" if chosen == expected else "wrong", value=float(chosen))
