"""The local-minima example: f(x) = cos(3πx)/x on [0.1, 1], one local and one global minimum.

Slide 17 of the SGD lecture asks whether the point gradient descent stops at is the global
minimum; here the answer depends only on where it starts. The function is parsed into a graph of
the same primitives as every other example, so its derivative comes from the same reverse pass.
"""

from __future__ import annotations

import math
from typing import Literal

from ..engine.graph import Graph
from ..engine.parser import graph_from_expression

EXPRESSION = "cos(3*3.141592653589793*x)/x"
"""What the parser builds the graph from: π written out, since the parser knows no constants."""
DISPLAY = "cos(3πx)/x"
"""How the function is shown to the student, wherever its name appears (titles, the stepper's header)."""
PARAMETER = "x"
DOMAIN = (0.1, 1.0)
GLOBAL_MINIMUM = 0.2969179812439257
"""f'(x) = 0 with f ≈ −3.1715: where a start left of the ridge ends up."""
LOCAL_MINIMUM = 0.9886563376428249
"""f'(x) = 0 with f ≈ −1.0057: where a start right of the ridge ends up."""
RIDGE = 0.6494848464735999
"""The local maximum between the two basins (f ≈ 1.5195)."""

ROUNDING = 4 * 2.220446049250313e-16 * (6 * math.pi + 1 / DOMAIN[0])
"""The most float rounding can leave in f(x) on the domain where f is exactly 0: cos(3πx) of an argument
rounded to within 2ε·|3πx| errs by up to ε(6π|x| + 1); divided by x ≥ 0.1, by ε(6π + 10); doubled for safety.
f(0.5) computes as -3.7e-16, which is this rounding, not a value."""

Basin = Literal["global", "local"]


def shown_value(f: float) -> float:
    """f(x) as the student is shown it: exactly 0 where the computed value is within float rounding of 0
    (otherwise `-3.67394e-16` in the table and `-0.00` on the plot's axis stand for a true 0)."""
    return 0.0 if abs(f) <= ROUNDING else f


class StartError(ValueError):
    """A starting point outside the domain the example is drawn on."""


def minima_graph() -> Graph:
    return graph_from_expression(EXPRESSION)


def check_start(start: float) -> float:
    low, high = DOMAIN
    if not (math.isfinite(start) and low <= start <= high):
        raise StartError(f"the start must be in [{low}, {high}], got {start!r}")
    return float(start)


def nearest_minimum(x: float, within: float = 1e-3) -> Basin | None:
    """Which minimum `x` has reached, or None when it is near neither."""
    if abs(x - GLOBAL_MINIMUM) <= within:
        return "global"
    if abs(x - LOCAL_MINIMUM) <= within:
        return "local"
    return None
