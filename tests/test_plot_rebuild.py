"""A plot's text is built again only when what it draws, its size or the theme changed (tui/widgets/plot_base.py),
and what it shows is always what a fresh build of the same figure shows (`from_ansi` of plotext's own text)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from rich.text import Text
from textual.app import App, ComposeResult

from backprop_tui.tui.widgets import plot_base
from backprop_tui.tui.widgets.plot_axes import same_calls
from backprop_tui.tui.widgets.plot_base import LessonPlot


class PointsPlot(LessonPlot):
    """Draws `points` (any sequence the test hands it) as a braille line."""

    points: object = ([0.0, 1.0, 2.0], [0.0, 1.0, 4.0])

    def draw(self) -> None:
        x, y = self.points  # type: ignore[misc]
        self.plt.plot(x, y, marker="braille", color=(60, 200, 230))


class OnePlot(App[None]):
    def compose(self) -> ComposeResult:
        yield PointsPlot()


@pytest.fixture
def builds(monkeypatch) -> list[int]:
    """Count plotext builds (`figure_text`), each still made."""
    made: list[int] = []
    original = plot_base.figure_text

    def counted(figure):  # noqa: ANN001, ANN202 (a plotext figure)
        made.append(1)
        return original(figure)

    monkeypatch.setattr(plot_base, "figure_text", counted)
    return made


def shown_is_fresh(plot: PointsPlot) -> None:
    shown = plot.render()
    assert isinstance(shown, Text)
    assert shown == Text.from_ansi(plot._plot.build())


async def test_the_same_drawing_is_built_once_and_every_change_builds_again(builds):
    app = OnePlot()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        plot = app.query_one(PointsPlot)
        shown_is_fresh(plot)
        count = len(builds)
        assert count >= 1
        for _ in range(3):  # a key that leaves the run where it is, a dialog closed: the same calls again
            plot.redraw()
            shown_is_fresh(plot)
        assert len(builds) == count

        plot.points = ([0.0, 1.0, 2.0], [0.0, 1.0, 5.0])  # one number changed
        plot.redraw()
        shown_is_fresh(plot)
        assert len(builds) == count + 1

        plot.points = (np.array([0.0, 1.0, 2.0]), np.array([0.0, 2.0, 3.0]))  # arrays: compared by element
        plot.redraw()
        shown_is_fresh(plot)
        plot.redraw()
        shown_is_fresh(plot)
        assert len(builds) == count + 2

        await pilot.resize_terminal(50, 16)  # another size
        await pilot.pause()
        shown_is_fresh(plot)
        assert len(builds) == count + 3

        app.theme = "textual-light"  # another theme, under a name textual-plotext registers as it changes
        await pilot.pause()
        shown_is_fresh(plot)
        assert len(builds) == count + 4


def test_recorded_calls_compare_by_value():
    line = ("plot", ([0.0, 1.0], [2.0, 3.0]), {"marker": "braille", "color": (1, 2, 3)})
    assert same_calls((line,), (("plot", ([0.0, 1.0], [2.0, 3.0]), {"marker": "braille", "color": (1, 2, 3)}),))
    assert not same_calls((line,), (("plot", ([0.0, 1.0], [2.0, 3.5]), {"marker": "braille", "color": (1, 2, 3)}),))
    assert not same_calls((line,), (("plot", ([0.0, 1.0], [2.0, 3.0]), {"marker": "dot", "color": (1, 2, 3)}),))
    assert not same_calls((line,), ())
    array = ("scatter", (np.arange(4.0), np.ones(4)), {})
    assert same_calls((array,), (("scatter", (np.arange(4.0), np.ones(4)), {}),))
    assert not same_calls((array,), (("scatter", (np.arange(4.0), np.zeros(4)), {}),))
    assert not same_calls((array,), (("scatter", (np.arange(3.0), np.ones(3)), {}),))
    assert not same_calls((array,), (("scatter", (list(np.arange(4.0)), np.ones(4)), {}),))
    # NaN is never the same as a NaN computed again: such a plot is rebuilt, never kept by mistake.
    assert not same_calls([float("nan")], [math.nan * 1.0 + 0.0])
    assert not same_calls(np.array([np.nan]), np.array([np.nan]))
