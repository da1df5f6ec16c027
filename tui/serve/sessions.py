"""The classroom server behind `backprop-tui serve`: textual-serve's `Server`, with limits a classroom needs.

textual-serve already runs one app process per browser tab and relays its screen over a websocket.
This module adds what a room of students needs from it: a cap on concurrent sessions (the next tab
gets a clear "full" message instead of the machine running out of memory), an idle timeout, app
processes started without a shell and in their own process group (so the teacher's Ctrl+C reaches
the server, which then ends every session itself), a stop that always reaps the process (no process
outlives its tab), and a page that works from any address the server is reached at.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shlex
import signal
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp_jinja2
from aiohttp import WSCloseCode, WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

log = logging.getLogger("backprop-tui.serve")

TEMPLATES = Path(__file__).resolve().parent / "templates"
QUIT_GRACE = 3.0
"""Seconds an app has to quit after being asked, before it is terminated (then as long again before a kill)."""
IDLE_CLOSE_CODE = 4000
"""A private websocket close code (4000-4999 are the application's): the session ended for want of input."""
FULL_MESSAGE = "The classroom is full: this server runs at most {count} at once. Try again later."
IDLE_MESSAGE = "Session ended after {duration} idle. Press Restart to start again."
STOPPED_MESSAGE = "The teacher stopped the server."


class SessionService(AppService):
    """One student's app process: exec'd from an argument list (no shell to quote for), in a new session."""

    def __init__(self, argv: Sequence[str], **options: Any) -> None:
        super().__init__(shlex.join(argv), **options)
        self.argv = list(argv)
        self._stopping: asyncio.Task[None] | None = None
        self.drawn = asyncio.Event()
        """Set by the app's first output: a session's idle time counts from when the student can see it."""

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    async def _open_app_process(self, width: int = 80, height: int = 24) -> asyncio.subprocess.Process:
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE, env=self._build_environment(width=width, height=height),
            start_new_session=True)
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    async def on_data(self, payload: bytes) -> None:
        self.drawn.set()
        await super().on_data(payload)

    async def run(self) -> None:
        """Relay the app's output; when the app ends (quit, or a crash), end the tab's connection too."""
        await super().run()
        await self.remote_close()

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
                    with contextlib.suppress(ProcessLookupError):
                        process.send_signal(ending)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(process.wait(), QUIT_GRACE if ending != signal.SIGKILL else None)
                    break
        if self._task is not None:
            await self._task
            self._task = None
        await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)


@dataclass
class Session:
    websocket: web.WebSocketResponse
    service: SessionService
    last_input: float = field(default_factory=lambda: asyncio.get_running_loop().time())

    async def close(self, code: int, message: str) -> None:
        with contextlib.suppress(Exception):
            await self.websocket.close(code=code, message=message.encode("utf-8")[:123])


class ClassroomServer(Server):
    """textual-serve's `Server` with a session cap, an idle timeout and a clean stop on Ctrl+C."""

    def __init__(self, argv: Sequence[str], *, host: str, port: int, max_sessions: int, idle_timeout: float,
                 on_listening: Callable[[list[tuple[str, int]]], None] = lambda addresses: None) -> None:
        super().__init__(shlex.join(argv), host=host, port=port, title="backprop-tui", templates_path=TEMPLATES)
        self.argv = list(argv)
        self.max_sessions = max_sessions
        self.idle_timeout = idle_timeout
        self.on_listening = on_listening
        self.sessions: dict[str, Session] = {}

    @property
    def full(self) -> bool:
        return len(self.sessions) >= self.max_sessions

    def initialize_logging(self) -> None:
        """Plain one-line warnings on stderr: the teacher's terminal is projected, so no banner, no access log."""
        logging.basicConfig(level=logging.WARNING, format="backprop-tui serve: %(message)s")

    def serve(self, debug: bool = False) -> None:
        """Run until Ctrl+C (or SIGTERM), then end every session. An address in use raises `OSError`."""
        self.debug = debug
        self.initialize_logging()
        asyncio.run(self._serve())

    async def _serve(self) -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signal_number in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(signal_number, stop.set)
        runner = web.AppRunner(await self._make_app(), access_log=None, shutdown_timeout=2 * QUIT_GRACE)
        await runner.setup()
        try:
            await web.TCPSite(runner, self.host, self.port).start()
            self.on_listening([address[:2] for address in runner.addresses])
            await stop.wait()
        finally:
            await runner.cleanup()

    async def on_startup(self, app: web.Application) -> None:
        """Nothing to print yet: `on_listening` reports once the port is really open."""

    async def on_shutdown(self, app: web.Application) -> None:
        sessions = list(self.sessions.values())
        await asyncio.gather(*(session.close(WSCloseCode.GOING_AWAY, STOPPED_MESSAGE) for session in sessions))
        await asyncio.gather(*(session.service.stop() for session in sessions), return_exceptions=True)

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        """The page, with relative URLs (the template builds the websocket's), or a "full" page at the cap."""
        if self.full:
            return web.Response(status=503, content_type="text/html", text=full_page(self.max_sessions),
                                headers={"Retry-After": "30"})
        context = {"font_size": to_int(request.query.get("fontsize", "16"), 16), "static_url": "/static/",
                   "title": self.title}
        return aiohttp_jinja2.render_template("app_index.html", request, context)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One tab's session: refused at the cap, ended when idle, and its process always stopped and reaped."""
        websocket = web.WebSocketResponse(heartbeat=15, timeout=QUIT_GRACE)  # timeout: a close handshake's
        await websocket.prepare(request)
        if self.full:
            await websocket.close(code=WSCloseCode.TRY_AGAIN_LATER,
                                  message=FULL_MESSAGE.format(count=sessions_text(self.max_sessions)).encode("utf-8"))
            return websocket
        service = SessionService(self.argv, write_bytes=websocket.send_bytes, write_str=websocket.send_str,
                                 close=websocket.close, download_manager=self.download_manager, debug=self.debug)
        session = self.sessions[service.app_service_id] = Session(websocket, service)
        watchdog: asyncio.Task[None] | None = None
        try:
            width = to_int(request.query.get("width", "80"), 80)
            height = to_int(request.query.get("height", "24"), 24)
            await service.start(max(1, width), max(1, height))
            if self.idle_timeout > 0:
                watchdog = asyncio.create_task(self._end_when_idle(session))
            await self._relay_input(session)
        except asyncio.CancelledError:
            pass
        except Exception as error:  # a session's failure is logged and ends that session, never the server
            log.warning("a session failed: %s", error)
        finally:
            if watchdog is not None:
                watchdog.cancel()
            await session.close(WSCloseCode.OK, "")
            await service.stop()
            del self.sessions[service.app_service_id]
        return websocket

    async def _relay_input(self, session: Session) -> None:
        """textual-serve's message loop, noting each input for the idle timer and ignoring malformed messages."""
        websocket, service = session.websocket, session.service
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                kind, *data = message.json()
            except (ValueError, TypeError):
                continue
            session.last_input = asyncio.get_running_loop().time()
            if kind == "stdin" and data and isinstance(data[0], str):
                await service.send_bytes(data[0].encode("utf-8"))
            elif kind == "resize" and data and isinstance(data[0], dict):
                size = data[0]
                if isinstance(size.get("width"), int) and isinstance(size.get("height"), int):
                    await service.set_terminal_size(max(1, size["width"]), max(1, size["height"]))
            elif kind == "ping" and data:
                await websocket.send_json(["pong", data[0]])
            elif kind == "blur":
                await service.blur()
            elif kind == "focus":
                await service.focus()

    async def _end_when_idle(self, session: Session) -> None:
        loop = asyncio.get_running_loop()
        await session.service.drawn.wait()
        session.last_input = max(session.last_input, loop.time())
        while (remaining := session.last_input + self.idle_timeout - loop.time()) > 0:
            await asyncio.sleep(remaining)
        await session.close(IDLE_CLOSE_CODE, IDLE_MESSAGE.format(duration=duration_text(self.idle_timeout)))


def duration_text(seconds: float) -> str:
    """`30 minutes`, `90 seconds`: how the idle timeout reads in a message."""
    if seconds >= 120 and seconds % 60 == 0:
        return f"{int(seconds // 60)} minutes"
    return f"{seconds:g} second{'s' if seconds != 1 else ''}"


def sessions_text(count: int) -> str:
    return f"{count} session{'s' if count != 1 else ''}"


def full_page(count: int) -> str:
    """The page a tab gets when the classroom is at its cap: plain HTML, no script, a link to try again."""
    message = FULL_MESSAGE.format(count=sessions_text(count))
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>backprop-tui: classroom full</title>"
            "<style>body{background:#0c181f;color:#eee;font:18px monospace;display:flex;height:90vh;"
            "align-items:center;justify-content:center}a{color:#ac5af4}</style></head>"
            f"<body><p>{message} <a href=''>Try again</a></p></body></html>")

