"""Pilot tests of the stepper: keys and clicks move the step, and every region follows the core's state."""

from __future__ import annotations

import sys

import pytest
from textual.widgets import Input

from backprop_tui.core.stepping.problem import build_problem
from backprop_tui.core.stepping.step_store import step_of
from backprop_tui.core.stepping.steppers import ForwardStepper, ReverseStepper
from backprop_tui.core.stepping.table import accumulated_text
from backprop_tui.tui.app import BackpropApp
from backprop_tui.tui.dialogs.choice import ChoiceScreen
from backprop_tui.tui.dialogs.edit import EditScreen
from backprop_tui.tui.dialogs.help import HelpScreen
from backprop_tui.tui.screens.stepper import StepperScreen
from backprop_tui.tui.screens.too_small import TooSmallScreen
from backprop_tui.tui.widgets import GraphCanvas, StepExplanation, StepperHeader, TraceTable
from backprop_tui.tui.widgets.trace_table import COLUMNS


def stepper_screen(app: BackpropApp) -> StepperScreen:
    screen = app.screen
    assert isinstance(screen, StepperScreen)
    return screen


def assert_in_step(screen: StepperScreen, index: int) -> None:
    """Every region shows the same step, and the table's cursor sits on its node."""
    assert screen.index == index
    snapshot = screen.stepper.snapshot(index)
    table = screen.query_one(TraceTable)
    assert screen.query_one(GraphCanvas).snapshot is snapshot
    assert table.snapshot is snapshot
    assert screen.query_one(StepExplanation).snapshot is snapshot
    assert screen.query_one(StepperHeader).snapshot is snapshot
    if snapshot.node is not None:
        assert table.cursor_row == table.get_row_index(snapshot.node)
        assert table.show_cursor


async def test_opens_the_lecture_example_ready_to_step(size):
    app = BackpropApp()
    async with app.run_test(size=size):
        screen = stepper_screen(app)
        assert screen.problem.source.text == "lecture"
        assert screen.problem.inputs == {"X": 3.0, "y": 1.0, "W": 3.0}
        assert isinstance(screen.stepper, ReverseStepper)
        assert_in_step(screen, 0)
        assert not screen.query_one(TraceTable).show_cursor


@pytest.mark.parametrize("presses", [1, 5, 13])
async def test_n_moves_forward_one_step_per_press(presses, lecture_app, size):
    app = lecture_app()
    async with app.run_test(size=size) as pilot:
        await pilot.press(*["n"] * presses)
        assert_in_step(stepper_screen(app), presses)


async def test_p_left_and_right_move_back_and_forth(lecture_app, size):
    app = lecture_app()
    async with app.run_test(size=size) as pilot:
        await pilot.press("n", "n", "n", "p")
        assert_in_step(stepper_screen(app), 2)
        await pilot.press("right", "right", "left")
        assert_in_step(stepper_screen(app), 3)


async def test_home_end_and_the_ends_are_sticky(lecture_app, size):
    app = lecture_app()
    async with app.run_test(size=size) as pilot:
        screen = stepper_screen(app)
        await pilot.press("end")
        assert_in_step(screen, len(screen.stepper) - 1)
        await pilot.press("n")
        assert_in_step(screen, len(screen.stepper) - 1)
        await pilot.press("home", "p")
        assert_in_step(screen, 0)


async def test_the_table_at_the_end_shows_the_same_text_as_the_cli_table(lecture_app, size):
    app = lecture_app()
    async with app.run_test(size=size) as pilot:
        await pilot.press("end")
        screen = stepper_screen(app)
        table = screen.query_one(TraceTable)
        for row in screen.stepper.final().rows:
            cell = table.get_cell(row.name, COLUMNS[-1]).plain.replace("\n", " ")
            assert cell == accumulated_text(row)


async def test_fan_out_sum_is_built_one_contribution_per_step(lecture_app, size):
    app = lecture_app("lecture-full")
    async with app.run_test(size=size) as pilot:
        screen = stepper_screen(app)
        steps = enumerate(screen.stepper.steps)
        first, second = [i for i, step in steps if step.node == "ξ4" and step.kind == "adjoint"]
        await pilot.press(*["n"] * first)
        table = screen.query_one(TraceTable)
        assert table.get_cell("ξ4", "accumulated").plain == "−(1+e^-9) = -1.00012341"
        await pilot.press("n")
        assert screen.index == second
        assert (table.get_cell("ξ4", "accumulated").plain.replace("\n", " ")
                == "-1.00012341 + 0 = −(1+e^-9) = -1.00012341")


async def test_m_switches_mode_keeps_inputs_and_stays_on_the_node(lecture_app, size):
    app = lecture_app("lecture")
    async with app.run_test(size=size) as pilot:
        await pilot.press("n", "n", "n")
        screen = stepper_screen(app)
        node = screen.stepper.snapshot(3).node
        await pilot.press("m")
        assert screen.problem.mode == "forward"
        assert isinstance(screen.stepper, ForwardStepper)
        assert screen.problem.inputs == {"X": 3.0, "y": 1.0, "W": 3.0}
        assert screen.stepper.snapshot(screen.index).node == node
        assert_in_step(screen, screen.index)
        assert screen.query_one(TraceTable).columns[COLUMNS[-1]].label.plain == "dξ/dW"
        await pilot.press("m")
        assert isinstance(screen.stepper, ReverseStepper)


async def test_w_picks_the_input_and_switches_to_forward_mode(lecture_app, size):
    app = lecture_app("lecture")
    async with app.run_test(size=size) as pilot:
        await pilot.press("w")
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("home", "enter")
        screen = stepper_screen(app)
        assert (screen.problem.mode, screen.problem.wrt) == ("forward", "X")
        assert screen.stepper.wrt == "X"


async def test_x_opens_an_example_from_the_picker(lecture_app, size):
    app = lecture_app("lecture")
    async with app.run_test(size=size) as pilot:
        await pilot.press("x")
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("down", "down", "down", "enter")
        screen = stepper_screen(app)
        assert screen.problem.source.text == "neuron"
        assert_in_step(screen, 0)


async def test_e_with_a_valid_expression_replaces_the_graph(lecture_app, size):
    app = lecture_app("lecture")
    async with app.run_test(size=size) as pilot:
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, EditScreen)
        form.query_one(f"#{EditScreen.EXPRESSION_ID}", Input).value = "a*b + a"
        form.query_one(f"#{EditScreen.VALUES_ID}", Input).value = "a=2, b=5"
        await pilot.pause()
        assert form.error is None
        await pilot.press("enter")
        screen = stepper_screen(app)
        assert screen.problem.source.text == "a*b + a"
        assert screen.problem.inputs == {"a": 2.0, "b": 5.0}
        assert screen.problem.wrt == "a"
        assert_in_step(screen, 0)


async def test_e_with_an_invalid_expression_shows_the_error_and_keeps_the_graph(lecture_app, size):
    app = lecture_app("lecture")
    async with app.run_test(size=size) as pilot:
        before = stepper_screen(app).problem
        await pilot.press("e")
        form = app.screen
        form.query_one(f"#{EditScreen.EXPRESSION_ID}", Input).value = "1 +* x"
        await pilot.pause()
        assert form.error is not None and form.error.startswith("cannot parse the expression at column")
        message = form.query_one(f"#{EditScreen.MESSAGE_ID}")
        assert message.has_class("-error")
        await pilot.press("enter")
        assert app.screen is form
        assert any(note.message == form.error for note in app._notifications)
        await pilot.press("escape")
        assert stepper_screen(app).problem is before


async def test_clicking_a_node_jumps_to_its_step(lecture_app, size):
    app = lecture_app("lecture")
    async with app.run_test(size=size) as pilot:
        screen = stepper_screen(app)
        canvas = screen.query_one(GraphCanvas)
        box = canvas.drawing.boxes["ξ3"]
        await pilot.click(GraphCanvas, offset=(box.x + 2, box.y + 2))
        assert_in_step(screen, step_of(screen.stepper, "ξ3", backward=False))
        await pilot.press("end")
        box = canvas.drawing.boxes["L"]
        await pilot.click(GraphCanvas, offset=(box.x + 2 - canvas.scroll_x, box.y + 2 - canvas.scroll_y))
        assert screen.stepper.snapshot(screen.index).step.kind == "seed"


async def test_clicking_a_row_jumps_to_its_step(lecture_app, size):
    app = lecture_app("lecture")
    async with app.run_test(size=size) as pilot:
        screen = stepper_screen(app)
        table = screen.query_one(TraceTable)
        above = sum(table.rows[key].height for key in list(table.rows)[:table.get_row_index("ξ2")])
        table.scroll_to(y=above, animate=False)  # the table may be shorter than its rows (a wrapped graph above it)
        await pilot.pause()
        await pilot.click(TraceTable, offset=(3, 2 + above - round(table.scroll_y)))
        assert_in_step(screen, step_of(screen.stepper, "ξ2", backward=False))


async def test_help_screen_opens_and_closes(lecture_app, size):
    app = lecture_app()
    async with app.run_test(size=size) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, StepperScreen)


async def test_g_without_the_descent_screen_notifies(monkeypatch, lecture_app, size):
    """The lesson's message names the lesson now (issue 10: every lesson opens through the app's modes)."""
    monkeypatch.setitem(sys.modules, "backprop_tui.tui.screens.descent", None)
    app = lecture_app()
    async with app.run_test(size=size) as pilot:
        screen = app.screen
        await pilot.press("g")
        await pilot.pause()
        assert app.screen is screen and app.current_mode == "stepper" and app.came_from == []
        assert "descent" not in app.session.visited
        message = "the descent lesson is not available (its screen could not be loaded)"
        assert any(note.message == message for note in app._notifications)


async def test_command_palette_runs_the_same_actions(lecture_app, size, settle):
    app = lecture_app("lecture")
    async with app.run_test(size=size) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"Mode")
        await settle(pilot)  # the palette's search (a worker) has listed its hits
        await pilot.press("enter")
        await pilot.pause()
        assert stepper_screen(app).problem.mode == "forward"


async def test_q_quits(lecture_app, size):
    app = lecture_app()
    async with app.run_test(size=size) as pilot:
        await pilot.press("q")
        await pilot.pause()
        assert app._exit_renderables == [] and not app.is_running


async def test_a_small_terminal_shows_a_message_until_it_grows(lecture_app):
    app = lecture_app()
    async with app.run_test(size=(60, 20)) as pilot:
        assert isinstance(app.screen, TooSmallScreen)
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert isinstance(app.screen, StepperScreen)


@pytest.mark.slow
async def test_a_hundred_node_mlp_steps_back_forty_times(mlp_problem, size):
    """Every region follows forty steps back on a 100-node graph; the CPU each step costs is a benchmark
    figure (tests/benchmarks/bench.py, step_cpu_mlp_100_nodes_back), not a timing assertion here."""
    app = BackpropApp(mlp_problem())
    async with app.run_test(size=size) as pilot:
        screen = stepper_screen(app)
        assert len(screen.problem.graph) > 100
        await pilot.press("end")
        presses = 40
        await pilot.press(*["p"] * presses)
        assert_in_step(screen, len(screen.stepper) - 1 - presses)


def test_the_default_problem_is_the_lecture_example():
    problem = BackpropApp().problem
    assert (problem.source, problem.inputs, problem.mode) == (build_problem().source, build_problem().inputs, "reverse")


def visible(canvas: GraphCanvas, name: str) -> bool:
    """Whether the box showing node `name` lies wholly inside the canvas's scrolled window."""
    box = canvas.box_of(name)
    x, y = canvas.scroll_offset
    size = canvas.scrollable_content_region.size
    return x <= box.x and box.x + box.width <= x + size.width and y <= box.y and box.y + box.height <= y + size.height


def box_line(canvas: GraphCanvas, key: str, line: int) -> str:
    """The text painted on line `line` of box `key`, as the canvas renders it now."""
    box = canvas.drawing.boxes[key]
    text = canvas.render_line(box.y + line - canvas.scroll_offset.y).text
    return text[box.x - canvas.scroll_offset.x:][:box.width]


@pytest.mark.slow
async def test_a_big_network_opens_collapsed_and_c_expands_and_collapses_it(lecture_app, size):
    app = lecture_app("mlp-16-16")
    async with app.run_test(size=size) as pilot:
        screen = stepper_screen(app)
        canvas = screen.query_one(GraphCanvas)
        assert canvas.is_collapsed
        assert list(canvas.drawing.boxes) == [group.key for group in canvas.grouping.groups]
        assert screen.active_bindings["c"].binding.description == "Layers"
        assert "layer 1: 16 tanh neurons" in box_line(canvas, "layer 1", 1)
        await pilot.press("c")  # expand: every node gets its box
        assert not canvas.is_collapsed
        assert len(canvas.drawing.boxes) == len(screen.problem.graph)
        await pilot.press("c")  # collapse again
        assert canvas.is_collapsed and "layer 2" in canvas.drawing.boxes


async def test_c_is_offered_only_for_a_graph_with_layers(lecture_app, size):
    app = lecture_app("lecture")
    async with app.run_test(size=size) as pilot:
        screen = stepper_screen(app)
        canvas = screen.query_one(GraphCanvas)
        assert "c" not in screen.active_bindings
        drawing = canvas.drawing
        await pilot.press("c")
        assert canvas.drawing is drawing and not canvas.is_collapsed


async def test_a_small_network_opens_expanded_and_c_collapses_it(lecture_app, size):
    app = lecture_app("mlp")
    async with app.run_test(size=size) as pilot:
        screen = stepper_screen(app)
        canvas = screen.query_one(GraphCanvas)
        assert not canvas.is_collapsed and "z1" in canvas.drawing.boxes
        assert "c" in screen.active_bindings
        await pilot.press("c")
        assert canvas.is_collapsed
        assert set(canvas.drawing.boxes) == {"X", "y", "parameters 1", "layer 1", "parameters 2", "layer 2", "L"}


async def test_the_current_nodes_layer_is_lit_in_view_and_shows_the_node(lecture_app, size):
    app = lecture_app("mlp-16-16")
    async with app.run_test(size=size) as pilot:
        screen = stepper_screen(app)
        canvas = screen.query_one(GraphCanvas)
        steps = screen.stepper.steps
        from_q = next(i for i, step in enumerate(steps) if step.edge == ("h2[7]", "q"))
        screen.index = from_q
        await pilot.pause()
        assert visible(canvas, "h2[7]")
        assert box_line(canvas, "layer 2", 0).startswith("┏")
        assert box_line(canvas, "layer 2", 3).strip("┃ ").startswith("h2[7] = ")
        assert box_line(canvas, "layer 2", 4).strip("┃ ").startswith("dL ")
        layer3 = canvas.drawing.boxes["layer 3"]
        cell = canvas.drawing.cells[(layer3.x - 2, layer3.port)]
        assert ("layer 2", "layer 3") in cell.edges
        x, y = canvas.scroll_offset
        assert canvas.render_line(layer3.port - y).text[layer3.x - 2 - x] == "━"
        await pilot.press("end")
        assert visible(canvas, "X") and box_line(canvas, "layer 2", 0).startswith("┌")


async def test_mode_switch_keeps_the_readers_choice_of_collapsed_or_expanded(lecture_app, size):
    app = lecture_app("mlp")
    async with app.run_test(size=size) as pilot:
        canvas = stepper_screen(app).query_one(GraphCanvas)
        await pilot.press("c", "m")  # collapse, then forward mode: same graph
        assert canvas.is_collapsed
        assert "layer 1" in canvas.drawing.boxes


async def test_clicking_a_layer_jumps_to_the_member_it_shows(lecture_app, size):
    app = lecture_app("mlp-16-16")
    async with app.run_test(size=size) as pilot:
        screen = stepper_screen(app)
        canvas = screen.query_one(GraphCanvas)
        screen.index = step_of(screen.stepper, "z2[2]", backward=False)
        await pilot.pause()
        box = canvas.drawing.boxes["layer 1"]
        await pilot.click(GraphCanvas, offset=(box.x + 2 - canvas.scroll_x, box.y + 2 - canvas.scroll_y))
        assert_in_step(screen, step_of(screen.stepper, "h1[16]", backward=False))


@pytest.mark.slow
async def test_the_palette_collapses_and_expands_too(lecture_app, size, settle):
    app = lecture_app("mlp-16-16")
    async with app.run_test(size=size) as pilot:
        await pilot.press("ctrl+p", *"Layers")
        await settle(pilot)  # the palette's search (a worker) has listed its hits
        await pilot.press("enter")
        await pilot.pause()
        assert not stepper_screen(app).query_one(GraphCanvas).is_collapsed


@pytest.mark.slow
async def test_early_and_late_steps_of_the_big_network_follow_the_keys(lecture_app, size):
    """Fifteen steps on from an early and from a late step of mlp-16-16 land where they should, every region
    following; that a late step costs what an early one does is a benchmark figure (tests/benchmarks/bench.py,
    step_cpu_mlp_16_16_late against _early), not a timing assertion here."""
    app = lecture_app("mlp-16-16")
    async with app.run_test(size=size) as pilot:
        screen = stepper_screen(app)
        for start in (1, len(screen.stepper) - 20):
            screen.index = start
            await pilot.pause()
            await pilot.press(*["n"] * 15)
            await pilot.pause()
            assert_in_step(screen, start + 15)


async def test_f_opens_the_basic_functions_and_y_flips_y(lecture_app, size):
    from backprop_tui.tui.dialogs.primitives import PrimitivesScreen

    app = lecture_app("lecture-full")
    async with app.run_test(size=size) as pilot:
        screen = stepper_screen(app)
        await pilot.press("f")
        assert isinstance(app.screen, PrimitivesScreen)
        await pilot.press("escape")
        assert app.screen is screen
        await pilot.press("end")
        assert screen.problem.inputs["y"] == 1.0
        assert screen.stepper.final().row("Lᴮ").value == 0
        await pilot.press("y")
        assert screen.problem.inputs["y"] == 0.0
        assert screen.index == len(screen.stepper) - 1
        assert screen.stepper.final().row("Lᴮ").value == pytest.approx(9.0001234, rel=1e-7)
        await pilot.press("y")
        assert screen.problem.inputs["y"] == 1.0
