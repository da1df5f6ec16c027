"""Textual's command palette, minus a crash: ctrl+p, Enter, Enter typed quickly ended the app with
`ScreenStackError: Can't pop screen` (Textual 8.2.8, also in a bare `App`).

Why: the first Enter selects the highlighted command, and the palette dismisses itself and schedules the
command. The second Enter was already queued to the palette's input; its `Input.Submitted` reaches the
palette after the dismissal, finds the command still selected, and dismisses the palette a second time,
which pops the screen below it (or fails on the last one) and would run the command twice. Once this
palette has been dismissed it handles no more submissions, selections or presses.
"""

from __future__ import annotations

from typing import Any

from textual.command import CommandPalette
from textual.message import Message
from textual.widgets import Button, Input, OptionList

CHOOSING = (Input.Submitted, Button.Pressed, OptionList.OptionSelected)


class GuardedCommandPalette(CommandPalette):
    """The command palette, dismissed once at most."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._dismissed = False

    def dismiss(self, result: Any = None):  # noqa: ANN201 (Textual's AwaitComplete)
        self._dismissed = True
        return super().dismiss(result)

    async def _on_message(self, message: Message) -> None:
        if self._dismissed and isinstance(message, CHOOSING):
            message.stop()
            return
        await super()._on_message(message)
