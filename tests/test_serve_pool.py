"""`backprop-tui serve`'s ready sessions (tui/serve/pool.py): app processes built before anyone connects.

A ready session is handed whole to the next student, at that student's size (never a screen drawn for
the guessed size); the pool refills in the background; ready sessions count against --max-sessions (the
cap on processes holds at every moment); one that crashes is replaced; a pooled session gives its slot
back like any other; and ready sessions end with the server, even one killed without a chance to stop.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import threading
import time

import aiohttp
import pytest

pytestmark = pytest.mark.slow

TIMEOUT = 120.0
class RawStudent:
    """A student that keeps the app's raw output (escape sequences included) besides the screen text."""

    def __init__(self, student) -> None:  # noqa: ANN001
        self.student, self.raw = student, ""

    async def read_until(self, pattern: str, timeout: float) -> bool:
        async with asyncio.timeout(timeout):
            while not re.search(pattern, self.student.text):
                message = await self.student.websocket.receive()
                if message.type != aiohttp.WSMsgType.BINARY:
                    return False
                self.raw += message.data.decode("utf-8", "replace")
                from support.serve_clients import screen_text

                self.student.text += screen_text(message.data)
        return True


class ProcessCount:
    """The most app processes (sessions and ready ones) the server had at once, sampled until stopped."""

    def __init__(self, serve, server) -> None:  # noqa: ANN001
        self.most, self._stop = 0, threading.Event()
        self._thread = threading.Thread(target=self._sample, args=(serve, server), daemon=True)
        self._thread.start()

    def _sample(self, serve, server) -> None:  # noqa: ANN001
        while not self._stop.wait(0.02):
            self.most = max(self.most, len(serve.forked_pids(server.pid)))

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.most


async def test_a_ready_session_is_handed_out_at_the_students_size_and_replaced(serve):
    with serve.ServerProcess("--max-sessions", "4", "--ready-sessions", "2", "--idle-timeout", "0") as server:
        assert await asyncio.to_thread(serve.wait_until, lambda: len(server.ready()) == 2, TIMEOUT)
        ready = server.ready()
        assert server.sessions() == []
        async with aiohttp.ClientSession() as http:
            small = RawStudent(await serve.open_student(http, server.url, width=80, height=24))
            assert await small.read_until(r"step 0/\d+", TIMEOUT)
            taken = server.sessions()
            assert len(taken) == 1 and taken[0] in ready, "the student's session was not a ready one"
            assert serve.rows_drawn(small.raw) == 24, "a screen drawn for the guessed 40 rows reached the tab"
            assert await serve.step_once(small.student, TIMEOUT)
            assert await asyncio.to_thread(serve.wait_until, lambda: len(server.ready()) == 2, TIMEOUT)
            assert taken[0] not in server.ready()

            same = RawStudent(await serve.open_student(http, server.url, width=80, height=24))
            assert await same.read_until(r"step 0/\d+", TIMEOUT)
            assert serve.rows_drawn(same.raw) == 24
            tall = RawStudent(await serve.open_student(http, server.url, width=100, height=50))
            assert await tall.read_until(r"step 0/\d+", TIMEOUT)
            assert serve.rows_drawn(tall.raw) == 50
            assert len(server.sessions()) == 3
    assert not any("Traceback" in line for line in server.lines + server.errors)


async def test_the_cap_counts_ready_sessions_and_pooled_slots_come_back(serve):
    with serve.ServerProcess("--max-sessions", "3", "--ready-sessions", "2", "--idle-timeout", "0") as server:
        count = ProcessCount(serve, server)
        try:
            assert await asyncio.to_thread(serve.wait_until, lambda: len(server.ready()) == 2, TIMEOUT)
            async with aiohttp.ClientSession() as http:
                students = [await serve.open_student(http, server.url) for _ in range(3)]
                assert all(await asyncio.gather(*(serve.step_once(student, TIMEOUT) for student in students)))
                assert len(server.sessions()) == 3 and server.ready() == []
                one_more = await serve.open_student(http, server.url)
                assert await one_more.read_until("step", TIMEOUT) is None
                assert one_more.close_code == 1013 and "classroom is full" in one_more.close_reason

                await students.pop(0).close()  # a pooled session: its slot comes back, and the pool takes it
                assert await asyncio.to_thread(serve.wait_until, lambda: len(server.sessions()) == 2, TIMEOUT)
                assert await asyncio.to_thread(serve.wait_until, lambda: len(server.ready()) == 1, TIMEOUT)
                late = await serve.open_student(http, server.url)
                assert await serve.step_once(late, TIMEOUT), f"a freed place was lost: {late.close_reason}"
                students.append(late)
                for student in students:
                    await student.close()
                assert await asyncio.to_thread(serve.wait_until, lambda: not server.sessions(), TIMEOUT)
                assert await asyncio.to_thread(serve.wait_until, lambda: len(server.ready()) == 2, TIMEOUT)
        finally:
            most = count.stop()
        assert most <= 3, f"{most} app processes at once under --max-sessions 3"


async def test_a_crashed_ready_session_is_replaced(serve):
    with serve.ServerProcess("--ready-sessions", "2", "--idle-timeout", "0") as server:
        assert await asyncio.to_thread(serve.wait_until, lambda: len(server.ready()) == 2, TIMEOUT)
        crashed = server.ready()[0]
        os.kill(crashed, signal.SIGKILL)
        assert await asyncio.to_thread(
            serve.wait_until, lambda: len(server.ready()) == 2 and crashed not in server.ready(), TIMEOUT)
        async with aiohttp.ClientSession() as http:
            student = await serve.open_student(http, server.url)
            assert await serve.step_once(student, TIMEOUT)
    assert sum("a ready session ended before a student took it" in line for line in server.errors) == 1
    assert not any("Traceback" in line for line in server.lines + server.errors)


async def test_ready_sessions_outlive_their_warm_parent_and_the_pool_refills_from_the_next(serve):
    with serve.ServerProcess("--ready-sessions", "2", "--idle-timeout", "0") as server:
        assert await asyncio.to_thread(serve.wait_until, lambda: len(server.ready()) == 2, TIMEOUT)
        warm = server.warm_parent()
        os.kill(warm, signal.SIGKILL)
        assert await asyncio.to_thread(serve.wait_until, lambda: not serve.alive(warm), TIMEOUT)
        async with aiohttp.ClientSession() as http:
            student = await serve.open_student(http, server.url)  # a ready session forked by the dead parent
            assert await serve.step_once(student, TIMEOUT)
            assert await asyncio.to_thread(
                serve.wait_until, lambda: server.warm_parent() not in (None, warm)
                and any(serve.is_ready_session(pid) for pid in serve.children_of(server.warm_parent())), TIMEOUT), \
                "the pool did not refill from a new warm parent"
            another = await serve.open_student(http, server.url)
            assert await serve.step_once(another, TIMEOUT)
    assert not any("Traceback" in line for line in server.lines + server.errors)


def test_ready_sessions_end_with_the_server_even_when_it_is_killed(serve):
    with serve.ServerProcess("--ready-sessions", "2", "--idle-timeout", "0") as server:
        assert serve.wait_until(lambda: len(server.ready()) == 2, TIMEOUT)
        stopped = server.ready()
        assert server.stop() in (0, 130)
    assert serve.wait_until(lambda: not any(serve.alive(pid) for pid in stopped), TIMEOUT)

    with serve.ServerProcess("--ready-sessions", "2", "--idle-timeout", "0") as server:
        assert serve.wait_until(lambda: len(server.ready()) == 2, TIMEOUT)
        orphans = server.ready()
        server.process.kill()  # no Ctrl+C, no cleanup: the ready sessions see their input end
        server.process.wait()
    assert serve.wait_until(lambda: not any(serve.alive(pid) for pid in orphans), TIMEOUT), \
        "ready sessions outlived a killed server"


async def test_a_failing_pool_pauses_instead_of_forking_in_a_loop():
    from backprop_tui.tui.serve import pool as pool_module

    class FailingWarmParent:
        alive = True
        forks = 0

        async def fork(self, columns: int, rows: int, ready: bool = False):  # noqa: ANN201
            self.forks += 1
            raise RuntimeError("no fork today")

    class FakeLauncher:
        forking = True
        warm = FailingWarmParent()

    launcher = FakeLauncher()
    pool = pool_module.ReadyPool(launcher, 4, room=lambda: 10, quiet=lambda: True)  # type: ignore[arg-type]
    pool.start()
    await asyncio.sleep(1.0)
    await pool.close()
    assert launcher.warm.forks == pool_module.MAX_FAILURES, "the pool kept forking after repeated failures"
    assert pool.paused_until > 0


async def test_a_ready_session_never_looks_like_a_students_while_it_is_being_forked(serve):
    """A ready session is born with its name (the warm parent takes the name for the fork): listed between
    its fork and its first line of code, it was counted as a student's session (a refused websocket that
    'started an app', a cap that looked passed). Ready sessions are killed so that the pool forks again."""
    with serve.ServerProcess("--ready-sessions", "3", "--idle-timeout", "0") as server:
        assert await asyncio.to_thread(serve.wait_until, lambda: len(server.ready()) == 3, TIMEOUT)
        seen_as_students: set[int] = set()
        done = threading.Event()

        def watch() -> None:
            while not done.is_set():
                seen_as_students.update(server.sessions())
                time.sleep(0.0002)  # lets the rest of the process run (a busy loop held the GIL for a minute)

        watcher = threading.Thread(target=watch)
        watcher.start()
        try:
            for _ in range(2):  # a third ready session dying in a row would pause the pool (test below)
                os.kill(server.ready()[0], signal.SIGKILL)
                await asyncio.to_thread(serve.wait_until, lambda: len(server.ready()) == 3, TIMEOUT)
        finally:
            done.set()
            watcher.join()
        assert seen_as_students == set(), "a ready session being forked was listed as a student's session"
