"""What one student has done in this run of the app: held by the app, not by a screen, so moving
between lessons and screens never loses it (a screen may be rebuilt; the session is not)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Session:
    """The lessons visited and each lesson's shared state."""

    visited: set[str] = field(default_factory=set)
    """Lesson ids opened at least once, for the map's marks."""
