"""Where the student was: the lesson shown when the app closed, and each lesson's position in it.

Kept in `$XDG_STATE_HOME/backprop-tui/place.json` (read by the shared state-file reader, so any bytes in it
are one warning and a fresh start). Two windows may share the file: each saves, under the state files' lock,
only the positions it set or cleared itself onto the file as it is then, so neither loses the other's.

A position is a small flat object each screen writes and reads back itself (the stepper's step, the descent's
iteration, the two-neurons part, β0 and β1): this module only checks that it is flat, finite and small, and
never interprets it.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .state_files import StateFileError, locked, read_state, state_dir, write_state

PLACE_FILE = "place.json"
VERSION = 1
MAX_FIELDS = 16
MAX_TEXT = 200
Position = dict[str, int | float | str | bool]
"""One lesson's position: a few named scalars."""


@dataclass
class Place:
    """The lesson (a mode of the app) to reopen, and the positions of the lessons visited."""

    lesson: str | None = None
    positions: dict[str, Position] = field(default_factory=dict)
    changed: set[str] = field(default_factory=set)
    """The lessons whose position this run set or cleared since it last saved: all a save writes of positions."""

    def keep(self, mode: str, position: Position | None) -> None:
        """Record `mode`'s position as this run left it (None: at its start, so nothing to reopen)."""
        if position is None:
            self.positions.pop(mode, None)
        else:
            self.positions[mode] = position
        self.changed.add(mode)

    def onto(self, saved: dict[str, Position]) -> dict[str, Any]:
        """The file's document once this run's changes are applied to the positions `saved` there."""
        merged = dict(saved)
        for mode in self.changed:
            if mode in self.positions:
                merged[mode] = self.positions[mode]
            else:
                merged.pop(mode, None)
        return {"version": VERSION, "lesson": self.lesson, "positions": merged}


def _scalar(value: Any) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, (bool, int)) or (isinstance(value, str) and len(value) <= MAX_TEXT)


def _position(value: Any) -> Position | None:
    if not isinstance(value, dict) or len(value) > MAX_FIELDS:
        return None
    if not all(isinstance(key, str) and _scalar(item) for key, item in value.items()):
        return None
    return dict(value)


def _positions(document: dict[str, Any], modes: Collection[str] | None) -> dict[str, Position]:
    """The flat, finite positions in a saved document, of the lessons in `modes` (None: of any lesson, so a save
    keeps those a newer version wrote)."""
    positions = document.get("positions")
    kept: dict[str, Position] = {}
    if isinstance(positions, dict):
        for mode, value in positions.items():
            position = _position(value) if modes is None or mode in modes else None
            if position is not None:
                kept[mode] = position
    return kept


def place_from(document: dict[str, Any], modes: Collection[str]) -> Place:
    """The usable part of a saved place: an unknown lesson is dropped, as is any position not flat and finite."""
    lesson = document.get("lesson")
    return Place(lesson if isinstance(lesson, str) and lesson in modes else None, _positions(document, modes))


class PlaceStore:
    """Read once at start, written on every lesson switch and on exit; problems said once, never fatal."""

    def __init__(self, directory: Path | None = None) -> None:
        self.path = (directory or state_dir()) / PLACE_FILE
        self.problem: str | None = None
        self.saving = True

    def load(self, modes: Collection[str]) -> Place:
        try:
            document = read_state(self.path)
        except StateFileError as error:
            self.problem = f"{error}: starting from the first lesson"
            return Place()
        return Place() if document is None else place_from(document, modes)

    def save(self, place: Place) -> None:
        """Write the lesson shown and this run's changed positions onto the file as another window may have left
        it (re-read under the lock; an unreadable file is replaced, as a fresh start would)."""
        if not self.saving:
            return
        try:
            with locked(self.path):
                try:
                    on_disk = read_state(self.path) or {}
                except StateFileError:
                    on_disk = {}
                write_state(self.path, place.onto(_positions(on_disk, None)))
            place.changed.clear()
        except (OSError, ValueError) as error:
            self.saving = False
            self.problem = self.problem or f"cannot write {self.path} ({getattr(error, 'strerror', None) or error}): " \
                                           "your place will not be kept"
