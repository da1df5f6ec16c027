"""A descent run as a lesson drives it: one iteration, a run, undo, η and batch-mode changes, a new
start; every change made behind one lock and answered with an immutable `IterationView`.

The descent screen steps the run in worker threads so the screen keeps answering keys; the lock
makes each change whole, and each view carries a version so a screen can drop one that arrives
after a newer one. What survives moving between screens (the run, its start, where it diverged)
is here, in the driver the lesson holds, not in a widget.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping

import numpy as np

from . import minima
from .batch_curve import SliceAxis
from .initial import start_from_raw
from .landscape import plain_descent_end
from .optimizers import KINDS, next_momentum
from .setup import DescentSetup
from .starts import Starts, several_starts
from .view import IterationView, batch_of, iteration_view

START_STEP = 0.05
"""How far the minima example's start moves per key."""


class DescentDriver:
    """`setup`'s run, from its start, with the screen's operations."""

    def __init__(self, setup: DescentSetup) -> None:
        self.setup = setup
        self.run = setup.new_run()
        self.start = tuple(self.run.current.params)
        self.minima = setup.objective.data is None
        self.diverged_at: int | None = None
        self.plain_end: float | None = None
        self.version = 0
        self.starts: Starts | None = None
        """Minima example: the last draw of several random starts and their ends (slide 38), once asked for."""
        self.slice_axis: SliceAxis | None = None
        """The slice the screen draws L along, once its landscape is known: the views then carry the batch's curve."""
        self.lock = threading.Lock()
        if self.minima:
            self._find_plain_end()

    def view(self) -> IterationView:
        with self.lock:
            return self._view()

    def _view(self) -> IterationView:
        return iteration_view(self.run, start=self.start, diverged_at=self.diverged_at, plain_end=self.plain_end,
                              version=self.version, slice_axis=self.slice_axis, starts=self.starts)

    def _changed(self) -> IterationView:
        self.version += 1
        return self._view()

    def follow_slice(self, axis: int, x: np.ndarray) -> IterationView:
        """Views from now on carry the last batch's loss along parameter `axis` on the grid `x`."""
        with self.lock:
            self.slice_axis = SliceAxis(axis, np.asarray(x, dtype=float))
            return self._changed()

    @property
    def blocked(self) -> bool:
        """A diverged run takes no more steps until it is undone past the divergence or reset."""
        return self.diverged_at is not None

    def step(self, count: int = 1, keep_going: Callable[[], bool] | None = None) -> IterationView:
        """Up to `count` iterations (fewer if the run stops or `keep_going` says stop)."""
        with self.lock:
            for _ in range(count):
                if self.blocked:
                    break
                self.run.step()
                self._note_divergence()
                if self.run.stopped is not None or (keep_going is not None and not keep_going()):
                    break
            return self._changed()

    def undo(self) -> IterationView | None:
        """One iteration back to exactly the state before it; None when there is nothing to undo."""
        with self.lock:
            if self.run.undo() is None:
                return None
            self._note_divergence()
            return self._changed()

    def reset(self, start: tuple[float, ...] | None = None) -> IterationView:
        with self.lock:
            return self._reset(start)

    def _reset(self, start: tuple[float, ...] | None) -> IterationView:
        if start is not None:
            self.start = start
        self.run.reset(self.start)
        self.diverged_at = None
        if self.minima:
            self._find_plain_end()
        return self._changed()

    def restart_from(self, raw: Mapping[str, float]) -> IterationView:
        """Start again from parameters given in the data's own units (the classification lesson's β)."""
        model, data = self.run.objective.model, self.run.objective.data
        unknown = [name for name in raw if name not in model.params]
        if unknown:
            raise ValueError(f"unknown parameter {unknown[0]!r}: the model's are {', '.join(model.params)}")
        return self.reset(start_from_raw(model, data.scaling if data is not None else None, raw))

    def scale_lr(self, factor: float) -> IterationView:
        """η × factor for the next steps (an OptimizerError when the result cannot be used)."""
        with self.lock:
            self.run.set_optimizer(self.run.optimizer.with_changes(lr=self.run.optimizer.lr * factor))
            return self._optimizer_changed()

    def next_momentum(self) -> IterationView:
        """μ: 0 → 0.5 → 0.9 → 0 for the next steps (slide 34); the velocity built so far is kept."""
        with self.lock:
            self.run.set_optimizer(self.run.optimizer.with_changes(momentum=next_momentum(self.run.optimizer.momentum)))
            return self._optimizer_changed()

    def draw_starts(self) -> IterationView:
        """Minima example: the next draw of several random starts, each descended with the run's η and μ."""
        with self.lock:
            self._find_starts(self.starts.seed + 1 if self.starts is not None else 1)
            return self._changed()

    def _optimizer_changed(self) -> IterationView:
        if self.minima:
            self._find_plain_end()
            if self.starts is not None:
                self._find_starts(self.starts.seed)
        return self._changed()

    def _find_starts(self, seed: int) -> None:
        self.starts = several_starts(self.setup.objective, self.run.optimizer, self.setup.config.iters, seed)

    def next_batch_mode(self) -> IterationView:
        """Full batch → mini-batch → stochastic → full batch, from the next iteration on."""
        with self.lock:
            kind = KINDS[(KINDS.index(self.run.optimizer.kind) + 1) % len(KINDS)]
            self.run.set_optimizer(self.run.optimizer.with_changes(kind=kind))
            return self._changed()

    def move_start(self, direction: int) -> IterationView:
        """Minima example: the start START_STEP left or right (inside the domain), the run reset there."""
        low, high = minima.DOMAIN
        with self.lock:  # read and move the start in one step: two quick presses must move it twice
            start = (round(min(high, max(low, self.start[0] + direction * START_STEP)), 10),)
            return self._reset(start)

    def stepper_problem(self) -> tuple[object, str]:
        """The last iteration (its parameters before the step, exactly its batch) as a stepper problem and a note.

        Before the first step it is the first iteration's batch at the start.
        """
        from .inspect import iteration_problem

        with self.lock:
            record = self.run.last
            return iteration_problem(self.run, record, batch_of(self.run, record) if record is not None else None)

    def _note_divergence(self) -> None:
        """Remember where the run diverged: changing η clears the run's verdict, not the NaN it left."""
        if self.run.stopped == "diverged" and self.diverged_at is None:
            self.diverged_at = len(self.run.history)
        elif self.diverged_at is not None and len(self.run.history) < self.diverged_at:
            self.diverged_at = None

    def _find_plain_end(self) -> None:
        end = plain_descent_end(self.setup.objective, self.run.optimizer, self.start, self.setup.config.iters)
        self.plain_end = end[0]
