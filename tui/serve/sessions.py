"""The classroom server behind `backprop-tui serve`: textual-serve's `Server`, with limits a classroom needs.

textual-serve already relays one app per browser tab over a websocket. This module adds what a room of
students needs: ready sessions, started before anyone connects (`pool.py`), then sessions forked from a warm
parent (`launcher.py`), a few at a time so the first ones to connect see their screen first; a cap on
concurrent sessions (the next tab is told the room is full, never an out-of-memory); an idle timeout;
websockets only from this server's own origin and sizes a screen can have (`guard.py`); bad requests as one
log line, no directory listings, a deadline for a request's headers; a session that always gives its slot
back, however it ends (`_end`, a task of its own whose every wait is bounded); and a stop on Ctrl+C or SIGTERM
within seconds, whatever the tabs are doing (a second Ctrl+C ends everything at once).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import signal
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import WSCloseCode, WSMsgType, web
from textual_serve.server import Server, to_int

from .guard import OriginPolicy, clamp_size, one_line_logging
from .launcher import Launcher
from .pages import FULL_MESSAGE, IDLE_MESSAGE, STOPPED_MESSAGE, duration_text, full_page, sessions_text
from .pool import ReadyPool
from .service import QUIT_GRACE, SessionService

log = logging.getLogger("backprop-tui.serve")

TEMPLATES = Path(__file__).resolve().parent / "templates"
IDLE_CLOSE_CODE = 4000
"""A private websocket close code (4000-4999 are the application's): the session ended for want of input."""
HEADER_TIMEOUT = 5.0
"""Seconds a connection may take to send a complete request head (and may stay idle between requests)."""
STOP_DEADLINE = 2 * QUIT_GRACE
"""Seconds the server gives its sessions to end on Ctrl+C before it kills what is left and exits."""
START_GATE_TIMEOUT = 3.0
"""Seconds one starting session may hold its place at the start gate without drawing its first screen."""


def start_gate_size() -> int:
    """Sessions that start at once: three per core. Fewer and the cores idle while a start waits (the fork
    request, pipes, the relay); all of them and the 30 students of a lecture share the cores and see their
    screens together at the end. Measured with 30 at once (bench.py): one per core, median 3.3 s and slowest
    6.9 s; three per core, 2.9 s and 4.3 s (on the shared 2-core machine)."""
    with contextlib.suppress(AttributeError, OSError):
        return 3 * max(1, len(os.sched_getaffinity(0)))
    return 3 * max(1, os.cpu_count() or 1)


@dataclass
class Session:
    websocket: web.WebSocketResponse
    service: SessionService
    transport: asyncio.BaseTransport | None
    last_input: float = field(default_factory=lambda: asyncio.get_running_loop().time())

    async def close(self, code: int, message: str) -> None:
        """Close the websocket politely, or, if the tab does not take the close frame in time, drop it."""
        try:
            await asyncio.wait_for(self.websocket.close(code=code, message=message.encode("utf-8")[:123]), QUIT_GRACE)
        except (TimeoutError, Exception):  # noqa: BLE001 (a tab that cannot be closed politely is dropped)
            self.abort()

    def abort(self) -> None:
        if self.transport is not None:
            self.transport.abort()


class ClassroomServer(Server):
    """textual-serve's `Server` with warm sessions, a cap, an idle timeout, an origin check and a clean stop."""

    def __init__(self, argv: Sequence[str], *, app_options: Sequence[str] = (), host: str, port: int,
                 max_sessions: int, idle_timeout: float, allowed_origins: Sequence[str] = (), ready_sessions: int = 0,
                 on_listening: Callable[[list[tuple[str, int]]], None] = lambda addresses: None) -> None:
        super().__init__(" ".join(argv), host=host, port=port, title="backprop-tui", templates_path=TEMPLATES)
        self.argv = list(argv)
        self.max_sessions = max_sessions
        self.idle_timeout = idle_timeout
        self.on_listening = on_listening
        self.origins = OriginPolicy(allowed_origins, listening_on=host)
        self.launcher = Launcher(argv, app_options, self._warm_environment())
        self.sessions: dict[str, Session] = {}
        self.endings: set[asyncio.Task[None]] = set()
        self.refused: set[str] = set()
        self.start_gate = asyncio.Semaphore(start_gate_size())
        self.starting = 0
        """Sessions being started afresh (not from the pool): the pool refills only when there are none."""
        self.pool = ReadyPool(self.launcher, ready_sessions, room=lambda: self.max_sessions - len(self.sessions),
                              quiet=lambda: self.starting == 0)

    def _warm_environment(self) -> dict[str, str]:
        """The environment of textual-serve's app processes, fixed before the warm parent imports Textual."""
        from textual_serve.app_service import AppService

        return AppService._build_environment(self, 80, 24)  # type: ignore[arg-type] (it reads only self.debug)

    @property
    def full(self) -> bool:
        return len(self.sessions) >= self.max_sessions

    def initialize_logging(self) -> None:
        one_line_logging()

    def serve(self, debug: bool = False) -> None:
        """Run until Ctrl+C (or SIGTERM), then end every session. An address in use raises `OSError`."""
        self.debug = debug
        self.initialize_logging()
        asyncio.run(self._serve())

    async def _serve(self) -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()

        def on_signal() -> None:
            if stop.is_set():  # a second Ctrl+C: end everything now
                self._kill_all()
                os._exit(130)
            stop.set()

        for signal_number in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(signal_number, on_signal)
        runner = web.AppRunner(await self._make_app(), access_log=None, shutdown_timeout=QUIT_GRACE,
                               keepalive_timeout=HEADER_TIMEOUT)
        await runner.setup()
        try:
            await web.TCPSite(runner, self.host, self.port).start()
            await self.launcher.start_warm_parent()
            self.pool.start()
            self.on_listening([address[:2] for address in runner.addresses])
            await stop.wait()
        finally:
            try:
                await asyncio.wait_for(runner.cleanup(), STOP_DEADLINE)
            except TimeoutError:
                log.warning("sessions did not end within %gs of the stop: killed", STOP_DEADLINE)
            self._kill_all()
            await self.pool.close()
            await self.launcher.close()

    def _kill_all(self) -> None:
        for session in list(self.sessions.values()):
            session.service.kill()
        self.pool.kill_all()

    async def _make_app(self) -> web.Application:
        """textual-serve's routes, but the static files without a directory listing."""
        app = web.Application(client_max_size=64 * 1024)
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
        app.add_routes([
            web.get("/", self.handle_index, name="index"),
            web.get("/ws", self.handle_websocket, name="websocket"),
            web.get("/download/{key}", self.handle_download, name="download"),
            web.static("/static", self.statics_path, show_index=False, name="static"),
        ])
        app.on_shutdown.append(self.on_shutdown)
        return app

    async def on_shutdown(self, app: web.Application) -> None:
        sessions = list(self.sessions.values())
        await asyncio.gather(*(session.close(WSCloseCode.GOING_AWAY, STOPPED_MESSAGE) for session in sessions))
        await asyncio.gather(*(session.service.stop() for session in sessions), return_exceptions=True)
        await asyncio.gather(*self.endings, return_exceptions=True)

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        """The page, with relative URLs (the template builds the websocket's), or a "full" page at the cap."""
        if self.full:
            return web.Response(status=503, content_type="text/html", text=full_page(self.max_sessions),
                                headers={"Retry-After": "30"})
        context = {"font_size": to_int(request.query.get("fontsize", "16"), 16), "static_url": "/static/",
                   "title": self.title}
        return aiohttp_jinja2.render_template("app_index.html", request, context)

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        """One tab's session: refused from another origin or at the cap, ended when idle, always given back."""
        refusal = self.origins.refusal(request.headers.get("Origin"), request.host)
        if refusal is not None:
            if refusal not in self.refused and len(self.refused) < 100:  # one line per origin, not per attempt
                self.refused.add(refusal)
                log.warning("refused %s", refusal)
            return web.Response(status=403, text="Forbidden: this classroom accepts only its own page.\n")
        websocket = web.WebSocketResponse(heartbeat=15, timeout=QUIT_GRACE, max_msg_size=64 * 1024)
        await websocket.prepare(request)
        if self.full:
            await Session(websocket, None, request.transport).close(  # type: ignore[arg-type]
                WSCloseCode.TRY_AGAIN_LATER, FULL_MESSAGE.format(count=sessions_text(self.max_sessions)))
            return websocket
        session = Session(websocket, None, request.transport)  # type: ignore[arg-type]
        session.service = SessionService(self.launcher, abort=session.abort, write_bytes=websocket.send_bytes,
                                         write_str=websocket.send_str, close=websocket.close,
                                         download_manager=self.download_manager, debug=self.debug)
        self.sessions[session.service.app_service_id] = session
        try:
            columns, rows = clamp_size(request.query.get("width"), request.query.get("height"))
            if (ready := await self.pool.take(columns, rows)) is not None:
                session.service.start_from(ready)  # already built: no need to queue for the cores
            else:
                await self._start_afresh(session, columns, rows)
            watchdog = asyncio.create_task(self._end_when_idle(session)) if self.idle_timeout > 0 else None
            try:
                await self._relay_input(session)
            finally:
                if watchdog is not None:
                    watchdog.cancel()
        except (asyncio.CancelledError, ConnectionError):
            pass
        except Exception as error:  # noqa: BLE001 (a session's failure is logged and ends that session only)
            log.warning("a session failed: %s: %s", type(error).__name__, error)
        finally:
            ending = asyncio.create_task(self._end(session))
            self.endings.add(ending)
            ending.add_done_callback(self.endings.discard)
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.shield(ending)
        return websocket

    async def _start_afresh(self, session: Session, columns: int, rows: int) -> None:
        self.starting += 1
        try:
            async with self.start_gate:
                await session.service.start(columns, rows)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(session.service.screen_drawn.wait(), START_GATE_TIMEOUT)
        finally:
            self.starting -= 1

    async def _end(self, session: Session) -> None:
        """A task of its own (a cancelled handler cannot skip it): close the tab, stop the app, give the slot back."""
        try:
            await session.close(WSCloseCode.OK, "")
            await session.service.stop()
        finally:
            self.sessions.pop(session.service.app_service_id, None)

    async def _relay_input(self, session: Session) -> None:
        """textual-serve's message loop, noting each input for the idle timer and ignoring malformed messages."""
        websocket, service = session.websocket, session.service
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                kind, *data = message.json()
            except (ValueError, TypeError, RecursionError):  # not JSON, not a list, or nested past the parser's depth
                continue
            session.last_input = asyncio.get_running_loop().time()
            if kind == "stdin" and data and isinstance(data[0], str):
                await service.send_bytes(data[0].encode("utf-8"))
            elif kind == "resize" and data and isinstance(data[0], dict):
                columns, rows = clamp_size(data[0].get("width"), data[0].get("height"))
                await service.set_terminal_size(columns, rows)
            elif kind == "ping" and data and isinstance(data[0], (str, int, float)):  # echoed: a plain value only
                await service.remote_write_str(json.dumps(["pong", data[0]]))
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


__all__ = ["ClassroomServer", "duration_text", "sessions_text"]
