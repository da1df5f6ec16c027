"""What the command line prints: its output, written whole, and its one-line errors.

Output goes to stdout's binary layer in the stream's encoding. A stdout that cannot take a character the
output holds (a Latin-1 or ASCII terminal, `PYTHONIOENCODING=ascii`; the tables are full of ξ, σ and ∂) gets
JSON with those characters escaped (`\\u03be`, the same document to any JSON reader) and, for text, one line
saying which character and how to get a UTF-8 stdout: it used to say "standard output is closed" and print
nothing.
"""

from __future__ import annotations

import codecs
import os
import select
import sys
from typing import IO, NoReturn

PROGRAM = "backprop-tui"
USAGE_ERROR = 2
OUTPUT_ERROR = 1
"""The exit code when the output cannot be written (a full disk, a closed stdout): not a usage mistake."""
JSON_FORMATS = frozenset({"json", "jsonl"})
"""The `--format`s whose output is JSON (written with escapes where stdout's encoding lacks a character)."""
JSON_ESCAPE = "backprop-tui-json-escape"
"""The codec error handler that writes a character the encoding lacks as JSON's `\\uXXXX` (a surrogate pair above
U+FFFF); JSON text holds such characters only inside strings, where the escape means the same character."""


def _json_escape(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    escaped = []
    for char in error.object[error.start:error.end]:
        code = ord(char)
        if code > 0xFFFF:
            code -= 0x10000
            escaped.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
        else:
            escaped.append(f"\\u{code:04x}")
    return "".join(escaped), error.end


codecs.register_error(JSON_ESCAPE, _json_escape)


MAX_MESSAGE_CHARS = 1000
"""The longest error line: what the user typed is quoted short (`core.engine.quoting`), and a message that
quotes it some other way (argparse's `invalid choice: '…'`) is cut here, its end (the hint) kept."""


def bounded(message: str) -> str:
    if len(message) <= MAX_MESSAGE_CHARS:
        return message
    return f"{message[:200]}… ({len(message):,} characters, cut) …{message[-300:]}"


def fail(message: str, code: int = USAGE_ERROR) -> NoReturn:
    """One line on stderr and exit `code`; a stderr that cannot be written to loses only the line."""
    if sys.stderr is not None:
        try:
            print(f"{PROGRAM}: error: {bounded(message)}", file=sys.stderr, flush=True)
        except (OSError, ValueError):
            pass
    raise SystemExit(code)


def is_json(fmt: str) -> bool:
    return fmt in JSON_FORMATS


def write(text: str, end: str = "\n", *, json_text: bool = False) -> None:
    """Print to stdout at once (flushed, so what is printed is never lost to an interruption).

    A reader that closes the pipe early (`| head -1`) ends the program quietly, as `head` asked. Output
    that cannot be written at all (`> /dev/full`, a closed stdout `>&-`) ends it with one line on
    stderr and `OUTPUT_ERROR`: a script must not take a lost result for a success. `json_text`: the text is
    JSON, whose characters stdout's encoding lacks may be written as `\\uXXXX` escapes (see the module).
    """
    stream = sys.stdout
    if stream is None:
        fail("cannot write the output: standard output is closed", OUTPUT_ERROR)
    try:
        _write_whole(stream, text + end, JSON_ESCAPE if json_text else None)
    except UnicodeEncodeError as error:
        fail(unencodable(error, stream.encoding), OUTPUT_ERROR)
    except BrokenPipeError:
        _silence_stdout()
        raise SystemExit(0) from None
    except OSError as error:
        _silence_stdout()
        fail(f"cannot write the output: {error.strerror or error}", OUTPUT_ERROR)
    except ValueError:
        fail("cannot write the output: standard output is closed", OUTPUT_ERROR)


def unencodable(error: UnicodeEncodeError, encoding: str | None) -> str:
    """The line for text that stdout's encoding cannot hold: which character, and how to get a UTF-8 stdout."""
    char = error.object[error.start:error.end][:1]
    return (f"cannot write the output: standard output's encoding ({encoding}) has no {char!r} (U+{ord(char):04X}); "
            "use a UTF-8 terminal (LANG=C.UTF-8) or set PYTHONIOENCODING=utf-8, or ask for --format json")


def _write_whole(stream: IO[str], text: str, errors: str | None = None) -> None:
    """`stream.write(text)` and a flush, every byte of it.

    Unbuffered (`python -u`, PYTHONUNBUFFERED=1, as many containers run), stdout's text layer writes straight
    to the descriptor and ignores how much a write took: a write into a full pipe that a signal interrupts
    part-way returns short, and the rest of the text was dropped (`descent --format jsonl` ended SIGTERM with
    a JSON line cut in two). So the bytes go to the binary layer here, in a loop until all are written.
    `errors`: the codec's error handler instead of the stream's own (JSON's escapes)."""
    binary = getattr(stream, "buffer", None)
    if binary is None or os.linesep != "\n":  # a text-only stream (a test's StringIO), or newlines translated
        stream.write(text)
        stream.flush()
        return
    encoded = text.encode(stream.encoding or "utf-8", errors or stream.errors or "strict")  # before any byte is out
    stream.flush()  # anything written to the text layer before this
    data = memoryview(encoded)
    while data:
        written = binary.write(data)
        if written is None:  # a non-blocking descriptor that is full: wait until it takes more
            select.select([], [binary], [])
            continue
        data = data[written:]
    binary.flush()


def flush_output() -> None:
    """Flush stdout before exiting, so a late write error is the same one line, not the interpreter's traceback."""
    write("", end="")


def _silence_stdout() -> None:
    """Point stdout's descriptor at /dev/null, so the interpreter's last flush of the unwritten text succeeds."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


