"""What the classroom server refuses or bounds before it trusts a request: other origins, impossible sizes, noise.

- Websockets only from the server's own origin (or one named with `--allow-origin`): any web page a
  student visits could otherwise open `ws://127.0.0.1:8000/ws`, fill the classroom, read screens and
  type. The Host must also be one this server answers to (an IP address, localhost, this machine's
  name, or an allowed origin's host), so a DNS-rebinding page, whose Origin and Host agree, is refused
  too. A request without Origin is not a browser's (browsers always send it on a websocket) and can
  claim any Origin it likes, so it is let through: the check protects students' browsers.
- Terminal sizes are clamped to what a screen can show: a 4K screen at a small font.
- Log lines are one line each: the teacher's terminal is projected, a traceback has no place on it.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from collections.abc import Iterable
from urllib.parse import urlsplit

MAX_COLUMNS = 640
"""A 3840-pixel-wide screen at a 6-pixel-wide font: no screen shows more columns."""
MAX_ROWS = 240
"""A 2160-pixel-high screen at a 9-pixel line: no screen shows more rows."""


def clamp_size(columns: object, rows: object, default: tuple[int, int] = (80, 24)) -> tuple[int, int]:
    """A terminal size a screen can be: whole numbers, from 1×1 up to `MAX_COLUMNS`×`MAX_ROWS`."""
    def whole(value: object, fallback: int) -> int:
        if isinstance(value, bool):
            return fallback
        if isinstance(value, int):
            return value
        try:
            return int(str(value)[:12])
        except ValueError:
            return fallback

    return (min(max(1, whole(columns, default[0])), MAX_COLUMNS), min(max(1, whole(rows, default[1])), MAX_ROWS))


def origin_of(text: str) -> str | None:
    """`http://Host:8000/` → `http://host:8000`: scheme and host, lower case, without path; None if not http(s)."""
    parts = urlsplit(text.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or "@" in parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc.lower()}"


def host_name(netloc: str) -> str:
    """`[::1]:8000` → `::1`, `Example.org:80` → `example.org`."""
    netloc = netloc.strip().lower()
    if netloc.startswith("["):
        return netloc[1:netloc.find("]")] if "]" in netloc else netloc
    return netloc.rsplit(":", 1)[0] if netloc.count(":") == 1 else netloc


def is_ip_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


class OriginPolicy:
    """Which websockets to accept: same origin (on a Host this server answers to), or an allowed origin."""

    def __init__(self, allowed_origins: Iterable[str] = (), listening_on: str = "") -> None:
        self.allowed = {origin for text in allowed_origins if (origin := origin_of(text))}
        self.hosts = {"localhost", socket.gethostname().lower(), socket.getfqdn().lower(), listening_on.lower()}
        self.hosts |= {host_name(urlsplit(origin).netloc) for origin in self.allowed}

    def trusted_host(self, host: str) -> bool:
        name = host_name(host)
        return is_ip_address(name) or name in self.hosts or name.endswith(".localhost")

    def refusal(self, origin: str | None, host: str | None) -> str | None:
        """Why a websocket with these headers is refused, or None to accept it."""
        if origin is None:
            return None
        if origin_of(origin) in self.allowed:
            return None
        if not host or not self.trusted_host(host):
            return f"a websocket for host {host!r} (not this server's; --allow-origin names others)"
        own = {f"http://{host.lower()}", f"https://{host.lower()}"}
        if origin_of(origin) not in own:
            return f"a websocket from origin {origin[:200]!r} (not this server's; --allow-origin names others)"
        return None


class OneLineFormatter(logging.Formatter):
    """`backprop-tui serve: message: ExceptionType: what it said`, on one line, never a traceback."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            message = f"{message}: {type(error).__name__}: {error}"
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        line = " ".join(message.split())
        return f"backprop-tui serve: {line[:300]}"


def one_line_logging() -> None:
    """Warnings and errors (aiohttp's bad requests included) as one line each on stderr; no access log."""
    handler = logging.StreamHandler()
    handler.setFormatter(OneLineFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)
