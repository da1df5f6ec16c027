"""The app's state files in `$XDG_STATE_HOME/backprop-tui/`: one reader, one writer, one lock for all of them.

State files are the student's, and anything can be in their place: random bytes, a number too large for a
float, arrays nested a hundred thousand deep, a FIFO, a directory, a symlink to /dev/zero, a gigabyte file.
None of it may stop, hang or swell the app. So a state file is read only when it is a regular file of at most
`MAX_BYTES` (opened without blocking, checked on the open descriptor), decoded as strict UTF-8 and parsed as
JSON with every error the parser can raise caught; each failure is one `StateFileError` whose message is
the single warning line the caller shows. Writes go to a temporary file then `os.replace`, so a crash never
leaves half a file; `locked` serialises read-merge-write cycles between processes (two windows, or the app
beside `practice --status`/`--reset`) with an exclusive `fcntl` lock on a side file.

Pure standard library: opening a state file costs no numpy and none of the lessons' code.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

MAX_BYTES = 1 << 20
"""State files are kilobytes: anything larger than a megabyte is not ours, and is never read into memory."""
APP_FOLDER = "backprop-tui"


class StateFileError(Exception):
    """Why a state file cannot be used, as one line for the student (the file's path included)."""


def state_dir(environ: Mapping[str, str] | None = None) -> Path:
    """`$XDG_STATE_HOME/backprop-tui`, or `~/.local/state/backprop-tui` when it is unset or not absolute."""
    environ = os.environ if environ is None else environ
    base = environ.get("XDG_STATE_HOME", "")
    root = Path(base) if base and os.path.isabs(base) else Path(environ.get("HOME") or Path.home()) / ".local/state"
    return root / APP_FOLDER


def read_state(path: Path, max_bytes: int = MAX_BYTES) -> dict[str, Any] | None:
    """The JSON object in `path`; None when there is no file. Raises `StateFileError` for anything else
    that is not a readable regular file of at most `max_bytes` holding a UTF-8 JSON object."""
    try:
        # O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting for one.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return None
    except OSError as error:
        raise StateFileError(f"cannot read {path} ({error.strerror or error})") from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise StateFileError(f"{path} is not a regular file")
        if info.st_size > max_bytes:
            raise StateFileError(f"{path} is too large ({info.st_size:,} bytes; at most {max_bytes:,})")
        data = _read_at_most(descriptor, max_bytes + 1)
    except OSError as error:
        raise StateFileError(f"cannot read {path} ({error.strerror or error})") from None
    finally:
        os.close(descriptor)
    if len(data) > max_bytes:  # it grew while being read
        raise StateFileError(f"{path} is too large (more than {max_bytes:,} bytes)")
    try:
        document = json.loads(data.decode("utf-8"), parse_constant=_refuse_constant)
    except UnicodeDecodeError:
        raise StateFileError(f"{path} is corrupt (not UTF-8 text)") from None
    except RecursionError:
        raise StateFileError(f"{path} is corrupt (nested too deeply)") from None
    except (ValueError, OverflowError, MemoryError) as error:
        raise StateFileError(f"{path} is corrupt ({_first_line(error)})") from None
    if not isinstance(document, dict):
        raise StateFileError(f"{path} is corrupt (not a JSON object)")
    return document


def _read_at_most(descriptor: int, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while size < limit:
        chunk = os.read(descriptor, min(1 << 16, limit - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _refuse_constant(name: str) -> Any:
    """NaN and Infinity are not JSON; a state file holding them was not written by us."""
    raise ValueError(f"{name} is not a JSON number")


def _first_line(error: BaseException) -> str:
    text = str(error) or type(error).__name__
    return text.splitlines()[0][:120]


def write_state(path: Path, document: Any) -> None:
    """Write `document` as JSON atomically (a temporary file in the same folder, then `os.replace`).
    Raises OSError when it cannot; the temporary file never outlives a failure."""
    import tempfile  # only when writing: start-up reads, and tempfile's imports are not free

    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(document, stream, ensure_ascii=False, indent=1, allow_nan=False)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock for `path` (on `path` + `.lock`, which is never replaced, unlike `path` itself)
    while a caller re-reads, merges and writes it. Raises OSError when the lock file cannot be made."""
    import fcntl

    path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = path.with_name(path.name + ".lock")
    descriptor = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0), 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock
