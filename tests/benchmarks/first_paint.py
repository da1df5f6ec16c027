"""Start-up as a user sees it: launch a program in a 120×40 pseudo-terminal, time until a text is painted.

A headless run (`App.run(headless=True)`) skips the driver, the terminal's size and the writing of the
frame, and stops at the first idle, not at the first paint: it is not what a student waits for. Here
the program runs on the slave side of a real pseudo-terminal (TERM=xterm-256color, 120×40 set with
TIOCSWINSZ), and the clock stops when `text` appears in what it has written, escape sequences
removed. The program is then killed: what it does after its first paint is not start-up.

`python tests/benchmarks/first_paint.py [--pairs N]` prints the paired medians and the ratio, of the wall
clock and of the CPU time each launch used up to its paint (steadier on a shared machine);
bench.py's `startup_to_first_node` figure is the same measurement.
"""

from __future__ import annotations

import argparse
import fcntl
import math
import os
import re
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
SIZE = (120, 40)
"""Columns and lines of the pseudo-terminal: the issue's 120×40."""
APP = ([sys.executable, "-m", "backprop_tui.tui.cli.main"], "│ ξ1 = −WᵀX")
"""`backprop-tui` exactly as the console script starts it, and the first graph node's label: the lecture's ξ1
box with its left border (the chain-rule line under the table says `next: ξ1 = −WᵀX` too, and must not count)."""
BASELINE = ([sys.executable, str(HERE / "baseline_app.py")], "ξ1")
"""The bare Textual app (Header, DataTable, Footer, numpy imported), and its one cell."""
TIMEOUT = 60.0
"""Seconds after which a launch that has not painted its text is a failure, never a hang."""

ESCAPES = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|P[^\x1b]*\x1b\\|[()*+][0-~]|[@-Z\\-_])")
"""CSI (cursor moves, colours), OSC (title, clipboard), DCS, charset and two-byte escape sequences."""


class NotPainted(RuntimeError):
    """The program exited, or the time ran out, before the text appeared."""


def visible(stream: bytes) -> str:
    """What a terminal would print of `stream`: its text with every escape sequence removed."""
    return ESCAPES.sub("", stream.decode("utf-8", errors="replace"))


def _terminal_env(columns: int, lines: int, state: str) -> dict[str, str]:
    """The environment of a terminal a student starts the app from.

    Bytecode may be written (and is then read): an installed package has its `.pyc` files, and a
    PYTHONDONTWRITEBYTECODE set for the tests would otherwise make every launch recompile the app's
    modules from source, a cost the student never pays (the baseline, one small file, hardly pays it).

    Each launch gets an empty state folder of its own (XDG_STATE_HOME=`state`): a fresh start, as a new student's,
    never resumed from a place a previous launch (or the person running the benchmark) left, which could
    open another lesson whose screen never paints the text waited for."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("TEXTUAL")}
    env.update(TERM="xterm-256color", COLUMNS=str(columns), LINES=str(lines),
               XDG_STATE_HOME=state)
    env.pop("NO_COLOR", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def time_to_paint(argv: Sequence[str], text: str, size: tuple[int, int] = SIZE, timeout: float = TIMEOUT) -> float:
    """Seconds from launching `argv` in a pseudo-terminal of `size` until `text` is painted; the program is killed."""
    return paint_and_cpu(argv, text, size, timeout)[0]


def paint_and_cpu(argv: Sequence[str], text: str, size: tuple[int, int] = SIZE,
                  timeout: float = TIMEOUT) -> tuple[float, float]:
    """Seconds to first paint (wall clock), and the CPU seconds (user + system) the program had used by then.

    The CPU time is read from the killed program's resource usage: on a machine shared with other work it
    moves far less than the wall clock, which waits for the cores as well as for the program."""
    with tempfile.TemporaryDirectory(prefix="first-paint-state-") as state:
        return _paint_and_cpu(argv, text, size, timeout, state)


def _paint_and_cpu(argv: Sequence[str], text: str, size: tuple[int, int], timeout: float,
                   state: str) -> tuple[float, float]:
    columns, lines = size
    master, slave = os.openpty()
    try:
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
        env = _terminal_env(columns, lines, state)
        started = time.perf_counter()
        process = subprocess.Popen(list(argv), stdin=slave, stdout=slave, stderr=slave, env=env,
                                   start_new_session=True, close_fds=True)
    except BaseException:
        os.close(master)
        os.close(slave)
        raise
    os.close(slave)
    received = bytearray()
    painted = math.nan
    try:
        deadline = started + timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise NotPainted(f"{text!r} not painted within {timeout:.0f} s by {' '.join(argv)}")
            ready, _, _ = select.select([master], [], [], min(left, 0.5))
            if not ready:
                if process.poll() is not None:
                    raise NotPainted(f"{' '.join(argv)} exited ({process.returncode}) before painting {text!r}: "
                                     f"{visible(bytes(received))[-500:]!r}")
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the program closed the terminal (it exited)
                chunk = b""
            if not chunk:
                process.wait(timeout=5)
                raise NotPainted(f"{' '.join(argv)} exited ({process.returncode}) before painting {text!r}: "
                                 f"{visible(bytes(received))[-500:]!r}")
            received += chunk
            if text in visible(bytes(received)):
                painted = time.perf_counter() - started
                break
    finally:
        cpu = _kill(process)
        os.close(master)
    return painted, cpu


def _kill(process: subprocess.Popen) -> float:
    """Kill the program and anything it started (its own session), reap it, and return the CPU seconds it used
    (NaN when it had already been reaped)."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            _, status, usage = os.wait4(process.pid, 0)
        except ChildProcessError:
            pass
        else:
            process.returncode = os.waitstatus_to_exitcode(status)
            return usage.ru_utime + usage.ru_stime
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
    return math.nan


def paired_first_paints(pairs: int, timeout: float = TIMEOUT) -> tuple[list[float], list[float]]:
    """Seconds to first paint of the app and of the baseline, launched in turns so a change in the
    machine's load hits both alike (the first of each pair alternates too), after one untimed launch of each."""
    app, baseline = paired_paints_and_cpu(pairs, timeout)
    return [wall for wall, _ in app], [wall for wall, _ in baseline]


def paired_paints_and_cpu(pairs: int, timeout: float = TIMEOUT) -> tuple[list[tuple[float, float]],
                                                                          list[tuple[float, float]]]:
    """`paired_first_paints`, each launch with the CPU seconds it used up to its first paint."""
    for argv, text in (APP, BASELINE):  # untimed: writes the bytecode, warms the file cache
        time_to_paint(argv, text, timeout=timeout)
    app: list[tuple[float, float]] = []
    baseline: list[tuple[float, float]] = []
    for pair in range(pairs):
        order = ((APP, app), (BASELINE, baseline)) if pair % 2 else ((BASELINE, baseline), (APP, app))
        for (argv, text), samples in order:
            samples.append(paint_and_cpu(argv, text, timeout=timeout))
    return app, baseline


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=7, help="app/baseline launches, alternating (default 7)")
    parser.add_argument("--timeout", type=float, default=TIMEOUT, help="seconds before a launch counts as failed")
    arguments = parser.parse_args()
    measured = paired_paints_and_cpu(arguments.pairs, arguments.timeout)
    for index, clock in ((0, "wall clock"), (1, "CPU time (user + system, up to the paint)")):
        app, baseline = ([sample[index] for sample in samples] for samples in measured)
        ratios = [one / other for one, other in zip(app, baseline, strict=True)]
        print(f"{clock}:")
        print(f"  app       median {statistics.median(app) * 1000:.0f} ms  {' '.join(f'{t * 1000:.0f}' for t in app)}")
        print(f"  baseline  median {statistics.median(baseline) * 1000:.0f} ms  "
              f"{' '.join(f'{t * 1000:.0f}' for t in baseline)}")
        print(f"  ratio of medians {statistics.median(app) / statistics.median(baseline):.3f}  "
              f"median of paired ratios {statistics.median(ratios):.3f}")
    print(f"pairs {arguments.pairs}  load {' '.join(f'{load:.2f}' for load in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
