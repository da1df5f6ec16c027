"""`backprop-tui predict` without the parsing: which data, and the per-patient table as text, CSV or JSON.

The table is produced line by line, as the descent report is, so a large file's rows stream out
instead of being held as one document. Numbers in CSV and JSON are at full precision; the text is
for reading, so it rounds.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
from collections.abc import Iterator

from ..engine.numbers import format_scalar
from ..engine.quoting import quoted
from ..training.data import DataError, Dataset, Source, bundled, load_csv
from .classification import HEART_FEATURE, HEART_TARGET, Predictions
from .formulas import logistic_formula

PREDICT_FORMATS = ("text", "csv", "json")


def predict_data(data: str | None = None, x: str | None = None, y: str | None = None) -> Dataset:
    """The data to predict: the Heart data (MaxHR → AHD) by default, or `data`'s columns `x` and `y`.

    With the Heart data another column may be chosen (`x="Age"`); a file of one's own needs both."""
    if data is not None and (not x or not y):
        raise DataError("--data needs --x COLUMN and --y COLUMN")
    if x is not None and "," in x:
        raise DataError(f"--x takes one column (the curve has one input), got {quoted(x)}")
    source: Source = bundled("heart") if data is None else os.fspath(data)
    return load_csv(source, [x or HEART_FEATURE], y or HEART_TARGET)


def _number(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _non_finite(fields: dict[str, float]) -> dict[str, str]:
    """Why a number is null: `{"loss": "inf"}` for a loss past the largest double (β0 = β1 = 1e308)."""
    return {name: format_scalar(value) for name, value in fields.items() if not math.isfinite(value)}


FLAT_CURVE = "β1 = 0: the curve is flat at p = σ(β0), so it has no midpoint"


def document_head(seen: Predictions) -> dict[str, object]:
    """The JSON's fields other than `rows`, in the issue's names; `null_reasons` says why any of them is null."""
    midpoint = seen.shape.midpoint
    head: dict[str, object] = {
        "params": seen.params.as_dict(), "threshold": seen.threshold, "feature": seen.feature,
        "target": seen.target, "loss": _number(seen.loss), "accuracy": seen.accuracy,
        "midpoint": None if midpoint is None else _number(midpoint)}
    reasons = _non_finite({"loss": seen.loss} | ({} if midpoint is None else {"midpoint": midpoint}))
    if midpoint is None:
        reasons["midpoint"] = FLAT_CURVE
    if reasons:
        head["null_reasons"] = reasons
    return head


def json_lines(seen: Predictions) -> Iterator[str]:
    """`{"params": {"β0", "β1"}, "rows": [{"row", "x", "p", "predicted", "actual", "loss"}], "loss", …}`."""
    dump = lambda value: json.dumps(value, ensure_ascii=False, allow_nan=False)
    head = document_head(seen)
    yield '{"params": ' + dump(head.pop("params")) + ","
    yield ' "rows": ['
    count = len(seen)
    for patient in seen.patients():
        row: dict[str, object] = {"row": patient.row, "x": patient.x, "p": _number(patient.p),
                                  "predicted": patient.predicted, "actual": patient.actual,
                                  "loss": _number(patient.loss)}
        flagged = _non_finite({"p": patient.p, "loss": patient.loss})
        if flagged:
            row["non_finite"] = flagged
        yield "  " + dump(row) + ("," if patient.row < count else "")
    yield " ],"
    fields = list(head.items())
    for index, (name, value) in enumerate(fields):
        yield f" {dump(name)}: {dump(value)}" + ("," if index < len(fields) - 1 else "}")


def csv_lines(seen: Predictions) -> Iterator[str]:
    yield _csv_row(["row", seen.feature, "p", "predicted", "actual", "loss"])
    for patient in seen.patients():
        yield _csv_row([str(patient.row), repr(patient.x), repr(patient.p), str(patient.predicted),
                        str(patient.actual), repr(patient.loss)])


def _csv_row(cells: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(cells)
    return buffer.getvalue()


def text_lines(seen: Predictions, name: str, dropped: int = 0) -> Iterator[str]:
    params = seen.params
    kept = f", {dropped} with missing values dropped: rows are numbered among those kept" if dropped else ""
    yield (f"predict · {name}: {seen.target} ~ {seen.feature} ({len(seen)} rows{kept}) · "
           f"P(Y=1) = {logistic_formula(seen.feature)} · β0 = {params.beta0:g}, β1 = {params.beta1:g} · "
           f"predicted {seen.label(1)} when p̂ ≥ {seen.threshold:g}")
    widths = (5, max(8, len(seen.feature)), 10, 9, 9, 12)
    header = ("row", seen.feature, "p̂", "predicted", "actual", "Lᵢ")
    yield "  ".join(cell.rjust(width) for cell, width in zip(header, widths, strict=True))
    for patient in seen.patients():
        mark = "" if patient.predicted == patient.actual else "  ✗"
        cells = (str(patient.row), f"{patient.x:g}", f"{patient.p:.6f}", seen.label(patient.predicted),
                 seen.label(patient.actual), format_scalar(patient.loss, 6))
        yield "  ".join(cell.rjust(width) for cell, width in zip(cells, widths, strict=True)) + mark
    yield from summary_lines(seen)


def summary_lines(seen: Predictions) -> Iterator[str]:
    counts, middle = seen.confusion, seen.shape
    yield f"loss L = (1/{len(seen)}) Σ Lᵢ = {format_scalar(seen.loss, 6)}  (the mean of the Lᵢ column)"
    yield (f"accuracy {100 * seen.accuracy:.2f}% ({seen.correct} of {len(seen)}) · "
           f"{counts.true_positive} true {seen.label(1)}, {counts.true_negative} true {seen.label(0)}, "
           f"{counts.false_positive} false {seen.label(1)}, {counts.false_negative} false {seen.label(0)}")
    if middle.midpoint is None:
        yield "β1 = 0: the curve is flat at p = σ(β0), so it has no midpoint"
    else:
        yield (f"p = ½ at {seen.feature} = −β0/β1 = {middle.midpoint:.4g} · slope there β1/4 = "
               f"{middle.slope:.4g} per unit · p goes from 0.1 to 0.9 over {middle.width:.4g} units")


def predict_lines(fmt: str, seen: Predictions, name: str, dropped: int = 0) -> Iterator[str]:
    if fmt == "json":
        return json_lines(seen)
    if fmt == "csv":
        return csv_lines(seen)
    if fmt == "text":
        return text_lines(seen, name, dropped)
    raise ValueError(f"unknown format {fmt!r}: choose one of {', '.join(PREDICT_FORMATS)}")
