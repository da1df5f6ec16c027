"""The update rule and the batch schedule: full-batch gradient descent, mini-batch and stochastic.

The three differ only in how many rows each gradient sees (slides 20-34 of the SGD lecture): all
of them, `batch_size` of them, or one. Each epoch's shuffle is drawn from a generator seeded with
(seed, epoch), so the batches of any epoch can be rebuilt on demand: a run is reproducible, and
undoing steps back across an epoch boundary needs no saved generator state.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

Kind = Literal["gd", "minibatch", "sgd"]
KINDS: tuple[Kind, ...] = ("gd", "minibatch", "sgd")
DEFAULT_BATCH_SIZE = 32


class OptimizerError(ValueError):
    """A learning rate, momentum, batch size or seed that cannot be used."""


@dataclass(frozen=True)
class Optimizer:
    """How to step: which rows each gradient sees, the learning rate η and the momentum μ.

    With momentum the step is v ← μv − ηg, θ ← θ + v (classical momentum); μ = 0 is plain descent.
    """

    kind: Kind = "gd"
    lr: float = 0.1
    momentum: float = 0.0
    batch_size: int = DEFAULT_BATCH_SIZE
    seed: int = 0

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise OptimizerError(f"unknown optimizer {self.kind!r}: choose one of {', '.join(KINDS)}")
        if not (math.isfinite(self.lr) and self.lr > 0):
            raise OptimizerError(f"the learning rate must be a positive number, got {self.lr!r}")
        if not (math.isfinite(self.momentum) and 0 <= self.momentum < 1):
            raise OptimizerError(f"the momentum must be in [0, 1), got {self.momentum!r}")
        if isinstance(self.batch_size, bool) or not isinstance(self.batch_size, int) or self.batch_size < 1:
            raise OptimizerError(f"the batch size must be a whole number of at least 1, got {self.batch_size!r}")
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or self.seed < 0:
            raise OptimizerError(f"the seed must be a whole number of at least 0, got {self.seed!r}")

    @property
    def label(self) -> str:
        """How the screen and the CLI name the batch mode: `full batch`, `mini-batch 32`, `stochastic`."""
        return {"gd": "full batch", "minibatch": f"mini-batch {self.batch_size}", "sgd": "stochastic"}[self.kind]

    def with_changes(self, **changes: object) -> Optimizer:
        """A copy with some settings changed (validated again), for the screen's η and batch-mode keys."""
        return replace(self, **changes)  # type: ignore[arg-type]

    def rows_per_batch(self, rows: int) -> int:
        if self.kind == "gd":
            return rows
        if self.kind == "sgd":
            return 1
        return min(self.batch_size, rows)

    def order(self, rows: int, epoch: int) -> np.ndarray | None:
        """The rows of `epoch` (1-based) in the order they are visited; None means all rows, unshuffled."""
        if self.kind == "gd":
            return None
        return np.random.default_rng((self.seed, epoch)).permutation(rows)

    def update(self, params: np.ndarray, velocity: np.ndarray, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The parameters and velocity after one step along −gradient."""
        velocity = self.momentum * velocity - self.lr * grad
        return params + velocity, velocity


def batches_per_epoch(rows: int, batch_rows: int) -> int:
    """How many batches one pass over the data takes; the last batch may be smaller."""
    return -(-rows // batch_rows)
