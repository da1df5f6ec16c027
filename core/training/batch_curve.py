"""Slides 41-49: the batch's own loss curve, drawn against the full one, iteration by iteration.

A mini-batch (or stochastic) step follows the slope of the loss on its batch, Lᵦ(θ), not the full
loss L(θ); each iteration draws a new batch, so the curve it descends moves around L. The descent
screen's slice plot shows L along one parameter with the others held at their current values; this
gives the last iteration's batch loss along the same slice, on the same grid, so the two curves can
be drawn together and the step read off the batch's curve: from where it was (the parameters before
the step) to where it is now.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .landscape import MAX_ROWS, losses
from .objective import Objective


@dataclass(frozen=True)
class SliceAxis:
    """Which parameter the slice runs along (`axis`), on which grid of its values (`x`)."""

    axis: int
    x: np.ndarray


@dataclass(frozen=True, eq=False)
class BatchCurve:
    """The batch loss Lᵦ along `x` (parameter `axis`, every other at `held`), and the step on it."""

    axis: int
    held: tuple[float, ...]
    """The parameters the slice is taken at (the current ones; the value at `axis` is the current one)."""
    x: np.ndarray
    loss: np.ndarray
    """Lᵦ at each x: the mean loss over the batch's rows only."""
    before: tuple[float, float]
    """(x, Lᵦ) where the step started along the axis (the parameters before the iteration)."""
    now: tuple[float, float]
    """(x, Lᵦ) where the step ended: the current value of the parameter."""
    rows: int
    """How many rows the batch had."""


def batch_curve(objective: Objective, params: Sequence[float], before: Sequence[float], rows: np.ndarray,
                slice_axis: SliceAxis) -> BatchCurve:
    """The loss of the batch `rows` along `slice_axis`, the other parameters held at `params`.

    `before` is the parameter vector the iteration started from; its value on the axis is marked on
    the curve, so the plot shows the step along the axis as a move on the batch's own curve. A very
    large batch is evaluated on at most MAX_ROWS of its rows, evenly spaced, like the landscape.
    """
    chosen = np.asarray(rows, dtype=np.intp)
    if len(chosen) > MAX_ROWS:
        chosen = chosen[np.linspace(0, len(chosen) - 1, MAX_ROWS).round().astype(np.intp)]
    axis = slice_axis.axis
    start, end = float(before[axis]), float(params[axis])
    points = np.append(np.asarray(slice_axis.x, dtype=float), [start, end])
    values = losses(objective, params, {axis: points}, rows=chosen)
    return BatchCurve(axis, tuple(float(value) for value in params), points[:-2], values[:-2],
                      (start, float(values[-2])), (end, float(values[-1])), len(rows))
