"""One moment of a descent run as the descent screen shows it: an immutable view, computed in core.

The screen's regions (the header, the numbers, four plots, the status line) all render the same
`IterationView`, so they cannot disagree, and none of them reads the mutable run or recomputes a
rule: which rows a batch used, whether it was a mini-batch, whether the run diverged and why, the
fitted curve and the series each plot draws (thinned to a fixed number of points, so a view of a
hundred thousand iterations costs what one of a hundred does).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import minima
from .batch_curve import BatchCurve, SliceAxis, batch_curve
from .history import IterationRecord
from .landscape import fit_curve, thin
from .optimizers import batches_per_epoch
from .run import DescentRun, Stop
from .starts import Starts

MAX_SERIES = 1024
"""Points kept of each series: more than a plot of any terminal's width draws (two per cell)."""


@dataclass(frozen=True, eq=False)
class BatchView:
    """The rows one iteration's gradient came from: all of them, or one batch of a shuffled epoch."""

    rows: np.ndarray | None
    """Row indices of a mini-batch (or the one row of a stochastic step); None when every row was used."""
    epoch: int
    number: int
    """1-based: the batch's place in its epoch."""
    count: int
    """Batches in the epoch."""
    size: int
    """Rows in this batch (the last batch of an epoch may be short)."""

    @property
    def partial(self) -> bool:
        """Whether the iteration used a mini-batch (or one row) rather than the whole data."""
        return self.rows is not None


def batch_of(run: DescentRun, record: IterationRecord) -> BatchView | None:
    """Which rows `record`'s iteration used, from the record alone (not from the optimizer as it is now).

    A record's `batch_rows` says whether its batch was partial; the shuffle of its epoch comes from
    the run's seed, so switching back to full batch later does not change what an earlier step used.
    """
    rows = run.objective.rows
    if not rows:
        return None
    size = record.batch_rows
    count = batches_per_epoch(rows, size or rows)
    if not 0 < size < rows:
        return BatchView(None, record.epoch, record.batch + 1, count, rows)
    order = run.shuffled(record.epoch)
    chosen = order[record.batch * size:(record.batch + 1) * size]
    return BatchView(chosen, record.epoch, record.batch + 1, count, len(chosen))


@dataclass(frozen=True, eq=False)
class IterationView:
    """Everything the descent screen shows after `iteration` steps of a run."""

    iteration: int
    names: tuple[str, ...]
    params: tuple[float, ...]
    raw_params: tuple[float, ...] | None
    """The parameters in the data's own units when training saw standardised features."""
    features: tuple[str, ...]
    loss: float
    accuracy: float | None
    record: IterationRecord | None
    """The iteration just taken (its gradient, step and batch loss), None before the first."""
    batch: BatchView | None
    optimizer: str
    lr: float
    momentum: float
    has_data: bool
    rows: int
    stopped: Stop | None
    diverged_at: int | None
    """The iteration the run diverged at, until it is undone past it or reset."""
    diverged_why: str | None
    loss_series: tuple[np.ndarray, np.ndarray]
    """Full loss before each iteration (thinned) and now: (iteration, loss)."""
    batch_series: tuple[np.ndarray, np.ndarray]
    """The batch losses of the mini-batch iterations (thinned)."""
    path: np.ndarray
    """Parameters before each iteration (thinned) and now, one row each."""
    path_loss: np.ndarray
    """The full loss at each row of `path`."""
    fit: tuple[np.ndarray, np.ndarray] | None
    """The fitted p over the feature's range in file units (one feature only)."""
    start: tuple[float, ...]
    plain_end: float | None
    """Minima example: where plain gradient descent from `start` ends."""
    tolerance: float
    starts: Starts | None = None
    """Minima example: several random starts and where each ends (slide 38), once drawn."""
    batch_curve: BatchCurve | None = None
    """The last iteration's batch loss along the slice the screen draws (mini-batch and stochastic only)."""
    version: int = 0
    """The driver's count of changes when this view was made: a later change has a larger one."""

    @property
    def basin(self) -> str | None:
        """Minima example: which minimum x has reached (None when at neither, or with data)."""
        return None if self.has_data else minima.nearest_minimum(self.params[0])

    @property
    def converged(self) -> bool:
        return self.stopped == "converged"


def loss_series(run: DescentRun, points: int = MAX_SERIES) -> tuple[np.ndarray, np.ndarray]:
    """(iteration, full loss) before each iteration (thinned to about `points`) and now, at the end."""
    count = len(run.history)
    chosen = thin(count, points)
    losses = np.append(run.history.column("loss")[chosen], run.loss()) if count else np.array([run.loss()])
    return np.append(chosen, count).astype(float), losses


def _series(run: DescentRun) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray], np.ndarray,
                                      np.ndarray]:
    history = run.history
    count = len(history)
    chosen = thin(count, MAX_SERIES)
    steps, losses = loss_series(run)
    params = history.params_array()[chosen] if count else np.empty((0, len(run.params)))
    path = np.vstack([params, np.asarray(run.current.params, dtype=float)[None, :]])
    batch_rows = history.column("batch_rows") if count else np.empty(0)
    partial = np.flatnonzero((batch_rows > 0) & (batch_rows < run.objective.rows))
    picked = partial[thin(len(partial), MAX_SERIES)]
    batch = (picked.astype(float), history.column("batch_loss")[picked] if len(picked) else np.empty(0))
    return (steps, losses), batch, path, losses


def iteration_view(run: DescentRun, *, start: tuple[float, ...], diverged_at: int | None = None,
                   plain_end: float | None = None, version: int = 0,
                   slice_axis: SliceAxis | None = None, starts: Starts | None = None) -> IterationView:
    """The run as it stands now (call it with the run's lock held when another thread may step it).

    With `slice_axis`, a mini-batch iteration's view carries its batch's loss along that slice."""
    data = run.objective.data
    record = run.last
    batch = batch_of(run, record) if record is not None else None
    curve = None
    if slice_axis is not None and record is not None and batch is not None and batch.rows is not None:
        curve = batch_curve(run.objective, run.current.params, record.params, batch.rows, slice_axis)
    loss_series, batch_series, path, path_loss = _series(run)
    standardised = data is not None and data.scaling is not None
    why = run.divergence_reason(diverged_at, with_rule=False) if diverged_at else None
    return IterationView(
        iteration=run.current.iteration, names=run.params, params=run.current.params,
        raw_params=run.raw_params() if standardised else None, features=data.features if data else (),
        loss=run.loss(), accuracy=run.accuracy(), record=record,
        batch=batch,
        optimizer=run.optimizer.label, lr=run.optimizer.lr, momentum=run.optimizer.momentum,
        has_data=data is not None, rows=run.objective.rows, stopped=run.stopped, diverged_at=diverged_at,
        diverged_why=why, loss_series=loss_series, batch_series=batch_series, path=path, path_loss=path_loss,
        fit=fit_curve(run.objective, run.current.params), start=start, plain_end=plain_end,
        tolerance=run.tolerance, batch_curve=curve, starts=starts, version=version)
