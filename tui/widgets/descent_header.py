"""The lines around the descent plots: the header (what is being fitted, how) and the status line
(running with its progress and speed, paused, converged, or diverged at iteration N)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Label, ProgressBar

from backprop_tui.core.training.run import DescentRun

if TYPE_CHECKING:
    from ..screens.descent_clock import RunClock


def run_text(title: str, run: DescentRun) -> str:
    """`full batch · η = 0.5 · Heart.csv: AHD ~ MaxHR (303 rows, standardised)`: what changes first."""
    optimizer = run.optimizer
    mode = "plain gradient descent" if run.objective.data is None else optimizer.label
    momentum = f" · μ = {optimizer.momentum:g}" if optimizer.momentum else ""
    return f"{mode} · η = {optimizer.lr:g}{momentum} · {title}"


def diverged_text(run: DescentRun, iteration: int) -> str:
    """`diverged at iteration 5: the numbers are no longer finite. …` (why, from the run), and what to do."""
    why = run.divergence_reason(iteration, with_rule=False)
    return f"diverged at iteration {iteration}: {why}. Lower η (−) and reset (r), or undo (←)."


class DescentHeader(Horizontal):
    """The first line: the fit on the left, the iteration on the right."""

    DEFAULT_CSS = """
    DescentHeader {
        height: 1;
        background: $panel;
        & > #descent-brand { width: auto; padding: 0 0 0 1; text-style: bold; }
        & > #descent-title { width: 1fr; padding: 0 1; text-style: bold; }
        & > #descent-iteration { width: auto; padding: 0 1; }
    }
    """

    def compose(self) -> ComposeResult:
        yield Label("backprop-tui · descent ·", id="descent-brand")
        yield Label(id="descent-title")
        yield Label(id="descent-iteration")

    def show(self, title: str, run: DescentRun) -> None:
        self.query_one("#descent-title", Label).update(Content(run_text(title, run)))
        self.query_one("#descent-iteration", Label).update(Content(f"iter {run.current.iteration}"))


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

    def show_run(self, run: DescentRun, clock: RunClock, running: bool, diverged_at: int | None,
                 iterations: int) -> None:
        """Diverged, converged, running (with the progress toward the target), or waiting for a key."""
        count = len(run.history)
        speed = f"{clock.speed:g} it/s  [ ] speed"
        if diverged_at is not None:
            self.show(diverged_text(run, diverged_at), "diverged", "")
        elif run.stopped == "converged":
            self.show(f"converged after {count} iterations: ‖g‖ < {run.tolerance:g}", "finished", "")
        elif running:
            rate = clock.rate()
            shown = f" · {rate:.0f} it/s" if rate is not None else ""
            self.show(f"running: iteration {count} of {clock.target}{shown}", "running", speed, (count, clock.target))
        else:
            target = clock.next_target(count, iterations)
            self.show(f"{'paused' if count else 'ready'} at iteration {count} · enter runs to {target}", "idle", speed)

    def show(self, message: str, kind: str, speed: str, progress: tuple[int, int] | None = None) -> None:
        """`kind` is one of idle, running, diverged, finished; `progress` is (done, target) while running."""
        for name in ("running", "diverged", "finished"):
            self.set_class(kind == name, f"-{name}")
        self.query_one("#descent-message", Label).update(Content(message))
        self.query_one("#descent-speed", Label).update(Content(speed))
        if progress is not None:
            self.query_one(ProgressBar).update(progress=progress[0], total=max(1, progress[1]))
