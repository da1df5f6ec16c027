"""Keys that did nothing and words that misled (issue 21), pressed and read as a student would."""

from __future__ import annotations

import math

import pytest

from backprop_tui.core.lessons.descent_questions import direction_questions, minima_question
from backprop_tui.core.lessons.exercises import exercise
from backprop_tui.core.training import minima
from backprop_tui.core.training.models import minima_model
from backprop_tui.core.training.objective import Objective
from backprop_tui.tui.app import BackpropApp
from backprop_tui.tui.dialogs.hand_help import HandHelpScreen, PracticeHelpScreen
from backprop_tui.tui.screens.classification import ClassificationScreen
from backprop_tui.tui.screens.loss import LossScreen
from backprop_tui.tui.screens.practice_list import PracticeListScreen
from backprop_tui.tui.widgets.hand_panel import HandPanel
from backprop_tui.tui.widgets.plot_loss import iteration_ticks


@pytest.fixture(autouse=True)
def fresh_state(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))


@pytest.mark.parametrize(("lesson", "screen_class", "help_class"), [
    ("classification", ClassificationScreen, HandHelpScreen), ("loss", LossScreen, HandHelpScreen),
    ("practice", PracticeListScreen, PracticeHelpScreen)])
async def test_help_and_quit_work_in_the_by_hand_lessons(lesson, screen_class, help_class, settle, size):
    app = BackpropApp(lesson=lesson)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, screen_class)
        await pilot.press("question_mark")
        assert isinstance(app.screen, help_class)
        await pilot.press("escape")
        assert isinstance(app.screen, screen_class)
        exits: list[bool] = []
        app.exit = lambda *args, **kwargs: exits.append(True)  # type: ignore[method-assign]
        await pilot.press("q")
        assert exits == [True]


async def test_b_says_the_bad_computer_not_moved_by_hand(settle, size):
    app = BackpropApp(lesson="classification")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("r", "r")
        assert "seed 2" in str(app.screen.query_one(HandPanel).render())
        await pilot.press("b")
        text = str(app.screen.query_one(HandPanel).render())
        assert "moved by hand" not in text and "bad computer" in text
        await pilot.press("right")  # now it is moved by hand
        assert "since moved by hand" in str(app.screen.query_one(HandPanel).render())


async def test_the_backprop_table_explains_its_dagger(settle, size):
    app = BackpropApp(lesson="backprop-table")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("end")
        await pilot.pause()
        from backprop_tui.tui.widgets import TraceTable

        table = app.screen.query_one(TraceTable)
        assert "†" in str(table.border_subtitle) and "slide printed another number" in str(table.border_subtitle)


async def test_descent_at_iteration_0_and_after_one_step(settle, size):
    from backprop_tui.tui.widgets.descent_header import DescentStatus

    app = BackpropApp(lesson="descent")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        status = app.screen.query_one(DescentStatus)
        assert "ready at iteration 0" in str(status.query_one("#descent-message").render())
        await pilot.press("space")
        await settle(pilot)
        message = str(status.query_one("#descent-message").render())
        assert "paused" not in message and "iteration 1" in message


def test_the_iteration_axis_counts_whole_iterations():
    assert iteration_ticks(0) == [0, 1]
    assert iteration_ticks(1) == [0, 1]
    assert iteration_ticks(3) == [0, 1, 2, 3]
    assert all(isinstance(tick, int) for tick in iteration_ticks(209))
    assert iteration_ticks(209)[-1] == 209


@pytest.mark.parametrize("x", [1 / 6, 0.5, 5 / 6])
def test_minima_f_is_shown_as_0_where_cos_3pi_x_is_0(x):
    """cos(3πx) = 0 at x = 1/6, 1/2, 5/6: the computed f is float rounding, within ROUNDING, and is shown as 0."""
    computed = Objective(minima_model(x)).loss([x])
    assert computed != 0.0 or x == 0.5  # the float computation leaves a residue (the issue's -3.67394e-16)
    assert abs(computed) <= minima.ROUNDING
    assert minima.shown_value(computed) == 0.0


def test_minima_rounding_never_hides_a_real_value():
    """Away from the zeros, |f| on the domain is far above ROUNDING: the snap can only ever replace rounding."""
    xs = [0.1 + 0.9 * k / 2000 for k in range(2001)]
    zeros = (1 / 6, 0.5, 5 / 6)
    for x in xs:
        if min(abs(x - zero) for zero in zeros) > 1e-9:
            true = math.cos(3 * math.pi * x) / x
            assert abs(true) > 1000 * minima.ROUNDING or minima.shown_value(true) == true


def test_the_descent_questions_carry_the_runs_they_show():
    for question in direction_questions():
        ((start, end),) = question.runs
        assert f"{start:g}" in question.prompt and end != start
    question = minima_question()
    assert len(question.runs) == len(question.options)
    ends = [end for _, end in question.runs]
    assert minima.nearest_minimum(ends[question.correct], within=1e-2) == "global"


def test_exercise_3_names_its_function():
    chosen = exercise("descent-direction")
    assert "cos(3πx)/x" in chosen.title and "weight" not in chosen.title


async def test_practice_exercise_3_plots_the_run_after_the_answers(settle, size):
    from backprop_tui.tui.widgets.plot_choice import ChoicePlot

    app = BackpropApp(lesson="practice")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        plot = app.screen.query_one(ChoicePlot)
        assert len(plot.curve[0]) > 100 and [run.end for run in plot.runs] == [None]
        for answer in ("1", "2"):
            await pilot.press(answer, "enter")
            await settle(pilot)
        assert len(plot.runs) == 2 and all(run.end is not None for run in plot.runs)
        assert plot.size.height >= 10  # the run fills the room the ~28 blank rows took
