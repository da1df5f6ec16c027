"""Axes plotext can draw whatever the numbers: every plot draws through `AxisFitter`, which scales coordinates
too large for plotext's arithmetic and labels ticks plotext would spell too wide.

plotext maps a point to a cell as `(bins − 1)·(x − low)/(high − low)`: with a feature spanning ±1e308 (a CSV in
file units) `high − low` is inf, and with a loss of 4e306 (a diverging descent) `(bins − 1)·(x − low)` is;
its rounding of the NaN that follows raised out of the widget's render and ended the app. It also writes a tick
as fixed-point text with the decimals that tell neighbours apart: a loss axis up to 4e306 got three-hundred-digit
labels, wider than the plot, and plotext drew nothing. So a plot draws into a recorder; the recorded calls are
replayed with each axis's coordinates multiplied by a power of two (exact) that keeps them near 1 where they
are huge, and an axis whose labels would be long gets ticks labelled here in a few significant digits, naming
the values, not the scaled coordinates. Ordinary axes replay unchanged, with plotext's own labels.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any, Literal

import numpy as np

from backprop_tui.core.engine.numbers import format_scalar, spaced

WIDEST_LABEL = 9
"""The widest tick label plotext may write itself; past it, the ticks are labelled here."""
TICKS = 5
LARGEST_PLAIN = 2.0**1000
"""Coordinates up to this magnitude are passed as they are: times plotext's bins (a few hundred), still finite."""

Axis = Literal["x", "y"]
POINT_CALLS = ("plot", "scatter")
"""plotext calls whose first two arguments are the x and the y coordinates."""
AXIS_CALLS: dict[str, Axis] = {"xlim": "x", "ylim": "y", "xticks": "x", "yticks": "y"}


def plotext_label_width(low: float, high: float, count: int = TICKS) -> int:
    """How wide plotext's own labels for `count` ticks from `low` to `high` are (about: its rule, not its code)."""
    whole_digits = len(str(int(max(abs(low), abs(high)))))
    step = high / (count - 1) - low / (count - 1)  # not (high − low)/…: that overflows for ±1.7e308
    decimals = 0 if step >= 0.5 else math.ceil(-math.log10(2 * step)) if step > 0 else 1
    return 1 + whole_digits + 1 + decimals + 1  # sign, digits, point, decimals, and one more plotext keeps


def readable_ticks(low: float, high: float, count: int = TICKS) -> tuple[list[float], list[str]]:
    """`count` ticks from `low` to `high`, labelled in the fewest significant digits (at least 3) that differ."""
    if not high > low:
        return [low], [format_scalar(low, 3)]
    ticks = spaced(low, high, count).tolist()
    for digits in range(3, 18):
        labels = [format_scalar(tick, digits) for tick in ticks]
        if len(set(labels)) == len(labels):
            break
    return ticks, labels


def axis_scale(values: Iterable[float]) -> float:
    """What an axis's coordinates are multiplied by before plotext sees them: 1, or for values past
    `LARGEST_PLAIN` the power of two that brings the largest to between ½ and 1 (exact: only the exponent moves)."""
    largest = max((abs(value) for value in values if math.isfinite(value)), default=0.0)
    if largest <= LARGEST_PLAIN:
        return 1.0
    return 2.0 ** -math.frexp(largest)[1]


class AxisFitter:
    """Stands in for plotext while a plot draws: records each call, then `replay` makes them on plotext."""

    def __init__(self) -> None:
        self._calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []

    def __getattr__(self, name: str) -> Callable[..., None]:
        def record(*args: Any, **kwargs: Any) -> None:
            self._calls.append((name, args, kwargs))

        return record

    @property
    def calls(self) -> tuple[tuple[str, tuple[Any, ...], dict[str, Any]], ...]:
        """What was drawn, call by call: with the plot's size and theme, all its figure's text depends on."""
        return tuple(self._calls)

    def _span(self, axis: Axis) -> tuple[float, ...]:
        """The lowest and highest finite coordinate, limit and tick drawn on `axis` (empty when none is): a
        numpy pass per call, since a landscape scatters thousands of points on every redraw."""
        low, high = math.inf, -math.inf
        for name, args, _ in self._calls:
            if name in POINT_CALLS and len(args) >= 2:
                drawn = args[0 if axis == "x" else 1]
            elif AXIS_CALLS.get(name) == axis and args:
                drawn = args[0] if name.endswith("ticks") else args[:2]
            else:
                continue
            try:
                numbers = np.asarray(drawn, dtype=float)
            except (TypeError, ValueError):  # labels, not numbers
                continue
            finite = numbers[np.isfinite(numbers)]
            if finite.size:
                low, high = min(low, float(finite.min())), max(high, float(finite.max()))
        return (low, high) if low <= high else ()

    def replay(self, plt: Any) -> None:
        """Make the recorded calls on `plt`, each axis scaled by `axis_scale`, its ticks labelled where needed."""
        values = {"x": self._span("x"), "y": self._span("y")}
        scale = {axis: axis_scale(values[axis]) for axis in values}
        ticked: set[str] = set()
        for name, args, kwargs in self._calls:
            if name in POINT_CALLS and len(args) >= 2 and (scale["x"] != 1.0 or scale["y"] != 1.0):
                args = ([value * scale["x"] for value in args[0]], [value * scale["y"] for value in args[1]],
                        *args[2:])
            elif name in AXIS_CALLS:
                axis = AXIS_CALLS[name]
                if name.endswith("ticks"):
                    ticked.add(axis)
                    args = ([tick * scale[axis] for tick in args[0]], *args[1:])
                else:
                    args = tuple(limit * scale[axis] for limit in args)
            getattr(plt, name)(*args, **kwargs)
        for axis in ("x", "y"):
            if axis not in ticked:
                fit_axis(plt, axis, values[axis], scale[axis])  # type: ignore[arg-type]


def same_calls(one: Any, other: Any) -> bool:
    """Whether two recorded drawings are the same calls with equal arguments.

    Compared in C where it can be (a landscape scatters thousands of floats per call); a numpy array, whose `==`
    has no truth value, by its elements. NaN is unequal to itself: a plot holding one is built again, never
    wrongly kept. The same `draw()` records the same types each time, so equal values mean an equal figure."""
    if isinstance(one, np.ndarray) or isinstance(other, np.ndarray):
        return (isinstance(one, np.ndarray) and isinstance(other, np.ndarray) and one.shape == other.shape
                and bool(np.array_equal(one, other)))
    try:
        return bool(one == other)
    except ValueError:  # an array inside: compare item by item
        pass
    if isinstance(one, dict) and isinstance(other, dict):
        return one.keys() == other.keys() and all(same_calls(one[name], other[name]) for name in one)
    if isinstance(one, (tuple, list)) and isinstance(other, (tuple, list)):
        return len(one) == len(other) and all(same_calls(a, b) for a, b in zip(one, other, strict=True))
    return False


def fit_axis(plt: Any, axis: Axis, values: Iterable[float], scale: float = 1.0) -> None:
    """Label `axis` here when plotext's labels for the span of `values` would be wider than `WIDEST_LABEL`, or
    when its coordinates are `values` × `scale`: the labels then name the values, not the coordinates."""
    finite = [float(value) for value in values if math.isfinite(value)]
    if not finite:
        return
    low, high = min(finite), max(finite)
    if scale == 1.0 and plotext_label_width(low, high) <= WIDEST_LABEL:
        return
    ticks, labels = readable_ticks(low, high)
    (plt.xticks if axis == "x" else plt.yticks)([tick * scale for tick in ticks], labels)
