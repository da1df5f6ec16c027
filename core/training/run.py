"""A gradient-descent run that can be driven one iteration at a time, undone and reset.

The descent screen and the headless CLI drive the same `DescentRun`: `step()` takes one batch,
asks the objective for the loss and gradient (the engine's reverse pass), records the iteration
and moves the parameters; `undo()` returns to exactly the state before the last step. The state
between steps is a frozen `DescentState`, so a screen can keep and compare states freely.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from .history import History, IterationRecord
from .objective import Objective
from .optimizers import Optimizer, batches_per_epoch, momentum_step, shuffle

Stop = Literal["converged", "diverged", "iterations"]
DEFAULT_TOLERANCE = 1e-8
"""Full-batch descent has converged when the gradient's norm is below this."""
DIVERGENCE_FACTOR = 10_000.0
"""A full loss above this many times (|first loss| + 1) counts as growing without bound.

The loss is exact wherever it is finite (computed from the logit), so a run that overshoots and
oscillates keeps finite, honest numbers; the bound is wide enough that such a run (the Heart data's
unscaled MaxHR at η = 0.5 swings between about 8 and 2,700) is shown oscillating, not stopped."""


@dataclass(frozen=True)
class DescentState:
    """Where a run stands after `iteration` steps: the parameters, the velocity and the batch cursor.

    `batch` batches of `epoch` have been used, laid out `batch_rows` rows at a time (0 before the
    first step); the next step starts a new epoch when that epoch is used up or the layout changes.
    """

    iteration: int
    epoch: int
    batch: int
    batch_rows: int
    params: tuple[float, ...]
    velocity: tuple[float, ...]


class DescentRun:
    """Gradient descent of `objective` with `optimizer`; the optimizer may be changed between steps."""

    def __init__(self, objective: Objective, optimizer: Optimizer, *, tolerance: float = DEFAULT_TOLERANCE,
                 start: Sequence[float] | None = None) -> None:
        self.objective = objective
        self.optimizer = optimizer
        self.tolerance = tolerance
        self.params = objective.model.params
        self.history = History(len(self.params))
        self.stopped: Stop | None = None
        self._order: tuple[tuple[int, int], np.ndarray] | None = None
        self._loss_cache: tuple[tuple[float, ...], float] | None = None
        self._first_loss = math.nan
        self.reset(start)

    @property
    def current(self) -> DescentState:
        return self._current

    @property
    def last(self) -> IterationRecord | None:
        return self.history[-1] if len(self.history) else None

    def reset(self, start: Sequence[float] | None = None) -> None:
        """Forget every iteration and start again from `start` (the model's start by default)."""
        params = tuple(float(value) for value in (start if start is not None else self.objective.model.start))
        if len(params) != len(self.params):
            raise ValueError(f"expected {len(self.params)} starting values, got {len(params)}")
        self._initial = DescentState(0, 0, 0, 0, params, (0.0,) * len(params))
        self._current = self._initial
        self.history.clear()
        self.stopped = None

    def set_optimizer(self, optimizer: Optimizer) -> None:
        """Change η, μ or the batch mode for the next steps (a new batch layout starts a new epoch)."""
        self.optimizer = optimizer
        self.stopped = None

    def step(self) -> IterationRecord:
        """One iteration: a batch's loss and gradient, the full loss, the update, the verdict."""
        # The record equals `self.history[-1]`; built from the step's own numbers, not read back.
        fields = self._advance()
        return IterationRecord(len(self.history), *fields)

    @property
    def final_params(self) -> tuple[float, ...]:
        """The parameters a run ends with: after the last update, except after a divergence, where the
        update that overflowed is no result: the last iteration's parameters, exactly as recorded."""
        if self.stopped == "diverged" and len(self.history):
            return tuple(self.history[-1].params)
        return self._current.params

    def _advance(self) -> tuple:
        """One iteration; returns the new history row's fields (all of `IterationRecord` but the number)."""
        state, optimizer = self._current, self.optimizer
        rows = self.objective.rows
        batch_rows = optimizer.rows_per_batch(rows) if rows else 0
        epoch, batch = state.epoch, state.batch
        if state.batch_rows != batch_rows or state.epoch == 0 or batch >= batches_per_epoch(rows, batch_rows or 1):
            epoch, batch = epoch + 1, 0
        chosen = None if optimizer.kind == "gd" else self.batch_indices(epoch, batch, batch_rows)
        batch_loss, grad = self.objective.value_and_grad(state.params, chosen)
        loss = batch_loss if chosen is None else self._loss(state.params)
        grad_norm = math.hypot(*grad)
        momentum, lr = optimizer.momentum, optimizer.lr
        velocity = momentum_step(state.velocity, grad, lr, momentum)
        params = tuple([p + v for p, v in zip(state.params, velocity, strict=True)])
        self.history.append(epoch, batch, batch_rows, lr, momentum, loss, batch_loss, grad_norm,
                            state.params, grad, state.velocity)
        if len(self.history) == 1:
            self._first_loss = loss
        self._current = DescentState(state.iteration + 1, epoch, batch + 1, batch_rows, params, velocity)
        self.stopped = self._verdict(loss, batch_loss, grad_norm, params, chosen is None)
        return (epoch, batch, batch_rows, lr, momentum, loss, batch_loss, grad_norm, state.params, grad,
                state.velocity)

    def undo(self) -> IterationRecord | None:
        """Go back one iteration, to exactly the state before it; None when there is nothing to undo."""
        if not len(self.history):
            return None
        record = self.history.pop()
        if len(self.history):
            before = self.history[-1]
            cursor = (before.epoch, before.batch + 1, before.batch_rows)
        else:
            cursor = (self._initial.epoch, self._initial.batch, self._initial.batch_rows)
        self._current = DescentState(record.iteration - 1, *cursor, record.params, record.velocity)
        self.stopped = None
        return record

    def run(self, iterations: int, keep_going: Callable[[], bool] | None = None) -> Stop:
        """Step until converged, diverged or `iterations` more steps are done (or `keep_going` says stop)."""
        with np.errstate(all="ignore"):  # overflow is a verdict (diverged), not a warning on the terminal
            for _ in range(iterations):
                self._advance()
                if self.stopped is not None:
                    return self.stopped
                if keep_going is not None and not keep_going():
                    break
        return "iterations"

    def batch_indices(self, epoch: int, batch: int, batch_rows: int) -> np.ndarray | None:
        """The row indices of a batch for the optimizer as it is now (None: full batch, every row in file order)."""
        if not self.objective.rows or self.optimizer.kind == "gd":
            return None
        return self.shuffled(epoch)[batch * batch_rows:(batch + 1) * batch_rows]

    def shuffled(self, epoch: int) -> np.ndarray:
        """Every row in the order the mini-batch and stochastic steps of `epoch` visit them.

        Rebuilt from the seed, so any past iteration's batch can be found again (and undo needs no saved state).
        """
        key = (self.optimizer.seed, epoch)
        if self._order is None or self._order[0] != key:
            self._order = (key, shuffle(self.objective.rows, self.optimizer.seed, epoch))
        return self._order[1]

    def loss(self, params: Sequence[float] | None = None) -> float:
        """The full-data loss at `params` (the current parameters by default)."""
        with np.errstate(all="ignore"):
            return self._loss(self._current.params if params is None else tuple(params))

    def accuracy(self, params: Sequence[float] | None = None) -> float | None:
        with np.errstate(all="ignore"):
            return self.objective.accuracy(self._current.params if params is None else params)

    def raw_params(self, params: Sequence[float] | None = None) -> tuple[float, ...]:
        """Parameters in the data's file units (undoing standardisation); the current ones by default."""
        scaling = self.objective.data.scaling if self.objective.data is not None else None
        with np.errstate(all="ignore"):
            return self.objective.model.raw_params(self._current.params if params is None else params, scaling)

    def _loss(self, params: tuple[float, ...]) -> float:
        if self._loss_cache is None or self._loss_cache[0] != params:
            self._loss_cache = (params, self.objective.loss(params))
        return self._loss_cache[1]

    @property
    def divergence_bound(self) -> float:
        """The full loss above which the run counts as diverged: DIVERGENCE_FACTOR × (|first loss| + 1)."""
        return DIVERGENCE_FACTOR * (abs(self._first_loss) + 1.0)

    def divergence_reason(self, iteration: int | None = None, *, with_rule: bool = True) -> str:
        """Why the run diverged at `iteration` (the last by default), with the bound it passed (and how the
        bound is set, unless `with_rule` is False for a one-line status)."""
        iteration = iteration or len(self.history)
        record = self.history[iteration - 1]
        after = self._current.params if iteration == len(self.history) else self.history[iteration].params
        numbers = (record.loss, record.batch_loss, record.grad_norm, *after)
        if not all(map(math.isfinite, numbers)):
            return "the numbers are no longer finite"
        rule = f" = {DIVERGENCE_FACTOR:g} × (|first loss| + 1)" if with_rule else ""
        return f"the loss {record.loss:.4g} passed the bound {self.divergence_bound:.4g}{rule}"

    def divergence_hint(self) -> str:
        """What to try: unscaled features first (their size, not only η, makes the steps overshoot)."""
        data = self.objective.data
        if data is not None and data.scaling is None:
            return "try --standardize (the features are in their file units) or a smaller --lr"
        return "try a smaller --lr"

    def _verdict(self, loss: float, batch_loss: float, grad_norm: float, params: tuple[float, ...],
                 full_batch: bool) -> Stop | None:
        finite = math.isfinite(loss) and math.isfinite(batch_loss) and math.isfinite(grad_norm)
        if not (finite and all(map(math.isfinite, params))):
            return "diverged"
        if loss > self.divergence_bound:
            return "diverged"
        if full_batch and grad_norm < self.tolerance:
            return "converged"
        return None
