"""A plotext figure as Rich `Text`, read from plotext's character matrix instead of from its ANSI text.

textual-plotext renders a plot as `Text.from_ansi(plot.build())`: plotext writes its matrix of
characters and colours out as a string of escape sequences, one per change of colour, and Rich then
reads that string back, escape by escape. On the descent screen that round trip was about a third of
every plot's redraw, and the screen redraws four plots on every key. Here the same matrix becomes
the same `Text` directly: each run of cells with one colour triple is one span, whose style is
decoded once per triple by Rich's own decoder (so it is the style `from_ansi` would give, whatever
plotext's colour codes are). `tests/test_plot_text.py` checks the result is equal to `from_ansi`'s.
"""

from __future__ import annotations

from collections.abc import Hashable
from functools import lru_cache
from itertools import groupby, islice
from typing import Any

from plotext._utility import ansi_end, colors_to_ansi
from rich.ansi import AnsiDecoder
from rich.style import Style
from rich.text import Text


@lru_cache(maxsize=1024)
def run_style(foreground: Hashable, style: Hashable, background: Hashable) -> Style | None:
    """The style Rich reads from the escape sequence plotext writes before a run of these colours."""
    decoded = AnsiDecoder().decode_line(colors_to_ansi(foreground, style, background) + "x" + ansi_end)
    return decoded.spans[0].style if decoded.spans else None  # type: ignore[return-value]


def _line(markers: list[str], foreground: list[Any], style: list[Any], background: list[Any]) -> Text:
    """One row of the matrix: a span per run of equal colours, as plotext's `set_canvas` groups them."""
    line, cells = Text(), iter(markers)
    append = line.append
    for colours, run in groupby(zip(foreground, style, background, strict=False)):
        # Counted and joined in C: a row has hundreds of cells and a few runs (a cell may hold any text).
        append("".join(islice(cells, len(list(run)))), run_style(*colours))
    return line


def figure_text(figure: Any) -> Text:
    """`Text.from_ansi(figure.build())`, built from the figure's matrix without the escape sequences.

    `figure` is a plotext figure sized and drawn (what `PlotextPlot.render` holds before its `build()`)."""
    figure._set_sizes()
    figure._build_matrix()
    matrix = figure.monitor.matrix
    cols = matrix.cols  # plotext's `set_canvas` writes this many cells of every row
    lines = [_line(matrix.marker[row][:cols], matrix.fullground[row][:cols], matrix.style[row][:cols],
                   matrix.background[row][:cols]) for row in reversed(matrix.Rows)]
    # from_ansi splits plotext's text after each newline, the last one included: an empty last line.
    return Text("\n", end="\n", tab_size=8).join([*lines, Text()])
