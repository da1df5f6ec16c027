"""What one student has done in this run of the app: held by the app, not by a screen, so moving
between lessons and screens never loses it (a screen may be rebuilt; the session is not).

It also holds what is kept between runs: the practice progress (one store every screen shares, so
the list, an exercise and the stepper's `k` never hold two copies) and the student's place (the lesson
shown and each lesson's position, see `resume`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .resume import Place

if TYPE_CHECKING:
    from .classification import HandParams
    from .progress_store import ProgressStore


@dataclass
class Session:
    """The lessons visited and each lesson's shared state."""

    visited: set[str] = field(default_factory=set)
    """Lesson ids opened at least once, for the map's marks."""

    hand_seed: int | None = None
    """The seed of the last random draw (`r`), shown on screen; None before the first draw."""

    state_directory: Path | None = None
    """Where progress and place are kept (None: `$XDG_STATE_HOME/backprop-tui`)."""
    place: Place = field(default_factory=Place)
    """Each lesson's position as last left (saved on a lesson switch and on exit), and the lesson shown."""
    progress_on_disk: bool = True
    """Whether practice progress is kept in the state folder (False in a classroom tab: this run only)."""
    _progress: ProgressStore | None = None
    _hand: HandParams | None = None

    @property
    def hand(self) -> HandParams:
        """β0 and β1 as the student set them by hand, shared by the `classification` and `loss` lessons; slides
        15-16's bad computer until then. Made when first read: the app makes its session as it starts, and the
        classification lesson's module (with the Heart data's loader) is not needed to show the stepper."""
        if self._hand is None:
            from .classification import HandParams

            self._hand = HandParams.bad_computer()
        return self._hand

    @hand.setter
    def hand(self, params: HandParams) -> None:
        self._hand = params

    @property
    def progress(self) -> ProgressStore:
        """The practice progress, opened when first needed and shared by every screen from then on."""
        if self._progress is None:
            from .progress_store import ProgressStore

            self._progress = ProgressStore(self.state_directory, on_disk=self.progress_on_disk)
        return self._progress
