"""The start-up baseline: a bare Textual app (Header, DataTable, Footer) that imports numpy, as `backprop-tui` does.

`first_paint.py` times it, in a pseudo-terminal, until its one cell (`ξ1`) is painted: what any Textual
app with a table costs, so `backprop-tui`'s own start-up is judged as a ratio to it.
"""

from __future__ import annotations

import numpy  # noqa: F401  (the baseline pays for numpy too)
from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header

CELL = "ξ1"
"""The text whose painting ends the baseline's start-up."""


class Baseline(App[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable()
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("var", "value")
        table.add_row(CELL, "-9")


if __name__ == "__main__":
    Baseline().run()
