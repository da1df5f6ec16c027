"""`backprop-tui serve` against hostile clients: other origins, impossible sizes, malformed and half-open
requests, tabs that stop reading or abort, and a stop while they do.

Each case is one the classroom server once got wrong: a cross-origin page could open sessions and type;
a 20000×2000 resize took an app to 155 MB; a 100 KB URL printed a traceback on the projected terminal;
/static/ listed its files; half-open requests were held forever; a tab that stopped reading and then
vanished could keep its slot, and a server holding such tabs could ignore Ctrl+C.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import signal
import socket
import struct
import time

import aiohttp
import pytest

pytestmark = pytest.mark.slow

TIMEOUT = 120.0


def text_frame(text: str) -> bytes:
    """One masked websocket text frame, as a client sends it."""
    payload, mask = text.encode(), os.urandom(4)
    size = len(payload)
    length = bytes([0x80 | size]) if size < 126 else bytes([0x80 | 126]) + struct.pack(">H", size)
    return bytes([0x81]) + length + mask + bytes(byte ^ mask[i % 4] for i, byte in enumerate(payload))


def flooding_tab(port: int) -> socket.socket:
    """A tab that opens a session, makes its app redraw again and again, and never reads a byte of it."""
    tab = socket.create_connection(("127.0.0.1", port))
    tab.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    key = base64.b64encode(os.urandom(16)).decode()
    tab.sendall(f"GET /ws?width=200&height=60 HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode())
    assert tab.recv(12) == b"HTTP/1.1 101"
    for index in range(2000):
        tab.sendall(text_frame(json.dumps(["resize", {"width": 200 + index % 2, "height": 60 + index % 3}])))
    return tab


@pytest.fixture(scope="module")
def server():
    """One server for the cases that leave it as they found it (each server start runs the app once)."""
    from support.serve_clients import ServerProcess

    with ServerProcess("--allow-origin", "https://course.example.org", "--idle-timeout", "0") as running:
        yield running


async def test_only_the_servers_own_page_opens_sessions(serve, server):
    port = serve.port_of(server.url)
    async with aiohttp.ClientSession() as http:
        for origin, host in [("http://evil.example", f"127.0.0.1:{port}"), ("null", f"127.0.0.1:{port}"),
                             (f"http://127.0.0.1:{port + 1}", f"127.0.0.1:{port}"),
                             (f"http://rebound.example:{port}", f"rebound.example:{port}")]:  # DNS rebinding
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await serve.open_student(http, server.url, origin=origin, headers={"Host": host})
            assert refused.value.status == 403, origin
        assert server.sessions() == [], "a refused websocket started an app"
        own = await serve.open_student(http, server.url, origin=f"http://127.0.0.1:{port}")
        assert await serve.step_once(own, TIMEOUT)
        await own.close()
        named = await serve.open_student(http, server.url, origin="https://course.example.org",
                                         headers={"Host": "course.example.org"})
        assert await serve.step_once(named, TIMEOUT)
        await named.close()
    assert serve.wait_until(lambda: not server.sessions(), TIMEOUT)
    assert sum("refused" in line for line in server.errors) == 4


async def test_sizes_are_clamped_to_a_screen(serve, server):
    async with aiohttp.ClientSession() as http:
        student = await serve.open_student(http, server.url, width=20000, height=2000, max_msg_size=0)
        assert await student.read_until(r"step 0/\d+", TIMEOUT)
        await student.websocket.send_json(["resize", {"width": 5000, "height": 5000}])
        await student.websocket.send_json(["resize", {"width": 10**30, "height": -7}])
        await student.websocket.send_json(["resize", {"width": 20000, "height": 2000}])
        await student.press("n")
        assert await student.read_until(r"step 1/\d+", TIMEOUT)
        rss = serve.session_rss(server.pid)
        await student.close()
    assert serve.wait_until(lambda: not server.sessions(), TIMEOUT)
    assert len(rss) == 1 and rss[0] < 120 * 2**20, f"a session grew to {rss[0] / 2**20:.0f} MB"
    assert len(student.text) < 8 * 2**20, f"{len(student.text) / 2**20:.0f} MB of screen for two frames"


async def test_malformed_messages_are_ignored_and_the_session_goes_on(serve, server):
    """Every kind of message a tab should not send is dropped, and the tab steps on. An array nested past the
    JSON parser's depth raised RecursionError, which ended the session ("a session failed"); a ping's payload
    nested deep would have done the same when echoed."""
    logged = len(server.errors)
    nested = "[" * 20_000 + "]" * 20_000  # 40 KB: under the server's 64 KB limit on a message
    junk = ["not json", "[]", "{}", "123", "null", '"text"', '["resize"]', '["resize", {"width": "abc"}]',
            '["stdin"]', '["stdin", 5]', '["ping"]', '["ping", ' + "[" * 900 + "]" * 900 + "]", '["unknown", 1]',
            nested, '["stdin", ' + nested + "]"]
    async with aiohttp.ClientSession() as http:
        student = await serve.open_student(http, server.url, max_msg_size=0)
        assert await student.read_until(r"step 0/\d+", TIMEOUT)
        for message in junk:
            await student.websocket.send_str(message)
        await student.websocket.send_bytes(b"\x00\xff" * 1000)
        await student.press("n")
        assert await student.read_until(r"step 1/\d+", TIMEOUT), "the session ended on a malformed message"
        await student.close()
    assert serve.wait_until(lambda: not server.sessions(), TIMEOUT)
    assert not any("session failed" in line for line in server.errors[logged:]), server.errors[logged:]


def test_bad_requests_are_one_line_each_and_nothing_is_listed(serve, server):
    logged = len(server.errors)
    port = serve.port_of(server.url)
    bad = [b"GET /" + b"a" * 100_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
           b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 200_000 + b"\r\n\r\n",
           b"GET / HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-%d: y\r\n" % i for i in range(20_000)) + b"\r\n"]
    for request in bad:
        assert serve.raw_exchange(port, request).split(b" ")[1][:1] == b"4"
    listing = serve.raw_exchange(port, b"GET /static/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert listing.split(b" ")[1] in (b"403", b"404") and b"Index of" not in listing
    page = serve.raw_exchange(port, b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert page.startswith(b"HTTP/1.1 200")
    assert serve.wait_until(lambda: len(server.errors) - logged >= len(bad), 10)
    lines = server.errors[logged:]
    assert "Traceback" not in "".join(lines) and 'File "' not in "".join(lines)
    assert len(lines) == len(bad), lines
    assert all(line.startswith("backprop-tui serve: ") for line in lines)


def test_half_open_requests_time_out(serve, server):
    port = serve.port_of(server.url)
    half_open = []
    for index in range(100):
        connection = socket.create_connection(("127.0.0.1", port))
        if index % 2:
            connection.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        half_open.append(connection)
    deadline = time.monotonic() + 30
    closed = 0
    for connection in half_open:
        connection.settimeout(max(0.1, deadline - time.monotonic()))
        try:
            closed += connection.recv(1) == b""
        except (TimeoutError, OSError):
            pass
        connection.close()
    assert closed == len(half_open), f"{len(half_open) - closed} half-open requests still held after 30 s"


@pytest.mark.parametrize("leaving", ["vanishes", "aborts on an oversized frame"])
async def test_a_tab_that_stops_reading_gives_its_slot_back(serve, leaving):
    with serve.ServerProcess("--max-sessions", "2", "--idle-timeout", "0") as server:
        port = serve.port_of(server.url)
        async with aiohttp.ClientSession() as http:
            for _ in range(2):
                if leaving == "vanishes":
                    tab = flooding_tab(port)
                    await asyncio.sleep(2)
                    tab.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    tab.close()
                else:
                    small = await serve.open_student(http, server.url, width=200, height=60, max_msg_size=1024)
                    for index in range(50):
                        await small.websocket.send_json(["resize", {"width": 200 + index % 2, "height": 60}])
                    assert await small.read_until("never drawn", TIMEOUT) is None
            assert await asyncio.to_thread(serve.wait_until, lambda: not server.sessions(), TIMEOUT)
            for _ in range(2):  # both slots are free again
                student = await serve.open_student(http, server.url)
                assert await serve.step_once(student, TIMEOUT), f"slot lost: {student.close_reason}"


def test_sigterm_stops_the_server_while_tabs_stall(serve):
    with serve.ServerProcess("--max-sessions", "3", "--idle-timeout", "0") as server:
        port = serve.port_of(server.url)
        tabs = [flooding_tab(port) for _ in range(2)]
        assert serve.wait_until(lambda: len(server.sessions()) == 2, TIMEOUT)
        pids = server.sessions()
        time.sleep(2)
        started = time.monotonic()
        server.process.send_signal(signal.SIGTERM)
        code = server.process.wait(TIMEOUT)
        took = time.monotonic() - started
        for tab in tabs:
            tab.close()
    assert code == 0 and took < 20, f"exit {code} after {took:.1f} s"
    assert serve.wait_until(lambda: not any(serve.alive(pid) for pid in pids), TIMEOUT)


async def test_sessions_go_on_when_the_warm_parent_dies(serve):
    with serve.ServerProcess("--idle-timeout", "0", "--ready-sessions", "0") as server:  # the pool: test_serve_pool
        warm = server.warm_parent()
        assert warm is not None, "no warm parent: sessions would start cold"
        os.kill(warm, signal.SIGKILL)
        assert serve.wait_until(lambda: not serve.alive(warm), TIMEOUT)
        async with aiohttp.ClientSession() as http:
            meanwhile = await serve.open_student(http, server.url)  # exec'd while the warm parent restarts
            assert await serve.step_once(meanwhile, TIMEOUT)
            assert await asyncio.to_thread(serve.wait_until, lambda: server.warm_parent() not in (None, warm), TIMEOUT)
            for _ in range(20):  # sessions are exec'd until the new warm parent has warmed up, then forked
                student = await serve.open_student(http, server.url)
                assert await serve.step_once(student, TIMEOUT)
                if serve.children_of(server.warm_parent()):
                    break
                await asyncio.sleep(1)
            assert serve.children_of(server.warm_parent()), "the new warm parent forked no session"
    assert sum("warm parent ended" in line for line in server.errors) == 1
