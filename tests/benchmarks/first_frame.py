"""Start an app headless and exit as soon as its first frame is painted (used by bench.py's start-up figure).

`python first_frame.py app` starts `backprop-tui` exactly as the console script does;
`python first_frame.py baseline` starts a bare Textual app (Header, DataTable, Footer, numpy imported).
"""

from __future__ import annotations

import sys


async def exit_after_first_frame(pilot) -> None:
    await pilot.pause()
    pilot.app.exit()


def run_app() -> None:
    from backprop_tui.tui.app import launch

    launch([], headless=True, auto_pilot=exit_after_first_frame)


def run_baseline() -> None:
    import numpy  # noqa: F401  (the baseline pays for numpy too)
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable, Footer, Header

    class Baseline(App):
        def compose(self) -> ComposeResult:
            yield Header()
            yield DataTable()
            yield Footer()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_columns("var", "value")
            table.add_row("ξ1", "-9")

    Baseline().run(headless=True, auto_pilot=exit_after_first_frame)


if __name__ == "__main__":
    {"app": run_app, "baseline": run_baseline}[sys.argv[1]]()
