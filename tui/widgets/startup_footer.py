"""Textual's footer, whose keys are composed only once the app has started.

Textual's `Footer` composes its keys after the next refresh, so that they never hold up a frame. When
the app opens on a mode's screen, that refresh happens inside Textual's start-up batch and is never
displayed: the keys (a dozen widgets, each restyled) were composed before the first frame, delaying
it by tens of milliseconds. This footer waits for the app to say it has started (`App.started`,
set by `BackpropApp.on_ready`); any other app gets Textual's footer unchanged.
"""

from __future__ import annotations

from textual.screen import Screen

from .fitting_footer import FittingFooter


class StartupFooter(FittingFooter):
    """A `Footer` whose keys appear just after the first frame instead of just before it."""

    def bindings_changed(self, screen: Screen) -> None:
        if getattr(self.app, "started", True):
            super().bindings_changed(screen)
