"""Run `backprop-tui` in a child process with a time limit and an address-space cap.

A hostile-input test that regresses must fail, not hang CI or take the machine: the child gets
`RLIMIT_AS` (its allocations fail past the cap) and a timeout (it is killed past the deadline), and
either shows up as a failed assertion in the test.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
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
    """`python -m backprop_tui.tui.app ARGV`, killed after `seconds` (raising `TimeoutExpired`).

    `close_stdout` starts the child with descriptor 1 closed, as the shell's `>&-` does.
    """
    def prepare() -> None:
        limit_memory(megabytes)
        if close_stdout:
            os.close(1)

    if "stdout" not in options:
        options["stdout"] = subprocess.PIPE
    options.setdefault("stderr", subprocess.PIPE)
    return subprocess.run([sys.executable, "-m", "backprop_tui.tui.app", *argv], text=True, timeout=seconds,
                          preexec_fn=prepare, **options)  # type: ignore[call-overload]
