"""Snapshot tests of the practice lesson: the exercise list, a question, a hint and the summary, at 120×40 and 80×24.

Regenerate with `pytest tests/test_snapshots_practice.py --snapshot-update` after looking at the change.
Progress lives in a fresh XDG_STATE_HOME for each test, so every list starts with every exercise new.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input
from tui_fixtures import SIZE, SMALL, settle

from backprop_tui.tui.backprop_app import BackpropApp

SIZES = {"120x40": SIZE, "80x24": SMALL}


@pytest.fixture(autouse=True)
def state_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))


def answering(exercise_index: int, *answers: str):
    """A `run_before`: open the exercise at `exercise_index` of the list and type `answers`, each with enter."""

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


@pytest.mark.parametrize("size", SIZES)
def test_exercise_list(snap_compare, size):
    assert snap_compare(BackpropApp(lesson="practice"), run_before=settle, terminal_size=SIZES[size])


@pytest.mark.parametrize("size", SIZES)
def test_a_question_the_lectures_xi4(snap_compare, size):
    # lecture, forward: ξ1 … dξ3/dW answered right; the question is ξ4's value
    answers = ["-9", "-3", "-3", "-3", "e^-9", "e^-9", "-3*e^-9", "1+e^-9", "1", "-3*e^-9"]
    assert snap_compare(BackpropApp(lesson="practice"), run_before=answering(0, *answers), terminal_size=SIZES[size])


@pytest.mark.parametrize("size", SIZES)
def test_a_hint_after_a_wrong_answer(snap_compare, size):
    # lecture, backward: dL/dξ5 right, then 1 for dL/dξ4 (it is −(1+e^-9)): the hint names ∂ξ5/∂ξ4 = 1/ξ4
    assert snap_compare(BackpropApp(lesson="practice"), run_before=answering(1, "-1", "1"), terminal_size=SIZES[size])


@pytest.mark.parametrize("size", SIZES)
def test_the_end_of_exercise_summary(snap_compare, size):
    answers = ["-1", "-(1+e^-9)", "1", "0.9998766", "?", "1", "0.000123394576", "-3*e^-9/(1+e^-9)"]
    assert snap_compare(BackpropApp(lesson="practice"), run_before=answering(1, *answers), terminal_size=SIZES[size])
