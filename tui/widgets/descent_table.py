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
from backprop_tui.core.training.view import IterationView

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


def param_lines(view: IterationView, compact: bool = False) -> list[str]:
    """`param  value  gradient  step` rows, plus the file-unit value when training saw standardised data."""
    record = view.record
    with_momentum = view.momentum or (record is not None and record.momentum)
    step = ("step" if compact else "step μv−η·g") if with_momentum else "step −η·g"
    derivative = "gradient" if view.has_data else "f′(x)"
    header = ["param", "value", derivative, step]
    if view.raw_params is not None:
        features = view.features
        header.append(f"{', '.join(features)} units" if len(features) == 1 else "file units")
    digits, cell_width = (COMPACT_DIGITS, COMPACT_WIDTH) if compact else (DIGITS, WIDTH)
    if compact and view.raw_params is not None:
        header[-1] = "raw units"
    width = max(6, *(len(name) + 1 for name in view.names))
    lines = [header[0].ljust(width) + "".join(cell.rjust(cell_width + 1) for cell in header[1:])]
    for index, name in enumerate(view.names):
        cells = [number(view.params[index], digits, cell_width),
                 number(record.grad[index], digits, cell_width) if record else "·",
                 number(record.step[index], digits, cell_width) if record else "·"]
        if view.raw_params is not None:
            cells.append(number(view.raw_params[index], min(digits, 5), cell_width))
        lines.append(name.ljust(width) + "".join(cell.rjust(cell_width + 1) for cell in cells))
    return lines


def scalar_lines(view: IterationView, compact: bool = False) -> list[str]:
    """The loss, batch loss, ‖g‖, η, μ, accuracy and where the batch cursor is (or, for minima, the basin
    and, once drawn, where several random starts end)."""
    record, batch = view.record, view.batch
    digits, gap = (COMPACT_DIGITS, " ") if compact else (DIGITS, "   ")
    name = "loss" if compact else "loss (full)"
    loss = view.loss if view.has_data else minima.shown_value(view.loss)
    lines = [f"{name if view.has_data else 'f(x)'} {number(loss, digits)}"]
    if record is not None and batch is not None and batch.partial:
        lines[0] += f"{gap}batch {number(record.batch_loss, digits)}"
    lines.append(f"‖g‖ {number(record.grad_norm, 4) if record else '·'}{gap}η {view.lr:g}{gap}μ {view.momentum:g}")
    if view.accuracy is not None:
        shown = f"{100 * view.accuracy:.1f}%" if math.isfinite(view.accuracy) else "NaN"
        lines[-1] += f"{gap}{'acc.' if compact else 'accuracy'} {shown}"
    if batch is not None and not batch.partial:
        every = "" if compact else " in each iteration"
        lines.append(f"epoch {batch.epoch} · all {batch.size} rows{every}")
    elif batch is not None:
        rows = "" if compact else " row" if batch.size == 1 else " rows"
        lines.append(f"epoch {batch.epoch} · batch {batch.number}/{batch.count} ({batch.size}{rows})")
    if not view.has_data:
        lines.append(basin_text(view))
        if view.plain_end is not None:
            where = minima.nearest_minimum(view.plain_end)
            lines.append(f"plain GD from x = {view.start[0]:g} ends at x = {view.plain_end:.4f}"
                         + (f" ({where} minimum)" if where else ""))
        if view.starts is not None and not compact:  # compact: the slice plot's title says it
            lines.append(view.starts.summary())
    return lines


def basin_text(view: IterationView) -> str:
    where = view.basin
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

    def show(self, view: IterationView) -> None:
        params = param_lines(view, self.compact)
        self.query_one(f"#{self.PARAMS_ID}", Static).update(
            Content.assemble((params[0], "bold"), "\n", "\n".join(params[1:])))
        scalars = scalar_lines(view, self.compact)
        self.query_one(f"#{self.SCALARS_ID}", Static).update(Content("\n".join(scalars)))
