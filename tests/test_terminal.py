"""The terminal the app runs in (tui/cli/terminal.py): keys from /dev/tty when stdin is not a terminal, and one
line with exit code 2, not an app running forever into a file, when the process has no terminal at all."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import subprocess
import sys
import termios
import time

import pytest

from backprop_tui.tui.cli import terminal

COMMAND = [sys.executable, "-m", "backprop_tui.tui.cli.main", "--fresh"]


def test_without_any_terminal_the_app_is_refused_at_once(tmp_path):
    result = subprocess.run(COMMAND, stdin=subprocess.DEVNULL, capture_output=True, timeout=60,
                            env={**os.environ, "XDG_STATE_HOME": str(tmp_path)}, start_new_session=True)
    assert result.returncode == 2 and result.stdout == b""
    error = result.stderr.decode()
    assert len(error.splitlines()) == 1 and "needs a terminal" in error and "table, descent" in error
    assert not (tmp_path / "backprop-tui" / "place.json").exists()  # nothing ran


def test_a_process_without_a_terminal_is_told_so(monkeypatch):
    """pytest captures stderr: no terminal to draw on, whatever stdin is."""
    monkeypatch.delenv("TEXTUAL_DRIVER", raising=False)
    assert terminal.prepare_terminal() == terminal.NO_TERMINAL


def _read_until(master: int, wanted: bytes, seconds: float) -> bytes:
    output, deadline = b"", time.monotonic() + seconds
    while wanted not in output and time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                output += os.read(master, 65536)
            except OSError:
                break
    return output


@pytest.mark.parametrize("stdin", ["devnull", "closed"])
def test_keys_come_from_the_terminal_when_stdin_is_not_one(tmp_path, stdin):
    """`backprop-tui < /dev/null` (or `<&-`) in a terminal: the screen is drawn and `q` still quits."""
    master, follower = pty.openpty()
    termios.tcsetwinsize(follower, (30, 100))

    def own_the_terminal() -> None:  # the new session's controlling terminal is the pty, as a shell's would be
        fcntl.ioctl(1, termios.TIOCSCTTY, 0)
        if stdin == "closed":
            os.close(0)

    child = subprocess.Popen(COMMAND, stdin=subprocess.DEVNULL, stdout=follower, stderr=follower,
                             start_new_session=True, preexec_fn=own_the_terminal,  # noqa: PLW1509
                             env={**os.environ, "XDG_STATE_HOME": str(tmp_path), "TERM": "xterm-256color"})
    try:
        assert b"Quit" in _read_until(master, b"Quit", 60), "the app never drew its footer"
        os.write(master, b"q")
        assert child.wait(timeout=30) == 0
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        os.close(master)
        os.close(follower)
