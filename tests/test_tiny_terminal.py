"""The practice lesson's crash after hammered keys and a resize from 20×5 to 40×10 (issue 22).

Two causes, each with its test: a screen pushed while the terminal was too small (the practice list opening
the next exercise) landed on top of the "make the window larger" cover and was drawn at 20×5; and an option
list laid out a few columns wide (as a screen is, before the app covers it) reached a content width of 0,
where Textual 8.2.8 wraps with `range(0, n, 0)`: `ValueError: range() arg 3 must not be zero`.
"""

from __future__ import annotations

import pytest

from backprop_tui.core.lessons.exercises import EXERCISE_IDS
from backprop_tui.tui.app import BackpropApp
from backprop_tui.tui.screens.too_small import TooSmallScreen


@pytest.fixture(autouse=True)
def state_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))


async def test_a_screen_pushed_while_too_small_is_covered_and_uncovered_after(settle):
    app = BackpropApp(lesson="practice")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        listing = app.screen
        await pilot.resize_terminal(20, 5)
        await pilot.pause()
        listing.open_exercise(EXERCISE_IDS[0])  # as its callback does after an exercise's `n`
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        await pilot.resize_terminal(40, 10)
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert type(app.screen).__name__ == "PracticeScreen"
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is listing  # the cover left under the exercise went with it
        assert app.is_running and app.return_code is None


@pytest.mark.parametrize("lesson", ["practice", "stepper"])
@pytest.mark.parametrize("tiny", [(5, 2), (3, 1), (20, 5)])
async def test_a_few_columns_then_larger_never_raise(lesson, tiny, settle):
    app = BackpropApp(lesson=lesson)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        if lesson == "stepper":
            await pilot.press("l")  # the lesson map: an option list too
            await pilot.pause()
        app.notify("a long warning that went on and on " * 3, title="Progress", severity="warning")
        await pilot.resize_terminal(*tiny)
        await pilot.pause()
        await pilot.resize_terminal(40, 10)
        await pilot.pause()
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert app.is_running and app.return_code is None
