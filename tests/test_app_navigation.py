"""One app: the lesson map opens every chapter, moving around keeps every lesson where it was, dialogs
close once however many keys arrive, and a crash never exits 0."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from textual.widgets import OptionList

from backprop_tui.core.lessons.catalog import LESSON_IDS, LESSONS
from backprop_tui.core.training.setup import build, resolve
from backprop_tui.tui.app import BackpropApp
from backprop_tui.tui.cli.main import launch
from backprop_tui.tui.dialogs.lesson_map import LessonMapScreen
from backprop_tui.tui.screens.descent import DescentScreen
from backprop_tui.tui.screens.stepper import StepperScreen
from backprop_tui.tui.screens.two_neurons import TwoNeuronsScreen

SIZE = (120, 40)

SCREEN_OF_LESSON = {
    "classification": "ClassificationScreen", "loss": "LossScreen", "descent": "DescentScreen",
    "minima": "DescentScreen", "batches": "DescentScreen", "perceptron": "StepperScreen",
    "two-neurons": "TwoNeuronsScreen", "backprop-table": "StepperScreen", "graph": "StepperScreen",
    "forward-backward": "ModesComparedScreen", "practice": "PracticeListScreen", "chain-rule": "ChainRuleScreen",
}


async def choose_on_map(pilot, lesson_id: str, settle) -> None:
    """`l`, then the lesson's row, then enter: as a student picks a chapter."""
    await pilot.press("l")
    await pilot.pause()
    assert isinstance(pilot.app.screen, LessonMapScreen)
    target = LESSON_IDS.index(lesson_id)
    current = pilot.app.screen.query_one(OptionList).highlighted or 0
    key = "down" if target > current else "up"
    await pilot.press(*[key] * abs(target - current), "enter")
    await settle(pilot)


class TestTheMap:
    def test_every_lesson_of_the_issue_is_on_the_map_in_the_lectures_order(self):
        assert LESSON_IDS[:11] == ("classification", "loss", "descent", "chain-rule", "minima", "batches",
                                   "perceptron", "two-neurons", "backprop-table", "graph", "forward-backward")
        assert [lesson.slides for lesson in LESSONS][:3] == ["4-13", "14-17", "18-25, 33-34"]
        assert all(lesson.doing for lesson in LESSONS)

    async def test_l_shows_the_map_with_the_visited_marks(self, settle):
        app = BackpropApp()
        async with app.run_test(size=SIZE) as pilot:
            await choose_on_map(pilot, "minima", settle)
            await pilot.press("l")
            await pilot.pause()
            prompts = [str(option.prompt) for option in pilot.app.screen.query_one(OptionList).options]
            assert prompts[LESSON_IDS.index("minima")].startswith("✓")
            assert "you are here" in prompts[LESSON_IDS.index("minima")]
            assert not prompts[LESSON_IDS.index("descent")].startswith("✓")

    @pytest.mark.parametrize("lesson_id", LESSON_IDS)
    async def test_every_chapter_opens_from_the_map(self, settle, lesson_id):
        app = BackpropApp()
        async with app.run_test(size=SIZE) as pilot:
            await choose_on_map(pilot, lesson_id, settle)
            assert app.current_mode == lesson_id
            assert type(app.screen).__name__ == SCREEN_OF_LESSON[lesson_id]
            assert lesson_id in app.session.visited
            await pilot.press("escape")  # back to the stepper the app opened on
            await pilot.pause()
            assert app.current_mode == "stepper"

    async def test_the_lessons_are_set_up_as_their_chapter_says(self, settle):
        app = BackpropApp()
        async with app.run_test(size=SIZE) as pilot:
            app.open_lesson("backprop-table")
            await settle(pilot)
            assert app.screen.problem.mode == "forward"  # forward mode first, as slide 65
            app.open_lesson("graph")
            await settle(pilot)
            assert app.screen.problem.source.text == "lecture-full"
            app.open_lesson("batches")
            await settle(pilot)
            assert app.screen.view.optimizer == "mini-batch 32"
            app.open_lesson("minima")
            await settle(pilot)
            assert app.screen.minima


class TestStateIsKept:
    async def test_two_neurons_t_to_the_stepper_and_back_lands_on_the_same_part_and_iteration(self, settle):
        app = BackpropApp(lesson="two-neurons")
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("2")
            await settle(pilot)
            await pilot.press("home", "right", "right", "right")  # part 2, iteration 3
            screen = app.screen
            assert isinstance(screen, TwoNeuronsScreen)
            assert (screen.part, screen.iteration) == (2, 3)
            await pilot.press("t")
            await pilot.pause()
            assert app.current_mode == "stepper" and isinstance(app.screen, StepperScreen)
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is screen
            assert (screen.part, screen.iteration) == (2, 3)

    async def test_s_and_escape_return_to_the_same_iteration(self, settle):
        app = BackpropApp(lesson="two-neurons")
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("home", "right", "right")
            await pilot.press("s")
            await pilot.pause()
            stepper = app.screen
            assert isinstance(stepper, StepperScreen) and stepper.pushed
            assert "after 2 of" in stepper.note
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, TwoNeuronsScreen)
            assert app.screen.iteration == 2

    async def test_g_after_t_comes_back_to_the_same_descent_run(self, settle):
        app = BackpropApp()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("g")
            await settle(pilot)
            descent = app.screen
            assert isinstance(descent, DescentScreen)
            await pilot.press("space", "space", "space")
            await settle(pilot)
            assert descent.view.iteration == 3
            await pilot.press("t")  # the stepper
            await pilot.pause()
            await pilot.press("g")  # descent again: the same run, not a fresh one
            await settle(pilot)
            assert app.screen is descent
            assert descent.view.iteration == descent.run.current.iteration == 3

    async def test_the_stepper_keeps_its_step_while_the_student_visits_lessons(self, settle):
        app = BackpropApp()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("n", "n", "n", "n")
            stepper = app.screen
            app.open_lesson("descent")
            await settle(pilot)
            app.open_lesson("graph")
            await settle(pilot)
            app.open_workbench()
            await pilot.pause()
            assert app.screen is stepper and stepper.index == 4


class TestTheRightBatch:
    async def test_s_opens_the_batch_the_iteration_used_even_after_switching_back_to_full_batch(self, settle):
        """b, b (stochastic), space, b (full batch), s: iteration 1 used one row, and the stepper shows one row."""
        app = BackpropApp(lesson="descent", descent_setup=build(resolve()))
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            for key in ("b", "b", "space", "b"):
                await pilot.press(key)
                await settle(pilot)
            screen = app.screen
            record = screen.run.last
            assert record.batch_rows == 1
            await pilot.press("s")
            await pilot.pause()
            stepper = app.screen
            assert isinstance(stepper, StepperScreen)
            assert "one row" in stepper.note
            x = stepper.problem.inputs["X"]
            assert len(x) == 1
            row = screen.run.shuffled(record.epoch)[record.batch]
            assert float(x[0]) == float(screen.run.objective.data.X[row, 0])
            gradient = stepper.stepper.final().row("β1").accumulated
            assert float(gradient) == pytest.approx(record.grad[1], rel=1e-12)


class TestDialogsCloseOnce:
    @pytest.mark.parametrize("key", ["x", "w", "e", "l", "question_mark", "f"])
    async def test_enter_hammered_in_a_dialog_leaves_a_working_app(self, settle, key):
        app = BackpropApp()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press(key)
            await pilot.pause()
            await pilot.press("enter", "enter", "enter")
            await settle(pilot)
            assert len(app.screen_stack) >= 1
            assert not app._exception
            await pilot.press("escape", "escape")
            await settle(pilot)
            await pilot.press("l")  # the app still answers
            await pilot.pause()
            assert isinstance(app.screen, LessonMapScreen)


class TestCommandLine:
    def test_lessons_prints_the_map_as_text_and_json(self):
        text = subprocess.run([sys.executable, "-m", "backprop_tui.tui.cli.main", "lessons"], capture_output=True,
                              text=True, check=True).stdout
        assert text.splitlines()[0].split()[:2] == ["classification", "4-13"]
        document = json.loads(subprocess.run([sys.executable, "-m", "backprop_tui.tui.cli.main", "lessons", "--format",
                                              "json"], capture_output=True, text=True, check=True).stdout)
        assert [item["id"] for item in document] == list(LESSON_IDS)
        assert set(document[0]) == {"id", "title", "slides", "doing"}

    def test_an_unknown_lesson_is_one_line_and_exit_2(self):
        result = subprocess.run([sys.executable, "-m", "backprop_tui.tui.cli.main", "--lesson", "nope"],
                                capture_output=True, text=True)
        assert result.returncode == 2
        assert result.stderr.count("\n") == 1 and "--lesson" in result.stderr

    def test_lesson_opens_the_app_on_that_lesson(self, settle):
        seen = {}

        async def look(pilot) -> None:
            await settle(pilot)
            seen["mode"], seen["screen"] = pilot.app.current_mode, type(pilot.app.screen).__name__
            pilot.app.exit()

        assert launch(["--lesson", "perceptron"], headless=True, size=SIZE, auto_pilot=look) == 0
        assert seen == {"mode": "perceptron", "screen": "StepperScreen"}

    def test_a_crash_inside_the_app_exits_non_zero(self, monkeypatch):
        def broken(self) -> None:
            raise RuntimeError("a bug")

        monkeypatch.setattr(StepperScreen, "on_mount", broken)

        async def wait(pilot) -> None:
            await pilot.pause()

        assert launch([], headless=True, size=SIZE, auto_pilot=wait) != 0
