"""Where the student was: the lesson shown when the app closed, and each lesson's position in it.

Kept in `$XDG_STATE_HOME/backprop-tui/place.json` (read by the shared state-file reader, so any bytes in it
are one warning and a fresh start). A position is a small flat object each screen writes and reads back
itself (the stepper's step, the descent's iteration, the two-neurons part, β0 and β1): this module only
checks that it is flat, finite and small, and never interprets it.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .state_files import StateFileError, read_state, state_dir, write_state

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

    def document(self) -> dict[str, Any]:
        return {"version": VERSION, "lesson": self.lesson, "positions": self.positions}


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


def place_from(document: dict[str, Any], modes: Collection[str]) -> Place:
    """The usable part of a saved place: an unknown lesson is dropped, as is any position not flat and finite."""
    lesson = document.get("lesson")
    positions = document.get("positions")
    kept: dict[str, Position] = {}
    if isinstance(positions, dict):
        for mode, value in positions.items():
            position = _position(value) if mode in modes else None
            if position is not None:
                kept[mode] = position
    return Place(lesson if isinstance(lesson, str) and lesson in modes else None, kept)


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
        if not self.saving:
            return
        try:
            write_state(self.path, place.document())
        except (OSError, ValueError) as error:
            self.saving = False
            self.problem = self.problem or f"cannot write {self.path} ({getattr(error, 'strerror', None) or error}): " \
                                           "your place will not be kept"
