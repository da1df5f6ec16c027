"""Slide 14 from the perceptron lesson: pick how many Heart columns the neuron reads, then step through
h = WᵀX with W and X vectors, opened over the one-predictor neuron (escape comes back to it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from backprop_tui.core.lessons.predictors import column_choices, predictors_problem
from backprop_tui.core.training.csv_file import DataError

from ..dialogs.choice import ChoiceScreen

if TYPE_CHECKING:
    from .stepper import StepperScreen


def choose_predictors(screen: StepperScreen) -> None:
    """Ask for a set of columns; open the neuron over them as a new stepper pushed over `screen`."""

    def chosen(columns: str | None) -> None:
        from .stepper import StepperScreen

        if columns is None:
            return
        try:
            problem, note = predictors_problem(tuple(columns.split(",")))
        except DataError as error:
            screen.notify(str(error), title="Cannot read the Heart data", severity="error")
            return
        screen.app.push_screen(StepperScreen(problem, note=note, pushed=True))

    screen.app.push_screen(ChoiceScreen("Slide 14: the neuron over several Heart columns", column_choices()), chosen)
