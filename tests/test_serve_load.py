"""`backprop-tui serve` under a class: plain websocket clients, speaking textual-serve's protocol.

N students at once each get their first frame and an answer to a key; student N+1 is refused with
a clear close message (never an out-of-memory); a closed connection ends its app process; idle
sessions end on time; Ctrl+C ends every open session with a reason and leaves no process behind.
"""

from __future__ import annotations

import asyncio

import aiohttp
import pytest

pytestmark = pytest.mark.slow

STUDENTS = 4
TIMEOUT = 120.0


async def page_status_becomes(http: aiohttp.ClientSession, url: str, status: int, timeout: float) -> bool:
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        async with http.get(url) as page:
            if page.status == status:
                return True
        await asyncio.sleep(0.05)
    return False


async def test_a_full_class_then_one_more(tmp_path, serve):
    with serve.ServerProcess("--max-sessions", str(STUDENTS), "--idle-timeout", "0") as server:
        async with aiohttp.ClientSession() as http:
            students = [await serve.open_student(http, server.url) for _ in range(STUDENTS)]
            answered = await asyncio.gather(*(serve.step_once(student, TIMEOUT) for student in students))
            assert all(answered), f"answered: {answered}"
            pids = server.sessions()
            assert len(pids) == STUDENTS

            one_more = await serve.open_student(http, server.url)
            assert await one_more.read_until("step", TIMEOUT) is None
            assert one_more.close_code == 1013 and "classroom is full" in one_more.close_reason
            async with http.get(server.url) as page:
                assert page.status == 503 and "classroom is full" in await page.text()
            assert len(server.sessions()) == STUDENTS

            leaving = students.pop()
            await leaving.close()
            assert await asyncio.to_thread(serve.wait_until, lambda: len(server.sessions()) == STUDENTS - 1, TIMEOUT)
            # the place comes back once the session's relay has ended too, milliseconds after its process
            assert await page_status_becomes(http, server.url, 200, TIMEOUT), "the place never came back"
            late = await serve.open_student(http, server.url)
            assert await serve.step_once(late, TIMEOUT), "a freed place was not given to the next student"
            students.append(late)
            pids = set(pids) | set(server.sessions())

            for student in students[:2]:
                await student.close()
            assert await asyncio.to_thread(serve.wait_until, lambda: len(server.sessions()) == STUDENTS - 2, TIMEOUT)

            code = await asyncio.to_thread(server.stop)
            for student in students[2:]:
                assert await student.read_until("never drawn", TIMEOUT) is None
                assert student.close_code == 1001 and "stopped" in student.close_reason
    assert code in (0, 130)
    assert await asyncio.to_thread(serve.wait_until, lambda: not any(serve.alive(pid) for pid in pids), TIMEOUT)
    assert not any("Traceback" in line for line in server.lines + server.errors)


async def test_an_idle_session_ends_and_says_why(serve):
    with serve.ServerProcess("--idle-timeout", "3") as server:
        async with aiohttp.ClientSession() as http:
            student = await serve.open_student(http, server.url)
            assert await serve.step_once(student, TIMEOUT)
            pids = server.sessions()
            assert await student.read_until("never drawn", TIMEOUT) is None
            assert student.close_code == 4000 and "idle" in student.close_reason
            assert await asyncio.to_thread(serve.wait_until, lambda: not any(serve.alive(pid) for pid in pids), TIMEOUT)


async def test_quitting_the_app_ends_the_session(serve):
    with serve.ServerProcess() as server:
        async with aiohttp.ClientSession() as http:
            student = await serve.open_student(http, server.url)
            assert await student.read_until(r"step 0/\d+", TIMEOUT)
            pids = server.sessions()
            await student.press("q")
            assert await student.read_until("never drawn", TIMEOUT) is None
            assert await asyncio.to_thread(serve.wait_until, lambda: not any(serve.alive(pid) for pid in pids), TIMEOUT)
