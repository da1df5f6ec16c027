"""A terminal that goes away without a SIGHUP: noticed, so the app ends as a closed terminal window ends it.

The kernel sends SIGHUP when a terminal hangs up only to the processes whose controlling terminal it is. An app
started in a session of its own (`setsid backprop-tui`, a supervisor or a test harness that hands it a
pseudo-terminal) gets none: when that terminal closed, Textual's input thread read end-of-file from it, again and
again, and the app spun at a full core for as long as nobody killed it (one such app ran for 48 minutes here).

A daemon thread waits in `poll` on the terminal, asking for no events: the kernel still reports a hang-up or an
error, and nothing else wakes it, so it costs no CPU while the terminal lives. A hang-up is then handed to the
event loop as a SIGHUP would be.
"""

from __future__ import annotations

import asyncio
import os
import select
import sys
import threading
from collections.abc import Callable

POLL = hasattr(select, "poll")
"""Windows has no `poll`; there, a closed console ends the process itself."""
ENDED = select.POLLHUP | select.POLLERR if POLL else 0
"""What a terminal reports once its other end has closed (the pseudo-terminal's master, the terminal window)."""


def terminal_fd(headless: bool) -> int | None:
    """The descriptor Textual's terminal driver reads keys from (`cli.terminal` made it the terminal's), or None for
    a headless app or a browser tab's driver (`TEXTUAL_DRIVER`), which read no terminal."""
    if headless or not POLL or os.environ.get("TEXTUAL_DRIVER"):
        return None
    try:
        fd = sys.__stdin__.fileno() if sys.__stdin__ is not None else -1
        return fd if fd >= 0 and os.isatty(fd) else None
    except (OSError, ValueError):
        return None


def watch(fd: int, loop: asyncio.AbstractEventLoop, hung_up: Callable[[], None]) -> Callable[[], None]:
    """Call `hung_up()` on `loop` when the terminal on `fd` hangs up; returns the function that stops watching."""
    wake_read, wake_write = os.pipe()

    def wait() -> None:
        poller = select.poll()
        poller.register(fd, 0)  # no events asked for: a hang-up and an error are reported all the same
        poller.register(wake_read, select.POLLIN)
        try:
            while True:
                for ready, mask in poller.poll():
                    if ready == wake_read or mask & select.POLLNVAL:  # stopped; or closed (macOS: any tty)
                        return
                    if mask & ENDED:
                        loop.call_soon_threadsafe(hung_up)
                        return
        except RuntimeError:  # the loop closed meanwhile: the app has ended anyway
            return
        finally:
            os.close(wake_read)

    threading.Thread(target=wait, name="terminal-hang-up", daemon=True).start()

    def stop() -> None:
        try:
            os.write(wake_write, b"\0")
        except OSError:  # the watcher has already returned and closed its end
            pass
        finally:
            os.close(wake_write)

    return stop
