"""The plots' Text, read from plotext's matrix (tui/widgets/plot_text.py), is the Text textual-plotext reads
from plotext's escape sequences: the same characters and the same styled spans, for every theme, colour kind
(named, 256-colour, RGB), text style and background, and for every plot the descent and lesson screens draw."""

from __future__ import annotations

import plotext
import pytest
from plotext._dict import themes
from rich.text import Text

from backprop_tui.core.stepping.problem import build_problem
from backprop_tui.tui.app import BackpropApp
from backprop_tui.tui.widgets.plot_base import FittedPlot
from backprop_tui.tui.widgets.plot_text import figure_text

PLOTEXT_THEMES = sorted(name for name in themes if not name.startswith("textual-"))
"""plotext's own themes (textual-plotext adds the app's as it draws; the app test covers those)."""
PLOTTED_LESSONS = ("classification", "descent", "minima", "two-neurons")
"""Lessons with every kind of plot: the sigmoid, descent's four (the batches lesson draws the same), the minima's,
the two neurons' two."""


def drawn_figure(theme: str, width: int, height: int) -> object:
    """A figure with every colour kind and style plotext writes: lines, braille, bars, text and labels."""
    figure = plotext._figure._figure_class()
    figure.plotsize(width, height)
    figure.theme(theme)
    figure.plot([1, 2, 3, 4], [1, 4, 9, 16], color=(255, 80, 100), marker="braille", label="rgb")
    figure.scatter([1, 2, 3], [3, 2, 1], color="red+", marker="dot", label="named")
    figure.plot([1, 4], [10, 2], color=208, marker="hd", style="bold")
    figure.bar([1.5, 2.5], [5, 7], color="blue", fill=True)
    figure.text("ξ1 = −WᵀX", 2, 12, color="green", background="white", style="italic")
    figure.title("loss ∂L/∂β")
    figure.xlabel("β1")
    figure.ylabel("L")
    return figure


@pytest.mark.parametrize("theme", PLOTEXT_THEMES)
@pytest.mark.parametrize("size", [(60, 18), (13, 5), (117, 31)])
def test_the_matrix_reads_as_the_escape_sequences_do(theme, size):
    figure = drawn_figure(theme, *size)
    expected = Text.from_ansi(figure.build())
    shown = figure_text(figure)
    assert shown.plain == expected.plain
    assert shown.spans == expected.spans
    assert shown == expected and shown.end == expected.end and shown.style == expected.style


def test_an_empty_figure_is_its_blank_canvas():
    figure = plotext._figure._figure_class()
    figure.plotsize(20, 6)
    assert figure_text(figure) == Text.from_ansi(figure.build())


def rendered_plots(app: BackpropApp, where: str) -> set[str]:
    """Check every plot shown renders as `from_ansi` reads plotext's text; the kinds of plot that drew colour."""
    drawn: set[str] = set()
    for plot in app.screen.query(FittedPlot):
        if not plot.size.area:
            continue
        rendered = plot.render()
        assert isinstance(rendered, Text)
        assert rendered == Text.from_ansi(plot._plot.build()), f"{where}: {type(plot).__name__}"
        if rendered.spans:
            drawn.add(type(plot).__name__)
    return drawn


async def test_every_plot_of_every_lesson_renders_what_plotext_writes(settle, tmp_path, monkeypatch):
    """Each plot the app draws, in the app's own theme, after a few keys: its render is `from_ansi`'s. The
    descent lesson again in a light theme (textual-plotext makes a plotext theme of the app's)."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    drawn: set[str] = set()
    for lesson in PLOTTED_LESSONS:
        app = BackpropApp(build_problem("lecture"), lesson=lesson)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            for _ in range(3):
                await pilot.press("space")
            await settle(pilot)
            drawn |= rendered_plots(app, lesson)
            if lesson == "descent":
                app.theme = "textual-light"
                await settle(pilot)
                assert rendered_plots(app, "descent, light") == {"LossPlot", "FitPlot", "SlicePlot", "LandscapePlot"}
    assert len(drawn) >= 7, drawn
