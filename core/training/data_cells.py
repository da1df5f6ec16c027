"""A column's cells as numbers or as the two classes, for `data.load_csv`: whole columns at once.

numpy converts a clean column in one call; only a column with a missing or bad cell is walked cell by
cell, to name the row. Every refusal names the file, the column and the row (data rows count from 1,
after the header) and quotes at most a short prefix of the cell.
"""

from __future__ import annotations

import numpy as np

from ..engine.quoting import quoted
from .csv_file import DataError

MISSING = frozenset({"", "na", "n/a", "nan", "null"})
"""Cell texts (stripped, lower-cased) that mean "no value": the row is dropped, not refused."""

POSITIVE = frozenset({"yes", "true", "1", "1.0"})
NEGATIVE = frozenset({"no", "false", "0", "0.0"})
"""Target texts for the two classes; any other spelling of the numbers 1 and 0 (`1.00`, `0e0`) counts too."""
def numbers(cells: tuple[str, ...], column: str, name: str, first: int) -> np.ndarray:
    """A numeric column with NaN for missing cells; numpy converts the whole column when it can."""
    try:
        values = np.array(cells, dtype=float)
    except ValueError:
        values = np.empty(len(cells))
        for offset, cell in enumerate(cells):
            text = cell.strip()
            if text.lower() in MISSING:
                values[offset] = np.nan
                continue
            try:
                values[offset] = float(text)
            except ValueError:
                raise DataError(f"{name}: column {quoted(column)}, row {first + offset}: {quoted(cell)} "
                                "is not a number") from None
    infinite = np.isinf(values)
    if infinite.any():
        offset = int(np.argmax(infinite))
        raise DataError(f"{name}: column {quoted(column)}, row {first + offset}: {quoted(cells[offset])} "
                        "is not a finite number")
    return values


def classes(cells: tuple[str, ...], column: str, name: str, first: int, meaning: dict[str, float]) -> np.ndarray:
    """The target as 1.0/0.0 (NaN when missing); `meaning` remembers each distinct cell text across chunks."""
    for cell in set(cells).difference(meaning):
        value = class_of(cell)
        if value is None:
            offset = next(offset for offset, seen in enumerate(cells) if seen not in meaning and class_of(seen) is None)
            raise DataError(f"{name}: target column {quoted(column)}, row {first + offset}: {quoted(cells[offset])} "
                            f"is not one of two classes (expected Yes/No, 1/0 or true/false)")
        meaning[cell] = value
    return np.fromiter(map(meaning.__getitem__, cells), dtype=float, count=len(cells))


def class_of(cell: str) -> float | None:
    """1.0, 0.0 or NaN (missing) for a target cell, None when it names neither class.

    Any spelling of the numbers 1 and 0 counts (`1.00`, `+1`, `0e0`), as a spreadsheet may write them.
    """
    text = cell.strip().lower()
    if text in POSITIVE:
        return 1.0
    if text in NEGATIVE:
        return 0.0
    if text in MISSING:
        return np.nan
    try:
        number = float(text)
    except ValueError:
        return None
    return number if number in (0.0, 1.0) else None
