"""The classification lesson's plot: each patient at AHD = 0 or 1 against MaxHR, and the student's sigmoid.

Patients the curve gets wrong at p̂ ≥ ½ are lit, so moving β0 and β1 visibly changes who is wrong.
The midpoint (p = ½), the tangent there (slope β1/4) and the width's two ends (p = 0.1 and 0.9) are
marked. Every number comes from core's `Predictions`; this widget only draws them.
"""

from __future__ import annotations

import math

from textual.content import Content

from backprop_tui.core.lessons.classification import Predictions, curve_points, plot_range, tangent_within

from .plot_base import BATCH_COLOR, CURRENT_COLOR, DATA_COLOR, LOSS_COLOR, PATH_COLOR, LessonPlot, key, legend

WRONG_COLOR = CURRENT_COLOR
MARK_COLOR = BATCH_COLOR


class SigmoidPlot(LessonPlot):
    """The data and P(Y=1) = 1/(1 + e^−(β0 + β1·x)) in the feature's own units."""

    DEFAULT_CSS = """
    SigmoidPlot {
        min-height: 8;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.predictions: Predictions | None = None

    def show(self, predictions: Predictions) -> None:
        self.predictions = predictions
        self.redraw()

    def legend(self) -> Content | None:
        if self.predictions is None:
            return None
        marks = [key("⠒⠒", MARK_COLOR, "tangent")] if self.predictions.shape.midpoint is not None else []
        return legend(key("⠉", DATA_COLOR, "right"), key("⠉", WRONG_COLOR, "wrong"), key("⠤⠤", LOSS_COLOR, "p̂"),
                      *marks, *([] if self.compact else [key("◆", PATH_COLOR, "p=½"),
                                                         key("●", MARK_COLOR, "p=0.1, 0.9")]))

    def draw(self) -> None:
        seen, plt = self.predictions, self.plt
        if seen is None:
            return
        low, high = plot_range(seen.x)
        right = seen.predicted == seen.y
        for chosen, color in ((right, DATA_COLOR), (~right, WRONG_COLOR)):
            if chosen.any():
                plt.scatter(seen.x[chosen].tolist(), seen.y[chosen].tolist(), marker="braille", color=color)
        x, p = curve_points(seen.params, low, high, max(2, 2 * self.size.width))
        plt.plot(x.tolist(), p.tolist(), marker="braille", color=LOSS_COLOR)
        self.mark_shape(seen, low, high)
        plt.xlim(low, high)
        ticks = round_ticks(low, high, 4 if self.compact else 8)
        plt.xticks(ticks, [f"{tick:g}" for tick in ticks])
        plt.ylim(-0.1, 1.1)
        no, yes = seen.labels
        plt.yticks([0, 0.5, 1], [f"{no} 0", "½", f"{yes} 1"] if not self.compact else [no, "½", yes])
        if not self.compact:
            plt.xlabel(seen.feature)

    def mark_shape(self, seen: Predictions, low: float, high: float) -> None:
        """The tangent at p = ½ over p from 0.1 to 0.9, the midpoint and the width's two ends, where on the plot."""
        plt, shape = self.plt, seen.shape
        if shape.midpoint is None or shape.tangent is None or shape.edges is None:
            return
        segment = tangent_within(shape, low, high)
        if segment is not None:
            (x1, y1), (x2, y2) = segment
            plt.plot([x1, x2], [y1, y2], marker="braille", color=MARK_COLOR)
        ends = [(x, p) for x, p in zip(shape.edges, (0.1, 0.9), strict=True) if low <= x <= high]
        if ends:
            plt.scatter([x for x, _ in ends], [p for _, p in ends], marker="●", color=MARK_COLOR)
        if low <= shape.midpoint <= high:
            plt.scatter([shape.midpoint], [0.5], marker="◆", color=PATH_COLOR)


def round_ticks(low: float, high: float, most: int) -> list[float]:
    """At most `most` ticks at a round step (1, 2 or 5 times a power of ten) inside [low, high]."""
    span = max(high - low, 1e-9)
    power = 10 ** math.floor(math.log10(span / most))
    step = next(power * factor for factor in (1, 2, 5, 10) if span / (power * factor) <= most)
    first = math.ceil(low / step) * step
    return [first + index * step for index in range(int((high - first) // step) + 1)]


def plot_title(feature: str, compact: bool) -> Content:
    return Content(f"P(Y=1) = 1/(1+e^−(β0+β1·{feature}))" if compact
                   else f"The Heart data and your curve P(Y=1) = 1/(1+e^−(β0+β1·{feature}))")
