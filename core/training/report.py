"""A finished descent run as text, CSV or JSON, produced line by line.

A run may have a hundred thousand iterations, so the output is streamed: the history is read from
the run's arrays in one go and each line is formatted as it is written, never held as one big
document. The JSON is still a single valid document (one history entry per line).
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterator, Sequence

from ..engine.numbers import format_scalar
from . import minima
from .run import DescentRun, Stop
from .setup import DescentSetup

REPORT_FORMATS = ("text", "csv", "json")


def _number(value: float) -> float | None:
    """A JSON number; NaN and infinities (a diverged run) become null."""
    return value if math.isfinite(value) else None


def _rows(run: DescentRun) -> Iterator[tuple[int, int, list[float], float, float, float]]:
    history = run.history
    params = history.params_array().tolist()
    columns = [history.column(name).tolist() for name in ("epoch", "loss", "batch_loss", "grad_norm")]
    for index, (epoch, loss, batch_loss, grad_norm) in enumerate(zip(*columns, strict=True)):
        yield index + 1, int(epoch), params[index], loss, batch_loss, grad_norm


def final_summary(run: DescentRun) -> dict[str, object]:
    """The JSON `final` object: parameters (also in the data's units), full loss and accuracy."""
    names = run.params
    accuracy = run.accuracy()
    return {
        "params": {name: _number(value) for name, value in zip(names, run.current.params, strict=True)},
        "params_raw": {name: _number(value) for name, value in zip(names, run.raw_params(), strict=True)},
        "loss": _number(run.loss()),
        "accuracy": None if accuracy is None else _number(accuracy),
    }


def json_lines(setup: DescentSetup, run: DescentRun, stopped: Stop) -> Iterator[str]:
    dump = lambda value: json.dumps(value, ensure_ascii=False, allow_nan=False)
    yield '{"config": ' + dump(setup.config.as_dict()) + ","
    yield ' "history": ['
    count = len(run.history)
    for iteration, epoch, params, loss, batch_loss, grad_norm in _rows(run):
        entry = {"iteration": iteration, "epoch": epoch,
                 "params": {name: _number(value) for name, value in zip(run.params, params, strict=True)},
                 "loss": _number(loss), "batch_loss": _number(batch_loss), "grad_norm": _number(grad_norm)}
        yield "  " + dump(entry) + ("," if iteration < count else "")
    yield " ],"
    yield ' "final": ' + dump(final_summary(run)) + ","
    yield ' "stopped": ' + dump(stopped) + "}"


def csv_lines(run: DescentRun) -> Iterator[str]:
    """One row per iteration, numbers at full precision (shortest round-trip form; NaN as `nan`)."""
    yield _csv_row(["iteration", "epoch", *run.params, "loss", "batch_loss", "grad_norm"])
    for iteration, epoch, params, loss, batch_loss, grad_norm in _rows(run):
        yield _csv_row([str(iteration), str(epoch), *map(repr, params), repr(loss), repr(batch_loss), repr(grad_norm)])


def _csv_row(cells: Sequence[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(cells)
    return buffer.getvalue()


def text_lines(setup: DescentSetup, run: DescentRun, stopped: Stop) -> Iterator[str]:
    config = setup.config
    mode = run.optimizer.label
    momentum = f" · momentum {config.momentum:g}" if config.momentum else ""
    yield f"descent · {setup.title} · {run.objective.model.title} · {mode} · η = {config.lr:g}{momentum}"
    if setup.start_note:
        yield setup.start_note
    header = ["iteration", "epoch", *run.params, "loss", "batch loss", "‖g‖"]
    widths = [9, 6, *([15] * len(run.params)), 15, 15, 12]
    yield "  ".join(name.rjust(width) for name, width in zip(header, widths, strict=True))
    for iteration, epoch, params, loss, batch_loss, grad_norm in _rows(run):
        cells = [str(iteration), str(epoch), *(format_scalar(value) for value in params),
                 format_scalar(loss), format_scalar(batch_loss), format_scalar(grad_norm, 4)]
        yield "  ".join(cell.rjust(width) for cell, width in zip(cells, widths, strict=True))
    yield from _verdict_lines(setup, run, stopped)


def _verdict_lines(setup: DescentSetup, run: DescentRun, stopped: Stop) -> Iterator[str]:
    count = len(run.history)
    if stopped == "converged":
        yield f"stopped: converged after {count} iterations (‖g‖ < {run.tolerance:g})"
    elif stopped == "diverged":
        last = run.history[-1]
        numbers = (last.loss, last.batch_loss, last.grad_norm, *run.current.params)
        finite = all(math.isfinite(value) for value in numbers)
        why = "the loss grew without bound" if finite else "the numbers are no longer finite"
        yield f"stopped: diverged at iteration {count} ({why}): try a smaller --lr"
    else:
        yield f"stopped: after {count} iterations (the --iters limit), not converged"
    summary = final_summary(run)
    accuracy = summary["accuracy"]
    shown = f" · accuracy {100 * accuracy:.2f}%" if isinstance(accuracy, float) else ""
    yield f"final loss {_text(summary['loss'])}{shown}"
    yield "parameters: " + _assignments(summary["params"])  # type: ignore[arg-type]
    data = setup.data
    if data is not None and data.scaling is not None:
        yield f"in {', '.join(data.features)} units: " + _assignments(summary["params_raw"])  # type: ignore[arg-type]
    if setup.config.model == "minima":
        yield _minimum_line(run.current.params[0])


def _assignments(values: dict[str, float | None]) -> str:
    return ", ".join(f"{name} = {_text(value)}" for name, value in values.items())


def _text(value: object) -> str:
    return "NaN" if value is None else format_scalar(value)  # type: ignore[arg-type]


def _minimum_line(x: float) -> str:
    where = minima.nearest_minimum(x)
    if where == "global":
        return f"ended at x = {format_scalar(x, 6)}: the global minimum"
    if where == "local":
        return (f"ended at x = {format_scalar(x, 6)}: the local minimum "
                f"(the global minimum is at x ≈ {minima.GLOBAL_MINIMUM:.6f}; start left of x ≈ {minima.RIDGE:.3f})")
    return f"ended at x = {format_scalar(x, 6)}: at neither minimum"


def export_lines(fmt: str, setup: DescentSetup, run: DescentRun, stopped: Stop) -> Iterator[str]:
    if fmt == "json":
        return json_lines(setup, run, stopped)
    if fmt == "csv":
        return csv_lines(run)
    if fmt == "text":
        return text_lines(setup, run, stopped)
    raise ValueError(f"unknown format {fmt!r}: choose one of {', '.join(REPORT_FORMATS)}")
