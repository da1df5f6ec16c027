"""`backprop-tui descent --example two-neurons --tui`: the app opened on the lesson, the stepper under it.

The stepper underneath shows the lesson's 1-2-1 network, so `t` on the lesson goes back to it,
just as `t` on the descent screen goes back to the stepper.
"""

from __future__ import annotations

from typing import Any

from backprop_tui.core.lessons import two_neurons
from backprop_tui.core.stepping.problem import build_problem

from ..backprop_app import BackpropApp
from .too_small import TooSmallScreen
from .two_neurons import TwoNeuronsScreen


class TwoNeuronsApp(BackpropApp):
    """The backprop-tui app, opened on the two-neurons lesson."""

    CSS_PATH = [f"../{path}" for path in BackpropApp.CSS_PATH]
    """The app's own style sheets, named from this module's folder (Textual resolves them from here)."""

    def __init__(self, seed: int = two_neurons.SEED) -> None:
        super().__init__(build_problem("mlp"))
        self.seed = seed

    def on_mount(self) -> None:
        self.call_next(self.open_lesson)

    def open_lesson(self) -> None:
        """Put the lesson on top of the stepper (and under the size guard, if it is up)."""
        if isinstance(self.screen, TooSmallScreen):
            self.pop_screen()
        self.push_screen(TwoNeuronsScreen(self.seed))
        self.call_next(self.guard_size, self.size)


def run_two_neurons_app(seed: int = two_neurons.SEED, **run_options: Any) -> int:
    TwoNeuronsApp(seed).run(**run_options)
    return 0
