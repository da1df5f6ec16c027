"""The classroom server's guards as functions: sizes a screen can be, which origins may open sessions, one-line logs."""

from __future__ import annotations

import logging

import pytest

from backprop_tui.tui.serve.guard import MAX_COLUMNS, MAX_ROWS, OneLineFormatter, OriginPolicy, clamp_size


@pytest.mark.parametrize(("columns", "rows", "expected"), [
    (120, 40, (120, 40)), ("200", "60", (200, 60)), (20000, 2000, (MAX_COLUMNS, MAX_ROWS)),
    ("5000", "5000", (MAX_COLUMNS, MAX_ROWS)), (10**30, -7, (MAX_COLUMNS, 1)), ("9" * 5000, "0", (MAX_COLUMNS, 1)),
    (None, None, (80, 24)), ("wide", 12.5, (80, 24)), (True, False, (80, 24)), ({"a": 1}, [], (80, 24)),
])
def test_sizes_are_clamped(columns, rows, expected):
    assert clamp_size(columns, rows) == expected


@pytest.mark.parametrize(("origin", "host", "accepted"), [
    (None, "127.0.0.1:8000", True),  # not a browser: it could claim any origin anyway
    ("http://127.0.0.1:8000", "127.0.0.1:8000", True),
    ("http://LOCALHOST:8000", "localhost:8000", True),
    ("http://[::1]:8000", "[::1]:8000", True),
    ("https://192.168.1.20", "192.168.1.20", True),  # a TLS proxy in front, same host
    ("http://evil.example", "127.0.0.1:8000", False),
    ("null", "127.0.0.1:8000", False),
    ("http://127.0.0.1:8001", "127.0.0.1:8000", False),
    ("http://rebound.example:8000", "rebound.example:8000", False),  # DNS rebinding: same origin, foreign name
    ("https://course.example.org", "course.example.org", True),  # named with --allow-origin
    ("https://course.example.org", "127.0.0.1:8000", True),
    ("http://course.example.org", "course.example.org", True),  # its host is trusted: same origin over http
    ("https://course.example.org.evil.example", "127.0.0.1:8000", False),
])
def test_which_origins_open_sessions(origin, host, accepted):
    policy = OriginPolicy(["https://course.example.org"])
    assert (policy.refusal(origin, host) is None) == accepted


def test_a_log_record_with_a_traceback_is_one_line():
    try:
        raise ValueError("Got more than 8190 bytes\nwhen reading the status line")
    except ValueError:
        record = logging.LogRecord("aiohttp.server", logging.ERROR, __file__, 1, "Error handling request from %s",
                                   ("127.0.0.1",), exc_info=__import__("sys").exc_info())
    line = OneLineFormatter().format(record)
    assert "\n" not in line and "Traceback" not in line
    assert line.startswith("backprop-tui serve: Error handling request from 127.0.0.1: ValueError: Got more")


def test_the_name_the_server_listens_on_is_its_own():
    policy = OriginPolicy(listening_on="teacher-laptop.local")
    assert policy.refusal("http://teacher-laptop.local:8000", "teacher-laptop.local:8000") is None
    assert policy.refusal("http://other.local:8000", "other.local:8000") is not None
