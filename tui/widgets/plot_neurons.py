"""The two-neurons lesson's plots: the model's curves over the data, and the loss along the run.

`NeuronsPlot` draws one iteration of a part (slides 55-59): the rows at AHD = 0 and 1 against
MaxHR, the output p and, for the network, the hidden neurons h1 and h2 and their weighted sum q
(on its own axis at the right, since it is not a probability). `RunLossPlot` draws the loss of
the whole run with the iteration being looked at marked. Both are handed views from
`core.two_neurons`; they compute nothing themselves, and every series is thinned to the width.
"""

from __future__ import annotations

from textual.content import Content

from backprop_tui.core.lessons.two_neurons import CLASS_NAMES, IterationView
from backprop_tui.core.training.data import Dataset
from backprop_tui.core.training.landscape import thin

from .plot_base import CURRENT_COLOR, DATA_COLOR, LOSS_COLOR, RGB, LessonPlot, key, legend

P_COLOR: RGB = LOSS_COLOR
H1_COLOR: RGB = (120, 220, 80)
H2_COLOR: RGB = (255, 170, 40)
Q_COLOR: RGB = (200, 130, 255)
HALF_COLOR: RGB = (110, 110, 110)
MAX_ROWS = 2000
"""More rows than this are drawn from evenly spaced ones (one braille dot per cell holds no more)."""


class NeuronsPlot(LessonPlot):
    """The data as dots at 0 and 1 and the model's curves at one iteration; the stepper's row lit."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.data: Dataset | None = None
        self.view: IterationView | None = None
        self.row: int | None = None
        """The row `s` opens the stepper on (drawn as a dot), or None for every row."""

    def show(self, data: Dataset | None, view: IterationView | None, row: int | None) -> None:
        self.data, self.view, self.row = data, view, row
        self.redraw()

    def legend(self) -> Content:
        view = self.view
        entries = [key("⠉⠁", DATA_COLOR, "rows")]
        if self.row is not None and self.data is not None:
            entries.append(key("●", CURRENT_COLOR, f"row {self.row + 1}"))
        if view is not None and view.curves.h1 is not None:
            entries += [key("⠤⠤", H1_COLOR, "h1"), key("⠤⠤", H2_COLOR, "h2"),
                        key("⠤⠤", Q_COLOR, "q (right axis)")]
        if view is not None:
            entries.append(key("⠤⠤", P_COLOR, "p"))
        return legend(*entries)

    def draw(self) -> None:
        data, view, plt = self.data, self.view, self.plt
        if data is None:
            return
        x = data.raw[:, 0]
        shown = thin(len(data), MAX_ROWS)
        low, high = float(x.min()), float(x.max())
        plt.plot([low, high], [0.5, 0.5], marker="braille", color=HALF_COLOR)
        if view is not None:
            curves = view.curves
            chosen = thin(len(curves.maxhr), self.columns)
            grid = curves.maxhr[chosen]
            if curves.h1 is not None and curves.h2 is not None and curves.weighted_sum is not None:
                plt.yaxes(True, True)
                plt.plot(grid.tolist(), curves.weighted_sum[chosen].tolist(), marker="braille", color=Q_COLOR,
                         yside="right")
                plt.plot(grid.tolist(), curves.h1[chosen].tolist(), marker="braille", color=H1_COLOR)
                plt.plot(grid.tolist(), curves.h2[chosen].tolist(), marker="braille", color=H2_COLOR)
            plt.plot(grid.tolist(), curves.p[chosen].tolist(), marker="braille", color=P_COLOR)
        # The rows after the curves, so the flat ends of h1 and h2 at 0 and 1 do not hide them.
        plt.scatter(x[shown].tolist(), data.y[shown].tolist(), marker="braille", color=DATA_COLOR)
        if self.row is not None:
            plt.scatter([float(x[self.row])], [float(data.y[self.row])], marker="●", color=CURRENT_COLOR)
        plt.xlim(low, high)
        plt.ylim(-0.1, 1.1)
        names = ("0", "1") if self.compact else (f"0 {CLASS_NAMES[0]}", f"1 {CLASS_NAMES[1]}")
        plt.yticks([0, 0.5, 1], [names[0], "½", names[1]])
        if not self.compact:
            plt.xlabel(data.features[0])


class RunLossPlot(LessonPlot):
    """The full loss after each iteration of a trained run, and a dot at the iteration being looked at."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.view: IterationView | None = None

    def show(self, view: IterationView | None) -> None:
        self.view = view
        self.redraw()

    def legend(self) -> Content | None:
        if self.view is None:
            return None
        return legend(key("⠤⠤", LOSS_COLOR, "loss"), key("●", CURRENT_COLOR, "here"))

    def draw(self) -> None:
        view, plt = self.view, self.plt
        if view is None:
            return
        steps, losses = view.loss_series
        chosen = thin(len(steps), self.columns)
        plt.plot(steps[chosen].tolist(), losses[chosen].tolist(), marker="braille", color=LOSS_COLOR)
        plt.scatter([view.iteration], [view.loss], marker="●", color=CURRENT_COLOR)
        plt.xlim(0, max(1.0, float(steps[-1])))
        if not self.compact:
            plt.xlabel("iteration")
