"""One student's app process, as textual-serve's `AppService` sees it, with every wait bounded.

The process comes from the pool (a ready session, `start_from`) or the `Launcher` (forked from the
warm parent, or exec'd). Its output is relayed to the tab; a tab that stops reading cannot stall the
relay for more than `SEND_TIMEOUT` (the session is then aborted), and stopping always ends: ask the
app to quit, then SIGTERM, then SIGKILL, each with a deadline, and the relay is cancelled if it still
waits after the process is gone.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable
from typing import Any

from textual_serve.app_service import AppService

from .launcher import Launcher, SessionProcess

log = logging.getLogger("backprop-tui.serve")

QUIT_GRACE = 3.0
"""Seconds an app has to quit after being asked, before it is terminated (then as long again before a kill)."""
SEND_TIMEOUT = 20.0
"""Seconds a tab may take to accept one frame of the app's screen before its session is ended (it stopped reading)."""
FIRST_SCREEN_BYTES = 1024
"""Output that counts as a drawn screen: the app's first writes are a few short mode switches, its first screen
is kilobytes."""
PRELUDE = b"__GANGLION__\n"


async def tail(stream: asyncio.StreamReader, keep: int = 4096) -> bytes:
    """Read a stream to its end (so the app never blocks writing it), keeping only its last `keep` bytes."""
    kept = b""
    while chunk := await stream.read(65536):
        kept = (kept + chunk)[-keep:]
    return kept


class SessionService(AppService):
    """An `AppService` whose process comes from the launcher, whose sends are bounded, and whose stop always ends."""

    def __init__(self, launcher: Launcher, *, abort: Callable[[], None],
                 write_bytes: Callable[[bytes], Awaitable[Any]], write_str: Callable[[str], Awaitable[Any]],
                 **options: Any) -> None:
        super().__init__(" ".join(launcher.argv), write_bytes=self._bounded(write_bytes),
                         write_str=self._bounded(write_str), **options)
        self.launcher = launcher
        self.abort = abort
        self._stopping: asyncio.Task[None] | None = None
        self.drawn = asyncio.Event()
        """Set by the app's first output: a session's idle time counts from when the student can see it."""
        self.screen_drawn = asyncio.Event()
        """Set once a screenful has been sent: the session has started (see ClassroomServer's start gate)."""
        self._sent = 0

    def _bounded(self, send: Callable[[Any], Awaitable[Any]]) -> Callable[[Any], Awaitable[None]]:
        async def bounded(data: Any) -> None:
            try:
                await asyncio.wait_for(send(data), SEND_TIMEOUT)
            except TimeoutError:
                log.warning("a tab stopped reading its screen for %gs: its session ends", SEND_TIMEOUT)
                self.abort()
                raise ConnectionResetError("the tab stopped reading") from None
        return bounded

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Any:
        self._process = process = await self.launcher.start(width, height, self._build_environment(width, height))
        self._stdin = process.stdin
        return process

    def start_from(self, process: SessionProcess) -> None:
        """Relay a process that is already running (a ready session from the pool, claimed for this tab)."""
        self._process = process
        self._stdin = process.stdin
        self._task = asyncio.create_task(self.run())

    async def on_data(self, payload: bytes) -> None:
        self.drawn.set()
        self._sent += len(payload)
        await super().on_data(payload)
        if self._sent >= FIRST_SCREEN_BYTES:
            self.screen_drawn.set()

    async def send_meta(self, data: dict[str, Any]) -> bool:
        """As textual-serve's, but an app that stopped reading its input cannot hold the sender."""
        try:
            return await asyncio.wait_for(super().send_meta(data), QUIT_GRACE)
        except TimeoutError:
            return False

    async def send_bytes(self, data: bytes) -> bool:
        try:
            return await asyncio.wait_for(super().send_bytes(data), QUIT_GRACE)
        except TimeoutError:
            return False

    async def run(self) -> None:
        """Relay the app's output until it ends (quit, crash, or stopped); then end the tab's connection too."""
        process = self._process
        assert process is not None
        errors = asyncio.create_task(tail(process.stderr))
        try:
            for _ in range(10):  # textual-serve's handshake: the app's first line says it is a Textual app
                if not (line := await process.stdout.readline()) or line == PRELUDE:
                    break
            while True:
                kind = await process.stdout.readexactly(1)
                size = int.from_bytes(await process.stdout.readexactly(4), "big")
                payload = await process.stdout.readexactly(size)
                if kind == b"D":
                    await self.on_data(payload)
                elif kind == b"M":
                    await self.on_meta(payload)
                elif kind == b"P":
                    await self.on_packed(payload)
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError, ValueError, RuntimeError):
            pass
        finally:
            self.screen_drawn.set()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(errors), 1.0)
            errors.cancel()
            if errors.done() and not errors.cancelled() and (text := errors.result().decode("utf-8", "replace")):
                last = [line for line in text.splitlines() if line.strip()][-1:]
                log.warning("a session's app ended with an error: %s", last[0] if last else "")
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.remote_close(), QUIT_GRACE)

    def kill(self) -> None:
        if self._process is not None:
            self._process.send_signal(signal.SIGKILL)

    async def stop(self) -> None:
        """End the app and reap it, whoever asks first (the tab closing, the idle timer, the server stopping)."""
        if self._stopping is None:
            self._stopping = asyncio.create_task(self._stop())
        await asyncio.shield(self._stopping)

    async def _stop(self) -> None:
        process = self._process
        if process is not None and process.returncode is None:
            await self.send_meta({"type": "quit"})
            for ending in (None, signal.SIGTERM, signal.SIGKILL):
                if ending is not None:
                    process.send_signal(ending)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(process.wait(), QUIT_GRACE)
                    break
        if self._task is not None:
            with contextlib.suppress(TimeoutError, asyncio.CancelledError):
                await asyncio.wait_for(asyncio.shield(self._task), QUIT_GRACE)
            self._task.cancel()
            self._task = None
        if self._stdin is not None:
            self._stdin.close()
        await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)
