"""The pace of an animated run: how many iterations each timer tick takes, within a time budget.

The descent screen's run worker wakes a few times a second and asks `owed()` how many iterations
the speed has earned since the last tick; it steps within a time slice (`BUDGET`) and tells the
clock how far it got (`took`), so a slow step (a large data set) only makes the run slower than
asked, and the screen redraws once per tick whatever the speed.
"""

from __future__ import annotations

import time

SPEEDS = (1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0, 2000.0, 5000.0, 10000.0)
"""Iterations per second, from one at a time to as fast as the steps allow."""
DEFAULT_SPEED = SPEEDS.index(100.0)
TICK = 0.1
"""Seconds between timer ticks: ten redraws a second (drawing the four plots takes about 50 ms)."""
BUDGET = 0.04
"""Seconds of stepping per tick, at most; the rest of the tick is for drawing and keys."""


class RunClock:
    """The speed setting, the iteration a run is heading for, and the iterations owed to it."""

    def __init__(self) -> None:
        self.level = DEFAULT_SPEED
        self.target = 0
        self.tick = TICK
        self._owed = 0.0
        self._started: tuple[float, int] | None = None
        self._done = 0

    @property
    def speed(self) -> float:
        return SPEEDS[self.level]

    def change_speed(self, direction: int) -> None:
        self.level = max(0, min(len(SPEEDS) - 1, self.level + direction))

    @staticmethod
    def next_target(done: int, iterations: int) -> int:
        """A run goes to the --iters limit, or `iterations` further once it is there."""
        return iterations if done < iterations else done + iterations

    def start(self, done: int, iterations: int) -> None:
        self.target = self.next_target(done, iterations)
        self._owed = 1.0
        self._started = (time.perf_counter(), done)
        self._done = done

    def rate(self) -> float | None:
        """Iterations per second actually taken since the run started (slower than asked when steps are slow)."""
        if self._started is None:
            return None
        elapsed = time.perf_counter() - self._started[0]
        return (self._done - self._started[1]) / elapsed if elapsed >= 0.5 else None

    def owed(self, done: int) -> int:
        """Whole iterations earned by one more tick, at most up to the target."""
        self._owed = min(self._owed + self.speed * self.tick, self.speed * self.tick + 1.0)
        return max(0, min(int(self._owed), self.target - done))

    def took(self, count: int, done: int) -> None:
        """The worker took `count` of the owed iterations and the run has `done` in all."""
        self._owed = max(0.0, self._owed - count)
        self._done = done
