"""Opening a student's CSV file safely: a regular file only, its size and line length capped.

A hostile path must not take the machine: a FIFO without a writer would block a plain `open`
forever, /dev/zero or a file without line breaks would be read into one ever-growing string, and a
sparse file claims gigabytes it never stored. So only a regular file is opened (checked before and,
on the descriptor, after a non-blocking open), its size is checked before a byte is read, and the
text is cut into lines a block at a time, each line and the total capped as they arrive.
"""

from __future__ import annotations

import io
import os
import stat
from collections.abc import Iterator
from importlib.resources.abc import Traversable
from typing import TextIO

Source = str | os.PathLike[str] | Traversable
NONBLOCKING = getattr(os, "O_NONBLOCK", 0)
"""POSIX only: Windows has no FIFOs to block on, nor this flag."""

MAX_FILE_BYTES = 1 << 30
"""The largest CSV loaded (1 GiB): a million rows of a dozen columns take about 60 MB, so this leaves
room for far wider or longer files while keeping a load under a minute and its memory bounded."""
MAX_LINE_CHARS = 1 << 20
"""The longest line read (1 Mi characters): a header of thousands of columns fits; a file without
line breaks is refused after reading this much, never read whole into one string."""
READ_CHARS = 1 << 20
"""Characters read per block: the lines are cut from blocks so no single read can be unbounded."""


class DataError(ValueError):
    """A file the student can fix: the message names the file, the column and the row."""


def open_text(source: Source, name: str) -> tuple[TextIO, int | None]:
    """The file as text, with its size when known; anything but a regular file within the limit is refused.

    The path is checked before opening, for a clear message, and the opened descriptor again, so a
    path swapped for a FIFO in between is still refused; the open is non-blocking, so a FIFO with no
    writer cannot hang it.
    """
    if not isinstance(source, str | os.PathLike):
        try:
            return source.open("r", encoding="utf-8-sig", newline=""), None  # type: ignore[return-value]
        except OSError as error:
            raise DataError(f"cannot read {name}: {error.strerror or error}") from None
    try:
        _check_regular(os.stat(source).st_mode, name)
        descriptor = os.open(source, os.O_RDONLY | NONBLOCKING)
    except FileNotFoundError:
        raise DataError(f"no such file: {source}") from None
    except OSError as error:
        raise DataError(f"cannot read {name}: {error.strerror or error}") from None
    try:
        info = os.fstat(descriptor)
        _check_regular(info.st_mode, name)
        if info.st_size > MAX_FILE_BYTES:
            raise DataError(f"{name} is too large ({size_text(info.st_size)}): "
                            f"the limit is {size_text(MAX_FILE_BYTES)}")
        if NONBLOCKING:
            os.set_blocking(descriptor, True)
        return open(descriptor, encoding="utf-8-sig", newline=""), info.st_size
    except BaseException:
        os.close(descriptor)
        raise


def _check_regular(mode: int, name: str) -> None:
    if stat.S_ISREG(mode):
        return
    kind = ("a directory" if stat.S_ISDIR(mode) else "a named pipe (FIFO)" if stat.S_ISFIFO(mode)
            else "a socket" if stat.S_ISSOCK(mode) else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "something other than a regular file")
    raise DataError(f"{name} is {kind}, not a CSV file")


def size_text(count: int) -> str:
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if count >= size:
            return f"{count / size:.3g} {unit}"
    return f"{count} bytes"


class Lines:
    """The file's lines, a block at a time, never holding more than `READ_CHARS` plus one line.

    Iterating yields lists of lines; `chars` counts the characters read so far, so a reader can
    bound the text it holds. Lines end at \\n, \\r or \\r\\n, as the csv module expects (StringIO
    with newline="" splits exactly so). A line longer than `MAX_LINE_CHARS`, or a file past
    `MAX_FILE_BYTES` (one whose size was not known, or that grows while read), is refused as soon
    as it is seen.
    """

    def __init__(self, handle: TextIO, name: str) -> None:
        self.handle, self.name = handle, name
        self.chars = 0

    def __iter__(self) -> Iterator[list[str]]:
        carry, seen, name = "", 0, self.name
        while block := self.handle.read(READ_CHARS):
            self.chars += len(block)
            if self.chars > MAX_FILE_BYTES:
                raise DataError(f"{name} is too large: the limit is {size_text(MAX_FILE_BYTES)}")
            lines = io.StringIO(carry + block, newline="").readlines()
            carry = lines.pop() if not lines[-1].endswith("\n") else ""
            if lines and len(max(lines, key=len)) > MAX_LINE_CHARS or len(carry) > MAX_LINE_CHARS:
                longest = next((index for index, line in enumerate(lines) if len(line) > MAX_LINE_CHARS),
                               len(lines))
                raise DataError(f"{name}: line {seen + longest + 1} is longer than {MAX_LINE_CHARS:,} characters "
                                f"(the limit): is this a CSV file?")
            seen += len(lines)
            if lines:
                yield lines
        if carry:
            yield [carry]
