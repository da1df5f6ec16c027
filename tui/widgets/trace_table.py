"""The lecture's table, filling row by row as the steps go.

Every node has a row from the start (inputs first, the loss last, in the one topological order),
sized for the text the last step will show, so nothing jumps while the table fills. A step only
rewrites the cells whose text changed: stepping through a hundred-node graph stays as quick as
stepping through the lecture's six. A graph too big to table whole (`core.layout.window`) keeps a
window of rows around the current step (and the few rows outside it that steps have visited, such
as an input every node reads), refilled only when the step nears the window's edge.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import DataTable

from backprop_tui.core.layout.window import TABLE_RADIUS, focus_node, span_around
from backprop_tui.core.stepping.snapshot import Row, Snapshot
from backprop_tui.core.stepping.table import (
    accumulated_header,
    accumulated_text,
    partial_text,
    partial_value_text,
    value_text,
)

from .cell_fit import MAX_ROW_HEIGHT, ellipsized, fit_cell, fit_widths

__all__ = ["MAX_ROW_HEIGHT", "TraceTable", "fit_cell", "fit_widths", "row_cells", "row_stage"]

COLUMNS = ("var", "definition", "partial", "value", "partial_value", "accumulated")
"""Column keys, in the lecture's order."""
HEADERS = ("var", "definition", "local partial", "value", "partial value")
"""Headers of all but the last column, whose header depends on the mode (dξ/dW or dL/dξ)."""
SHORT_HEADERS = {"definition": "formula", "local partial": "local ∂"}
"""What a header says in a column narrower than it (an 80-column terminal gives `local partial` 10 or 11 cells):
DataTable would crop it silently to `local parti`. Each fits its column's narrowest width (MIN_WIDTHS)."""
MIN_WIDTHS = (3, 8, 10, 14, 14, 14)
"""Narrowest each column gets in a small terminal: formulas give way first, numbers stay whole."""
TABLE_WHOLE_LIMIT = 500
"""A table with more rows than this shows a window of them around the current step."""
TABLE_MARGIN = 15
"""The window is refilled when the step's row comes this close to its edge."""
MAX_PINNED = 8
"""Rows outside the window kept in view because a step was about them (a fan-out input, the loss)."""


DAGGER_NOTE = "† a slide printed another number here: the step's explanation says which and why"
DAGGER_SHORT = "† a slide printed another number"
"""The table's legend for `†`, in its bottom border whenever a row carries one."""


def column_label(header: str, width: int) -> str:
    """The header, or its short form when the column is narrower than it; past that, cut with an ellipsis that
    says so (a long input name in `dξ/d…`), never cropped without a sign."""
    short = SHORT_HEADERS.get(header)
    if len(header) > width and short is not None and len(short) <= width:
        return short
    return ellipsized(header, width)


def row_stage(row: Row) -> tuple[bool, bool, int, int]:
    """How far a row has been filled: value known, derivative known, contributions and local partials received.

    Within one stepper a row's text depends only on its stage, so a view re-renders only the rows
    whose stage changed since the last step."""
    return row.value is not None, row.accumulated is not None, len(row.contributions), len(row.partial_values)


def row_cells(row: Row) -> tuple[str, ...]:
    """The text of one row, in COLUMNS order, with the same helpers as `backprop-tui table`.

    A node with several parents has one local partial per parent: each gets its own line. A row where
    a slide printed another number is marked `†`; its step's explanation (a click away) says what and why."""
    definition = "input" if row.is_input else row.definition
    accumulated = accumulated_text(row) + (" †" if row.note else "")
    return (row.name, definition, partial_text(row).replace("; ", "\n"), value_text(row),
            partial_value_text(row).replace("; ", "\n"), accumulated)


class TraceTable(DataTable, can_focus=False):
    """The lecture's table; the cursor row is the node of the current step."""

    DEFAULT_CSS = """
    TraceTable {
        height: 1fr;
    }
    """

    snapshot: reactive[Snapshot | None] = reactive(None, always_update=True, layout=False)
    """The step to show; rows whose text changed are rewritten, the cursor moves to the current node."""

    class RowClicked(Message):
        """A row was clicked: the screen jumps to that node's step."""

        def __init__(self, name: str) -> None:
            self.name = name
            super().__init__()

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, cursor_type="row", zebra_stripes=False)
        self._final: Snapshot | None = None
        self._texts: dict[str, tuple[str, ...]] = {}
        self._stages: dict[str, tuple[bool, bool, int, int]] = {}
        self._fitted_to = -1
        self._widths: list[int] = [1] * len(COLUMNS)
        self._longest: list[tuple[str, ...]] = []
        self._positions: dict[str, int] = {}
        self._block: tuple[int, int] = (0, 0)
        self._pinned: list[int] = []
        self._seen: tuple[Row, ...] | None = None

    def load(self, final: Snapshot, current: Snapshot | None = None) -> None:
        """Set up rows and columns for a new stepper, sized for its last step, their text `current`'s: the step
        about to be shown (without it, the last step's until a snapshot is set, then rewritten cell by cell)."""
        self._final = final
        self._fitted_to = -1
        self._positions = {row.name: position for position, row in enumerate(final.rows)}
        self._pinned = []
        self.set_reactive(TraceTable.snapshot, current)
        self._fit()

    @property
    def windowed(self) -> bool:
        """Whether the table holds a window of the rows rather than all of them."""
        return self._final is not None and len(self._final.rows) > TABLE_WHOLE_LIMIT

    @property
    def squeezed(self) -> bool:
        """Whether the columns are down near their minimum widths (an 80-column terminal): only then may a formula
        or a long number end in an ellipsis; with any more room every cell wraps whole."""
        return self._available() < sum(MIN_WIDTHS) + 2 * len(COLUMNS)

    def _available(self) -> int:
        width = self.size.width or self.app.size.width - 2
        return width - self.styles.scrollbar_size_vertical - 2 * self.cell_padding * len(COLUMNS)

    def _fit(self) -> None:
        """Rebuild the columns to share the widget's width, then show the current step again."""
        final, available = self._final, self._available()
        if final is None or available == self._fitted_to:
            return
        self._fitted_to = available
        headers = (*HEADERS, accumulated_header(final))
        longest = [row_cells(row) for row in final.rows]
        natural = [max(len(header), *(len(line) for cells in longest for line in cells[index].split("\n")))
                   for index, header in enumerate(headers)]
        widths = fit_widths(natural, available, MIN_WIDTHS)
        self._widths = widths
        self._longest = longest
        self.clear(columns=True)
        for key, header, width in zip(COLUMNS, headers, widths, strict=True):
            # A Text, not a str: DataTable parses a str as markup, whose first use imports rich's emoji table
            # (~5 ms of start-up) for headers that hold neither markup nor emoji.
            self.add_column(Text(column_label(header, width)), width=width, key=key)
        self._fill(self.snapshot or final)

    def _shown_positions(self, current: Snapshot) -> list[int]:
        """Every row, or for a big graph the window around the current step and the pinned rows."""
        assert self._final is not None
        total = len(self._final.rows)
        if not self.windowed:
            return list(range(total))
        node = current.node
        self._block = span_around(self._focus_position(current), total, TABLE_RADIUS)
        first, last = self._block
        if node is not None and not first <= self._positions[node] < last \
                and self._positions[node] not in self._pinned:
            self._pinned = [*self._pinned, self._positions[node]][-MAX_PINNED:]
        return sorted({*range(first, last), *self._pinned})

    def _fill(self, current: Snapshot) -> None:
        """(Re)build the rows shown, their text at `current`, their height for the last step."""
        self.clear()
        self._texts, self._stages = {}, {}
        for position in self._shown_positions(current):
            row = current.rows[position]
            self._texts[row.name] = row_cells(row)
            self._stages[row.name] = row_stage(row)
            height = max(fit_cell(cell, width).count("\n") + 1
                         for cell, width in zip(self._longest[position], self._widths, strict=True))
            self.add_row(*self._cells(self._texts[row.name]), key=row.name, height=height)
        self._seen = current.rows
        first, last = self._block
        parts = [f"rows {first + 1}–{last} of {len(current.rows)}"] if self.windowed else []
        if self._final is not None and any(row.note for row in self._final.rows):
            parts.append(DAGGER_NOTE if self._available() >= len(DAGGER_NOTE) + 20 else DAGGER_SHORT)
        self.border_subtitle = " · ".join(parts)
        self._place_cursor(current)

    def _focus_position(self, snapshot: Snapshot) -> int:
        """The row a window centres on (the first row before any step)."""
        focus = focus_node(snapshot)
        return 0 if focus is None else self._positions[focus]

    def _needs_refill(self, snapshot: Snapshot) -> bool:
        """Whether a windowed table must move its window: the step's row is missing or near an edge."""
        node = snapshot.node
        if node is not None and node not in self._stages:
            return True
        first, last = self._block
        total = len(snapshot.rows)
        low = first + TABLE_MARGIN if first > 0 else 0
        high = last - TABLE_MARGIN if last < total else total
        return not low <= self._focus_position(snapshot) < high

    def _cells(self, texts: tuple[str, ...]) -> list[Text]:
        return [Text(fit_cell(text, width), no_wrap=True) for text, width in zip(texts, self._widths, strict=True)]

    def watch_snapshot(self, snapshot: Snapshot | None) -> None:
        if snapshot is None or self._final is None:
            return
        if self.windowed and self._needs_refill(snapshot):
            self._fill(snapshot)
            return
        for row in self._rows_to_update(snapshot):
            stage = row_stage(row)
            if stage == self._stages[row.name]:
                continue
            self._stages[row.name] = stage
            cells = row_cells(row)
            before = self._texts[row.name]
            for key, old, new, width in zip(COLUMNS, before, cells, self._widths, strict=True):
                if old != new:
                    self.update_cell(row.name, key, Text(fit_cell(new, width), no_wrap=True))
            self._texts[row.name] = cells
        self._seen = snapshot.rows
        self._place_cursor(snapshot)

    def _rows_to_update(self, snapshot: Snapshot) -> list[Row]:
        """The rows shown that are not the very objects seen last time (a stepper shares unchanged
        rows between snapshots), so a step costs what it changes, not what the graph holds."""
        rows, seen = snapshot.rows, self._seen
        if self.windowed:
            candidates = [rows[self._positions[name]] for name in self._stages]
        elif seen is None or len(seen) != len(rows):
            return list(rows)
        else:
            candidates = [row for row, old in zip(rows, seen, strict=True) if row is not old]
        return candidates

    def _place_cursor(self, snapshot: Snapshot) -> None:
        self.show_cursor = snapshot.node is not None
        if snapshot.node is not None:
            self.move_cursor(row=self.get_row_index(snapshot.node), animate=False)

    def on_resize(self) -> None:
        self._fit()

    def on_click(self, event: events.Click) -> None:
        row = event.style.meta.get("row")
        if isinstance(row, int) and 0 <= row < self.row_count:
            key = self.coordinate_to_cell_key((row, 0)).row_key.value
            if key is not None:
                self.post_message(self.RowClicked(key))
