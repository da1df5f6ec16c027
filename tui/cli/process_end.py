"""Ending a one-shot command's process once its output is written, without freeing what it built.

`backprop-tui table` on a ten-thousand-node graph builds about a million small objects (the graph, its formulas,
the stepper's rows, the JSON document). Once the table was printed, freeing them one at a time and then the
interpreter's own teardown (every module's globals, a last cycle collection) took some 0.2 s, a tenth of the
command, for memory the operating system takes back at once when the process ends. So a command run as the
process (the console script, `python -m`) ends with `os._exit` right after its output is flushed.

A caller in the same process (a test, a notebook calling `main([...])`) is never ended: only `main()` with no
arguments, which reads `sys.argv` as the console script does, marks the call as the process's own.
"""

from __future__ import annotations

import os
import sys

_owns_process = False


def own_process() -> None:
    """Mark the running command as the whole process (called by `main()` when it reads `sys.argv`)."""
    global _owns_process
    _owns_process = True


def end_process_now(code: int) -> None:
    """Exit with `code` at once if the command owns the process (stdout and stderr flushed first); else return.

    The caller has already written and flushed its output through `write`, which turns a failed write into a
    message and an exit code: a flush failing here can only concern text already reported, and is ignored."""
    if not _owns_process:
        return
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)
