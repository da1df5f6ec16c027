"""How the lecture's table fits its text to its columns: widths shared out, and cells broken over lines.

Pure text: a number is never broken, a sum breaks between its terms, a formula after its `=`, and a
piece too long for its column wraps onto more lines before anything is cut.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from backprop_tui.core.engine.literals import reads_as_number

MAX_ROW_HEIGHT = 4
"""Lines a row may take when the columns are narrower than their text."""
MAX_VECTOR_ROW_HEIGHT = 8
"""Lines a row holding a vector may take (slide 14's W and X): its components wrap rather than vanish."""


def fit_widths(natural: Sequence[int], available: int, minimum: int | Sequence[int] = 8) -> list[int]:
    """Column widths that share `available` cells: the widest columns give way first.

    Every column keeps its natural width when all fit; otherwise the widths are capped at the
    largest value that fits, the cells left over going one each to the capped columns. No column
    goes below its `minimum` (one for all, or one per column: numbers can be kept whole while
    formulas give way), so text is cut or wrapped rather than vanishing.
    """
    floors = [minimum] * len(natural) if isinstance(minimum, int) else list(minimum)

    def widths_at(cap: int) -> list[int]:
        return [min(width, max(cap, floor)) for width, floor in zip(natural, floors, strict=True)]

    if sum(natural) <= available:
        return list(natural)
    cap, low, high = 0, 0, max(natural)
    while low <= high:
        middle = (low + high) // 2
        if sum(widths_at(middle)) <= available:
            cap, low = middle, middle + 1
        else:
            high = middle - 1
    widths = widths_at(cap)
    spare = available - sum(widths)
    for index, width in enumerate(natural):
        if spare > 0 and width > widths[index]:
            widths[index] += 1
            spare -= 1
    return widths


def ellipsized(text: str, width: int) -> str:
    """`text` if it has at most `width` characters, else its start ending in `…` that says it was cut: the one
    cut of the app's fitted text (table cells and labels, graph boxes, the modes' table, header titles)."""
    return text if len(text) <= width else text[:max(width - 1, 0)] + "…"


def fit_cell(text: str, width: int, max_lines: int | None = None) -> str:
    """`text` laid out in a column `width` cells wide, never breaking a number.

    `log(1/(1+e^-9)) = -0.00012340219` becomes the formula and the number on two lines; a sum being
    built (`a + b = c`) breaks between its terms; a vector `[a, b, c]` between its components (and may
    take more lines). The result after the last `=` is always kept; a formula too long for the lines
    left ends with an ellipsis.
    """
    if max_lines is None:
        max_lines = MAX_VECTOR_ROW_HEIGHT if _is_vector_text(text) else MAX_ROW_HEIGHT
    lines = [line for part in text.split("\n")
             for line in (_fit_vector(part, width) if _is_vector_text(part) and len(part) > width
                          else _fit_part(part, width, max_lines))]
    if len(lines) > max_lines:
        lines = [*lines[:max_lines - 1], "…"]
    return "\n".join(lines)


def _wrap(text: str, width: int) -> list[str]:
    """A piece too long for its column on as many lines as it takes (a long batch mean `mean 0.458745875 (n=303)`
    or a formula breaks at a space, else anywhere), instead of cut with an ellipsis while rows can grow."""
    if len(text) <= width or width < 4 or reads_as_number(text):
        return [ellipsized(text, width)]  # a number is never broken over lines: cut, it shows it is
    return textwrap.wrap(text, width, break_long_words=True, break_on_hyphens=False) or [""]


def _is_vector_text(text: str) -> bool:
    """A cell (or line) that holds a vector: `[-3, 0.01, 0.02]`, possibly followed by `ok` or `†`."""
    return any(line.startswith("[") and ", " in line and "]" in line for line in text.split("\n"))


def _fit_vector(part: str, width: int) -> list[str]:
    """`[0.914900955, 137.235143, 57.6387602]` broken after the commas between its components."""
    return [ellipsized(item, width) for item in _break_between(part.split(", "), ",", width)]


def _break_between(pieces: list[str], mark: str, width: int) -> list[str]:
    """`pieces` joined by `mark` and a space, a line broken after a `mark` wherever the next piece would
    not fit (`a + b +` / `c` for a sum, `[a, b,` / `c]` for a vector): never inside a piece."""
    lines: list[str] = []
    line = ""
    for piece in pieces:
        joined = f"{line}{mark} {piece}" if line else piece
        if line and len(joined) + len(mark) > width:
            lines.append(f"{line}{mark}")
            joined = piece
        line = joined
    lines.append(line)
    return lines


def _fit_part(part: str, width: int, max_lines: int) -> list[str]:
    formula, equals, number = part.rpartition(" = ")
    if len(part) <= width:
        return [part]
    if not equals:
        return _wrap(part, width)
    lines = _break_between(formula.split(" + "), " +", width)
    lines[-1] = f"{lines[-1]} ="
    lines = [piece for line in lines for piece in _wrap(line, width)]
    if len(lines) > max_lines - 1:
        lines = [*lines[:max(max_lines - 2, 0)], "… ="]
    return [*lines, ellipsized(number, width)]
