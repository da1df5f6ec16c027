"""A stdout or terminal whose encoding is not UTF-8 (a Latin-1 locale, PYTHONIOENCODING=ascii).

JSON comes out whole, its Greek letters escaped (the same document to a JSON reader); text that the encoding cannot
hold is one clear line and exit 1, not "standard output is closed" with nothing printed; the app's terminal is drawn
in UTF-8 instead of backslash escapes."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys

import pytest

from backprop_tui.tui.cli import terminal

COMMAND = [sys.executable, "-m", "backprop_tui.tui.cli.main"]


def run(encoding: str, *argv: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    return subprocess.run([*COMMAND, *argv], capture_output=True, timeout=120, env=env)


@pytest.mark.parametrize("argv", [
    ["table", "--example", "lecture-full", "--format", "json"],
    ["table", "--example", "mlp", "--mode", "forward", "--wrt", "W10", "--format", "json"],
    ["primitives", "--format", "json"],
    ["lessons", "--format", "json"],
    ["descent", "--iters", "3", "--format", "json"],
])
@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_json_is_the_same_document_in_any_encoding(argv, encoding):
    plain, narrow = run("utf-8", *argv), run(encoding, *argv)
    assert plain.returncode == narrow.returncode == 0 and narrow.stderr == b""
    # Every character outside the encoding was escaped (a byte the encoding cannot read would raise here).
    assert json.loads(narrow.stdout.decode(encoding)) == json.loads(plain.stdout.decode("utf-8"))


def test_json_lines_are_each_a_document_in_ascii():
    plain, narrow = run("utf-8", "descent", "--iters", "4", "--format", "jsonl"), run("ascii", "descent", "--iters",
                                                                                       "4", "--format", "jsonl")
    assert narrow.returncode == 0
    assert [json.loads(line) for line in narrow.stdout.decode("ascii").splitlines()] == \
        [json.loads(line) for line in plain.stdout.decode("utf-8").splitlines()]


def test_text_the_encoding_cannot_hold_is_one_clear_line():
    result = run("ascii", "table", "--example", "lecture")
    assert result.returncode == 1 and result.stdout == b""
    error = result.stderr.decode("ascii").strip()
    assert len(error.splitlines()) == 1 and "Traceback" not in error
    assert "encoding (ascii) has no" in error and "U+03BE" in error and "PYTHONIOENCODING=utf-8" in error


def test_text_within_the_encoding_is_written_as_before():
    result = run("latin-1", "lessons")
    assert result.returncode == 0 and result.stdout.decode("latin-1") == run("utf-8", "lessons").stdout.decode()


def test_the_apps_terminal_is_switched_to_utf8(monkeypatch):
    leader, follower = pty.openpty()
    screen = open(follower, "w", encoding="ascii")  # noqa: SIM115 (closed below)
    try:
        monkeypatch.setattr(sys, "__stderr__", screen)
        terminal.draw_in_utf8()
        assert screen.encoding == "utf-8"
        screen.write("┌─ξ1─▶")  # an ascii stream would raise here
        screen.flush()
        assert os.read(leader, 100).decode("utf-8") == "┌─ξ1─▶"
    finally:
        screen.close()
        os.close(leader)


def test_a_stream_that_is_not_a_terminal_keeps_its_encoding(monkeypatch, tmp_path):
    with open(tmp_path / "log", "w", encoding="ascii") as stream:
        monkeypatch.setattr(sys, "__stderr__", stream)
        terminal.draw_in_utf8()
        assert stream.encoding == "ascii"
