"""How a plotting screen fits a small terminal, once for the descent and the two-neurons screens.

The screens' breakpoints set `-narrow` (under 100 columns) and `-short` (under 32 rows); a narrow
terminal gets the compact footer, and a narrow or short one plots with fewer labels and digits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from textual.screen import Screen
from textual.widgets import Footer


class CompactPlot(Protocol):
    compact: bool

    def redraw(self) -> None: ...


@dataclass(frozen=True)
class Fit:
    narrow: bool
    """Under 100 columns: the compact footer and the narrow layouts."""
    compact: bool
    """Narrow or under 32 rows: fewer labels and digits."""


def fit_screen(screen: Screen, plots: Iterable[CompactPlot]) -> Fit:
    """Set the footer and `plots` for the screen's size (a plot redraws only when it changes); returns the fit,
    for the screen's other regions."""
    narrow = screen.has_class("-narrow")
    fit = Fit(narrow, narrow or screen.has_class("-short"))
    footer = screen.query_one(Footer)
    if footer.compact != narrow:  # the compact footer drops the palette key and re-reads which keys show
        footer.compact = narrow
        footer.show_command_palette = not narrow
        screen.refresh_bindings()
    for plot in plots:
        if plot.compact != fit.compact:
            plot.compact = fit.compact
            plot.redraw()
    return fit
