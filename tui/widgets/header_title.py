"""A header's title fitted to the header's two lines: whole when it fits, else shortened where it is longest.

A title is parts joined by ` · ` (`lecture (slides 65-72) · forward mode, d/dW · X=3 y=1 W=3`). An expression of
thirty inputs made it five lines long at 80 columns; the header shows two, so Textual cut the rest without a
sign, the mode's `d/da0` and every input with it. The longest parts now give way first, each ending in `…`,
the way the table's widest columns give way (cell_fit.fit_widths): a short part (the mode, η) is kept whole
while any long part can still give room.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import events
from textual.content import Content
from textual.widgets import Label

from .cell_fit import ellipsized

SEPARATOR = " · "
MAX_LINES = 2
"""The header's height (ScreenHeader's `max-height`)."""


def lines_needed(text: str, width: int) -> int:
    """How many lines `text` takes in a label `width` cells wide (Textual's own wrapping)."""
    return len(Content(text).wrap(width))


def _capped(parts: list[str], cap: int) -> str:
    return SEPARATOR.join(ellipsized(part, cap) for part in parts)


def _largest(fits: Callable[[int], bool], high: int) -> int:
    """The largest k in 1..high with `fits(k)` (fewer characters never need more lines), or 0."""
    low, best = 1, 0
    while low <= high:
        middle = (low + high) // 2
        if fits(middle):
            best, low = middle, middle + 1
        else:
            high = middle - 1
    return best


def fit_title(title: str, width: int, lines: int = MAX_LINES) -> str:
    """`title` whole if it wraps into `lines` lines of `width` cells; else with every part longer than some cap
    cut to it (ending in `…`), the cap the largest that fits; in a label too narrow for even that, the
    whole title cut to what fits."""
    if width <= 0 or lines_needed(title, width) <= lines:
        return title
    parts = title.split(SEPARATOR)
    cap = _largest(lambda cap: lines_needed(_capped(parts, cap), width) <= lines, max(len(part) for part in parts))
    if cap:
        return _capped(parts, cap)
    return ellipsized(title, _largest(lambda length: lines_needed(ellipsized(title, length), width) <= lines,
                                      len(title)))


class HeaderTitle(Label):
    """The title label of a screen's header: shows the fitted title, fitted again whenever its width changes."""

    def __init__(self, title: str | Content = "", *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(Content(title) if isinstance(title, str) else title, id=id, classes=classes)
        self.full_title = title
        """The title as given; the label shows it fitted."""
        self._shown: str | Content = title

    def show(self, title: str | Content) -> None:
        """Show `title`, fitted to the width the label has now (whole until it is laid out)."""
        self.full_title = title
        width = self.content_size.width
        shown = fit_title(title, width) if isinstance(title, str) and width > 0 else title
        if shown != self._shown:
            self._shown = shown
            self.update(Content(shown) if isinstance(shown, str) else shown)

    def on_resize(self, event: events.Resize) -> None:
        """Fit again once this layout is done: a text changed inside the layout that resized the label never
        reached its header's height (a title fitted to one line at 200 columns, after 80, stayed one row high)."""
        self.call_after_refresh(self.show, self.full_title)
