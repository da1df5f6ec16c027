"""Slide 38, "What would be a good strategy?": several random starts, and where each one ends.

Gradient descent gives no guarantee of the global minimum: where it ends depends on where it
starts. One answer is to start several times from random points and keep the lowest end; this
runs the minima example's descent (the run's own η and μ, so momentum's effect shows too) from
`count` starts drawn uniformly over the domain, and says which minimum each reached and which end
is the lowest.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import minima
from .objective import Objective
from .optimizers import Optimizer
from .run import DescentRun

COUNT = 8
"""Starts per draw: enough that both basins are usually hit, few enough to read on the plot."""


@dataclass(frozen=True)
class StartEnd:
    """One start of the several: where it began, where descent left it, f there and the basin reached."""

    start: float
    start_value: float
    """f at the start."""
    end: float
    value: float
    """f at the end."""
    basin: minima.Basin | None


@dataclass(frozen=True)
class Starts:
    """A draw of several starts (`seed` says which), each with its end; `best` indexes the lowest end."""

    seed: int
    lr: float
    momentum: float
    ends: tuple[StartEnd, ...]

    @property
    def best(self) -> StartEnd:
        finite = [end for end in self.ends if np.isfinite(end.value)]
        return min(finite or self.ends, key=lambda end: end.value if np.isfinite(end.value) else np.inf)

    def count(self, basin: minima.Basin) -> int:
        return sum(1 for end in self.ends if end.basin == basin)

    def headline(self) -> str:
        """`8 starts: 5 → global, 3 → local` (a plot's title: short enough for 80 columns)."""
        others = len(self.ends) - self.count("global") - self.count("local")
        rest = f", {others} elsewhere" if others else ""
        return f"{len(self.ends)} starts: {self.count('global')} → global, {self.count('local')} → local{rest}"

    def summary(self) -> str:
        """`8 random starts (draw 1): 5 end in the global minimum, 3 in the local; keep the lowest: x = 0.2969`."""
        best = self.best
        head = f"{len(self.ends)} random starts (draw {self.seed})"
        others = len(self.ends) - self.count("global") - self.count("local")
        rest = f", {others} elsewhere" if others else ""
        return (f"{head}: {self.count('global')} end in the global minimum, {self.count('local')} in the local"
                f"{rest}; the lowest end: x = {best.end:.4f}, f = {best.value:.4f}")


def random_starts(seed: int, count: int = COUNT) -> np.ndarray:
    """`count` starts drawn uniformly over the domain from `seed`: the same draw every time, sorted."""
    low, high = minima.DOMAIN
    return np.sort(np.round(np.random.default_rng(seed).uniform(low, high, count), 4))


def several_starts(objective: Objective, optimizer: Optimizer, iterations: int, seed: int,
                   count: int = COUNT) -> Starts:
    """Descend from each of `count` random starts (full batch, the optimizer's η and μ) for `iterations` steps."""
    plain = optimizer.with_changes(kind="gd")
    ends = []
    for start in random_starts(seed, count):
        run = DescentRun(objective, plain, start=(float(start),))  # type: ignore[arg-type]
        start_value = run.loss()
        run.run(iterations)
        end = run.current.params[0]
        ends.append(StartEnd(float(start), start_value, end, run.loss(), minima.nearest_minimum(end)))
    return Starts(seed, optimizer.lr, optimizer.momentum, tuple(ends))
