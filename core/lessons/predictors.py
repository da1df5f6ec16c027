"""Slide 14 in the perceptron lesson: the neuron over several Heart columns, h = WᵀX with W and X vectors.

The slide writes Y = f(β0 + β1x1 + … + β4x4) = f(WᵀX) with W = [β0, β1, …, β4] and X = [1, X1, …, X4]:
one dot node instead of one multiplication per predictor. The student picks how many of the Heart
data's columns to use; the patient and the first-guess weights stay the same, so what changes is only
how many components W and X (and dL/dW) have.
"""

from __future__ import annotations

from functools import cache

from ..engine.numbers import format_scalar, vector
from ..stepping.examples import SLIDE_14_COLUMNS, SLIDE_14_WEIGHTS, predictors_graph
from ..stepping.problem import Problem
from ..stepping.table import TableSource
from ..training.data import Dataset, bundled, load_csv

HEART_TARGET = "AHD"
COLUMN_SETS: tuple[tuple[str, ...], ...] = tuple(SLIDE_14_COLUMNS[:count] for count in range(1, 5))
"""MaxHR alone (the lecture's one predictor, as a vector of one), then Age, RestBP and Chol added."""
FIRST_GUESS = dict(zip(("β0", *SLIDE_14_COLUMNS), SLIDE_14_WEIGHTS, strict=True))
"""The weight each column starts with (and the bias β0): slide 15's first guess, the same in every set."""


@cache
def heart_columns(columns: tuple[str, ...]) -> Dataset:
    """The Heart data's `columns` and AHD in file units (rows missing any of them dropped); read once per set."""
    return load_csv(bundled("heart"), columns, HEART_TARGET)


def column_choices() -> list[tuple[str, str]]:
    """The sets offered in the lesson, as (value, label) pairs: `MaxHR,Age` and `2 predictors: …`."""
    return [(",".join(columns), f"{len(columns)} predictor{'s' if len(columns) > 1 else ''}: "
             f"{', '.join(columns)}{'  (slide 14)' if len(columns) == 4 else ''}")
            for columns in COLUMN_SETS]


def predictors_problem(columns: tuple[str, ...], patient: int = 0) -> tuple[Problem, str]:
    """The `neuron-multi` graph on one Heart patient over `columns`, W the first guess; and the note
    naming the patient and what W and X hold."""
    data = heart_columns(columns)
    row = data.raw[patient]
    y = float(data.y[patient])
    weights = [FIRST_GUESS["β0"], *(FIRST_GUESS[column] for column in columns)]
    inputs = {"X": vector([1.0, *row]), "y": y, "W": vector(weights)}
    problem = Problem(TableSource("example", "neuron-multi"), predictors_graph(), inputs, "W", "reverse")  # type: ignore[arg-type]
    count = len(columns)
    patient_text = ", ".join(f"{column} {format_scalar(float(value))}" for column, value in zip(columns, row,
                                                                                                  strict=True))
    xs, betas = ("X1", "β1") if count == 1 else (f"X1, …, X{count}", f"β1, …, β{count}")
    note = (f"Slide 14 · patient {patient + 1}: {patient_text}, {HEART_TARGET} {data.labels[int(y)]} (y = {y:g}). "
            f"X = [1, {xs}], W = [β0, {betas}] (a first guess), h = WᵀX")
    return problem, note
