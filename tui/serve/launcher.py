"""Starting session processes: forked from the warm parent (milliseconds), or exec'd afresh when it is unavailable.

`Launcher.start(columns, rows)` gives a `SessionProcess`: the app's stdin as an asyncio writer, its
stdout and stderr as readers, a way to signal it and to wait for its end. Forked sessions are the
warm parent's children, not the server's: the server holds a pidfd for each (signal it, see it end,
no pid-reuse race). If the warm parent cannot start or dies, sessions are exec'd as before (one
warning line) and the warm parent is started again for the next session.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import signal
import socket
import sys
from collections.abc import Mapping, Sequence

log = logging.getLogger("backprop-tui.serve")

WARM_START_TIMEOUT = 60.0
"""Seconds the warm parent may take to import and run the app once (seconds on a loaded machine)."""
FORK_TIMEOUT = 10.0
MAX_WARM_FAILURES = 3
COLD_VARIABLE = "BACKPROP_TUI_SERVE_COLD"
"""Set to 1, every session is exec'd afresh (no warm parent): the benchmark's baseline, in the same run."""


class SessionProcess:
    """One session's app process, however it was started; the part of `asyncio.subprocess.Process` AppService uses."""

    def __init__(self, pid: int, stdin: asyncio.StreamWriter, stdout: asyncio.StreamReader,
                 stderr: asyncio.StreamReader, ended: asyncio.Future[None], pidfd: int | None = None,
                 process: asyncio.subprocess.Process | None = None) -> None:
        self.pid, self.stdin, self.stdout, self.stderr = pid, stdin, stdout, stderr
        self._ended, self._pidfd, self._process = ended, pidfd, process

    @property
    def returncode(self) -> int | None:
        return 0 if self._ended.done() else None

    async def wait(self) -> None:
        await asyncio.shield(self._ended)

    def send_signal(self, number: int) -> None:
        if self._ended.done():
            return
        with contextlib.suppress(ProcessLookupError, OSError):
            if self._pidfd is not None:
                signal.pidfd_send_signal(self._pidfd, number)
            elif self._process is not None:
                self._process.send_signal(number)


async def _reader(fd: int) -> asyncio.StreamReader:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=2**16)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), os.fdopen(fd, "rb", buffering=0))
    return reader


async def _writer(fd: int) -> asyncio.StreamWriter:
    loop = asyncio.get_running_loop()
    transport, protocol = await loop.connect_write_pipe(asyncio.streams.FlowControlMixin,
                                                        os.fdopen(fd, "wb", buffering=0))
    return asyncio.StreamWriter(transport, protocol, None, loop)


def _watch_pidfd(pidfd: int) -> asyncio.Future[None]:
    """A future done when the process behind `pidfd` ends (a pidfd becomes readable then)."""
    loop = asyncio.get_running_loop()
    ended: asyncio.Future[None] = loop.create_future()

    def on_end() -> None:  # the pidfd is closed here, once: `send_signal` checks `ended` first
        loop.remove_reader(pidfd)
        os.close(pidfd)
        if not ended.done():
            ended.set_result(None)

    loop.add_reader(pidfd, on_end)
    return ended


class WarmParent:
    """The server's handle on the warm parent process (`warm_parent.py`) and its request channel."""

    def __init__(self, app_options: Sequence[str], environment: Mapping[str, str]) -> None:
        self.app_options = list(app_options)
        self.environment = dict(environment)
        self.channel: socket.socket | None = None
        self.process: asyncio.subprocess.Process | None = None
        self.lock = asyncio.Lock()
        self.ready = False

    @property
    def alive(self) -> bool:
        """Ready for fork requests: started, warmed up, and not ended since."""
        return self.ready and self.channel is not None and self.process is not None and self.process.returncode is None

    async def start(self) -> None:
        """Start it and wait until it has run the app once; `RuntimeError` (one line) if it cannot."""
        self.ready = False
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "backprop_tui.tui.serve.warm_parent", str(theirs.fileno()), *self.app_options,
                pass_fds=(theirs.fileno(),), env=self.environment, stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.DEVNULL, start_new_session=True)
        finally:
            theirs.close()
        ours.setblocking(False)
        self.channel = ours
        try:
            reply = await asyncio.wait_for(asyncio.get_running_loop().sock_recv(ours, 4096), WARM_START_TIMEOUT)
        except TimeoutError:
            reply = b'{"error": "no answer in time"}'
        answer = json.loads(reply or b'{"error": "it ended"}')
        if not answer.get("ready"):
            await self.close()
            raise RuntimeError(f"the warm parent did not start: {answer.get('error')}")
        self.ready = True

    def _fork(self, request: dict[str, object], fds: list[int]) -> tuple[int, int]:
        """One request and its reply, in a worker thread (blocking socket calls, under `lock`)."""
        assert self.channel is not None
        channel = self.channel.dup()
        try:
            channel.settimeout(FORK_TIMEOUT)
            socket.send_fds(channel, [json.dumps(request).encode()], fds)
            message, pidfds, _, _ = socket.recv_fds(channel, 4096, 1)
        finally:
            channel.close()
        answer = json.loads(message or b'{"error": "the warm parent ended"}')
        if "pid" not in answer or len(pidfds) != 1:
            for fd in pidfds:
                os.close(fd)
            raise RuntimeError(answer.get("error", "no pidfd"))
        return answer["pid"], pidfds[0]

    async def fork(self, columns: int, rows: int, ready: bool = False) -> SessionProcess:
        """A session forked at this size; `ready`: a ready session (pool.py), its output held until claimed."""
        stdin_read, stdin_write = os.pipe2(os.O_CLOEXEC)
        stdout_read, stdout_write = os.pipe2(os.O_CLOEXEC)
        stderr_read, stderr_write = os.pipe2(os.O_CLOEXEC)
        theirs = [stdin_read, stdout_write, stderr_write]
        ours = [stdin_write, stdout_read, stderr_read]
        try:
            async with self.lock:
                request = {"columns": columns, "rows": rows, "ready": ready}
                pid, pidfd = await asyncio.to_thread(self._fork, request, theirs)
        except BaseException:
            for fd in ours:
                os.close(fd)
            raise
        finally:
            for fd in theirs:
                os.close(fd)
        ended = _watch_pidfd(pidfd)
        return SessionProcess(pid, await _writer(stdin_write), await _reader(stdout_read), await _reader(stderr_read),
                              ended, pidfd=pidfd)

    async def close(self) -> None:
        """Close the channel (the warm parent exits on it) and reap the warm parent; running sessions carry on."""
        self.ready = False
        if self.channel is not None:
            self.channel.close()
            self.channel = None
        if self.process is not None and self.process.returncode is None:
            try:
                await asyncio.wait_for(self.process.wait(), 3.0)
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    self.process.kill()
                await self.process.wait()


class Launcher:
    """Forks sessions from the warm parent; exec's them when it is not there (and starts it again)."""

    def __init__(self, argv: Sequence[str], app_options: Sequence[str], environment: Mapping[str, str]) -> None:
        self.argv = list(argv)
        self.warm = WarmParent(app_options, environment)
        self._restarting: asyncio.Task[None] | None = None
        self.forking = os.environ.get(COLD_VARIABLE) != "1"
        self.failures = 0

    async def start_warm_parent(self) -> None:
        if not self.forking:
            return
        try:
            await self.warm.start()
        except (RuntimeError, OSError, ValueError) as error:
            self.failures += 1
            if self.failures >= MAX_WARM_FAILURES:
                self.forking = False  # it cannot start here: stop paying for the attempt
            log.warning("%s; sessions start as separate processes (slower)", error)

    async def start(self, columns: int, rows: int, environment: Mapping[str, str]) -> SessionProcess:
        if self.warm.alive:
            try:
                return await self.warm.fork(columns, rows)
            except (RuntimeError, OSError, ValueError) as error:
                log.warning("the warm parent failed (%s); starting it again", error)
                await self.warm.close()
        self.restart_warm_parent()
        return await self.start_cold(environment)

    def restart_warm_parent(self) -> None:
        """Start the warm parent again in the background, unless it is starting or forking is given up."""
        if self.forking and not self.warm.alive and (self._restarting is None or self._restarting.done()):
            if self.warm.process is not None:
                log.warning("the warm parent ended; sessions start as separate processes while it restarts")
            self._restarting = asyncio.create_task(self.start_warm_parent())

    async def start_cold(self, environment: Mapping[str, str]) -> SessionProcess:
        process = await asyncio.create_subprocess_exec(
            *self.argv, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE, env=dict(environment), start_new_session=True)
        assert process.stdin and process.stdout and process.stderr
        ended = asyncio.ensure_future(process.wait())
        return SessionProcess(process.pid, process.stdin, process.stdout, process.stderr,
                              ended, process=process)  # type: ignore[arg-type]

    async def close(self) -> None:
        if self._restarting is not None:
            self._restarting.cancel()
        await self.warm.close()
