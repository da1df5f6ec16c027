"""The descent questions' plot: f(x) = cos(3πx)/x, the start of the question asked, and where each answered
question's run of descent went (practice exercises `descent-direction` and `minima`).

Handed core's curve and points ("attributes down"); it only draws them.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content

from .plot_base import CURRENT_COLOR, LOSS_COLOR, LOWEST_COLOR, LessonPlot, key, legend


@dataclass(frozen=True)
class RunPoints:
    """One run on the curve: its start (x, f) and, once the question is answered, its end."""

    start: tuple[float, float]
    end: tuple[float, float] | None


class ChoicePlot(LessonPlot):
    """f(x) as a line, each run's start (○) and end (●) on it, joined once the answer is in."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.curve: tuple[list[float], list[float]] = ([], [])
        self.runs: tuple[RunPoints, ...] = ()

    def show(self, curve: tuple[list[float], list[float]], runs: tuple[RunPoints, ...]) -> None:
        self.curve, self.runs = curve, runs
        self.redraw()

    def draw(self) -> None:
        plt = self.plt
        x, y = self.curve
        if not x:
            return
        plt.plot(x, y, marker="braille", color=LOSS_COLOR)
        for run in self.runs:
            if run.end is not None:
                low, high = sorted((run.start[0], run.end[0]))
                along = [(a, b) for a, b in zip(x, y, strict=True) if low <= a <= high]
                if along:  # descent within a basin moves along the curve: light the part it travelled
                    plt.plot([a for a, _ in along], [b for _, b in along], marker="braille", color=LOWEST_COLOR)
                plt.scatter([run.end[0]], [run.end[1]], marker="●", color=LOWEST_COLOR)
            plt.scatter([run.start[0]], [run.start[1]], marker="○", color=CURRENT_COLOR)
        plt.xlim(min(x), max(x))
        if not self.compact:
            plt.xlabel("x")

    def legend(self) -> Content | None:
        return legend(key("⠤⠤", LOSS_COLOR, "f(x)"), key("○", CURRENT_COLOR, "start"),
                      key("●", LOWEST_COLOR, "where descent went"))
