"""How a message quotes what the user typed: in full when it is short, else its start and its length.

Errors echo the text they refuse (`unknown variable 'W2'`). A pasted megabyte, or a 100,000-character name,
made each of those messages as long as the input: a terminal full of one line instead of a clear message.
Every message that quotes user text goes through here, in the CLI and the TUI alike."""

from __future__ import annotations

SHOWN_CHARS = 40
"""At most this many characters of user text are quoted in a message."""


def short(text: str, limit: int = SHOWN_CHARS, *, say_length: bool = True) -> str:
    """`text` as it is, or its first `limit` characters, `…` and (`say_length`) how long it is."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text):,} characters)" if say_length else f"{text[:limit]}…"


def number_text(text: str) -> str:
    """A typed number as it is, or its first and last ten digits and its length: its exponent, at the end,
    is what makes it too large or too small."""
    return text if len(text) <= 24 else f"{text[:10]}…{text[-10:]} ({len(text)} characters)"


def quoted(text: str, limit: int = SHOWN_CHARS) -> str:
    """`repr(text)`, or the repr of its first `limit` characters, `…` and how long it is."""
    return repr(text) if len(text) <= limit else f"{text[:limit]!r}… ({len(text):,} characters)"
