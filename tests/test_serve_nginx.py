"""A course larger than one machine: two `backprop-tui serve` processes behind nginx, with sticky websockets.

nginx (Debian's package; CI installs it) listens on loopback in front of two servers and routes each
browser by a `classroom` cookie it sets on the first page: the page, its websocket and any download
of one student reach the same server (the README's Classroom section shows the same configuration).
Sessions are opened through nginx until both servers hold some; the same cookie always lands on the
same server, and a page from another origin is still refused through the proxy.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
from pathlib import Path

import aiohttp
import pytest

pytestmark = pytest.mark.slow

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
TIMEOUT = 120.0

CONFIG = """
worker_processes 1;
pid {tmp}/nginx.pid;
events {{ worker_connections 512; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;

    map $http_upgrade $connection_upgrade {{ default upgrade; "" close; }}
    map $cookie_classroom $classroom_seat {{ default $cookie_classroom; "" $request_id; }}

    upstream classroom {{
        hash $classroom_seat consistent;
        server 127.0.0.1:{first};
        server 127.0.0.1:{second};
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://classroom;
            proxy_http_version 1.1;
            proxy_set_header Host $http_host;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_read_timeout 1h;
            proxy_next_upstream error timeout http_503;
            add_header Set-Cookie "classroom=$classroom_seat; Path=/; HttpOnly; SameSite=Lax";
        }}
    }}
}}
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def nginx_in_front(tmp_path: Path, serve):
    """Two servers and nginx before them; yields (the URL students open, the two servers)."""
    if not Path(NGINX).exists():
        pytest.skip("nginx is not installed (apt-get install nginx)")
    with serve.ServerProcess("--idle-timeout", "0") as first, serve.ServerProcess("--idle-timeout", "0") as second:
        port = free_port()
        config = tmp_path / "nginx.conf"
        config.write_text(CONFIG.format(tmp=tmp_path, first=serve.port_of(first.url),
                                        second=serve.port_of(second.url), port=port))
        nginx = subprocess.Popen([NGINX, "-p", str(tmp_path), "-e", str(tmp_path / "error.log"), "-c", str(config),
                                  "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            if not serve.wait_until(lambda: nginx.poll() is not None or can_connect(port), 30):
                pytest.fail("nginx did not start listening")
            if nginx.poll() is not None:
                pytest.fail(f"nginx ended: {nginx.stderr.read().decode()}")
            yield f"http://127.0.0.1:{port}/", (first, second)
        finally:
            nginx.terminate()
            nginx.wait(30)


def can_connect(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


async def open_seat(url: str, seat: str, serve, **options):
    http = aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar(), headers={"Cookie": f"classroom={seat}"})
    origin = url.rstrip("/")
    try:
        return http, await serve.open_student(http, url, origin=origin, **options)
    except BaseException:
        await http.close()
        raise


async def test_two_servers_behind_nginx_share_a_class(nginx_in_front, serve):
    url, servers = nginx_in_front
    async with aiohttp.ClientSession() as http, http.get(url) as page:
        assert page.status == 200 and "classroom=" in page.headers.get("Set-Cookie", "")
    opened, landed = [], []
    try:
        for seat in range(40):
            before = [len(server.sessions()) for server in servers]
            http, student = await open_seat(url, f"seat-{seat}", serve)
            opened.append((http, student))
            assert await serve.step_once(student, TIMEOUT), f"seat {seat} got no screen through nginx"
            grown = [len(server.sessions()) - count for server, count in zip(servers, before, strict=True)]
            assert sorted(grown) == [0, 1], grown
            landed.append(grown.index(1))
            if len(set(landed)) == 2:
                break
        assert len(set(landed)) == 2, "every session landed on one server"
        before = [len(server.sessions()) for server in servers]
        http, again = await open_seat(url, "seat-0", serve)  # the same cookie: the same server as seat 0
        opened.append((http, again))
        assert await serve.step_once(again, TIMEOUT)
        grown = [len(server.sessions()) - count for server, count in zip(servers, before, strict=True)]
        assert grown.index(1) == landed[0], "the same cookie went to the other server"
        async with aiohttp.ClientSession() as http:
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await serve.open_student(http, url, origin="http://evil.example")
            assert refused.value.status == 403
    finally:
        for http, student in opened:
            await student.close()
            await http.close()
