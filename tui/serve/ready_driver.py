"""The web driver of a ready session: the app builds its first screen before any student has connected.

A ready session (see `pool.py`) is forked ahead of time and runs the app at a guessed terminal size
with its output held back: composing, styling, laying out and rendering the first screen all happen
while the server is idle. When a student connects, the server sends one `claim` message with the
student's real size; from then on this driver is textual-serve's `WebDriver`: it writes what a
fresh session writes at its start (the handshake line, the terminal modes), and the app draws its
whole screen at once (at the real size: a resize if the guess was wrong, otherwise a repaint from
what is already rendered). Until the claim nothing reaches the pipe; after a claim at a new size,
nothing does until the screen is laid out at that size (a frame the app was about to paint at the
guess would otherwise come first), so no tab ever sees a screen drawn for another size.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from textual import events, messages
from textual.app import ScreenError
from textual.drivers.web_driver import WebDriver
from textual.geometry import Size

CLAIM = "claim"
"""The meta message type that hands a ready session to a student: `{"type": "claim", "width", "height"}`."""
PRELUDE = b"__GANGLION__\n"
READY_NAME = "bptui-ready"
"""A ready session's process name (`ps`, /proc/PID/comm) until it is claimed; then it takes its old name again."""
_COMM = "/proc/self/comm"
_claimed_name: str | None = None


def mark_ready() -> None:
    """Name this process as a ready session (Linux; elsewhere nothing), remembering the name it had.

    The warm parent calls this just before it forks a ready session and `unmark_ready` just after, so the
    child is born with the name: nothing that lists the server's processes ever sees a ready session that
    looks like a student's in the moment before the child would have renamed itself."""
    global _claimed_name
    with contextlib.suppress(OSError):
        with open(_COMM) as comm:
            current = comm.read().strip()
        if current != READY_NAME:
            _claimed_name = current
        with open(_COMM, "w") as comm:
            comm.write(READY_NAME)


def unmark_ready() -> None:
    """The warm parent's own name again, once its ready child is forked."""
    mark_claimed()


def mark_claimed() -> None:
    if _claimed_name is not None:
        with contextlib.suppress(OSError), open(_COMM, "w") as comm:
            comm.write(_claimed_name)


class ReadyWebDriver(WebDriver):
    """`WebDriver` whose output waits for a claim; everything else (input, resize, quit) is the same."""

    def __init__(self, *args: Any, **options: Any) -> None:
        super().__init__(*args, **options)
        self.claimed = False
        self._held_for: Size | None = None
        """The claimed size while the screen is still laid out at another: output is held back until it is not."""
        self._loop: asyncio.AbstractEventLoop | None = None
        self._resize: asyncio.Future[bool] | None = None
        self._shown: asyncio.Task[None] | None = None
        """The claim's two tasks, held here: the event loop keeps only weak references to running tasks."""
        self._really_write = self._write
        self._write = self._write_when_claimed

    def _write_when_claimed(self, data: bytes) -> int:
        if self.claimed and self._held_for is None:
            return self._really_write(data)
        return len(data)

    def start_application_mode(self) -> None:
        self._loop = asyncio.get_running_loop()
        super().start_application_mode()  # its handshake and terminal modes are dropped: written again at the claim

    def run_input_thread(self) -> None:
        """As `WebDriver`'s; but if the input ends before a claim, the server is gone: end the app (a ready
        session writes nothing, so it would never notice on a broken output pipe as a claimed one does)."""
        try:
            super().run_input_thread()
        finally:
            if not self.claimed and not self.exit_event.is_set():
                self._app.post_message(messages.ExitApp())

    def on_meta(self, packet_type: str, payload: dict[str, object]) -> None:
        if packet_type != CLAIM:
            super().on_meta(packet_type, payload)
            return
        width, height = payload.get("width"), payload.get("height")
        if self._loop is not None and isinstance(width, int) and isinstance(height, int) and width > 0 < height:
            self._loop.call_soon_threadsafe(self._claim, Size(width, height))

    def _claim(self, size: Size) -> None:
        """On the app's loop, so nothing the app writes can come before the handshake or between its lines."""
        if self.claimed:
            return
        self.claimed = True
        mark_claimed()
        self._write(PRELUDE)
        self.write("\x1b[?1049h")  # alt screen
        self._enable_mouse_support()
        self.write("\x1b[?25l")  # hide cursor
        self.write("\033[?1003h")
        self._request_terminal_sync_mode_support()
        self._enable_bracketed_paste()
        self._size = (size.width, size.height)
        app = self._app
        if app.size != size or not app._dom_ready:
            # Laid out and drawn whole at the real size. Posted as `start_application_mode` posts the guessed
            # size (a task), so a claim that arrives before that task has run still comes after it, and wins.
            self._held_for = size
            self._resize = asyncio.ensure_future(app._post_message(events.Resize(size, size)))
            self._shown = asyncio.ensure_future(self._show_when_laid_out(size))
            return
        self._show_whole()

    def _laid_out_at(self, size: Size) -> bool:
        """Whether the app's screen is laid out at `size`, outside a batch of updates (which draws nothing)."""
        app = self._app
        try:
            screen = app.screen
        except ScreenError:  # no screen yet: the app is still starting
            return False
        return bool(app._dom_ready and not app._batch_count and screen._compositor.size == size)

    async def _show_when_laid_out(self, size: Size, poll: float = 1 / 240, limit: float = 10.0) -> None:
        """Release the output once the screen is laid out at the claimed size, starting with the whole screen.

        The app takes a resize in steps (its own size first, the screen's layout after a short timer), and
        any refresh in between would paint at the guessed size: so this waits for the layout itself, a
        poll of a few milliseconds at most, then draws the whole screen, which covers whatever was held back."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + limit
        while not self._laid_out_at(size) and loop.time() < deadline:
            await asyncio.sleep(poll)
        self._held_for = None
        with contextlib.suppress(ScreenError):  # an app that ended meanwhile has nothing to show
            self._show_whole()

    def _show_whole(self) -> None:
        """The whole screen, from what is already rendered (a claimed tab starts from nothing)."""
        app = self._app
        screen = app.screen
        app._display(screen, screen._compositor.render_update(full=True, screen_stack=app._background_screens))
