"""This iteration in numbers: each parameter with its gradient and step, and the run's scalars beside them.

The gradient, the step and the batch loss (mini-batch only) are those of the iteration just taken,
at the parameters before it; the values, the full loss and the accuracy are those of the parameters
now. Text is set as `Content`, never markup.
"""

from __future__ import annotations

import math

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static

from backprop_tui.core.engine.numbers import format_scalar
from backprop_tui.core.training import minima
from backprop_tui.core.training.optimizers import batches_per_epoch
from backprop_tui.core.training.run import DescentRun

DIGITS = 6
WIDTH = 11
COMPACT_DIGITS = 4
COMPACT_WIDTH = 9


def number(value: float | None, digits: int = DIGITS, width: int | None = None) -> str:
    """`value` with `digits` significant digits, or fewer when that is the only way to fit `width`."""
    if value is None:
        return ""
    text = format_scalar(value, digits)
    while width is not None and len(text) > width and digits > 1:
        digits -= 1
        text = format_scalar(value, digits)
    return text


def param_lines(run: DescentRun, compact: bool = False) -> list[str]:
    """`param  value  gradient  step` rows, plus the file-unit value when training saw standardised data."""
    record = run.last
    data = run.objective.data
    raw = run.raw_params() if data is not None and data.scaling is not None else None
    step = "step μv−η·g" if run.optimizer.momentum or (record is not None and record.momentum) else "step −η·g"
    derivative = "f′(x)" if run.objective.data is None else "gradient"
    header = ["param", "value", derivative, step]
    if raw is not None:
        header.append(f"{', '.join(data.features)} units" if len(data.features) == 1 else "file units")  # type: ignore[union-attr]
    digits, cell_width = (COMPACT_DIGITS, COMPACT_WIDTH) if compact else (DIGITS, WIDTH)
    if compact and raw is not None:
        header[-1] = "raw units"
    width = max(6, *(len(name) + 1 for name in run.params))
    lines = [header[0].ljust(width) + "".join(cell.rjust(cell_width + 1) for cell in header[1:])]
    for index, name in enumerate(run.params):
        cells = [number(run.current.params[index], digits, cell_width),
                 number(record.grad[index], digits, cell_width) if record else "·",
                 number(record.step[index], digits, cell_width) if record else "·"]
        if raw is not None:
            cells.append(number(raw[index], min(digits, 5), cell_width))
        lines.append(name.ljust(width) + "".join(cell.rjust(cell_width + 1) for cell in cells))
    return lines


def scalar_lines(run: DescentRun, plain_end: float | None = None, compact: bool = False) -> list[str]:
    """The loss, batch loss, ‖g‖, η, accuracy and where the batch cursor is (or, for minima, the basin)."""
    record = run.last
    digits, gap = (COMPACT_DIGITS, " ") if compact else (DIGITS, "   ")
    name = "f(x)" if run.objective.data is None else "loss" if compact else "loss (full)"
    lines = [f"{name} {number(run.loss(), digits)}"]
    if record is not None and 0 < record.batch_rows < run.objective.rows:
        lines[0] += f"{gap}batch {number(record.batch_loss, digits)}"
    lines.append(f"‖g‖ {number(record.grad_norm, 4) if record else '·'}{gap}η {run.optimizer.lr:g}")
    accuracy = run.accuracy()
    if accuracy is not None:
        shown = f"{100 * accuracy:.1f}%" if math.isfinite(accuracy) else "NaN"
        lines[-1] += f"{gap}{'acc.' if compact else 'accuracy'} {shown}"
    if record is None or run.objective.data is None:
        pass
    elif record.batch_rows == run.objective.rows:
        every = "" if compact else " in each iteration"
        lines.append(f"epoch {record.epoch} · all {record.batch_rows} rows{every}")
    else:
        total = batches_per_epoch(run.objective.rows, record.batch_rows)
        size = min(record.batch_rows, run.objective.rows - record.batch * record.batch_rows)  # the last may be short
        rows = "" if compact else " row" if size == 1 else " rows"
        lines.append(f"epoch {record.epoch} · batch {record.batch + 1}/{total} ({size}{rows})")
    if run.objective.data is None:
        lines.append(basin_text(run.current.params[0]))
        if plain_end is not None:
            where = minima.nearest_minimum(plain_end)
            lines.append(f"plain GD from x = {run_start(run):g} ends at x = {plain_end:.4f}"
                         + (f" ({where} minimum)" if where else ""))
    return lines


def run_start(run: DescentRun) -> float:
    return run.history[0].params[0] if len(run.history) else run.current.params[0]


def basin_text(x: float) -> str:
    where = minima.nearest_minimum(x)
    if where is None:
        return "not at a minimum yet"
    return f"at the {where} minimum (x ≈ {minima.GLOBAL_MINIMUM if where == 'global' else minima.LOCAL_MINIMUM:.4f})"


class DescentTable(Horizontal):
    """The parameters on the left, the run's scalars on the right."""

    DEFAULT_CSS = """
    DescentTable {
        height: auto;
        & > #descent-params { width: auto; padding: 0 2 0 1; }
        & > #descent-scalars { width: 1fr; padding: 0 1; }
    }
    """

    PARAMS_ID = "descent-params"
    SCALARS_ID = "descent-scalars"

    def compose(self) -> ComposeResult:
        yield Static(id=self.PARAMS_ID)
        yield Static(id=self.SCALARS_ID)

    def __init__(self) -> None:
        super().__init__()
        self.compact = False
        """Fewer digits and shorter labels, for an 80-column terminal."""

    def show(self, run: DescentRun, plain_end: float | None = None) -> None:
        params = param_lines(run, self.compact)
        self.query_one(f"#{self.PARAMS_ID}", Static).update(
            Content.assemble((params[0], "bold"), "\n", "\n".join(params[1:])))
        scalars = scalar_lines(run, plain_end, self.compact)
        self.query_one(f"#{self.SCALARS_ID}", Static).update(Content("\n".join(scalars)))
