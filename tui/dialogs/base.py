"""The one rule every dialog follows: it closes exactly once, however many keys arrive.

Enter pressed three times in a picker used to select three times: the first dismissal closed the
picker, the next ones popped the screens under it (a blank app, or `ScreenStackError`). A dialog
closes only while it is the screen on top and only the first time it is asked.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from textual.screen import ModalScreen

ResultT = TypeVar("ResultT")


class Dialog(ModalScreen[ResultT], Generic[ResultT]):
    """A modal screen whose `close` dismisses it once; later calls (a key still in flight) do nothing."""

    CSS_PATH = "../styles/dialogs.tcss"
    """Read when the first dialog is shown, not at start-up (relative to the dialog's module, in tui/dialogs/)."""

    VERTICAL_BREAKPOINTS = [(0, "-short"), (28, "-tall")]
    """Under 28 rows a dialog drops its blank rows (the edit form's buttons were cut at 80×24)."""

    _answered = False

    def close(self, result: ResultT | None = None) -> None:
        if self._answered or self.app.screen is not self:
            return
        self._answered = True
        self.dismiss(result)
