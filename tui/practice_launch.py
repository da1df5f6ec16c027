"""Open the app on the practice lesson's exercise list (`backprop-tui practice`)."""

from __future__ import annotations

from typing import Any

from textual import events

from .backprop_app import BackpropApp
from .screens.practice_list import PracticeListScreen


class PracticeApp(BackpropApp):
    """The app, opened on the exercise list instead of the stepper.

    Provisional: once the app has one lesson map (issue 10), `backprop-tui practice` opens the map's
    `practice` lesson, i.e. `PracticeListScreen(seed=seed)`, and this class goes.
    """

    def __init__(self, seed: int | None = None) -> None:
        super().__init__()
        self.practice_seed = seed

    def on_mount(self, event: events.Mount) -> None:
        event.prevent_default()  # instead of BackpropApp.on_mount's stepper
        self.push_screen(PracticeListScreen(seed=self.practice_seed))  # the one call that opens the lesson
        self.guard_size(self.size)


def open_practice(seed: int | None = None, **run_options: Any) -> None:
    PracticeApp(seed).run(**run_options)
