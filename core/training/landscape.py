"""What the descent screen plots, computed: the loss landscape, the fitted curve and thinned series.

The landscape is the full loss on a grid of two parameters (the others held at the start), found
once per run or reset: the whole grid goes through the model's compiled graph in a few broadcast
evaluations, so it costs about as much as a few hundred training steps, whatever the resolution.
The series a plot draws are thinned to about as many points as the plot has columns, so a plot of
a hundred thousand iterations costs the same as one of a hundred.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..engine.numbers import mean, spaced
from . import minima
from .objective import Objective
from .optimizers import Optimizer
from .run import DescentRun

GRID_ROWS = 41
GRID_COLUMNS = 81
SEARCH_POINTS = 25
SEARCH_HALF_WIDTH = 6.0
"""The first, coarse look for the lowest point spans start ± this in both parameters."""
MIN_PADDING = 1.0
MAX_ROWS = 5_000
"""A larger data set's landscape is computed on this many evenly spaced rows."""
CHUNK_ELEMENTS = 2_000_000
CURVE_POINTS = 301


@dataclass(frozen=True, eq=False)
class Landscape:
    """The full loss L on a grid over parameters `names` (rows along the first, columns along the second).

    The other parameters are held at `held` (the start). `lowest` is the grid's lowest cell, every
    parameter included; `rows_used` says how many data rows the losses were averaged over.
    """

    names: tuple[str, str]
    indices: tuple[int, int]
    rows: np.ndarray
    columns: np.ndarray
    loss: np.ndarray
    held: tuple[float, ...]
    lowest: tuple[float, ...]
    lowest_loss: float
    rows_used: int

    def along_columns(self, row_value: float) -> tuple[float, np.ndarray]:
        """L along the second parameter with the first at `row_value` (clamped to the grid), interpolated
        between the two nearest grid rows; returns the value used and one loss per column."""
        at = float(np.clip(row_value, self.rows[0], self.rows[-1])) if math.isfinite(row_value) else self.rows[0]
        position = float(np.interp(at, self.rows, np.arange(len(self.rows))))
        low = min(int(position), len(self.rows) - 2)
        weight = position - low
        return at, (1 - weight) * self.loss[low] + weight * self.loss[low + 1]

    def levels(self, count: int) -> np.ndarray:
        """The grid's cells in `count` bands of equal size, 0 the lowest: the heat map's shades.

        Quantiles rather than equal loss steps, because the loss rises steeply away from the
        minimum and equal steps would paint most of the grid in the top band.
        """
        finite = self.loss[np.isfinite(self.loss)]
        if not len(finite):
            return np.full(self.loss.shape, count - 1)
        edges = np.quantile(finite, np.linspace(0, 1, count + 1)[1:-1])
        bands = np.searchsorted(edges, self.loss, side="right")
        return np.where(np.isfinite(self.loss), bands, count - 1)

    def shaded(self, rows: int, columns: int, count: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The bands of `levels(count)` at `rows` × `columns` evenly spaced points (nearest grid cell each):
        one point per character cell of a heat map, with no empty cells between them."""
        row_values = np.linspace(self.rows[0], self.rows[-1], max(2, rows))
        column_values = np.linspace(self.columns[0], self.columns[-1], max(2, columns))
        nearest_rows = np.rint(np.interp(row_values, self.rows, np.arange(len(self.rows)))).astype(np.intp)
        nearest_columns = np.rint(np.interp(column_values, self.columns, np.arange(len(self.columns)))).astype(np.intp)
        bands = self.levels(count)[np.ix_(nearest_rows, nearest_columns)]
        return row_values, column_values, bands


@dataclass(frozen=True, eq=False)
class Curve:
    """A function of one parameter on a grid: the minima example's f(x), or a one-parameter model's loss."""

    name: str
    x: np.ndarray
    y: np.ndarray


def _data_rows(objective: Objective, max_rows: int) -> np.ndarray | None:
    if objective.rows <= max_rows:
        return None
    return np.linspace(0, objective.rows - 1, max_rows).round().astype(np.intp)


def losses(objective: Objective, base: Sequence[float], values: dict[int, np.ndarray],
           max_rows: int = MAX_ROWS, rows: np.ndarray | None = None) -> np.ndarray:
    """The full loss at `base` with parameter `index` set to `values[index]` (arrays of one shape), all at once.

    The parameters go in as a column and the data as a row, so the compiled graph broadcasts to one
    loss per (point, row); the mean over the rows is the loss at each point. `rows` (indices) gives
    a batch's loss instead: the mean over those rows only.
    """
    shape = np.broadcast_shapes(*(np.shape(array) for array in values.values()))
    flat = {index: np.broadcast_to(array, shape).reshape(-1, 1) for index, array in values.items()}
    points = int(np.prod(shape))
    chosen = _data_rows(objective, max_rows) if rows is None else np.asarray(rows, dtype=np.intp)
    inputs = objective.inputs(base, chosen)
    data_names = objective.model.data_inputs
    for name in data_names:
        inputs[name] = np.asarray(inputs[name])[None, :]
    used = max(1, objective.rows if chosen is None else len(chosen))
    chunk = max(1, CHUNK_ELEMENTS // used)
    names = objective.model.params
    out = np.empty(points)
    for start in range(0, points, chunk):
        for index, column in flat.items():
            inputs[names[index]] = column[start:start + chunk]
        value = np.asarray(objective.compiled.evaluate(inputs)[objective.compiled.output], dtype=float)
        value = mean(value, axis=1) if data_names else value.reshape(-1)
        out[start:start + chunk] = np.broadcast_to(value, (min(chunk, points - start),))
    return out.reshape(shape)


def landscape(objective: Objective, start: Sequence[float], indices: tuple[int, int] = (0, 1),
              size: tuple[int, int] = (GRID_ROWS, GRID_COLUMNS), max_rows: int = MAX_ROWS) -> Landscape:
    """The loss over the two parameters `indices`, on a box that holds the start and the lowest point.

    A coarse grid around the start finds roughly where the loss is lowest; the final grid spans
    the start and that point with some room on every side, so the path and the minimum both show.
    """
    start = tuple(float(value) for value in start)
    first, second = indices
    span = np.linspace(-SEARCH_HALF_WIDTH, SEARCH_HALF_WIDTH, SEARCH_POINTS)
    coarse_rows, coarse_columns = np.meshgrid(start[first] + span, start[second] + span, indexing="ij")
    coarse = losses(objective, start, {first: coarse_rows, second: coarse_columns}, max_rows)
    best = np.unravel_index(np.nanargmin(coarse), coarse.shape) if np.isfinite(coarse).any() else (0, 0)
    guess = (coarse_rows[best], coarse_columns[best])
    axes = []
    for count, origin, found in zip(size, (start[first], start[second]), guess, strict=True):
        low, high = min(origin, found), max(origin, found)
        pad = max(MIN_PADDING, 0.6 * (high - low))
        axes.append(np.linspace(low - pad, high + pad, count))
    grid_rows, grid_columns = np.meshgrid(axes[0], axes[1], indexing="ij")
    loss = losses(objective, start, {first: grid_rows, second: grid_columns}, max_rows)
    cell = np.unravel_index(np.nanargmin(loss), loss.shape) if np.isfinite(loss).any() else (0, 0)
    lowest = list(start)
    lowest[first], lowest[second] = float(grid_rows[cell]), float(grid_columns[cell])
    names = objective.model.params
    chosen = _data_rows(objective, max_rows)
    return Landscape((names[first], names[second]), indices, axes[0], axes[1], loss, start, tuple(lowest),
                     float(loss[cell]), objective.rows if chosen is None else len(chosen))


def minima_curve(objective: Objective, points: int = CURVE_POINTS) -> Curve:
    """f(x) = cos(3πx)/x over the example's domain, from the same graph the descent differentiates."""
    x = np.linspace(*minima.DOMAIN, points)
    return Curve(objective.model.params[0], x, losses(objective, objective.model.start, {0: x}))


def plain_descent_end(objective: Objective, optimizer: Optimizer, start: Sequence[float],
                      iterations: int) -> tuple[float, ...]:
    """Where plain full-batch gradient descent from `start` stands after `iterations` steps (or earlier
    if it converges or diverges): what the minima example shows for each starting point."""
    plain = optimizer.with_changes(kind="gd", momentum=0.0)
    run = DescentRun(objective, plain, start=start)  # type: ignore[arg-type]
    run.run(iterations)
    return run.current.params


def fit_curve(objective: Objective, params: Sequence[float], points: int = 120) -> tuple[np.ndarray, np.ndarray] | None:
    """The fitted p against the (single) feature in file units, over the data's range; None without one."""
    data = objective.data
    if data is None or data.raw.shape[1] != 1 or objective.model.probability is None:
        return None
    raw = spaced(float(np.min(data.raw[:, 0])), float(np.max(data.raw[:, 0])), points)
    trained = (raw - data.scaling.mean[0]) / data.scaling.std[0] if data.scaling else raw
    p = objective.probabilities(params, trained.reshape(-1, 1))
    return raw, np.asarray(p, dtype=float)


def thin(count: int, points: int) -> np.ndarray:
    """At most about `points` indices out of `count`, evenly spread, always the first and the last."""
    if count <= points:
        return np.arange(count)
    return np.unique(np.linspace(0, count - 1, max(points, 2)).round().astype(np.intp))
