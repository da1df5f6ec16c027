"""Signals (issue 22): SIGTERM and SIGHUP end `descent` with complete output and 128 + the signal, and end
the TUI with the terminal given back as Ctrl+C does (cooked mode, the normal screen, the cursor, no mouse)."""

from __future__ import annotations

import json
import os
import pty
import select
import signal
import subprocess
import sys
import termios
import time

import pytest
from support import bounded_process as bounded

ENDLESS = ["descent", "--iters", "1000000000000", "--lr", "1e-9"]
SECONDS = 60


def signal_after_lines(argv: list[str], signum: int, lines: int = 200) -> tuple[int, str, str]:
    """`signum` once the command has printed `lines` lines: its exit code, everything it printed, its stderr."""
    code, printed, error = bounded.interrupt_after_lines(argv, lines, seconds=SECONDS, signum=signum)
    return code, "".join(printed), error


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_descent_json_killed_by_a_signal_is_one_valid_document(signum):
    code, output, error = signal_after_lines([*ENDLESS, "--format", "json"], signum)
    assert (code, error) == (128 + signum, "")
    document = json.loads(output)
    assert document["stopped"] == "terminated" and len(document["history"]) >= 100


def test_descent_jsonl_and_text_end_with_the_terminated_verdict():
    code, output, _ = signal_after_lines([*ENDLESS, "--format", "jsonl"], signal.SIGTERM)
    assert code == 143 and json.loads(output.splitlines()[-1])["stopped"] == "terminated"
    code, output, _ = signal_after_lines(ENDLESS, signal.SIGTERM)
    verdict = next(line for line in output.splitlines() if line.startswith("stopped:"))
    assert code == 143 and verdict.startswith("stopped: terminated after ") and "(a signal)" in verdict


@pytest.mark.parametrize("unbuffered", ["1", ""])
def test_a_signal_while_the_pipe_is_full_cuts_no_line(unbuffered):
    """The reader stops reading, so the pipe fills and `descent` blocks in the middle of writing a batch; SIGTERM
    then interrupts that write part-way. Every line must still arrive whole, the verdict last. Unbuffered
    (PYTHONUNBUFFERED=1), Python's stdout dropped what a short write left over: a JSON line cut in two."""
    child = subprocess.Popen([sys.executable, "-m", "backprop_tui.tui.cli.main", *ENDLESS, "--format", "jsonl"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0,  # nothing read ahead
                             env={**os.environ, "PYTHONUNBUFFERED": unbuffered})
    try:
        first = child.stdout.readline()  # type: ignore[union-attr]
        deadline, waiting = time.monotonic() + SECONDS, -1
        while (now := _waiting_in_pipe(child)) != waiting and time.monotonic() < deadline:
            waiting = now  # until the pipe stops filling: the child is blocked in a write
            time.sleep(0.2)
        child.send_signal(signal.SIGTERM)
        rest, _ = child.communicate(timeout=SECONDS)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    lines = (first + rest).decode().splitlines()
    assert child.returncode == 143
    assert [json.loads(line) for line in lines][-1]["stopped"] == "terminated"


def _waiting_in_pipe(child: subprocess.Popen) -> int:
    """How many bytes wait unread in the child's stdout pipe (Linux: FIONREAD on the read end)."""
    import fcntl

    waiting = bytearray(4)
    fcntl.ioctl(child.stdout.fileno(), termios.FIONREAD, waiting)  # type: ignore[union-attr]
    return int.from_bytes(waiting, sys.byteorder)


def _read_until_quiet(master: int, seconds: float, wanted: bytes = b"") -> bytes:
    output = b""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if not ready:
            if wanted and wanted in output:
                return output
            continue
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            return output
        if not chunk:
            return output
        output += chunk
    return output


def _read_until_exit(master: int, child: subprocess.Popen, seconds: float) -> bytes:
    """What the child writes until it has exited and its last output is read (the test holds the pty's other
    end open to check its modes afterwards, so no end of file comes: the child's exit ends the read)."""
    output = b""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                return output
            output += chunk
        elif child.poll() is not None:
            return output
    return output


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGINT])
def test_the_tui_gives_the_terminal_back_on_a_signal(tmp_path, signum):
    """The app in a real pseudo-terminal: after the signal the terminal is as before it started."""
    master, slave = pty.openpty()
    os.set_blocking(master, True)
    termios.tcsetwinsize(slave, (30, 100)) if hasattr(termios, "tcsetwinsize") else None
    before = termios.tcgetattr(slave)
    child = subprocess.Popen([sys.executable, "-m", "backprop_tui.tui.cli.main", "--fresh"], stdin=slave,
                             stdout=slave, stderr=slave, start_new_session=True,
                             env={**os.environ, "XDG_STATE_HOME": str(tmp_path), "TERM": "xterm-256color"})
    try:
        started = _read_until_quiet(master, SECONDS, wanted=b"Quit")
        assert b"\x1b[?1049h" in started, "the app never took the alternate screen"
        child.send_signal(signum)
        ended = _read_until_exit(master, child, 20)
        code = child.wait(timeout=20)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert code == 128 + signum
    tail = ended[ended.rfind(b"\x1b[?1049l"):] if b"\x1b[?1049l" in ended else b""
    assert tail, "the alternate screen was never left"
    assert b"\x1b[?25h" in tail and b"\x1b[?1000l" in tail  # the cursor shown, mouse tracking off
    after = termios.tcgetattr(slave)
    assert after[3] & (termios.ICANON | termios.ECHO) == before[3] & (termios.ICANON | termios.ECHO)
    assert (tmp_path / "backprop-tui" / "place.json").exists()  # the place was saved on the way out
    os.close(master)
    os.close(slave)


def test_the_tui_ends_when_its_terminal_goes_away_without_a_sighup(tmp_path):
    """The app in a session of its own (`setsid`, as here): its terminal is not its controlling terminal, so no
    SIGHUP comes when the terminal closes. Textual's input thread then read end-of-file in a loop and the app spun
    at a full core until killed. Now the hang-up ends it as SIGHUP does: 129, the place saved."""
    master, slave = pty.openpty()
    os.set_blocking(master, True)
    child = subprocess.Popen([sys.executable, "-m", "backprop_tui.tui.cli.main", "--fresh"], stdin=slave,
                             stdout=slave, stderr=slave, start_new_session=True,
                             env={**os.environ, "XDG_STATE_HOME": str(tmp_path), "TERM": "xterm-256color"})
    os.close(slave)
    try:
        assert b"Quit" in _read_until_quiet(master, SECONDS, wanted=b"Quit")
        os.close(master)  # the terminal window is closed
        code = child.wait(timeout=20)
    except subprocess.TimeoutExpired:
        code = None
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert code == 128 + signal.SIGHUP, "the app went on running on a terminal that was gone"
    assert (tmp_path / "backprop-tui" / "place.json").exists()


def _stopped_within(pid: int, seconds: float) -> bool:
    """Whether the child stops (job control) within `seconds`, without reaping it."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found, status = os.waitpid(pid, os.WUNTRACED | os.WNOHANG)
        if found and os.WIFSTOPPED(status):
            return True
        time.sleep(0.05)
    return False


def test_ctrl_z_suspends_the_tui_to_the_shell_and_fg_brings_it_back(tmp_path):
    """Raw mode turns Ctrl+Z into a key: the app must stop itself as a terminal program does, with the terminal
    given back (line mode, the normal screen) and the place saved; SIGCONT (`fg`) takes the screen again."""
    master, slave = pty.openpty()
    os.set_blocking(master, True)
    before = termios.tcgetattr(slave)
    child = subprocess.Popen([sys.executable, "-m", "backprop_tui.tui.cli.main", "--fresh"], stdin=slave,
                             stdout=slave, stderr=slave, start_new_session=True,
                             env={**os.environ, "XDG_STATE_HOME": str(tmp_path), "TERM": "xterm-256color"})
    try:
        _read_until_quiet(master, SECONDS, wanted=b"Quit")
        os.write(master, b"\x1a")  # Ctrl+Z
        assert _stopped_within(child.pid, 20), "Ctrl+Z did not suspend the app"
        suspended = _read_until_quiet(master, 1)
        assert b"\x1b[?1049l" in suspended, "the alternate screen was not left"
        modes = termios.tcgetattr(slave)[3]
        assert modes & (termios.ICANON | termios.ECHO) == before[3] & (termios.ICANON | termios.ECHO)
        assert (tmp_path / "backprop-tui" / "place.json").exists()
        os.kill(child.pid, signal.SIGCONT)
        resumed = _read_until_quiet(master, SECONDS, wanted=b"Quit")
        assert b"\x1b[?1049h" in resumed and b"Quit" in resumed, "fg brought back an empty screen"
        os.write(master, b"q")
        _read_until_exit(master, child, 20)
        code = child.wait(timeout=20)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert code == 0
    os.close(master)
    os.close(slave)
