"""The classification and loss lessons driven headless: the β keys, `r` reproducible for its seed, `g` handing
the current β to descent, a picked patient opening the stepper with that patient's numbers, and the shared β."""

from __future__ import annotations

import pytest

from backprop_tui.core.lessons.classification import (
    COARSE_STEP,
    FINE_STEP,
    HandParams,
    heart_data,
    predict,
    random_params,
)
from backprop_tui.core.lessons.session import Session
from backprop_tui.tui.app import BackpropApp
from backprop_tui.tui.screens.classification import ClassificationScreen
from backprop_tui.tui.screens.loss import LossScreen
from backprop_tui.tui.screens.stepper import StepperScreen
from backprop_tui.tui.widgets.hand_panel import HandPanel
from backprop_tui.tui.widgets.patient_table import PatientTable

BAD = HandParams.bad_computer()


def recording_app() -> tuple[BackpropApp, list[tuple]]:
    """The provisional app with a session; descent and lesson moves are recorded, the stepper really opens."""
    app = BackpropApp()
    app.session = Session()  # type: ignore[attr-defined]
    calls: list[tuple] = []
    open_stepper = app.open_stepper

    def stepper(problem, note=None):
        calls.append(("stepper", problem, note))
        open_stepper(problem, note)

    app.open_stepper = stepper  # type: ignore[method-assign]
    app.open_descent = lambda start=None: calls.append(("descent", start))  # type: ignore[method-assign]
    app.open_lesson = lambda lesson_id: calls.append(("lesson", lesson_id))  # type: ignore[method-assign]
    return app, calls


def panel_text(app: BackpropApp) -> str:
    return str(app.screen.query_one(HandPanel).render())


class TestClassificationKeys:
    @pytest.mark.parametrize(("key", "name", "step"), [
        ("right", "β0", FINE_STEP["β0"]), ("left", "β0", -FINE_STEP["β0"]),
        ("shift+right", "β0", COARSE_STEP["β0"]), ("shift+left", "β0", -COARSE_STEP["β0"]),
        ("up", "β1", FINE_STEP["β1"]), ("down", "β1", -FINE_STEP["β1"]),
        ("shift+up", "β1", COARSE_STEP["β1"]), ("shift+down", "β1", -COARSE_STEP["β1"]),
    ])
    async def test_each_key_moves_its_parameter_by_its_step(self, key, name, step, settle, size) -> None:
        app, _ = recording_app()
        async with app.run_test(size=size) as pilot:
            await app.push_screen(ClassificationScreen())
            await settle(pilot)
            await pilot.press(key)
            await pilot.pause()
            hand = app.session.hand
            moved, other = (hand.beta0, hand.beta1) if name == "β0" else (hand.beta1, hand.beta0)
            start, unchanged = (BAD.beta0, BAD.beta1) if name == "β0" else (BAD.beta1, BAD.beta0)
            assert moved == pytest.approx(start + step, abs=1e-12) and other == unchanged
            assert f"{name} = {moved:g}" in panel_text(app)

    async def test_the_panel_shows_the_loss_accuracy_and_midpoint_of_the_current_beta(self, settle, size) -> None:
        app, _ = recording_app()
        app.session.hand = HandParams(6.3, -0.043)
        async with app.run_test(size=size) as pilot:
            await app.push_screen(ClassificationScreen())
            await settle(pilot)
            seen = predict(heart_data(), app.session.hand)
            text = panel_text(app)
            assert f"L = {seen.loss:.4g}" in text
            assert f"accuracy {100 * seen.accuracy:.2f}%" in text
            assert f"MaxHR = {seen.shape.midpoint:.4g}" in text

    async def test_r_draws_the_next_seed_reproducibly_and_shows_it(self, settle, size) -> None:
        app, _ = recording_app()
        async with app.run_test(size=size) as pilot:
            await app.push_screen(ClassificationScreen())
            await settle(pilot)
            await pilot.press("r")
            assert app.session.hand == random_params(1) and app.session.hand_seed == 1
            await pilot.press("r")
            await pilot.pause()
            assert app.session.hand == random_params(2)
            assert "seed 2" in panel_text(app)
            await pilot.press("right")
            await pilot.pause()
            assert "last random draw: seed 2, since moved by hand" in panel_text(app)

    async def test_the_same_seed_gives_the_same_weights_in_a_new_session(self, settle, size) -> None:
        app, _ = recording_app()
        app.session.hand_seed = 6
        async with app.run_test(size=size) as pilot:
            await app.push_screen(ClassificationScreen())
            await settle(pilot)
            await pilot.press("r")
            assert app.session.hand == random_params(7) and app.session.hand_seed == 7

    async def test_g_hands_the_current_beta_to_descent(self, settle, size) -> None:
        app, calls = recording_app()
        async with app.run_test(size=size) as pilot:
            await app.push_screen(ClassificationScreen())
            await settle(pilot)
            await pilot.press("up", "g")
            expected = BAD.moved("β1", 1)
            assert calls == [("descent", {"β0": expected.beta0, "β1": expected.beta1})]

    async def test_p_opens_the_loss_lesson(self, settle, small) -> None:
        app, calls = recording_app()
        async with app.run_test(size=small) as pilot:
            await app.push_screen(ClassificationScreen())
            await settle(pilot)
            await pilot.press("p")  # l is the lesson map everywhere
            assert calls == [("lesson", "loss")]


class TestLossTable:
    async def test_worst_first_then_enter_opens_the_stepper_on_that_patient(self, settle, size) -> None:
        app, calls = recording_app()
        async with app.run_test(size=size) as pilot:
            await app.push_screen(LossScreen())
            await settle(pilot)
            await pilot.press("s", "enter")
            await pilot.pause()
            seen = predict(heart_data(), BAD)
            worst = seen.patient(int(seen.worst_first()[0]))
            assert (worst.row, worst.x, worst.actual) == (246, 71.0, 1)
            ((kind, problem, note),) = calls
            assert kind == "stepper"
            assert problem.inputs == {"X": 71.0, "y": 1.0, "β0": BAD.beta0, "β1": BAD.beta1}
            assert note.startswith("Patient 246: MaxHR = 71, AHD = Yes")
            assert isinstance(app.screen, StepperScreen) and app.screen.pushed and app.screen.note == note

    async def test_s_toggles_between_worst_first_and_the_files_order(self, settle, small) -> None:
        app, _ = recording_app()
        async with app.run_test(size=small) as pilot:
            await app.push_screen(LossScreen())
            await settle(pilot)
            table = app.screen.query_one(PatientTable)
            assert table.patient_index() == 0
            await pilot.press("s")
            await pilot.pause()
            seen = predict(heart_data(), BAD)
            shown = [int(table.get_row_at(index)[0].plain) for index in range(5)]
            assert shown == [seen.patient(int(index)).row for index in seen.worst_first()[:5]]
            await pilot.press("s")
            await pilot.pause()
            assert [int(table.get_row_at(index)[0].plain) for index in range(3)] == [1, 2, 3]

    async def test_the_cursor_row_picks_the_patient_in_file_order(self, settle, size) -> None:
        app, calls = recording_app()
        async with app.run_test(size=size) as pilot:
            await app.push_screen(LossScreen())
            await settle(pilot)
            await pilot.press("down", "down", "enter")
            ((_, problem, note),) = calls
            third = heart_data().raw[2, 0]
            assert problem.inputs["X"] == third and note.startswith("Patient 3: ")

    async def test_clicking_a_row_opens_the_stepper_on_it(self, settle, size) -> None:
        app, calls = recording_app()
        async with app.run_test(size=size) as pilot:
            await app.push_screen(LossScreen())
            await settle(pilot)
            table = app.screen.query_one(PatientTable)
            row_two = (3, 1 + table.header_height + 1)  # below the border and the header: patient 2
            await pilot.click(PatientTable, offset=row_two)  # the first click moves the cursor there
            await pilot.pause()
            assert calls == []
            await pilot.click(PatientTable, offset=row_two)  # a click on the highlighted row picks it
            await pilot.pause()
            assert calls and calls[0][0] == "stepper" and calls[0][2].startswith("Patient 2: ")

    async def test_clicking_the_loss_header_sorts_worst_first_and_the_row_header_back(self, settle, size) -> None:
        app, _ = recording_app()
        async with app.run_test(size=size) as pilot:
            await app.push_screen(LossScreen())
            await settle(pilot)
            table = app.screen.query_one(PatientTable)
            loss_column = sum(column.get_render_width(table) for column in table.ordered_columns[:5]) + 3
            await pilot.click(PatientTable, offset=(loss_column, 1))
            await pilot.pause()
            assert table.patient_index() == 245  # patient 246, the worst, on top
            await pilot.click(PatientTable, offset=(3, 1))
            await pilot.pause()
            assert table.patient_index() == 0

    async def test_the_loss_line_is_the_mean_of_the_column(self, settle, size) -> None:
        app, _ = recording_app()
        async with app.run_test(size=size) as pilot:
            await app.push_screen(LossScreen())
            await settle(pilot)
            text = str(app.screen.query_one("#loss-mean").render())
            assert "L = (1/303) Σ Lᵢ = 1.69521" in text and "the mean of the Lᵢ column" in text

    async def test_the_beta_moved_in_classification_are_the_loss_lessons(self, settle, size) -> None:
        app, _ = recording_app()
        async with app.run_test(size=size) as pilot:
            await app.push_screen(ClassificationScreen())
            await settle(pilot)
            await pilot.press("shift+down", "shift+down")
            await app.push_screen(LossScreen())
            await settle(pilot)
            moved = app.session.hand
            assert moved == BAD.moved("β1", -2, coarse=True)
            assert f"β1 = {moved.beta1:g}" in str(app.screen.query_one("#loss-params").render())
            await pilot.press("r")
            app.pop_screen()
            await settle(pilot)
            assert f"β1 = {random_params(1).beta1:g}" in panel_text(app)
