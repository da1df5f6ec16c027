"""Ready sessions: app processes started before anyone connects, each handed whole to the next student.

Thirty students who open the page at the same moment would otherwise each wait while their own app
is built (120-180 ms of CPU each: compose, style, lay out, render), all on the same two cores. A
ready session is forked from the warm parent ahead of time and builds its first screen at a guessed
size with its output held back (ready_driver.py); a student who connects takes the oldest one and
sees that screen within milliseconds (some tens of milliseconds more when the guess was not their
size: the app lays out again). It is still a process of its own, like any session.

The pool refills in the background, one session at a time (the next once the last has settled), and
only while no other session is starting: it never competes with a student waiting for a screen. It
holds at most the room left under --max-sessions (a ready session is a process like any session, so
it counts against the cap: the pool shrinks as the class fills). One that ends before it is used
(crashed, killed) is replaced; after `MAX_FAILURES` such ends in a row the pool pauses for
`FAILURE_PAUSE` seconds, so a broken app cannot make the server fork in a loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import signal
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .launcher import Launcher, SessionProcess
from .ready_driver import CLAIM

log = logging.getLogger("backprop-tui.serve")

DEFAULT_GUESS = (120, 40)
"""The size a ready session is built at before any student has connected; later, the last student's size."""
POLL = 0.2
"""Seconds between the pool's looks at whether it may start another ready session."""
SETTLE_INTERVAL = 0.1
SETTLE_LIMIT = 5.0
"""A new ready session has settled (its first screen built) when it used no CPU for `SETTLE_INTERVAL`
seconds; the pool waits for that, or at most `SETTLE_LIMIT` seconds, before starting the next."""
MAX_FAILURES = 3
FAILURE_PAUSE = 30.0
STOP_GRACE = 3.0


def cpu_ticks(pid: int) -> int | None:
    """User + system CPU time a process has used, in clock ticks (Linux /proc); None once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, IndexError, ValueError):
        return None


def claim_message(columns: int, rows: int) -> bytes:
    """The packet (textual-serve's framing: kind, 4-byte length, JSON) that hands a ready session to a student."""
    payload = json.dumps({"type": CLAIM, "width": columns, "height": rows}).encode()
    return b"M" + len(payload).to_bytes(4, "big") + payload


@dataclass
class Member:
    process: SessionProcess
    errors: bytes = b""
    """The last of what it wrote on stderr before its claim (read so a chatty app never blocks on a full pipe)."""
    draining: asyncio.Task[None] | None = None

    async def drain(self) -> None:
        with contextlib.suppress(ConnectionError, OSError):
            while chunk := await self.process.stderr.read(65536):
                self.errors = (self.errors + chunk)[-4096:]


class ReadyPool:
    """Up to `size` ready sessions, refilled in the background; `take` hands the oldest to a student."""

    def __init__(self, launcher: Launcher, size: int, *, room: Callable[[], int], quiet: Callable[[], bool]) -> None:
        """`room()`: app processes the cap allows besides the students' sessions (the pool's own among them);
        `quiet()`: no session is being started afresh."""
        self.launcher = launcher
        self.size = size
        self.room = room
        self.quiet = quiet
        self.members: deque[Member] = deque()
        self.guess = DEFAULT_GUESS
        self.failures = 0
        self.paused_until = 0.0
        self._task: asyncio.Task[None] | None = None
        self._forking = asyncio.Lock()
        """Held while a ready session is being forked: a student who arrives then waits (milliseconds) and takes
        it, instead of starting one more session beside it (which could pass the cap)."""

    def __len__(self) -> int:
        return len(self.members)

    def start(self) -> None:
        if self.size > 0 and self.launcher.forking and self._task is None:
            self._task = asyncio.create_task(self._refill())

    async def take(self, columns: int, rows: int) -> SessionProcess | None:
        """The oldest live ready session, claimed at this size; None when there is none (start one afresh)."""
        self.guess = (columns, rows)
        async with self._forking:
            pass
        while self.members:
            member = self.members.popleft()
            if member.draining is not None:
                member.draining.cancel()
                await asyncio.wait([member.draining])  # stderr is the session's to read from here on
            if member.process.returncode is not None:
                self._ended_unused(member)
                continue
            member.process.stdin.write(claim_message(columns, rows))
            self.failures = 0
            return member.process
        return None

    async def _refill(self) -> None:
        while True:
            self._prune()
            if self._may_add():
                await self._add_one()
            else:
                await asyncio.sleep(POLL)

    def _may_add(self) -> bool:
        if len(self.members) >= self.size or self.room() - len(self.members) <= 0:
            return False
        if time.monotonic() < self.paused_until or not self.quiet():
            return False
        if not self.launcher.warm.alive:
            self.launcher.restart_warm_parent()
            return False
        return True

    async def _add_one(self) -> None:
        async with self._forking:
            try:
                process = await self.launcher.warm.fork(*self.guess, ready=True)
            except (RuntimeError, OSError, ValueError) as error:
                log.warning("could not start a ready session: %s", error)
                self._failed()
                return
            member = Member(process)
            member.draining = asyncio.create_task(member.drain())
            self.members.append(member)
        await self._settle(member)

    async def _settle(self, member: Member) -> None:
        """Wait until the new session has built its first screen (no CPU used for a while), or was taken."""
        deadline = time.monotonic() + SETTLE_LIMIT
        last = cpu_ticks(member.process.pid)
        while time.monotonic() < deadline and member in self.members and last is not None:
            await asyncio.sleep(SETTLE_INTERVAL)
            now = cpu_ticks(member.process.pid)
            if now == last:
                return
            last = now

    def _prune(self) -> None:
        for member in [member for member in self.members if member.process.returncode is not None]:
            self.members.remove(member)
            self._ended_unused(member)

    def _ended_unused(self, member: Member) -> None:
        last = [line for line in member.errors.decode("utf-8", "replace").splitlines() if line.strip()][-1:]
        log.warning("a ready session ended before a student took it%s", f": {last[0]}" if last else "")
        self._failed()

    def _failed(self) -> None:
        self.failures += 1
        if self.failures >= MAX_FAILURES:
            log.warning("%d ready sessions failed in a row: no new ones for %gs", self.failures, FAILURE_PAUSE)
            self.paused_until = time.monotonic() + FAILURE_PAUSE
            self.failures = 0

    def kill_all(self) -> None:
        """End every ready session now (the server is exiting at once)."""
        for member in self.members:
            member.process.send_signal(signal.SIGKILL)

    async def close(self) -> None:
        """Stop refilling and end every ready session (no student sees them: they are killed, not asked)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        members, self.members = list(self.members), deque()
        for member in members:
            member.process.send_signal(signal.SIGKILL)
        for member in members:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(member.process.wait(), STOP_GRACE)
            if member.draining is not None:
                member.draining.cancel()
            member.process.stdin.close()


