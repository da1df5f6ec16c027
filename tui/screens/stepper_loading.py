"""Loading a graph into the stepper screen: at once for a graph of usual size, in a thread for a big one.

Stepping a graph through (its stepper, the completed table, the layer groups) costs about 0.15 ms a node: some
1.4 s for the 9,000 nodes of a long sum typed in the edit form, or for `m` on it, and during that time the
screen drew nothing and answered no key, not even `q`. A graph of more than `BACKGROUND_NODES` nodes is now
stepped through in a thread once the screen already shows a graph: the old one stays on the screen and keeps
answering keys, a note says what is being built, and the newest request wins (a build that ends after a later
load began is dropped). One build runs at a time: a request made meanwhile waits, and replaces any request
already waiting, so hammering `m` on a 9,000-node graph builds two tables, not twenty at once. A screen's
first graph is still built at once, before its first frame, as every lesson's is, so nothing is drawn empty.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from textual import work
from textual.screen import Screen

from backprop_tui.core.layout.grouping import Grouping, group_layers
from backprop_tui.core.stepping.problem import Problem
from backprop_tui.core.stepping.snapshot import Snapshot
from backprop_tui.core.stepping.steppers import Stepper

BACKGROUND_NODES = 2_000
"""Above this many nodes (about 0.3 s of work) a graph the screen switches to is stepped through in a thread."""
CANNOT_STEP = "Cannot step through this graph"


class Built(NamedTuple):
    """A problem stepped through: what the screen's widgets are handed when it is shown.

    A NamedTuple, as `Request`: this module is on start-up's path, where a frozen dataclass costs about 1 ms
    to create (Python 3.11 compiles its methods) and a NamedTuple a fifth of that; neither is ever compared."""

    problem: Problem
    stepper: Stepper
    final: Snapshot
    groups: Grouping


class Request(NamedTuple):
    """A load asked for: the problem, the step to show, what to do once shown, and the load's number."""

    problem: Problem
    index: int
    then: Callable[[], None] | None
    load: int


def build(problem: Problem) -> Built:
    """All the core work of showing `problem` (raises ValueError or ArithmeticError for a graph it cannot step)."""
    stepper = problem.stepper()
    return Built(problem, stepper, stepper.final(), group_layers(problem.graph))


class LoadsInBackground(Screen[None]):
    """`load` for the stepper screen, which shows what it is handed in `show_built`."""

    stepper: Stepper | None = None
    loads = 0
    """How many loads this screen has begun: a build finished in a thread is shown only if it is still the last."""
    building = False
    """Whether a thread is stepping a graph through now."""
    waiting: Request | None = None
    """The newest request made while a build ran, started when it ends."""

    def show_built(self, built: Built, index: int) -> None:
        raise NotImplementedError

    def load(self, problem: Problem, index: int = 0, then: Callable[[], None] | None = None) -> bool:
        """Show `problem` from step `index`, then call `then`; False (the current graph kept, a notification
        shown) if it cannot be stepped through. A big graph is built in a thread: True at once, shown later."""
        self.loads += 1
        if self.stepper is not None and len(problem.graph) > BACKGROUND_NODES:
            request = Request(problem, index, then, self.loads)
            if self.building:
                self.waiting = request
            else:
                self._start(request)
            return True
        try:
            built = build(problem)
        except (ValueError, ArithmeticError) as error:
            self.notify(str(error), title=CANNOT_STEP, severity="error")
            return False
        self._show(built, index, then)
        return True

    def _start(self, request: Request) -> None:
        self.building = True
        nodes = len(request.problem.graph)
        self.notify(f"stepping through {nodes:,} nodes…", title="Building the table", timeout=3)
        self._build_in_thread(request)

    @work(thread=True, group="stepper-build", exit_on_error=False)
    def _build_in_thread(self, request: Request) -> None:
        try:
            built = build(request.problem)
        except (ValueError, ArithmeticError) as error:
            self.app.call_from_thread(self._refused, str(error), request)
            return
        except Exception as error:  # a fault of ours: said, and the next build still starts (never stuck)
            self.app.call_from_thread(self._refused, f"{type(error).__name__}: {error}", request)
            return
        self.app.call_from_thread(self._arrived, built, request)

    def _arrived(self, built: Built, request: Request) -> None:
        self._next()
        if request.load == self.loads and self.is_mounted:
            self._show(built, request.index, request.then)

    def _refused(self, message: str, request: Request) -> None:
        self._next()
        if request.load == self.loads and self.is_mounted:
            self.notify(message, title=CANNOT_STEP, severity="error")

    def _next(self) -> None:
        """A build has ended: start the request that waited for it, if it is still the newest."""
        self.building = False
        waiting, self.waiting = self.waiting, None
        if waiting is not None and waiting.load == self.loads and self.is_mounted:
            self._start(waiting)

    def _show(self, built: Built, index: int, then: Callable[[], None] | None) -> None:
        self.show_built(built, index)
        if then is not None:
            then()
