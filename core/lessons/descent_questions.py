"""The lecture's questions about gradient descent, as multiple choice, answered by running descent.

Slide 19-20: which way does the weight move, given the slope's sign? Slide 38: which start ends in
the global minimum? The truth is never written by hand: each answer comes from one step (or a whole
run) of core's own DescentRun on the minima function f(x) = cos(3πx)/x, and what the run did is
what the student is shown after choosing.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..engine.numbers import format_scalar
from ..training import minima
from ..training.landscape import minima_curve, plain_descent_end
from ..training.models import minima_model
from ..training.objective import Objective
from ..training.optimizers import Optimizer
from ..training.run import DescentRun
from ..training.setup import DESCENT_EXAMPLES
from .practice import Choice

DIRECTIONS = ("left: x decreases", "right: x increases", "it stays where it is")
DIRECTION_STARTS = (0.45, 0.85)
"""A start on a rising slope and one on a falling slope."""
MINIMA_STARTS = (0.7, 0.55, 0.9, 0.8)


def _optimizer() -> Optimizer:
    return Optimizer("gd", DESCENT_EXAMPLES["minima"].lr["minima"])


def _iterations() -> int:
    return DESCENT_EXAMPLES["minima"].iters["minima"]


def direction_question(start: float) -> Choice:
    """One step of plain descent from `start`: the slope's sign decides the direction (slide 19)."""
    run = DescentRun(Objective(minima_model(start)), _optimizer())
    record = run.step()
    slope = record.grad[0]
    after = run.current.params[0]
    eta = run.optimizer.lr
    moved = after - start
    correct = 2 if abs(moved) < 1e-4 else (1 if moved > 0 else 0)
    sign = "positive" if slope > 0 else "negative" if slope < 0 else "zero"
    where = "right" if moved > 0 else "left"
    shown = (f"x ← x − η·df/dx = {format_scalar(start, 4)} − {format_scalar(eta)}·({format_scalar(slope, 4)}) "
             f"= {format_scalar(after, 6)}: " + ("it hardly moves: the slope is almost 0 at the bottom"
                                                if correct == 2 else f"x moved {where}, against the slope"))
    return Choice(f"direction at x = {format_scalar(start)}",
                  f"f(x) = cos(3πx)/x. At x = {format_scalar(start)} the slope df/dx = "
                  f"{format_scalar(slope, 4)} ({sign}). One step of gradient descent with η = {format_scalar(eta)}:"
                  f" which way does x move? (slide 20 asks it of β1)",
                  DIRECTIONS, correct,
                  "the step is x ← x − η·df/dx: shift right if the slope is negative, left if it is positive"
                  " (slide 19), and the step is proportional to the slope", shown, ((start, after),))


def direction_questions() -> tuple[Choice, ...]:
    return tuple(direction_question(start) for start in DIRECTION_STARTS)


def minima_question(starts: tuple[float, ...] = MINIMA_STARTS) -> Choice:
    """Plain descent from each start (slide 38): exactly one of `starts` ends in the global minimum."""
    ends = [plain_descent_end(Objective(minima_model(start)), _optimizer(), [start], _iterations())[0]
            for start in starts]
    basins = [minima.nearest_minimum(end, within=1e-2) for end in ends]
    correct = basins.index("global")
    shown = "; ".join(f"x = {format_scalar(start)} → {format_scalar(end, 4)} ({basin or 'neither'})"
                      for start, end, basin in zip(starts, ends, basins, strict=True))
    return Choice("which start reaches the global minimum",
                  f"f(x) = cos(3πx)/x on [0.1, 1] has a global minimum near x = "
                  f"{format_scalar(minima.GLOBAL_MINIMUM, 3)} and a local one near "
                  f"{format_scalar(minima.LOCAL_MINIMUM, 3)}, with a ridge at "
                  f"{format_scalar(minima.RIDGE, 3)}. Plain gradient descent, η = {format_scalar(_optimizer().lr)},"
                  f" {_iterations()} steps: which start ends in the global minimum?",
                  tuple(f"start at x = {format_scalar(start)}" for start in starts), correct,
                  "descent only goes downhill: it ends in the minimum of the basin it starts in, and the ridge"
                  " divides the basins (slide 38: no guarantee that we get the global minimum)",
                  f"ran it: {shown}", tuple(zip(starts, ends, strict=True)))


def function_points(xs: Sequence[float]) -> list[float]:
    """f(x) = cos(3πx)/x at each of `xs`, from the same graph descent differentiates, within float rounding of 0
    shown as 0 (for plotting a question's runs on the curve)."""
    return [minima.shown_value(Objective(minima_model(x)).loss([x])) for x in xs]


def function_curve() -> tuple[list[float], list[float]]:
    """f(x) over the example's domain, the curve the descent questions' runs are drawn on."""
    curve = minima_curve(Objective(minima_model(minima.DOMAIN[0])))
    return [float(x) for x in curve.x], [minima.shown_value(float(f)) for f in curve.y]
