"""Loading a graph into the stepper screen: at once for a graph of usual size, in a thread for a big one.

Stepping a graph through (its stepper, the completed table, the layer groups) costs about 0.15 ms a node: some
1.4 s for the 9,000 nodes of a long sum typed in the edit form, or for `m` on it, and during that time the
screen drew nothing and answered no key, not even `q`. A graph of more than `BACKGROUND_NODES` nodes is now
stepped through in a thread once the screen already shows a graph: the old one stays on the screen and keeps
answering keys, a note says what is being built, and the newest request wins (a build that ends after a later
load began is dropped). A screen's first graph is still built at once, before its first frame, as every
lesson's is, so nothing is drawn empty.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual import work
from textual.screen import Screen

from backprop_tui.core.layout.grouping import Grouping, group_layers
from backprop_tui.core.stepping.problem import Problem
from backprop_tui.core.stepping.snapshot import Snapshot
from backprop_tui.core.stepping.steppers import Stepper

BACKGROUND_NODES = 2_000
"""Above this many nodes (about 0.3 s of work) a graph the screen switches to is stepped through in a thread."""
CANNOT_STEP = "Cannot step through this graph"


@dataclass(frozen=True)
class Built:
    """A problem stepped through: what the screen's widgets are handed when it is shown."""

    problem: Problem
    stepper: Stepper
    final: Snapshot
    groups: Grouping


def build(problem: Problem) -> Built:
    """All the core work of showing `problem` (raises ValueError or ArithmeticError for a graph it cannot step)."""
    stepper = problem.stepper()
    return Built(problem, stepper, stepper.final(), group_layers(problem.graph))


class LoadsInBackground(Screen[None]):
    """`load` for the stepper screen, which shows what it is handed in `show_built`."""

    stepper: Stepper | None = None
    loads = 0
    """How many loads this screen has begun: a build finished in a thread is shown only if it is still the last."""

    def show_built(self, built: Built, index: int) -> None:
        raise NotImplementedError

    def load(self, problem: Problem, index: int = 0, then: Callable[[], None] | None = None) -> bool:
        """Show `problem` from step `index`, then call `then`; False (the current graph kept, a notification
        shown) if it cannot be stepped through. A big graph is built in a thread: True at once, shown later."""
        self.loads += 1
        if self.stepper is not None and len(problem.graph) > BACKGROUND_NODES:
            self.notify(f"stepping through {len(problem.graph):,} nodes…", title="Building the table", timeout=3)
            self._build_in_thread(problem, index, then, self.loads)
            return True
        try:
            built = build(problem)
        except (ValueError, ArithmeticError) as error:
            self.notify(str(error), title=CANNOT_STEP, severity="error")
            return False
        self._show(built, index, then)
        return True

    @work(thread=True, group="stepper-build", exit_on_error=False)
    def _build_in_thread(self, problem: Problem, index: int, then: Callable[[], None] | None, load: int) -> None:
        try:
            built = build(problem)
        except (ValueError, ArithmeticError) as error:
            self.app.call_from_thread(self._refused, str(error), load)
            return
        self.app.call_from_thread(self._arrived, built, index, then, load)

    def _arrived(self, built: Built, index: int, then: Callable[[], None] | None, load: int) -> None:
        if load == self.loads and self.is_mounted:
            self._show(built, index, then)

    def _refused(self, message: str, load: int) -> None:
        if load == self.loads and self.is_mounted:
            self.notify(message, title=CANNOT_STEP, severity="error")

    def _show(self, built: Built, index: int, then: Callable[[], None] | None) -> None:
        self.show_built(built, index)
        if then is not None:
            then()
