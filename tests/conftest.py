"""Shared test set-up, and every helper the tests share, as fixtures.

Tests take what they share as fixture arguments instead of importing another test module: a test file
then runs on its own under any import mode, and pytest says which test uses which helper.

Snapshot tests compare rendered SVGs, which differ when NO_COLOR is set in the environment (some CI
machines and terminals set it), so it is cleared before any app is created.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Awaitable, Callable
from types import ModuleType

import pytest

os.environ.pop("NO_COLOR", None)
os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")

import textual._wait  # noqa: E402 (Pilot's idle wait, tuned below before any app is created)

textual._wait.SLEEP_GRANULARITY = 0.005
textual._wait.SLEEP_IDLE = textual._wait.SLEEP_GRANULARITY / 20
"""Pilot's `press` and `pause` wait until the process is idle: they sleep a slice at a time until a slice passes
with (almost) no CPU used. Textual's slice is 20 ms, and a key press waits at least two slices, so the Pilot tests
spent most of their time asleep (tests/test_monkey.py: 1,000s of presses). A 5 ms slice with the same idle ratio
(1/20 of the slice) ends the wait as soon as the app is idle; what a test waits *for* is unchanged: every message
processed (Pilot's own wait), animations finished, and, where a test needs them, the workers (`settle`)."""

from support.graphs import build_mlp_problem  # noqa: E402 (after the environment is set)

from backprop_tui.core.stepping.problem import Problem, build_problem  # noqa: E402
from backprop_tui.tui.app import BackpropApp  # noqa: E402


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config) -> None:
    """`--snapshot-update` runs in one process: syrupy under pytest-xdist sees each worker's share of a file's
    tests only, and would take the other workers' snapshots for unused ones."""
    if getattr(config.option, "update_snapshots", False):
        config.option.numprocesses = 0


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto` (the README's `pytest`): one worker more than the machine has cores. A Pilot test spends about a
    quarter of its time waiting for the app to go idle (and the serve tests for their servers), a core left
    unused; a third worker on the 2-core machine fills those waits (the suite: 5 min 41 s → 4 min 58 s)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return cores + 1


LONGEST_FIRST = (
    "test_monkey.py::test_two_thousand_random_keys",
    "test_monkey.py::test_a_long_monkey",
    "test_lecture.py::test_every_example_agrees_across_modes_and_with_finite_differences[mlp-16-16]",
)
"""The longest tests, longest first (measured with `--durations`): 22 s, 7-19 s and 15 s on the idle 2-core machine."""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run the slow tests first, the longest of them at the very front; the rest keeps its order.

    pytest-xdist's worksteal hands each worker a contiguous share of this list and an idle worker steals from
    the *end* of another's queue. In file order the monkeys (a fifth of the suite's time) sat at the head of one
    worker's share, so they ran one after another on it while the other worker had finished. Longest first,
    what is left to steal at the end is short, and the workers finish together. The order is the same in every
    worker (xdist checks that every worker collected the same list)."""

    def rank(item: pytest.Item) -> tuple[int, int]:
        longest = next((place for place, name in enumerate(LONGEST_FIRST) if name in item.nodeid), len(LONGEST_FIRST))
        return (0 if item.get_closest_marker("slow") else 1, longest)

    items.sort(key=rank)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Collect garbage less often once the tests are collected: the collector's time is not what the tests test.

    Each Pilot test builds and discards tens of thousands of Textual objects (widgets, strips, segments, styles).
    With Python's default thresholds (700, 10, 10) the cyclic collector ran thousands of times per test, and
    each full pass walked every object the imports had made (Textual, Rich, numpy, the app): about a sixth of
    the monkeys' and the fit checks' CPU time. The modules and fixtures made so far are frozen out of its walks,
    and a young generation of 10,000 objects makes its passes ten times rarer. Garbage is still collected:
    the tests that measure memory measure the same objects (tracemalloc counts them either way)."""
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)


SIZE = (120, 40)
"""The terminal the app is designed for."""
SMALL = (80, 24)
"""The smallest common terminal: every screen must still work there."""


@pytest.fixture
def size() -> tuple[int, int]:
    """The terminal the app is designed for (columns, rows)."""
    return SIZE


@pytest.fixture
def small() -> tuple[int, int]:
    """An 80×24 terminal, where every screen goes compact."""
    return SMALL


@pytest.fixture
def lecture_app() -> Callable[..., BackpropApp]:
    """A factory: the app on a lecture example with its default inputs, `lecture_app(example, mode)`."""

    def make(example: str = "lecture-full", mode: str = "reverse") -> BackpropApp:
        return BackpropApp(build_problem(example, mode=mode))

    return make


@pytest.fixture
def descent_app() -> Callable[..., BackpropApp]:
    """A factory: the app opened on the descent lesson as `backprop-tui descent --tui` with `options` does
    (`example="minima"` opens the minima lesson, as the command line does)."""
    from backprop_tui.core.training.setup import DescentOptions, build, resolve

    def make(**options: object) -> BackpropApp:
        lesson = "minima" if options.get("example") == "minima" else "descent"
        return BackpropApp(lesson=lesson, descent_setup=build(resolve(DescentOptions(**options))))  # type: ignore[arg-type]

    return make


@pytest.fixture
def two_neurons_app() -> Callable[..., BackpropApp]:
    """A factory: the app opened on the two-neurons lesson, as `backprop-tui two-neurons --tui [--seed N]` does."""
    from backprop_tui.core.lessons import two_neurons

    def make(seed: int = two_neurons.SEED) -> BackpropApp:
        return BackpropApp(lesson="two-neurons", two_neurons_seed=seed)

    return make


@pytest.fixture
def mlp_problem() -> Callable[..., Problem]:
    """A factory: a 1-16-16-1 sigmoid MLP whose first-layer weights are inputs and the others constants
    (about 100 nodes), the graph the big-graph tests time and expand."""
    return build_mlp_problem


async def settle_app(pilot) -> None:  # noqa: ANN001 (a Textual Pilot)
    """Wait until the app has mounted and every worker (landscape, training, a descent change) has finished
    and reported: the descent screen changes its run in workers, so a test asserts only after this."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await screen_refreshed(pilot)


def refresh_pending(screen) -> bool:  # noqa: ANN001 (a Textual Screen)
    """Whether the screen still owes a repaint, a `call_after_refresh` callback, or its footer's fit to the width
    (the keys arrive after the first frame and are measured after the next): Pilot's idle wait can end between
    two of the screen's 1/60 s refresh ticks.

    A widget's own request counts too, before it reaches the screen: `Static.update` marks the widget, whose next
    idle posts a Layout message to the screen. Seen only on the screen, a busy CI machine caught the two-neurons
    recipe between the two, still at its previous size's height (19 rows where its text had grown to 24)."""
    from backprop_tui.tui.widgets.fitting_footer import FittingFooter

    footers_unfitted = any(not footer.fitted for footer in screen.query(FittingFooter))
    widgets_owing = any(widget._layout_required or widget._repaint_required or widget._refresh_styles_required
                        or widget._scroll_required for widget in screen.walk_children())
    return bool(footers_unfitted or widgets_owing or screen._callbacks or screen._layout_required
                or screen._repaint_required or screen._dirty_widgets or screen._message_queue.qsize())


async def screen_refreshed(pilot, tries: int = 200) -> None:  # noqa: ANN001 (a Textual Pilot)
    """Wait, a refresh tick at a time, until the screen owes nothing (at most `tries` ticks, about 3 s)."""
    for _ in range(tries):
        if not refresh_pending(pilot.app.screen):
            return
        await pilot.pause(1 / 60)


@pytest.fixture
def settle() -> Callable[..., Awaitable[None]]:
    """The coroutine function `await settle(pilot)`: every worker finished and its result shown."""
    return settle_app


@pytest.fixture
def pressing() -> Callable[..., Callable[..., Awaitable[None]]]:
    """A factory of snapshot `run_before`s: `pressing(*keys)` lets the workers finish, presses `keys` and clears
    the toasts, so the snapshot shows the settled state. A run of the same key is pressed at once and settled
    after (the descent driver applies its workers one at a time, so their order does not matter); before a
    different key the workers are waited for, since b then space is not space then b."""

    def make(*keys: str) -> Callable[..., Awaitable[None]]:
        async def run_before(pilot) -> None:  # noqa: ANN001 (a Textual Pilot)
            await settle_app(pilot)
            for index, key in enumerate(keys):
                if index and key != keys[index - 1]:
                    await settle_app(pilot)
                await pilot.press(key)
            await settle_app(pilot)
            pilot.app.clear_notifications()
            await pilot.pause()

        return run_before

    return make


@pytest.fixture
def snap_compare(snap_compare):  # noqa: ANN001, ANN201 (pytest-textual-snapshot's own fixture, wrapped)
    """pytest-textual-snapshot's `snap_compare`, with the screenshot taken once the app has settled after the
    `run_before` and the `press=` keys (workers done, footer fitted, screen refreshed), not whenever the last
    key's idle wait happened to end (5 ms idle slices: see the top of this file)."""

    def compare(app, press=(), terminal_size=(80, 24), run_before=None):  # noqa: ANN001, ANN202
        keys = tuple(press)

        async def settled(pilot) -> None:  # noqa: ANN001
            if run_before is not None:
                result = run_before(pilot)
                if result is not None:
                    await result
            for key in keys:
                await pilot.press(key)
            await settle_app(pilot)

        return snap_compare(app, terminal_size=terminal_size, run_before=settled)

    return compare


@pytest.fixture
def serve() -> ModuleType:
    """The websocket students of `backprop-tui serve` (tests/support/serve_clients.py): `serve.ServerProcess`,
    `serve.open_student`, `serve.step_once`, `serve.alive`, `serve.wait_until`, `serve.screen_text`."""
    from support import serve_clients

    return serve_clients


@pytest.fixture
def bounded() -> ModuleType:
    """Subprocesses under a time and memory bound (tests/support/bounded_process.py): `bounded.run_bounded`,
    `bounded.interrupt_after_lines`."""
    from support import bounded_process

    return bounded_process
