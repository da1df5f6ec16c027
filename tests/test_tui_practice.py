"""Practice in the app: typing answers, hints, reveals, typos, the score, the state file and the stepper's `k`."""

from __future__ import annotations

import json

import pytest
from textual.widgets import Input, Label, OptionList

from backprop_tui.tui.app import BackpropApp
from backprop_tui.tui.screens.practice_exercise import PracticeScreen
from backprop_tui.tui.screens.practice_list import PracticeListScreen
from backprop_tui.tui.widgets import TraceTable


@pytest.fixture(autouse=True)
def state_home(tmp_path, monkeypatch):
    """Every test keeps its progress in its own XDG_STATE_HOME."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    return tmp_path / "backprop-tui"


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector, Label).content)


async def answer(pilot, text: str) -> None:
    pilot.app.screen.query_one(Input).value = text
    await pilot.press("enter")
    await pilot.pause()


@pytest.fixture
def open_exercise(settle):
    """`await open_exercise(pilot, index)`: the practice list settled, then its `index`th exercise opened."""

    async def open_it(pilot, index: int = 0) -> PracticeScreen:
        await settle(pilot)
        for _ in range(index):
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, PracticeScreen)
        return screen

    return open_it


async def test_practice_opens_on_the_list_with_the_lecture_first(settle, size):
    async with BackpropApp(lesson="practice").run_test(size=size) as pilot:
        await settle(pilot)
        assert isinstance(pilot.app.screen, PracticeListScreen)
        first = pilot.app.screen.query_one(OptionList).get_option_at_index(0)
        assert "the lecture's graph, forward mode" in str(first.prompt) and "[new]" in str(first.prompt)


async def test_a_right_answer_as_a_number_and_as_an_expression(size, open_exercise):
    async with BackpropApp(lesson="practice").run_test(size=size) as pilot:
        screen = await open_exercise(pilot)
        assert "the value ξ1 = ?" in text_of(screen, "#practice-question")
        await answer(pilot, "-9")
        assert text_of(screen, "#practice-feedback") == "✓ right: ξ1 = −WᵀX = -9"
        assert screen.query_one(TraceTable).snapshot.row("ξ1").value == -9
        for typed in ("-3", "-3", "-3"):  # ∂ξ1/∂W, ∂ξ1/∂X, dξ1/dW
            await answer(pilot, typed)
        await answer(pilot, "e^-9")  # ξ2 as an expression
        assert text_of(screen, "#practice-feedback").startswith("✓ right: ξ2 = e^ξ1 = e^-9")
        assert screen.attempt.score.first == 5
        assert "5 first try" in text_of(screen, "#practice-score")


async def test_a_wrong_answer_gives_the_hint_then_the_reveal(size, open_exercise):
    async with BackpropApp(lesson="practice").run_test(size=size) as pilot:
        screen = await open_exercise(pilot)
        await answer(pilot, "9")
        assert text_of(screen, "#practice-feedback") == "✗ not quite. Hint: ξ1 = −WᵀX, and W = 3, X = 3"
        assert screen.query_one(TraceTable).snapshot.row("ξ1").value is None
        await answer(pilot, "3")
        assert text_of(screen, "#practice-feedback") == "revealed: ξ1 = −WᵀX = -9"
        assert "the local partial ∂ξ1/∂W = ?" in text_of(screen, "#practice-question")
        await pilot.press("ctrl+r")  # the key reveals too
        assert text_of(screen, "#practice-feedback").startswith("revealed: ∂ξ1/∂W = −X = -3")
        assert screen.attempt.score.revealed == 2


async def test_a_typo_shows_the_parsers_column_not_wrong(size, open_exercise):
    async with BackpropApp(lesson="practice").run_test(size=size) as pilot:
        screen = await open_exercise(pilot)
        await answer(pilot, "-9)")
        feedback = text_of(screen, "#practice-feedback")
        assert feedback.startswith("cannot read that at column 3: unexpected ')'")
        assert feedback.splitlines()[-2:] == ["  -9)", "    ^"]  # the caret under the ")"
        assert screen.query_one(Input).value == "-9)"  # kept, to fix
        assert screen.attempt.outcomes == [] and not screen.attempt.missed


@pytest.mark.slow  # 2.5 s or more here: out of the quick loop
async def test_the_score_and_the_state_file_after_a_finished_exercise(state_home, size, open_exercise):
    async with BackpropApp(lesson="practice").run_test(size=size) as pilot:
        screen = await open_exercise(pilot, index=1)  # the lecture's graph, backward: six cells
        answers = ["-1", "-(1+e^-9)",  # first try
                   "1", "0.9998766",  # dL/dξ3: 1 is not 0.99988; right after the hint
                   "?",  # dL/dξ2 revealed
                   "1", "0.000123394576",  # dL/dξ1 after the hint
                   "-3*e^-9/(1+e^-9)"]  # dL/dW, the lecture's number
        for typed in answers:
            await answer(pilot, typed)
        assert screen.attempt.finished
        summary = text_of(screen, "#practice-score")
        assert "Score: 3 first try · 2 after a hint · 1 revealed · 6/6 · 67 %" in summary
        assert "Cells to retry: dL/dξ3, dL/dξ2, dL/dξ1." in summary
        assert not screen.query_one(Input).display
        document = json.loads((state_home / "practice.json").read_text(encoding="utf-8"))
        record = document["exercises"]["lecture-backward"]
        assert (record["status"], record["best"], record["finished"]) == ("done", 67, 1)
        assert record["retry"] == ["dL/dξ3", "dL/dξ2", "dL/dξ1"]
        await pilot.press("escape")
        await pilot.pause()
        listed = pilot.app.screen.query_one(OptionList).get_option_at_index(1)
        assert "[done · best 67 %]" in str(listed.prompt)


async def test_a_corrupt_state_file_is_survived(state_home, settle, size, open_exercise):
    state_home.mkdir(parents=True)
    (state_home / "practice.json").write_text("[1, 2", encoding="utf-8")
    async with BackpropApp(lesson="practice").run_test(size=size) as pilot:
        await settle(pilot)
        assert isinstance(pilot.app.screen, PracticeListScreen)
        messages = [notification.message for notification in pilot.app._notifications]
        assert len(messages) == 1 and "is corrupt" in messages[0]
        screen = await open_exercise(pilot)
        await answer(pilot, "-9")
        assert screen.attempt.score.first == 1
        assert len(pilot.app._notifications) == 1  # said once
    assert (state_home / "practice.json").read_text(encoding="utf-8") == "[1, 2"


@pytest.mark.slow  # 2.5 s or more here: out of the quick loop
async def test_the_same_seed_gives_the_same_generated_exercise(size, open_exercise):
    headers = []
    for _ in range(2):
        async with BackpropApp(lesson="practice", practice_seed=7).run_test(size=size) as pilot:
            screen = await open_exercise(pilot, index=8)  # generated, level 2
            headers.append((text_of(screen, "#practice-header"), screen.worksheet.problem.inputs,
                            [question.label for question in screen.worksheet.questions]))
    assert headers[0] == headers[1]
    assert "seed 7" in headers[0][0]


async def test_enter_pressed_quickly_opens_one_exercise_and_escape_pops_one_screen(settle, size):
    async with BackpropApp(lesson="practice").run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("enter", "enter", "enter")
        await pilot.pause()
        # Issue 10: practice is a mode whose stack starts at the list (no default screen under it).
        assert pilot.app.current_mode == "practice"
        assert len(pilot.app.screen_stack) == 2  # the list, one exercise
        exercise_screen = pilot.app.screen
        exercise_screen.action_back()
        exercise_screen.action_back()  # a second dismiss before the first has landed pops nothing more
        await pilot.pause()
        assert isinstance(pilot.app.screen, PracticeListScreen)
        assert len(pilot.app.screen_stack) == 1


async def test_finished_summary_keys_next_and_again(size, open_exercise):
    async with BackpropApp(lesson="practice").run_test(size=size) as pilot:
        screen = await open_exercise(pilot, index=2)  # the descent direction: two choices
        assert "direction at x = 0.45" in text_of(screen, "#practice-question")
        await answer(pilot, "4")
        assert "type the number of a choice, 1 to 3" in text_of(screen, "#practice-feedback")
        await answer(pilot, "1")
        await answer(pilot, "2")
        assert screen.attempt.finished
        await pilot.press("n", "n")
        await pilot.pause()
        following = pilot.app.screen
        assert isinstance(following, PracticeScreen) and following.exercise.id == "neuron"
        assert len(pilot.app.screen_stack) == 2  # the list, then the next exercise in place of the last (issue 10)


async def test_the_stepper_key_k_practises_the_graph_on_screen(settle, lecture_app, size):
    async with lecture_app("lecture", "reverse").run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("k")
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, PracticeScreen)
        assert "this graph: lecture (slides 65-72)" in text_of(screen, "#practice-header")
        assert "the value ξ1 = ?" in text_of(screen, "#practice-question")
        await pilot.press("escape")
        await pilot.pause()
        assert pilot.app.screen.__class__.__name__ == "StepperScreen"


async def test_the_stepper_key_k_refuses_a_graph_too_big(settle, size):
    from backprop_tui.core.stepping.problem import build_problem

    async with BackpropApp(build_problem("mlp-16-16")).run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("k")
        await pilot.pause()
        assert pilot.app.screen.__class__.__name__ == "StepperScreen"
        assert any("cells to type" in n.message for n in pilot.app._notifications)
