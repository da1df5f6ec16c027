"""The descent screen's animated run: enter steps the run in a worker, tick by tick, at the chosen speed.

Kept apart from the screen's other keys because it is the one part with its own thread and clock:
each tick takes as many iterations as the speed owes, within a time slice, and shows one view; a
pause cancels the worker, and the run keeps every step it took.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import work
from textual.worker import get_current_worker

from .descent_clock import BUDGET

if TYPE_CHECKING:
    from backprop_tui.core.training.driver import DescentDriver
    from backprop_tui.core.training.setup import DescentSetup
    from backprop_tui.core.training.view import IterationView

    from .descent_clock import RunClock

RUN_GROUP = "descent-run"


def in_time(deadline: float, worker) -> Callable[[], bool]:  # noqa: ANN001 (a Textual Worker)
    """Whether a tick may take another step: its time slice is not used up and the run was not paused."""
    return lambda: time.perf_counter() < deadline and not worker.is_cancelled


class RunLoop:
    """The run/pause key of a screen that has a `driver`, a `clock`, a `view` and shows views."""

    driver: DescentDriver
    setup: DescentSetup
    clock: RunClock
    view: IterationView
    running: bool

    def action_run(self) -> None:
        if self.running:
            self.pause()
            self.show_status()
            return
        if self.blocked():
            return
        if self.view.converged:
            self.notify("converged: the gradient is (almost) zero; space still steps, r resets")
            return
        self.clock.start(self.view.iteration, self.setup.config.iters)
        self.running = True
        self.run_worker_loop()
        self.show_status()

    @work(thread=True, exclusive=True, group=RUN_GROUP, exit_on_error=False)
    def run_worker_loop(self) -> None:
        """Step as fast as the speed asks, within a time slice per tick, and show each tick's view."""
        worker = get_current_worker()
        clock = self.clock
        done = self.view.iteration
        while not worker.is_cancelled:
            time.sleep(clock.tick)
            if worker.is_cancelled:
                break
            owed = clock.owed(done)
            view = self.driver.step(owed, in_time(time.perf_counter() + BUDGET, worker)) if owed else self.driver.view()
            clock.took(view.iteration - done, view.iteration)
            done = view.iteration
            finished = view.stopped is not None or view.diverged_at is not None or done >= clock.target
            # Shown even when the run was paused meanwhile: the run has taken this tick's steps, and a
            # paused screen must not stay behind its run (show_view ignores it if a newer view is shown).
            self.app.call_from_thread(self.show_view, view)
            if worker.is_cancelled:
                break
            if finished:
                self.app.call_from_thread(self._run_ended)
                break

    def _run_ended(self) -> None:
        self.running = False
        self.show_status()

    def pause(self) -> None:
        if self.running:
            self.running = False
            self.workers.cancel_group(self, RUN_GROUP)
