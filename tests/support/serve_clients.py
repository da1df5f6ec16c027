"""Plain websocket students for `backprop-tui serve`: start the server, open sessions, press keys, count processes.

Shared by the serve tests (as conftest.py's `serve` fixture) and the benchmark (tests/benchmarks/bench.py).
A client speaks textual-serve's protocol as its page's JavaScript does: it connects to
`/ws?width=…&height=…`, sends JSON text messages (`["stdin", keys]`, `["resize", {"width", "height"}]`),
and receives the app's screen as binary frames of terminal output. Processes are found in /proc
(Linux), no psutil.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

ESCAPES = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[PX^_][^\x1b]*\x1b\\|[@-Z\\-_])")
URL_LINE = re.compile(r"open (http://\S+/)")
STEP = re.compile(r"step (\d+)/(\d+)")
CURSOR_ROW = re.compile(r"\x1b\[(\d+);\d+H")


def rows_drawn(raw: str) -> int:
    """The lowest row the app's output moved the cursor to: a screen drawn for 40 rows reaches row 40."""
    return max((int(row) for row in CURSOR_ROW.findall(raw)), default=0)


def screen_text(data: bytes) -> str:
    """Terminal output without its escape sequences: enough to find `step 1/15` in what the app drew."""
    return ESCAPES.sub("", data.decode("utf-8", "replace"))


class ServerProcess:
    """`backprop-tui serve --port 0 …` in a subprocess; `url` is read from its first line."""

    def __init__(self, *options: str, timeout: float = 60.0, environment: dict[str, str] | None = None,
                 ready_sessions: int | None = 2) -> None:
        import os

        if ready_sessions is not None and "--ready-sessions" not in options:
            # Two ready sessions: students still get pooled sessions (the default path), but a test's server does
            # not fork the default 16 on a 2-core machine that runs the rest of the suite beside it. The
            # benchmark passes None: the server's own default.
            options = ("--ready-sessions", str(ready_sessions), *options)
        command = [sys.executable, "-m", "backprop_tui.tui.cli.main", "serve", "--port", "0", *options]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                        env={**os.environ, **(environment or {})})
        self.lines: list[str] = []
        self.errors: list[str] = []
        self._url = threading.Event()
        threading.Thread(target=self._read, args=(self.process.stdout, self.lines), daemon=True).start()
        threading.Thread(target=self._read, args=(self.process.stderr, self.errors), daemon=True).start()
        if not self._url.wait(timeout):
            self.stop()
            raise RuntimeError(f"the server printed no URL: {self.lines + self.errors}")
        self.url = next(match.group(1) for line in self.lines if (match := URL_LINE.search(line)))

    def _read(self, stream, into: list[str]) -> None:
        for line in stream:
            into.append(line)
            if URL_LINE.search(line):
                self._url.set()

    @property
    def pid(self) -> int:
        return self.process.pid

    def sessions(self) -> list[int]:
        return session_pids(self.pid)

    def ready(self) -> list[int]:
        return ready_pids(self.pid)

    def warm_parent(self) -> int | None:
        return next((pid for pid in children_of(self.pid) if is_warm_parent(pid)), None)

    def stop(self, timeout: float = 30.0) -> int:
        """Ctrl+C, as the teacher would press it; the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def children_of(pid: int) -> list[int]:
    """The live (not zombie) processes whose parent is `pid`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                state, parent = (entry / "stat").read_text().rsplit(")", 1)[1].split()[:2]
                if int(parent) == pid and state != "Z":
                    found.append(int(entry.name))
    return found


def is_warm_parent(pid: int) -> bool:
    with contextlib.suppress(OSError):
        return b"serve.warm_parent" in (Path(f"/proc/{pid}") / "cmdline").read_bytes()
    return False


def is_ready_session(pid: int) -> bool:
    """A ready session (forked ahead of time, not yet a student's): it names itself so until it is claimed."""
    with contextlib.suppress(OSError):
        return (Path(f"/proc/{pid}") / "comm").read_text().strip() == "bptui-ready"
    return False


def forked_pids(server_pid: int) -> list[int]:
    """Every app process of the server: the warm parent's children (forked sessions, ready or claimed) and
    any exec'd ones."""
    found = []
    for pid in children_of(server_pid):
        found += children_of(pid) if is_warm_parent(pid) else [pid]
    return found


def session_pids(server_pid: int) -> list[int]:
    """The server's students' session processes (not the ready ones waiting for a student)."""
    return [pid for pid in forked_pids(server_pid) if not is_ready_session(pid)]


def ready_pids(server_pid: int) -> list[int]:
    """The server's ready sessions: built ahead of time, waiting for a student."""
    return [pid for pid in forked_pids(server_pid) if is_ready_session(pid)]


def alive(pid: int) -> bool:
    """Whether `pid` is a running process (a zombie, dead and not yet reaped, is not)."""
    with contextlib.suppress(OSError, IndexError):
        return (Path(f"/proc/{pid}") / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    return False


def rss_bytes(pid: int) -> int:
    """Resident memory of one process (VmRSS), 0 if it is gone."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (0 if it is gone)."""
    import os

    with contextlib.suppress(OSError, IndexError, ValueError):
        fields = (Path(f"/proc/{pid}") / "stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return 0.0


def private_and_proportional(pid: int) -> tuple[int, int]:
    """Memory one process adds (USS: its private pages) and its fair share of shared ones (PSS), in bytes."""
    private = proportional = 0
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            name, _, value = line.partition(":")
            if name in ("Private_Clean", "Private_Dirty"):
                private += int(value.split()[0]) * 1024
            elif name == "Pss":
                proportional = int(value.split()[0]) * 1024
    return private, proportional


def wait_until(condition, timeout: float, interval: float = 0.1) -> bool:
    """Poll `condition` until it holds or `timeout` seconds pass; whether it held."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return bool(condition())


@dataclass
class Student:
    """One websocket session: what the app drew so far, and how long its first frame took."""

    websocket: aiohttp.ClientWebSocketResponse
    opened: float = field(default_factory=time.perf_counter)
    first_frame: float | None = None
    first_screen: float | None = None
    """Seconds from connecting to the first full screen (the stepper's `step 0/…` drawn), set by `step_once`."""
    text: str = ""
    close_code: int | None = None
    close_reason: str = ""

    async def read_until(self, pattern: re.Pattern[str] | str, timeout: float) -> re.Match[str] | None:
        """Read frames until `pattern` appears in the screen text (searching only text not yet matched)."""
        pattern = re.compile(pattern) if isinstance(pattern, str) else pattern
        start = len(self.text)
        async with asyncio.timeout(timeout):
            while not (match := pattern.search(self.text, start)):
                message = await self.websocket.receive()
                if message.type == aiohttp.WSMsgType.BINARY:
                    if self.first_frame is None:
                        self.first_frame = time.perf_counter() - self.opened
                    self.text += screen_text(message.data)
                elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.CLOSING):
                    self.close_code = message.data if message.type == aiohttp.WSMsgType.CLOSE else None
                    self.close_reason = message.extra or ""
                    return None
        return match

    async def press(self, keys: str) -> None:
        await self.websocket.send_json(["stdin", keys])

    async def close(self) -> None:
        await self.websocket.close()


async def open_student(session: aiohttp.ClientSession, url: str, width: int = 120, height: int = 40,
                       **options: object) -> Student:
    """A websocket session as the page opens one; `options` go to `ws_connect` (`origin=`, `headers=`, …)."""
    opened = time.perf_counter()
    websocket = await session.ws_connect(f"{url.replace('http', 'ws', 1)}ws?width={width}&height={height}",
                                         **options)  # type: ignore[arg-type]
    return Student(websocket, opened)


def port_of(url: str) -> int:
    return int(url.rstrip("/").rsplit(":", 1)[1])


def raw_exchange(port: int, request: bytes, timeout: float = 30.0) -> bytes:
    """Send raw bytes as one HTTP request and read the whole answer (the server closes or the timeout ends it)."""
    import socket

    answer = b""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
        with contextlib.suppress(OSError):
            connection.sendall(request)
        with contextlib.suppress(OSError):
            while chunk := connection.recv(65536):
                answer += chunk
    return answer


async def step_once(student: Student, timeout: float) -> bool:
    """Wait for the stepper's first frame (`step 0/…`), press `n`, and wait for `step 1/…`."""
    if await student.read_until(r"step 0/\d+", timeout) is None:
        return False
    student.first_screen = time.perf_counter() - student.opened
    await student.press("n")
    return await student.read_until(r"step 1/\d+", timeout) is not None


def session_rss(server_pid: int) -> list[int]:
    return [rss_bytes(pid) for pid in session_pids(server_pid)]

