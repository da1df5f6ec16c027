"""The training objective: a model's mean loss over (a batch of) the data, and its gradient.

The gradient is the engine's reverse pass over the model's own graph, run on the whole batch at
once: the graph gives one loss per row, the reverse pass is seeded with 1/n on every row, and each
scalar parameter collects the sum of its rows' contributions, i.e. the gradient of the mean loss.
There is no hand-written derivative anywhere on this path.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..engine.compiled import CompiledGraph
from ..engine.numbers import mean
from .data import Dataset
from .models import Model


class Objective:
    """`model` fitted to `data` (None for a plain function such as the minima example)."""

    def __init__(self, model: Model, data: Dataset | None = None) -> None:
        if model.features and data is None:
            raise ValueError(f"the {model.name} model needs data")
        if data is not None and len(model.features) != data.X.shape[1]:
            raise ValueError(f"the model takes {len(model.features)} features, the data has {data.X.shape[1]}")
        self.model = model
        self.data = data
        self.rows = len(data) if data is not None else 0
        self.compiled = CompiledGraph(model.graph, model.params, model.data_inputs)
        self._columns: dict[str, np.ndarray] = {}
        if data is not None:
            for index, name in enumerate(model.features):
                self._columns[name] = np.ascontiguousarray(data.X[:, index])
            self._columns[model.target] = data.y  # type: ignore[index]
        self._seeds: dict[int, np.ndarray] = {}
        self._probability = self.compiled.slot(model.probability) if model.probability else None

    def inputs(self, params: Sequence[float], rows: np.ndarray | None = None) -> dict[str, object]:
        """The graph's inputs for `params` and a batch (`rows` are row indices; None means every row).

        Parameters go in as numpy scalars, so a division by zero or a negative base's fractional
        power gives inf or NaN (and a diverged run) rather than a Python exception.
        """
        if rows is None:
            values: dict[str, object] = dict(self._columns)
        else:
            values = {name: column[rows] for name, column in self._columns.items()}
        values.update(zip(self.model.params, map(np.float64, params), strict=True))
        return values

    def _seed(self, count: int) -> np.ndarray | float:
        if not self._columns:
            return 1.0
        seed = self._seeds.get(count)
        if seed is None:
            seed = self._seeds.setdefault(count, np.full(count, 1.0 / count))
        return seed

    def value_and_grad(self, params: Sequence[float],
                       rows: np.ndarray | None = None) -> tuple[float, tuple[float, ...]]:
        """The mean loss over the batch and its gradient with respect to the parameters."""
        count = self.rows if rows is None else len(rows)
        losses, grads = self.compiled.value_and_grad(self.inputs(params, rows), self._seed(count))
        return _mean(losses, count), tuple(map(float, grads))

    def loss(self, params: Sequence[float]) -> float:
        """The full-data mean loss (the mean negative log-likelihood for the classifiers)."""
        values = self.compiled.evaluate(self.inputs(params))
        return _mean(values[self.compiled.output], self.rows)

    def probabilities(self, params: Sequence[float], features: np.ndarray | None = None) -> np.ndarray | None:
        """The model's p for every row (or for `features`, n × k in training units, e.g. a curve's grid)."""
        if self._probability is None:
            return None
        inputs = self.inputs(params)
        if features is not None:
            for index, name in enumerate(self.model.features):
                inputs[name] = np.asarray(features, dtype=float).reshape(len(features), -1)[:, index]
            inputs[self.model.target] = np.zeros(len(features))  # type: ignore[index]
        return np.asarray(self.compiled.evaluate(inputs)[self._probability])

    def accuracy(self, params: Sequence[float]) -> float | None:
        """The share of rows classified right at the threshold p = 0.5; NaN once p is; None without data."""
        p = self.probabilities(params)
        if p is None or self.data is None:
            return None
        if not np.all(np.isfinite(p)):
            return float("nan")
        return float(np.mean((p >= 0.5) == (self.data.y == 1.0)))


_add_rows = np.add.reduce
_largest_row = np.maximum.reduce
_SAFE_TOTAL = 1e307
"""Below this a sum of the rows cannot overflow, so numpy's error state need not be entered (it costs
more than the sum of 303 rows; a diverging run's losses of 1e306 and more take `mean`'s guarded path)."""


def _mean(losses: object, count: int) -> float:
    if type(losses) is np.ndarray and losses.ndim == 1 and count:
        if float(_largest_row(np.abs(losses), 0)) < _SAFE_TOTAL / count:  # False for NaN and inf as well
            return float(_add_rows(losses, 0)) / count  # losses.sum() / count, without the method's wrapper
        return float(mean(losses))  # huge losses: a sum that overflows is no infinite mean
    return float(losses)  # type: ignore[arg-type]
