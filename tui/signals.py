"""SIGTERM and SIGHUP end the app as Ctrl+C does: Textual's driver gives the terminal back (the normal
screen, the cursor, no mouse tracking, cooked mode) and the student's place is saved; the exit code is
128 + the signal's number, as a shell reports a process ended by it.

Without this the default action of those signals kills the process on the spot, leaving the terminal in
raw mode on the alternate screen (a closed terminal window or `kill` from a script did exactly that).
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable

ENDING_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


def install(end: Callable[[int], None]) -> Callable[[], None]:
    """Call `end(signum)` on the event loop for each ending signal; returns the function that uninstalls them.
    Nothing is installed outside the main thread or on a loop without signal support."""
    try:
        loop = asyncio.get_running_loop()
        for signum in ENDING_SIGNALS:
            loop.add_signal_handler(signum, end, signum)
    except (RuntimeError, ValueError, NotImplementedError):
        return lambda: None

    def uninstall() -> None:
        for signum in ENDING_SIGNALS:
            try:
                loop.remove_signal_handler(signum)
            except (RuntimeError, ValueError):
                pass

    return uninstall
