"""The terminal the app draws on is written to in UTF-8, whatever the locale says.

Textual writes every frame as text to stderr (`sys.__stderr__`), in that stream's encoding. Under a locale whose
encoding is not UTF-8 (`LC_ALL=en_US.ISO-8859-1`, `PYTHONIOENCODING=ascii`) every box line, arrow and ξ of the
graph was written as a backslash escape (`\\u2500`): the screen was unreadable. The app cannot be drawn without
those characters, and a terminal that runs a Textual app speaks UTF-8, so the stream is switched to UTF-8 before
the app starts; the command line's own output keeps the locale's encoding (see output.py).
"""

from __future__ import annotations

import codecs
import sys


def draw_in_utf8() -> None:
    """Switch the stream Textual draws on to UTF-8 when it is a terminal with another encoding."""
    stream = sys.__stderr__
    if stream is None or not hasattr(stream, "reconfigure"):
        return
    try:
        if not stream.isatty() or codecs.lookup(stream.encoding or "utf-8").name == "utf-8":
            return
        stream.reconfigure(encoding="utf-8")
    except (OSError, ValueError, LookupError):
        pass  # a closed or unusual stream: Textual reports what it cannot write
