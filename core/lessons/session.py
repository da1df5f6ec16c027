"""What one student has done in this run of the app: held by the app, not by a screen, so moving
between lessons and screens never loses it (a screen may be rebuilt; the session is not)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .classification import HandParams


@dataclass
class Session:
    """The lessons visited and each lesson's shared state."""

    visited: set[str] = field(default_factory=set)
    """Lesson ids opened at least once, for the map's marks."""

    hand: HandParams = field(default_factory=HandParams.bad_computer)
    """β0 and β1 as the student set them by hand, shared by the `classification` and `loss` lessons."""
    hand_seed: int | None = None
    """The seed of the last random draw (`r`), shown on screen; None before the first draw."""
