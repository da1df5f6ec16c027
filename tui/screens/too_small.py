"""Shown instead of a squashed layout when the terminal is smaller than the stepper needs."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.geometry import Size
from textual.screen import Screen
from textual.widgets import Static

MIN_SIZE = Size(80, 24)
"""The smallest terminal the screens are laid out for."""


def too_small_text(size: Size) -> str:
    return (f"Make the window larger.\n\nbackprop-tui needs at least {MIN_SIZE.width}×{MIN_SIZE.height}; "
            f"this one is {size.width}×{size.height}.\n\nq quits.")


class TooSmallScreen(Screen[None]):
    """A plain message that follows the terminal's size until it is large enough again."""

    BINDINGS = [Binding("q", "app.quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Static(classes="too-small")

    def on_mount(self) -> None:
        self.show_size(self.app.size)

    def show_size(self, size: Size) -> None:
        self.query_one(Static).update(Content(too_small_text(size)))
