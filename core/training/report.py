"""A descent run as text, CSV, JSON or JSON lines, produced line by line as the iterations come.

A run may be endless (`--iters 1000000000000`), so the output is streamed: `report_lines` takes the
iterations as an iterable and yields each one's line as soon as it arrives, then the verdict once
the last has come, never holding the document. The JSON is still a single valid document (one
history entry per line; an entry's comma waits for the next entry). JSON lines is one object per
iteration with the fields of a JSON history entry, then one object with `final` and `stopped`.
A run stopped by Ctrl+C is reported as `stopped: "interrupted"`, one ended by SIGTERM or SIGHUP as
`stopped: "terminated"`, its output complete and valid either way.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Literal

from ..engine.numbers import format_scalar
from . import minima
from .history import IterationRecord
from .run import DescentRun, Stop
from .setup import DescentSetup

REPORT_FORMATS = ("text", "csv", "json", "jsonl")
Outcome = Stop | Literal["interrupted", "terminated"]
"""Why the output ended: the run's own verdict, "interrupted" when the user stopped it (Ctrl+C), or
"terminated" when a signal ended it (SIGTERM, SIGHUP: `timeout`, `kill`, a closed terminal)."""
CUT_SHORT = {"interrupted": "Ctrl+C", "terminated": "a signal"}
Row = tuple[int, int, Sequence[float], float, float, float]
"""One iteration as reported: number (1-based), epoch, parameters before the step, loss, batch loss, ‖g‖."""


def _number(value: float) -> float | None:
    """A JSON number; NaN and infinities (a diverged run) become null."""
    return value if math.isfinite(value) else None


def record_row(record: IterationRecord) -> Row:
    """The reported numbers of one iteration, as `DescentRun.step` returns it."""
    return record.iteration, record.epoch, record.params, record.loss, record.batch_loss, record.grad_norm


def _rows(run: DescentRun) -> Iterator[Row]:
    """A finished run's iterations from its history's arrays, read in one go (far quicker than records)."""
    history = run.history
    params = history.params_array().tolist()
    columns = [history.column(name).tolist() for name in ("epoch", "loss", "batch_loss", "grad_norm")]
    for index, (epoch, loss, batch_loss, grad_norm) in enumerate(zip(*columns, strict=True)):
        yield index + 1, int(epoch), params[index], loss, batch_loss, grad_norm


def _non_finite(fields: dict[str, float]) -> dict[str, str]:
    """Why each null is null: the number it stands for (`inf`, `-inf`, `NaN`), by field."""
    return {name: format_scalar(value) for name, value in fields.items() if not math.isfinite(value)}


def final_summary(run: DescentRun) -> dict[str, object]:
    """The JSON `final` object: parameters (also in the data's units), full loss and accuracy.

    After a divergence these are the last iteration's, exactly as its row shows them (`final_params`);
    any null is explained in `non_finite`."""
    names = run.params
    params = run.final_params
    raw = run.raw_params(params)
    accuracy = run.accuracy(params)
    loss = run.loss(params)
    summary: dict[str, object] = {
        "params": {name: _number(value) for name, value in zip(names, params, strict=True)},
        "params_raw": {name: _number(value) for name, value in zip(names, raw, strict=True)},
        "loss": _number(loss),
        "accuracy": None if accuracy is None else _number(accuracy),
    }
    flagged = _non_finite({**{f"params.{name}": value for name, value in zip(names, params, strict=True)},
                           **{f"params_raw.{name}": value for name, value in zip(names, raw, strict=True)},
                           "loss": loss, **({} if accuracy is None else {"accuracy": accuracy})})
    if flagged:
        summary["non_finite"] = flagged
    return summary


CONFIG_NULLS = {
    "batch_size": "not used: full-batch gradient descent (--optimizer gd) takes every row in each step",
    "start": "not given (--start): the model's own starting parameters",
    "init": "not given (--init): the model's own starting parameters",
    "data": "no data file: the example's own function",
    "x": "no data file: the example's own function",
    "y": "no data file: the example's own function",
}


def config_document(setup: DescentSetup) -> dict[str, object]:
    """The JSON `config`, with `null_reasons` saying why each null option is null (not given, not used)."""
    document = setup.config.as_dict()
    reasons = {name: CONFIG_NULLS.get(name, "not given") for name, value in document.items() if value is None}
    if reasons:
        document["null_reasons"] = reasons
    return document


def _dump(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def _entry(run: DescentRun, row: Row) -> dict[str, object]:
    iteration, epoch, params, loss, batch_loss, grad_norm = row
    entry: dict[str, object] = {
        "iteration": iteration, "epoch": epoch,
        "params": {name: _number(value) for name, value in zip(run.params, params, strict=True)},
        "loss": _number(loss), "batch_loss": _number(batch_loss), "grad_norm": _number(grad_norm)}
    if not all(map(math.isfinite, (loss, batch_loss, grad_norm, *params))):
        entry["non_finite"] = _non_finite({**{f"params.{name}": value for name, value in zip(run.params, params,
                                                                                              strict=True)},
                                           "loss": loss, "batch_loss": batch_loss, "grad_norm": grad_norm})
    return entry


def json_lines(setup: DescentSetup, run: DescentRun, rows: Iterable[Row], stopped: Callable[[], Outcome]
               ) -> Iterator[str]:
    """One JSON document; each entry is written when the next arrives (so it knows whether a comma follows)."""
    yield '{"config": ' + _dump(config_document(setup)) + ","
    yield ' "history": ['
    previous: str | None = None
    for row in rows:
        if previous is not None:
            yield previous + ","
        previous = "  " + _dump(_entry(run, row))
    if previous is not None:
        yield previous
    yield " ],"
    yield ' "final": ' + _dump(final_summary(run)) + ","
    yield ' "stopped": ' + _dump(stopped()) + "}"


def jsonl_lines(run: DescentRun, rows: Iterable[Row], stopped: Callable[[], Outcome]) -> Iterator[str]:
    """One object per iteration (a JSON history entry), then `{"final": …, "stopped": …}`."""
    for row in rows:
        yield _dump(_entry(run, row))
    yield _dump({"final": final_summary(run), "stopped": stopped()})


def csv_lines(run: DescentRun, rows: Iterable[Row] | None = None) -> Iterator[str]:
    """One row per iteration, numbers at full precision (shortest round-trip form; NaN as `nan`)."""
    yield _csv_row(["iteration", "epoch", *run.params, "loss", "batch_loss", "grad_norm"])
    for iteration, epoch, params, loss, batch_loss, grad_norm in _rows(run) if rows is None else rows:
        # Numbers never need quoting, so a plain join is the csv module's output, without its per-row cost.
        yield ",".join([str(iteration), str(epoch), *map(repr, params), repr(loss), repr(batch_loss), repr(grad_norm)])


def _csv_row(cells: Sequence[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(cells)
    return buffer.getvalue()


def text_lines(setup: DescentSetup, run: DescentRun, rows: Iterable[Row], stopped: Callable[[], Outcome]
               ) -> Iterator[str]:
    config = setup.config
    mode = run.optimizer.label
    momentum = f" · momentum {config.momentum:g}" if config.momentum else ""
    yield f"descent · {setup.title} · {run.objective.model.title} · {mode} · η = {config.lr:g}{momentum}"
    if setup.start_note:
        yield setup.start_note
    header = ["iteration", "epoch", *run.params, "loss", "batch loss", "‖g‖"]
    widths = [9, 6, *([15] * len(run.params)), 15, 15, 12]
    yield "  ".join(name.rjust(width) for name, width in zip(header, widths, strict=True))
    for iteration, epoch, params, loss, batch_loss, grad_norm in rows:
        cells = [str(iteration), str(epoch), *(format_scalar(value) for value in params),
                 format_scalar(loss), format_scalar(batch_loss), format_scalar(grad_norm, 4)]
        yield "  ".join(cell.rjust(width) for cell, width in zip(cells, widths, strict=True))
    outcome = stopped()
    if outcome not in CUT_SHORT:
        yield from _verdict_lines(setup, run, outcome)  # type: ignore[arg-type]
        return
    lines = _verdict_lines(setup, run, "iterations")
    next(lines)
    yield f"stopped: {outcome} after {len(run.history)} iterations ({CUT_SHORT[outcome]}), not converged"
    yield from lines


def _verdict_lines(setup: DescentSetup, run: DescentRun, stopped: Stop) -> Iterator[str]:
    count = len(run.history)
    if stopped == "converged":
        yield f"stopped: converged after {count} iterations (‖g‖ < {run.tolerance:g})"
    elif stopped == "diverged":
        yield f"stopped: diverged at iteration {count} ({run.divergence_reason()}): {run.divergence_hint()}"
    else:
        yield f"stopped: after {count} iterations (the --iters limit), not converged"
    summary = final_summary(run)
    flagged: dict[str, str] = summary.get("non_finite", {})  # type: ignore[assignment]
    accuracy = summary["accuracy"]
    shown = f" · accuracy {100 * accuracy:.2f}%" if isinstance(accuracy, float) else ""
    yield f"final loss {_text(summary['loss'], flagged.get('loss'))}{shown}"
    yield "parameters: " + _assignments(summary["params"], flagged, "params")  # type: ignore[arg-type]
    data = setup.data
    if data is not None and data.scaling is not None:
        yield f"in {', '.join(data.features)} units: " + _assignments(
            summary["params_raw"], flagged, "params_raw")  # type: ignore[arg-type]
    if setup.config.model == "minima":
        yield _minimum_line(run.final_params[0])


def _assignments(values: dict[str, float | None], flagged: dict[str, str], prefix: str) -> str:
    return ", ".join(f"{name} = {_text(value, flagged.get(f'{prefix}.{name}'))}" for name, value in values.items())


def _text(value: object, non_finite: str | None = None) -> str:
    """A number as the text shows it; a null as the inf, -inf or NaN it stands for."""
    if value is None:
        return non_finite or "NaN"
    return format_scalar(value)  # type: ignore[arg-type]


def _minimum_line(x: float) -> str:
    where = minima.nearest_minimum(x)
    if where == "global":
        return f"ended at x = {format_scalar(x, 6)}: the global minimum"
    if where == "local":
        return (f"ended at x = {format_scalar(x, 6)}: the local minimum "
                f"(the global minimum is at x ≈ {minima.GLOBAL_MINIMUM:.6f}; start left of x ≈ {minima.RIDGE:.3f})")
    return f"ended at x = {format_scalar(x, 6)}: at neither minimum"


def report_lines(fmt: str, setup: DescentSetup, run: DescentRun, rows: Iterable[Row],
                 stopped: Callable[[], Outcome]) -> Iterator[str]:
    """The output in `fmt`, a line per iteration as `rows` yields it; `stopped` is asked once they end."""
    if fmt == "json":
        return json_lines(setup, run, rows, stopped)
    if fmt == "jsonl":
        return jsonl_lines(run, rows, stopped)
    if fmt == "csv":
        return csv_lines(run, rows)
    if fmt == "text":
        return text_lines(setup, run, rows, stopped)
    raise ValueError(f"unknown format {fmt!r}: choose one of {', '.join(REPORT_FORMATS)}")


def export_lines(fmt: str, setup: DescentSetup, run: DescentRun, stopped: Outcome) -> Iterator[str]:
    """A finished run's output, its iterations read from the history (every one must still be there)."""
    return report_lines(fmt, setup, run, _rows(run), lambda: stopped)
