"""A big graph opened from the stepper (the edit form, `m`, an example) is stepped through in a thread: the screen
keeps its graph and answers keys meanwhile, and the newest request wins (tui/screens/stepper_loading.py)."""

from __future__ import annotations

import threading

from backprop_tui.core.stepping.problem import build_problem
from backprop_tui.tui.app import BackpropApp
from backprop_tui.tui.screens import stepper_loading
from backprop_tui.tui.screens.stepper_loading import BACKGROUND_NODES
from backprop_tui.tui.widgets import StepperHeader, TraceTable

TERMS = BACKGROUND_NODES + 500
"""A sum of this many X has TERMS − 1 additions, over the threshold: stepped through in a thread."""


def big_problem(mode: str = "reverse"):  # noqa: ANN201 (a Problem)
    return build_problem(None, "+".join(["X"] * TERMS), "X=0.5", mode=mode, wrt="X" if mode == "forward" else None)


def builds_seen(monkeypatch) -> list[str]:  # noqa: ANN001 (pytest's monkeypatch)
    """The thread each `build` ran on, recorded as it runs."""
    seen: list[str] = []
    real = stepper_loading.build

    def recording(problem):  # noqa: ANN001, ANN202
        seen.append(threading.current_thread().name)
        return real(problem)

    monkeypatch.setattr(stepper_loading, "build", recording)
    return seen


async def test_a_big_graph_is_built_in_a_thread_while_the_old_one_answers_keys(settle, monkeypatch):
    app = BackpropApp(build_problem("lecture"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        old = screen.stepper
        seen = builds_seen(monkeypatch)
        assert screen.load(big_problem()) is True
        assert screen.stepper is old, "the big graph was stepped through on the UI thread"
        screen.action_next()  # the old graph still steps while the new one is built (`n`, handled at once)
        assert screen.index == 1 and screen.stepper is old
        await settle(pilot)
        assert seen and seen[0] != threading.main_thread().name
        assert len(screen.problem.graph) == TERMS and screen.stepper is not old
        assert screen.query_one(StepperHeader).problem is screen.problem
        assert screen.query_one(TraceTable).snapshot == screen.stepper.snapshot(screen.index)
        assert any(note.title == "Building the table" for note in app._notifications)


async def test_the_newest_request_wins_over_a_build_still_running(settle):
    app = BackpropApp(build_problem("lecture"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        small = build_problem("lecture-b")
        screen.load(big_problem())
        screen.load(small)  # at once: the big build, ending later, must not replace it
        await settle(pilot)
        assert screen.problem is small
        assert len(screen.stepper.graph) == len(small.graph)


async def test_switching_the_mode_of_a_big_graph_stays_on_its_node(settle):
    app = BackpropApp(big_problem())
    async with app.run_test(size=(120, 40)) as pilot:  # the first graph is built at once, before the first frame
        await settle(pilot)
        screen = app.screen
        assert len(screen.problem.graph) == TERMS
        await pilot.press("n", "n", "n")
        node = screen.stepper.snapshot(screen.index).node
        screen.action_mode()  # `m`: returns at once, the old mode shown while the forward table is built
        assert screen.problem.mode == "reverse"
        await settle(pilot)
        assert screen.problem.mode == "forward"
        assert screen.stepper.snapshot(screen.index).node == node


async def test_hammering_m_on_a_big_graph_builds_one_table_at_a_time(settle, monkeypatch):
    """Twenty `m` in one breath: one build runs, the newest request waits, the ones between are dropped (twenty
    threads at once would each hold a table of thousands of rows)."""
    running, most = [0], [0]
    real = stepper_loading.build
    lock = threading.Lock()

    def counting(problem):  # noqa: ANN001, ANN202
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        try:
            return real(problem)
        finally:
            with lock:
                running[0] -= 1

    app = BackpropApp(big_problem())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        builds = []
        monkeypatch.setattr(stepper_loading, "build", lambda problem: builds.append(problem) or counting(problem))
        for _ in range(20):
            screen.action_mode()
        await settle(pilot)
        await pilot.app.workers.wait_for_complete()
        await settle(pilot)
        assert len(builds) == 2 and most[0] == 1, (len(builds), most[0])
        assert screen.problem.mode == "forward" and not screen.building


async def test_a_build_that_fails_is_said_and_the_next_one_still_runs(settle, monkeypatch):
    """A fault inside a background build (here a KeyError planted in it) is notified, the old graph stays, and the
    screen is not left waiting for a build that will never end: the next big graph is built and shown."""
    app = BackpropApp(build_problem("lecture"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        old = screen.problem
        real = stepper_loading.build

        def failing(problem):  # noqa: ANN001, ANN202
            raise KeyError("planted")

        monkeypatch.setattr(stepper_loading, "build", failing)
        screen.load(big_problem())
        await settle(pilot)
        assert screen.problem is old and not screen.building
        assert any("KeyError" in str(note.message) for note in app._notifications)
        monkeypatch.setattr(stepper_loading, "build", real)
        screen.load(big_problem())
        await settle(pilot)
        assert len(screen.problem.graph) == TERMS
