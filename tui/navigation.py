"""How a screen sends the student somewhere else: the one seam between screens.

Screens never build each other's screens or touch the screen stack themselves; they call these, and
the app decides how (which mode, which stack), so state kept per lesson survives every move.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.app import App

    from backprop_tui.core.stepping.problem import Problem


def open_stepper(app: App, problem: Problem, note: str | None = None) -> None:
    """Push the stepper on `problem` over the current screen; escape comes back to exactly where the student was.

    `note` is one line above the graph saying where this graph came from (an iteration, a patient)."""
    app.open_stepper(problem, note)  # type: ignore[attr-defined]


def open_descent(app: App, start: Mapping[str, float] | None = None) -> None:
    """Open the descent lesson; with `start` (parameters in the data's own units) its run restarts from there."""
    app.open_descent(start)  # type: ignore[attr-defined]


def open_workbench(app: App) -> None:
    """The stepper the app opened on (the student's own graph); escape comes back to where they were."""
    app.open_workbench()  # type: ignore[attr-defined]


def open_lesson(app: App, lesson_id: str) -> None:
    """Open a lesson of the map where the student left it (or fresh, the first time)."""
    app.open_lesson(lesson_id)  # type: ignore[attr-defined]
