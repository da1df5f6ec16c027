"""The stepper on graphs too big to show whole: windows that follow the step, key presses that cost
what they change. Work is counted (boxes, rows, rows looked at per key), never timed."""

from __future__ import annotations

import pytest

from backprop_tui.core.layout.window import SHOW_WHOLE_LIMIT, WINDOW_RADIUS
from backprop_tui.core.stepping.problem import build_problem
from backprop_tui.tui.app import BackpropApp
from backprop_tui.tui.screens.stepper import StepperScreen
from backprop_tui.tui.widgets import GraphCanvas, StepExplanation, TraceTable, graph_canvas, trace_table
from backprop_tui.tui.widgets.trace_table import MAX_PINNED

TABLE_ROWS = 2 * trace_table.TABLE_RADIUS + 1 + MAX_PINNED


def fan_out_app(terms: int, mode: str = "reverse") -> BackpropApp:
    return BackpropApp(build_problem(None, "+".join(["X"] * terms), "X=1", mode=mode))


def assert_windows_follow(screen: StepperScreen) -> None:
    """Every region shows the screen's step; the step's node has its box and its row, the cursor on it."""
    snapshot = screen.stepper.snapshot(screen.index)
    canvas, table = screen.query_one(GraphCanvas), screen.query_one(TraceTable)
    assert canvas.snapshot is snapshot and table.snapshot is snapshot
    assert screen.query_one(StepExplanation).snapshot is snapshot
    assert len(canvas.drawing.boxes) <= 2 * WINDOW_RADIUS + 1 + 2
    assert table.row_count <= TABLE_ROWS
    if snapshot.node is not None:
        assert canvas.box_of(snapshot.node) is not None
        assert table.cursor_row == table.get_row_index(snapshot.node)
        shown = table.get_row(snapshot.node)
        assert str(shown[0]) == snapshot.node


async def test_a_graph_past_the_limit_opens_as_windows_that_follow_every_key(size):
    terms = SHOW_WHOLE_LIMIT + 700
    app = fan_out_app(terms)
    async with app.run_test(size=size) as pilot:
        screen = app.screen
        assert isinstance(screen, StepperScreen)
        canvas, table = screen.query_one(GraphCanvas), screen.query_one(TraceTable)
        assert table.windowed and "of 1200" in str(table.border_subtitle)
        assert "of 1200" in str(canvas.border_subtitle)
        assert_windows_follow(screen)
        await pilot.press(*["n"] * 30)
        assert screen.index == 30
        assert_windows_follow(screen)
        await pilot.press("end")
        assert_windows_follow(screen)
        assert screen.stepper.snapshot(screen.index).row("X").accumulated == terms
        await pilot.press(*["p"] * 40)
        assert_windows_follow(screen)
        await pilot.press("home")
        assert_windows_follow(screen)
        await pilot.press("m")  # forward mode: the same graph, a new stepper
        await pilot.press(*["n"] * 5)
        assert screen.problem.mode == "forward"
        assert_windows_follow(screen)


async def test_a_key_press_looks_only_at_the_rows_its_step_changed(monkeypatch, size):
    looked: list[str] = []

    def stage(row):
        looked.append(row.name)
        return (row.value is not None, row.accumulated is not None, len(row.contributions))

    app = fan_out_app(SHOW_WHOLE_LIMIT - 100)  # drawn and tabled whole
    async with app.run_test(size=size) as pilot:
        screen = app.screen
        assert not screen.query_one(TraceTable).windowed
        await pilot.press("n", "n")
        monkeypatch.setattr(trace_table, "row_stage", stage)
        monkeypatch.setattr(graph_canvas, "row_stage", stage)
        presses = 20
        await pilot.press(*["n"] * presses)
        assert screen.index == 22
        # each press: the table looks at the new row, the canvas at it and at the node lit before
        assert len(looked) <= 3 * presses, f"{len(looked)} rows looked at in {presses} presses"


@pytest.mark.slow
async def test_ten_thousand_nodes_open_summarised_and_step_like_the_lecture(size):
    app = fan_out_app(10_000)
    async with app.run_test(size=size) as pilot:
        screen = app.screen
        assert isinstance(screen, StepperScreen)
        assert_windows_follow(screen)
        await pilot.press("end", *["p"] * 10)
        assert_windows_follow(screen)
        assert "nodes" in str(screen.query_one(GraphCanvas).border_subtitle)
