"""Run `backprop-tui` in a child process with a time limit and an address-space cap.

A hostile-input test that regresses must fail, not hang CI or take the machine: the child gets
`RLIMIT_AS` (its allocations fail past the cap) and a timeout (it is killed past the deadline), and
either shows up as a failed assertion in the test.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence

MEGABYTE = 1 << 20
DEFAULT_MEGABYTES = 1024
"""Python, numpy and the app's imports take a few hundred megabytes of address space; a load or a
run that grows with its input passes this quickly."""


def limit_memory(megabytes: int) -> None:
    """Cap the calling process's address space (used as `preexec_fn`, so only in the child)."""
    cap = megabytes * MEGABYTE
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


def run_bounded(argv: Sequence[str], *, seconds: float, megabytes: int = DEFAULT_MEGABYTES,
                close_stdout: bool = False, **options: object) -> subprocess.CompletedProcess[str]:
    """`python -m backprop_tui.tui.cli.main ARGV`, killed after `seconds` (raising `TimeoutExpired`).

    `close_stdout` starts the child with descriptor 1 closed, as the shell's `>&-` does.
    """
    def prepare() -> None:
        limit_memory(megabytes)
        if close_stdout:
            os.close(1)

    if "stdout" not in options:
        options["stdout"] = subprocess.PIPE
    options.setdefault("stderr", subprocess.PIPE)
    return subprocess.run([sys.executable, "-m", "backprop_tui.tui.cli.main", *argv], text=True, timeout=seconds,
                          preexec_fn=prepare, **options)  # type: ignore[call-overload]


def interrupt_after_lines(argv: Sequence[str], lines: int, *, seconds: float, megabytes: int = DEFAULT_MEGABYTES,
                          signum: int = signal.SIGINT) -> tuple[int, list[str], str]:
    """Start the command, wait (at most `seconds`) until it has printed `lines` lines, press Ctrl+C
    (SIGINT, or send `signum`), and return its exit code, every line it printed and its stderr.

    A command that prints nothing while it runs fails this (`AssertionError`) after `seconds`,
    instead of blocking the test; the child is killed in any case.
    """
    child = subprocess.Popen([sys.executable, "-m", "backprop_tui.tui.cli.main", *argv], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, preexec_fn=lambda: limit_memory(megabytes))
    printed: list[str] = []
    reader = threading.Thread(target=lambda: printed.extend(child.stdout), daemon=True)  # type: ignore[arg-type]
    reader.start()
    try:
        deadline = time.monotonic() + seconds
        while len(printed) < lines and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(printed) >= lines, f"only {len(printed)} lines after {seconds} s (exit code {child.poll()})"
        child.send_signal(signum)
        code = child.wait(timeout=seconds)
        reader.join(timeout=seconds)
        error = child.stderr.read() if child.stderr else ""
        return code, printed, error
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
