"""The loss landscape: a heat map of L over two parameters, and L along one of them.

Both draw a grid core computed once per run or reset; per iteration only the path and the
current point move. The path is the parameters before each iteration, thinned to the plot's width.
"""

from __future__ import annotations

import math

import numpy as np
from textual.content import Content

from backprop_tui.core.training.batch_curve import BatchCurve
from backprop_tui.core.training.starts import Starts

from .plot_base import (
    BATCH_COLOR,
    CURRENT_COLOR,
    LOSS_COLOR,
    LOWEST_COLOR,
    PATH_COLOR,
    DescentPlot,
    finite_pairs,
    inside,
    key,
    legend,
)

START_COLOR = (200, 160, 255)
"""Slide 38's several starts: where each began (○) and ended (◆), apart from the run's own marks."""
SHADES = ("·", "░", "▒", "▓", "█")
SHADE_COLORS = ((40, 70, 120), (50, 100, 160), (70, 130, 190), (110, 160, 210), (170, 200, 230))
"""Low loss is sparse and dark, high loss dense and light, so the path stands out where it ends."""


class LandscapePlot(DescentPlot):
    """L(first, second) as shades, the path across it, the current point and the grid's lowest cell."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.left_view = False
        """Whether part of the path drawn last lies outside the grid (a large η overshoots it)."""

    def legend(self) -> Content:
        path = key("⠤⠤", PATH_COLOR, "path (leaves the view)" if self.left_view else "path")
        return legend(path, key("●", CURRENT_COLOR, "now"), key("✕", LOWEST_COLOR, "lowest"),
                      Content("·░▒▓█ low→high"))

    def draw(self) -> None:
        landscape, plt = self.landscape, self.plt
        if landscape is None or self.view is None:
            return
        row_values, column_values, bands = landscape.shaded(self.size.height, self.size.width, len(SHADES))
        grid_y, grid_x = np.meshgrid(row_values, column_values, indexing="ij")
        for band, (shade, color) in enumerate(zip(SHADES, SHADE_COLORS, strict=True)):
            chosen = bands == band
            if chosen.any():
                plt.scatter(grid_x[chosen].tolist(), grid_y[chosen].tolist(), marker=shade, color=color)
        first, second = landscape.indices
        path, _ = self.path_points()
        xs = (float(landscape.columns[0]), float(landscape.columns[-1]))
        ys = (float(landscape.rows[0]), float(landscape.rows[-1]))
        finite_x, finite_y = finite_pairs(path[:, second], path[:, first])
        px, py = inside(finite_x, finite_y, xs, ys)
        self.left_view = len(px) < len(finite_x)
        if len(px) > 1:
            plt.plot(px, py, marker="braille", color=PATH_COLOR)
        plt.scatter([landscape.lowest[second]], [landscape.lowest[first]], marker="✕", color=LOWEST_COLOR)
        now = path[-1]
        if xs[0] <= now[second] <= xs[1] and ys[0] <= now[first] <= ys[1]:
            plt.scatter([float(now[second])], [float(now[first])], marker="●", color=CURRENT_COLOR)
        plt.xlim(*xs)
        plt.ylim(*ys)
        if not self.compact:
            plt.xlabel(f"{landscape.names[1]} across, {landscape.names[0]} up")


class SlicePlot(DescentPlot):
    """L along one parameter: the minima example's f(x), or a model's loss along its second parameter
    with the first held at its current value. The path is drawn at the loss each iteration had."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.end: float | None = None
        """Where plain gradient descent from the start ends (the minima example), marked with ✕."""
        self.held: float | None = None
        """The value the first parameter is held at in the curve drawn last (shown in the title)."""

    def legend(self) -> Content:
        name = "f" if self.curve is not None else "L"
        view = self.view
        batch = view is not None and view.batch_curve is not None and self.curve is None
        entries = [key("⠤⠤", LOSS_COLOR, "full L" if batch else name)]
        if batch:
            entries += [key("⠤⠤", BATCH_COLOR, "batch L"), key("○◆", BATCH_COLOR, "its step")]
        entries += [key("•", PATH_COLOR, "path"), key("●", CURRENT_COLOR, "now")]
        if view is not None and view.starts is not None and self.curve is not None:
            entries.append(key("○◆", START_COLOR, "starts→ends"))
        if self.end is not None:
            entries.append(key("✕", LOWEST_COLOR, "plain GD ends" if self.compact else "where plain GD ends"))
        return legend(*entries)

    def draw(self) -> None:
        view, plt = self.view, self.plt
        assert view is not None
        if self.curve is not None:
            axis, x, y = 0, self.curve.x, self.curve.y
        elif self.landscape is not None:
            axis = self.landscape.indices[1]
            held = view.params[self.landscape.indices[0]]
            if not math.isfinite(held):
                self.held = held
                return
            self.held, y = self.landscape.along_columns(held)
            x = self.landscape.columns
        else:
            return
        plt.plot(*finite_pairs(x, y), marker="braille", color=LOSS_COLOR)
        xs = (float(x[0]), float(x[-1]))
        batch = view.batch_curve if self.curve is None else None
        drawn = y if batch is None else np.concatenate([y, batch.loss])
        finite = drawn[np.isfinite(drawn)]
        top, bottom = (float(finite.max()), float(finite.min())) if len(finite) else (1.0, 0.0)
        margin = (0.05 * top - 0.05 * bottom) or 0.05  # not 0.05·(top − bottom): that overflows at ±1e308
        low = bottom - margin
        if self.curve is None and bottom >= 0:
            low = max(low, 0.0)  # a loss is never negative: its axis had a tick at -3.6 for MaxHR in raw units
        ys = (low, top + margin)
        if batch is not None:
            self.draw_batch(batch, xs, ys)
        path, loss = self.path_points()
        px, py = inside(*finite_pairs(path[:, axis], loss), xs, ys)
        if px:
            plt.scatter(px, py, marker="•", color=PATH_COLOR)
        if self.end is not None and xs[0] <= self.end <= xs[1]:
            plt.scatter([self.end], [float(np.interp(self.end, x, y))], marker="✕", color=LOWEST_COLOR)
        if view.starts is not None and self.curve is not None:
            self.draw_starts(view.starts, xs, ys)
        now_x, now_y = inside(*finite_pairs(path[-1:, axis], loss[-1:]), xs, ys)
        if now_x:
            plt.scatter(now_x, now_y, marker="●", color=CURRENT_COLOR)
        plt.xlim(*xs)
        plt.ylim(*ys)
        if not self.compact:
            plt.xlabel(view.names[axis])

    def draw_batch(self, batch: BatchCurve, xs: tuple[float, float], ys: tuple[float, float]) -> None:
        """Slides 41-49: the last batch's own loss along the same slice, and its step on that curve."""
        plt = self.plt
        plt.plot(*finite_pairs(batch.x, batch.loss), marker="braille", color=BATCH_COLOR)
        for (x, y), mark in ((batch.before, "○"), (batch.now, "◆")):
            px, py = inside(*finite_pairs([x], [y]), xs, ys)
            if px:
                plt.scatter(px, py, marker=mark, color=BATCH_COLOR)

    def draw_starts(self, starts: Starts, xs: tuple[float, float], ys: tuple[float, float]) -> None:
        """Slide 38: each random start (○, on f) and where descent from it ended (◆)."""
        begun = ([end.start for end in starts.ends], [end.start_value for end in starts.ends])
        ended = ([end.end for end in starts.ends], [end.value for end in starts.ends])
        for (x, y), mark in ((begun, "○"), (ended, "◆")):
            px, py = inside(*finite_pairs(x, y), xs, ys)
            if px:
                self.plt.scatter(px, py, marker=mark, color=START_COLOR)
