"""The update rule and the batch schedule: full-batch gradient descent, mini-batch and stochastic.

The three differ only in how many rows each gradient sees (slides 20-34 of the SGD lecture): all
of them, `batch_size` of them, or one. Each epoch's shuffle is drawn from a generator seeded with
(seed, epoch), so the batches of any epoch can be rebuilt on demand: a run is reproducible, and
undoing steps back across an epoch boundary needs no saved generator state.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

Kind = Literal["gd", "minibatch", "sgd"]
KINDS: tuple[Kind, ...] = ("gd", "minibatch", "sgd")
DEFAULT_BATCH_SIZE = 32


class OptimizerError(ValueError):
    """A learning rate, momentum, batch size or seed that cannot be used."""


def learning_rate_problem(lr: float) -> str | None:
    """What is wrong with a learning rate η (None when it can be used): the one rule for η everywhere."""
    return None if math.isfinite(lr) and lr > 0 else f"must be a positive number, got {lr!r}"


def momentum_problem(momentum: float) -> str | None:
    """What is wrong with a momentum μ (None when it can be used)."""
    return None if math.isfinite(momentum) and 0 <= momentum < 1 else f"must be in [0, 1), got {momentum!r}"


MOMENTA = (0.0, 0.5, 0.9)
"""The momenta the descent screen's key cycles through: none, some, the usual 0.9."""


def next_momentum(momentum: float) -> float:
    """The next of MOMENTA after `momentum` (a value set on the command line joins the cycle where it fits)."""
    return next((value for value in MOMENTA if value > momentum), MOMENTA[0])


def seed_problem(seed: object) -> str | None:
    """What is wrong with a shuffle seed (None when it can be used): the one rule for seeds everywhere."""
    return _whole_number_problem(seed, 0)


def batch_size_problem(size: object) -> str | None:
    """What is wrong with a batch size (None when it can be used): the one rule for batch sizes everywhere."""
    return _whole_number_problem(size, 1)


def _whole_number_problem(value: object, least: int) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return f"must be a whole number, got {value!r}"
    return None if value >= least else f"must be at least {least}, got {value!r}"


def momentum_step(velocity: Sequence[float], grad: Sequence[float], lr: float, momentum: float) -> tuple[float, ...]:
    """The update rule, v ← μv − ηg (θ then moves by v): plain gradient descent, −ηg, when μ = 0.

    Training applies it, and a recorded iteration replays it to say what its step was."""
    return tuple([momentum * v - lr * g for v, g in zip(velocity, grad, strict=True)])


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
        for name, problem in (("the learning rate", learning_rate_problem(self.lr)),
                              ("the momentum", momentum_problem(self.momentum)),
                              ("the batch size", batch_size_problem(self.batch_size)),
                              ("the seed", seed_problem(self.seed))):
            if problem is not None:
                raise OptimizerError(f"{name} {problem}")

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


def shuffle(rows: int, seed: int, epoch: int) -> np.ndarray:
    """The rows of `epoch` (1-based) in a shuffled order drawn from (seed, epoch): the same every time."""
    return np.random.default_rng((seed, epoch)).permutation(rows)


def batches_per_epoch(rows: int, batch_rows: int) -> int:
    """How many batches one pass over the data takes; the last batch may be smaller."""
    return -(-rows // batch_rows)
