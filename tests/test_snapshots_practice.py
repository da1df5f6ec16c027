"""Snapshot tests of the practice lesson: the exercise list, a question, a hint and the summary, at 120×40 and 80×24.

Regenerate with `pytest tests/test_snapshots_practice.py --snapshot-update` after looking at the change.
Progress lives in a fresh XDG_STATE_HOME for each test, so every list starts with every exercise new.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input

from backprop_tui.tui.app import BackpropApp

SIZES = {"120x40": (120, 40), "80x24": (80, 24)}
"""The terminals each snapshot is taken at, by the id in its name (the `size` and `small` fixtures' sizes)."""


@pytest.fixture(autouse=True)
def state_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))


@pytest.fixture
def answering(settle):
    """A factory of `run_before`s: `answering(exercise_index, *answers)` opens the exercise at `exercise_index`
    of the list and types `answers`, each with enter."""

    def make(exercise_index: int, *answers: str):
        async def run_before(pilot) -> None:
            await settle(pilot)
            for _ in range(exercise_index):
                await pilot.press("down")
            await pilot.press("enter")
            await pilot.pause()
            for text in answers:
                field = pilot.app.screen.query_one(Input)
                field.cursor_blink = False
                field.value = text
                await pilot.press("enter")
                await pilot.pause()
            pilot.app.clear_notifications()
            await pilot.pause()

        return run_before

    return make


@pytest.mark.parametrize("terminal", SIZES)
def test_exercise_list(snap_compare, terminal, settle):
    assert snap_compare(BackpropApp(lesson="practice"), run_before=settle, terminal_size=SIZES[terminal])


@pytest.mark.slow  # 2.5 s or more here: out of the quick loop
@pytest.mark.parametrize("terminal", SIZES)
def test_a_question_the_lectures_xi4(snap_compare, terminal, answering):
    # lecture, forward: ξ1 … dξ3/dW answered right; the question is ξ4's value
    answers = ["-9", "-3", "-3", "-3", "e^-9", "e^-9", "-3*e^-9", "1+e^-9", "1", "-3*e^-9"]
    assert snap_compare(BackpropApp(lesson="practice"), run_before=answering(0, *answers),
                        terminal_size=SIZES[terminal])


@pytest.mark.parametrize("terminal", SIZES)
def test_a_hint_after_a_wrong_answer(snap_compare, terminal, answering):
    # lecture, backward: dL/dξ5 right, then 1 for dL/dξ4 (it is −(1+e^-9)): the hint names ∂ξ5/∂ξ4 = 1/ξ4
    assert snap_compare(BackpropApp(lesson="practice"), run_before=answering(1, "-1", "1"),
                        terminal_size=SIZES[terminal])


@pytest.mark.slow  # 2.5 s or more here: out of the quick loop
@pytest.mark.parametrize("terminal", SIZES)
def test_the_end_of_exercise_summary(snap_compare, terminal, answering):
    answers = ["-1", "-(1+e^-9)", "1", "0.9998766", "?", "1", "0.000123394576", "-3*e^-9/(1+e^-9)"]
    assert snap_compare(BackpropApp(lesson="practice"), run_before=answering(1, *answers),
                        terminal_size=SIZES[terminal])
