"""`backprop-tui descent --tui`: the app opened on the descent screen, with the stepper under it.

`t` on the descent screen goes back to the stepper, so the stepper is there from the start,
just as when the descent screen is opened from it with `g`.
"""

from __future__ import annotations

from typing import Any

from backprop_tui.core.training.setup import DescentSetup

from ..backprop_app import BackpropApp
from .descent import DescentScreen
from .too_small import TooSmallScreen


class DescentApp(BackpropApp):
    """The backprop-tui app, opened on a descent run."""

    CSS_PATH = [f"../{path}" for path in BackpropApp.CSS_PATH]
    """The app's own style sheets, named from this module's folder (Textual resolves them from here)."""

    def __init__(self, setup: DescentSetup | None = None) -> None:
        super().__init__()
        self.setup = setup

    def on_mount(self) -> None:
        self.call_next(self.open_descent)

    def open_descent(self) -> None:
        """Put the descent screen on top of the stepper (and under the size guard, if it is up)."""
        if isinstance(self.screen, TooSmallScreen):
            self.pop_screen()
        self.push_screen(DescentScreen(self.setup))
        self.call_next(self.guard_size, self.size)


def run_descent_app(setup: DescentSetup, **run_options: Any) -> int:
    DescentApp(setup).run(**run_options)
    return 0
