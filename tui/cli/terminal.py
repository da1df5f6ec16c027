"""The terminal the app runs in: found before the app starts, or refused with one line.

Textual draws every frame on stderr and reads keys from stdin. Three ways a shell can hand it less than that:
- stdin is not a terminal (`backprop-tui < /dev/null`, a script feeding a pipe): the screen was drawn, but no key
  ever arrived, not even `q`. Keys are then read from the controlling terminal, `/dev/tty`, as `less` and `fzf` do.
- there is no terminal at all (a cron job, `backprop-tui > out 2>&1 < /dev/null`): the app ran forever, writing
  escape codes to a file. It is refused now: one line naming the headless subcommands, exit code 2.
- a locale whose encoding is not UTF-8 (`LC_ALL=en_US.ISO-8859-1`, `PYTHONIOENCODING=ascii`): every box line,
  arrow and ξ was written as a backslash escape (`\\u2500`). The app cannot be drawn without those characters, and
  a terminal that runs a Textual app speaks UTF-8, so the stream it draws on is switched to UTF-8; the command
  line's own output keeps the locale's encoding (output.py).

A driver other than the terminal's (`TEXTUAL_DRIVER`, as `serve`'s browser sessions use) brings its own input
and output, and is left alone.
"""

from __future__ import annotations

import codecs
import os
import sys
from typing import IO, Any

NO_TERMINAL = ("the app needs a terminal to draw on (standard error) and read keys from, and this process has none: "
               "run backprop-tui in a terminal, or use a subcommand that prints (table, descent, predict, primitives, "
               "lessons; see backprop-tui --help)")


def _is_terminal(stream: IO[Any] | None) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (OSError, ValueError):
        return False


def prepare_terminal() -> str | None:
    """Make stdin and stderr the terminal's, in UTF-8; None when the app can run, else why it cannot (one line)."""
    if os.environ.get("TEXTUAL_DRIVER"):
        return None
    if not _is_terminal(sys.__stderr__):
        return NO_TERMINAL
    if not _is_terminal(sys.__stdin__) and not _keys_from_controlling_terminal():
        return NO_TERMINAL
    draw_in_utf8()
    return None


def _keys_from_controlling_terminal() -> bool:
    """Point descriptor 0 (and `sys.__stdin__`) at `/dev/tty`; False when the process has no controlling terminal."""
    try:
        terminal = os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY)
    except OSError:
        return False
    if terminal != 0:  # 0 when stdin was closed (`<&-`): the terminal took its place already
        os.dup2(terminal, 0)
        os.close(terminal)
    if sys.__stdin__ is None or sys.__stdin__.fileno() != 0:
        sys.stdin = sys.__stdin__ = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115 (the process's stdin)
    return True


def draw_in_utf8() -> None:
    """Switch the stream Textual draws on to UTF-8 when it is a terminal with another encoding."""
    stream = sys.__stderr__
    if not _is_terminal(stream) or not hasattr(stream, "reconfigure"):
        return
    try:
        if codecs.lookup(stream.encoding or "utf-8").name != "utf-8":
            stream.reconfigure(encoding="utf-8")
    except (OSError, ValueError, LookupError):
        pass  # a closed or unusual stream: Textual reports what it cannot write
