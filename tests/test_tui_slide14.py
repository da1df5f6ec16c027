"""Pilot tests of slide 14 in the perceptron lesson: `v` picks Heart columns and opens h = WᵀX."""

from __future__ import annotations

import numpy as np
import pytest

from backprop_tui.core.engine.numbers import Vector
from backprop_tui.tui.app import BackpropApp
from backprop_tui.tui.dialogs.choice import ChoiceScreen
from backprop_tui.tui.screens.stepper import NOTE_ID, StepperScreen
from backprop_tui.tui.widgets import SweepCounter, TraceTable


async def open_columns(pilot, downs: int) -> None:
    """`v`, then the set `downs` below the first (one predictor), then enter."""
    await pilot.press("v")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ChoiceScreen)
    await pilot.press(*["down"] * downs, "enter")
    await pilot.pause()


@pytest.mark.parametrize("downs", [0, 3])
async def test_v_in_the_perceptron_lesson_opens_the_neuron_over_the_chosen_columns(downs, size):
    app = BackpropApp(lesson="perceptron")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        lesson = app.screen
        assert isinstance(lesson, StepperScreen) and lesson.problem.source.text == "neuron"
        await open_columns(pilot, downs)
        screen = app.screen
        assert isinstance(screen, StepperScreen) and screen is not lesson
        assert screen.problem.source.text == "neuron-multi"
        x, w = screen.problem.inputs["X"], screen.problem.inputs["W"]
        assert isinstance(x, Vector) and len(x) == len(w) == downs + 2
        assert x.tolist()[:2] == [1.0, 150.0]  # 1, then the first patient's MaxHR
        note = str(screen.query_one(f"#{NOTE_ID}").render())
        assert note.startswith("Slide 14 · patient 1: MaxHR 150")
        await pilot.press("end")
        await pilot.pause()
        gradient = screen.stepper.final().row("W").accumulated
        expected = screen.stepper.adjoints["h"] * np.asarray(x)
        assert np.allclose(gradient, expected, rtol=1e-15, atol=0)  # dL/dW = dL/dh · X
        table = screen.query_one(TraceTable)
        assert table.cursor_row == table.get_row_index("X")  # the last step sends dL/dX
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is lesson


async def test_escape_in_the_column_choice_keeps_the_one_predictor_neuron(small):
    app = BackpropApp(lesson="perceptron")
    async with app.run_test(size=small) as pilot:
        await pilot.pause()
        lesson = app.screen
        await pilot.press("v")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is lesson and lesson.problem.source.text == "neuron"


async def test_m_on_the_vector_neuron_is_forward_mode_with_five_sweeps_side_by_side(small):
    app = BackpropApp(lesson="perceptron")
    async with app.run_test(size=small) as pilot:
        await pilot.pause()
        await open_columns(pilot, 3)
        await pilot.press("m")
        await pilot.pause()
        screen = app.screen
        assert screen.problem.mode == "forward" and screen.stepper.wrt_components == 5
        assert "carries 5 side by side" in str(screen.query_one(SweepCounter).render())


def test_a_vector_cell_wraps_between_its_components_and_keeps_every_one():
    from backprop_tui.tui.widgets.cell_fit import MAX_ROW_HEIGHT, fit_cell

    text = "[0.914900955, 137.235143, 57.6387602, 132.660638, 213.171923]"
    assert fit_cell(text, 22) == "[0.914900955,\n137.235143,\n57.6387602,\n132.660638,\n213.171923]"
    assert fit_cell(text + " ok", 30).split("\n")[-1] == "213.171923] ok"
    formula = "−[y log p+(1−y)·log(1−p)]"  # a formula in brackets is not a vector: wrapped whole, as any formula
    assert fit_cell(formula, 12).replace("\n", "") == formula
    assert fit_cell(formula, 12) == fit_cell(formula, 12, max_lines=MAX_ROW_HEIGHT)


async def test_e_round_trips_the_vectors_and_takes_a_new_W(small):
    from textual.widgets import Input

    from backprop_tui.core.stepping.problem import build_problem
    from backprop_tui.tui.dialogs.edit import EditScreen

    app = BackpropApp(build_problem("neuron-multi"))
    async with app.run_test(size=small) as pilot:
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, EditScreen)
        values = form.query_one(f"#{EditScreen.VALUES_ID}", Input)
        assert values.value == "X=[1, 150, 63, 145, 233], y=0, W=[-3, 0.01, 0.02, 0.01, 0.005]"
        assert form.error is None
        values.value = "X=[1, 150, 63, 145, 233], y=0, W=[0, 0, 0]"
        await pilot.pause()
        assert form.error == "the vectors must have the same length for WᵀX: X has 5, W has 3 numbers"
        values.value = "X=[1, 150, 63, 145, 233], y=0, W=[0, 0, 0, 0, 0]"
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StepperScreen) and screen.problem.inputs["W"].tolist() == [0.0] * 5
        assert screen.stepper.values["p"] == 0.5
