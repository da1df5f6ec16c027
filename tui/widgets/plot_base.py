"""The common part of the descent screen's plots: what they are given, and when they redraw.

A plot is handed the run's current `IterationView` on every change ("attributes down"); the view's
series are already thinned by core, and a plot thins them once more to its own width, so redrawing
never depends on the run's length.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np
from rich.text import Text
from textual.app import RenderResult
from textual.content import Content
from textual_plotext import PlotextPlot

from backprop_tui.core.training.landscape import Curve, Landscape, thin
from backprop_tui.core.training.view import IterationView

from .plot_axes import AxisFitter, same_calls
from .plot_text import figure_text

RGB = tuple[int, int, int]
PATH_COLOR: RGB = (235, 235, 235)
CURRENT_COLOR: RGB = (255, 80, 100)
LOWEST_COLOR: RGB = (120, 220, 80)
LOSS_COLOR: RGB = (60, 200, 230)
BATCH_COLOR: RGB = (255, 170, 40)
DATA_COLOR: RGB = (150, 150, 150)


def key(mark: str, color: RGB, text: str) -> Content:
    """One entry of a plot's legend, its mark in the plot's colour: the legends sit in the border."""
    return Content.assemble((mark, f"rgb{color}"), f" {text}")


def legend(*entries: Content) -> Content:
    return Content("  ").join(entries)


def finite_pairs(x: Iterable[float], y: Iterable[float]) -> tuple[list[float], list[float]]:
    """The points whose coordinates are both finite (a diverged run's NaN would break the axes)."""
    pairs = [(float(a), float(b)) for a, b in zip(x, y, strict=True) if math.isfinite(a) and math.isfinite(b)]
    return [a for a, _ in pairs], [b for _, b in pairs]


def inside(x: list[float], y: list[float], xs: tuple[float, float], ys: tuple[float, float]
           ) -> tuple[list[float], list[float]]:
    """The points within the plotted box (a path far outside would cost plotext a long line to clip)."""
    keep = [index for index, (a, b) in enumerate(zip(x, y, strict=True))
            if xs[0] <= a <= xs[1] and ys[0] <= b <= ys[1]]
    return [x[index] for index in keep], [y[index] for index in keep]


class FittedPlot(PlotextPlot):
    """A plotext plot whose `draw()` goes through `AxisFitter` (plot_axes.py): any numbers, readable ticks.

    Its text is built again only when what it draws, its size or the theme changed. plotext builds a figure
    cell by cell, a few milliseconds per plot, and a plot was often redrawn with the same calls: a key that
    leaves the run where it is, a dialog closed over the screen. Half the descent plots' builds in the
    monkey tests made the text they already showed."""

    _drawing: AxisFitter | None = None
    _drawn: tuple[Any, ...] = ()
    """The calls the figure holds, as `draw()` recorded them (empty: cleared, nothing drawn)."""
    _built: tuple[tuple[int, int, str], tuple[Any, ...], Text] | None = None
    """The size and theme, the calls, and the text last built from them."""

    @property
    def plt(self) -> Any:
        """plotext, or while `draw()` runs the recorder that replays its calls on plotext with fitted axes."""
        return self._drawing if self._drawing is not None else super().plt

    def draw(self) -> None:
        raise NotImplementedError

    def draw_figure(self, drawable: bool) -> None:
        """Clear the figure and, when `drawable`, draw it anew: `draw()` into a recorder, then onto plotext with
        its axes fitted. Every redraw goes through here (the figure's calls are then all in `_drawn`)."""
        plt = super().plt
        plt.clear_figure()
        plt.xaxes(True, False)
        plt.yaxes(True, False)
        self._drawn = ()
        if not drawable:
            return
        self._drawing = AxisFitter()
        try:
            self.draw()
            recorded = self._drawing
        finally:
            self._drawing = None
        recorded.replay(plt)
        self._drawn = recorded.calls

    def _register_theme(self, app_theme_name: str) -> None:
        """textual-plotext makes a plotext theme of the app's on mount and on a theme change, and refreshes: the
        text built before it may have used another theme under the same name, so it is built again."""
        self._built = None
        super()._register_theme(app_theme_name)

    def render(self) -> RenderResult:
        """`PlotextPlot.render`, with the figure read into Text from its matrix (plot_text.py), not from ANSI;
        the text last built is shown again when the calls, the size and the theme are the same."""
        figure, (width, height) = self._plot, self.size
        theme = self._get_plotext_theme_name(self.app.theme)
        shape = (width, height, theme)
        figure.plotsize(width, height)
        figure._set_size(width, height)  # textual-plotext's belt and braces: resizing misbehaves without it
        figure.theme(theme)
        built = self._built
        if built is not None and built[0] == shape and same_calls(built[1], self._drawn):
            return built[2].copy()
        text = figure_text(figure)
        self._built = (shape, self._drawn, text)
        return text.copy()


class DescentPlot(FittedPlot):
    """A plot of one view of the run; subclasses draw it in `draw()`."""

    DEFAULT_CSS = """
    DescentPlot {
        width: 1fr;
        height: 1fr;
        min-height: 5;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.view: IterationView | None = None
        self.landscape: Landscape | None = None
        self.curve: Curve | None = None
        self.compact = False
        """Fewer labels, for an 80×24 terminal."""

    def legend(self) -> Content | None:
        """What the marks mean, shown in the bottom border."""
        return None

    def show(self) -> None:
        """Draw the run as it stands now (the screen calls this after every change to it)."""
        self.redraw()
        self.border_subtitle = self.legend()

    def redraw(self) -> None:
        self.draw_figure(self.view is not None and self.size.width > 8 and self.size.height > 3)
        self.refresh()

    def on_resize(self) -> None:
        self.redraw()

    @property
    def columns(self) -> int:
        """How many points a series needs to fill the plot's width (braille has two dots per cell)."""
        return max(2, 2 * self.size.width)

    def thinned(self, count: int) -> np.ndarray:
        """Indices of at most about the plot's width of `count` points, always the first and the last."""
        return thin(count, self.columns)

    def path_points(self) -> tuple[np.ndarray, np.ndarray]:
        """The path's parameters (one row each, the last is now) and the loss at each, thinned to the width."""
        view = self.view
        assert view is not None
        chosen = self.thinned(len(view.path))
        return view.path[chosen], view.path_loss[chosen]


class LessonPlot(FittedPlot):
    """A plot that redraws from what it was handed whenever that or its size changes."""

    DEFAULT_CSS = """
    LessonPlot {
        width: 1fr;
        height: 1fr;
        min-height: 5;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.compact = False
        """Fewer labels, for an 80×24 terminal."""

    def on_resize(self) -> None:
        self.redraw()

    def redraw(self) -> None:
        self.draw_figure(self.size.width > 8 and self.size.height > 3)
        self.border_subtitle = self.legend()
        self.refresh()

    def legend(self) -> Content | None:
        return None

    @property
    def columns(self) -> int:
        """Points enough to fill the width (braille has two dots per cell)."""
        return max(2, 2 * self.size.width)
