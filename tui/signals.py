"""SIGTERM, SIGHUP, SIGQUIT and SIGINT end the app as Ctrl+C does: Textual's driver gives the terminal back (the
normal screen, the cursor, no mouse tracking, cooked mode) and the student's place is saved; the exit code is
128 + the signal's number, as a shell reports a process ended by it.

In raw mode Ctrl+C is a key, so a SIGINT comes from outside (`kill -INT`, a script's process group): asyncio's own
handler cancelled the app's task instead, which ended it with code 0 and without saving the place.

Without this the default action of those signals kills the process on the spot, leaving the terminal in
raw mode on the alternate screen (a closed terminal window or `kill` from a script did exactly that).

A closed terminal window sends SIGHUP after its terminal is gone: giving back a terminal that no longer
exists can block Textual's shutdown for ever (its writer waits on a dead tty). So an ending signal also arms
a watchdog: if the app has not exited `GRACE_SECONDS` later, the process ends at once with the same code
(the place was saved first). A second ending signal ends it at once too.
"""

from __future__ import annotations

import asyncio
import os
import signal
import threading
from collections.abc import Callable

from . import hang_up

ENDING_SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGINT)
GRACE_SECONDS = 3.0


def _watchdog(code: int) -> None:
    timer = threading.Timer(GRACE_SECONDS, os._exit, args=(code,))
    timer.daemon = True
    timer.start()


def install(end: Callable[[int], None], terminal: int | None = None) -> Callable[[], None]:
    """Call `end(signum)` on the event loop for each ending signal; returns the function that uninstalls them.
    Nothing is installed outside the main thread or on a loop without signal support. With `terminal` (the
    descriptor the app reads keys from), its hang-up ends the app as SIGHUP does, even when no SIGHUP comes
    (hang_up.py)."""
    received: list[int] = []

    def handle(signum: int) -> None:
        if received:
            os._exit(128 + received[0])
        received.append(signum)
        _watchdog(128 + signum)
        end(signum)

    try:
        loop = asyncio.get_running_loop()
        for signum in ENDING_SIGNALS:
            loop.add_signal_handler(signum, handle, signum)
    except (RuntimeError, ValueError, NotImplementedError):
        return lambda: None

    def hung_up() -> None:
        if not received:  # a SIGHUP that came with it has already begun the ending
            handle(signal.SIGHUP)

    stop_watching = hang_up.watch(terminal, loop, hung_up) if terminal is not None else lambda: None

    def uninstall() -> None:
        stop_watching()
        for signum in ENDING_SIGNALS:
            try:
                loop.remove_signal_handler(signum)
            except (RuntimeError, ValueError):
                pass

    return uninstall
