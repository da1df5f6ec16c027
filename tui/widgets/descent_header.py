"""The lines around the descent plots: the header (what is being fitted, how) and the status line
(running with its progress and speed, paused, converged, or diverged at iteration N)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Label, ProgressBar

from backprop_tui.core.training.view import IterationView

from .screen_header import ScreenHeader

if TYPE_CHECKING:
    from ..screens.descent_clock import RunClock


def run_text(title: str, view: IterationView) -> str:
    """`full batch · η = 0.5 · Heart.csv: AHD ~ MaxHR (303 rows, standardised)`: what changes first."""
    mode = view.optimizer if view.has_data else "plain gradient descent"
    momentum = f" · μ = {view.momentum:g}" if view.momentum else ""
    return f"{mode} · η = {view.lr:g}{momentum} · {title}"


def diverged_text(view: IterationView) -> str:
    """`diverged at iteration 5: the numbers are no longer finite. …`, and the keys that help."""
    return f"diverged at iteration {view.diverged_at}: {view.diverged_why}. Lower η (−) and reset (r), or undo (←)."


def idle_state(count: int, clock: RunClock) -> str:
    """Where a stopped run stands: ready at 0, paused where a run (enter) was stopped, else where `space` stepped
    to (saying "paused" after single steps told the student a run had happened)."""
    if not count:
        return "ready at iteration 0 · space steps"
    if clock.target:
        return f"paused at iteration {count}"
    return f"iteration {count}, stepped by hand"


class DescentHeader(ScreenHeader):
    """The first line: the fit on the left, the iteration on the right."""

    def __init__(self) -> None:
        super().__init__("backprop-tui · descent ·", "descent", status="iteration")

    def show(self, title: str, view: IterationView) -> None:
        self.show_title(run_text(title, view))
        self.show_status(f"iter {view.iteration}")


class DescentStatus(Horizontal):
    """What the run is doing: a message, and while running a progress bar toward the target and the speed."""

    DEFAULT_CSS = """
    DescentStatus {
        height: 1;
        padding: 0 1;
        & > #descent-message { width: 1fr; }
        & > ProgressBar { width: auto; display: none; }
        & > #descent-speed { width: auto; padding: 0 0 0 2; color: $text-muted; }
        &.-running > ProgressBar { display: block; }
        &.-diverged > #descent-message { color: $text-error; text-style: bold; }
        &.-finished > #descent-message { color: $text-success; }
    }
    """

    def compose(self) -> ComposeResult:
        yield Label(id="descent-message")
        yield ProgressBar(show_eta=False)
        yield Label(id="descent-speed")

    def show_run(self, view: IterationView, clock: RunClock, running: bool, iterations: int) -> None:
        """Diverged, converged, running (with the progress toward the target), or waiting for a key."""
        count = view.iteration
        speed = f"{clock.speed:g} it/s  [ ] speed"
        if view.diverged_at is not None:
            self.show(diverged_text(view), "diverged", "")
        elif view.converged:
            self.show(f"converged after {count} iterations: ‖g‖ < {view.tolerance:g}", "finished", "")
        elif running:
            rate = clock.rate()
            shown = f" · {rate:.0f} it/s" if rate is not None else ""
            self.show(f"running: iteration {count} of {clock.target}{shown}", "running", speed, (count, clock.target))
        else:
            target = clock.next_target(count, iterations)
            self.show(f"{idle_state(count, clock)} · enter runs to {target}", "idle", speed)

    def show(self, message: str, kind: str, speed: str, progress: tuple[int, int] | None = None) -> None:
        """`kind` is one of idle, running, diverged, finished; `progress` is (done, target) while running."""
        for name in ("running", "diverged", "finished"):
            self.set_class(kind == name, f"-{name}")
        self.query_one("#descent-message", Label).update(Content(message))
        self.query_one("#descent-speed", Label).update(Content(speed))
        if progress is not None:
            self.query_one(ProgressBar).update(progress=progress[0], total=max(1, progress[1]))
