"""The exercise catalogue, in order of difficulty: ids are public (the state file and `--status` use them).

Each exercise is built only when opened (a stepper, or a descent run for the choice questions), so the
list and `backprop-tui practice --status` cost nothing.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Collection
from dataclasses import dataclass

import numpy as np

from ..engine.numbers import Vector
from ..stepping.problem import Problem, build_problem
from .answers import TOLERANCE_TEXT
from .cells import CellKind, table_cells
from .descent_questions import direction_questions, minima_question
from .generated import generated_problem
from .practice import Worksheet

MAX_SEED = 2**31 - 1


@dataclass(frozen=True)
class Exercise:
    """One entry of the list: what it asks, and how to build its worksheet (a seed for generated ones)."""

    id: str
    title: str
    asks: str
    build: Callable[[int | None], Worksheet]
    generated: bool = False


def table_worksheet(problem: Problem, kinds: Collection[CellKind], asked_inputs: Collection[str] = (),
                    seed: int | None = None) -> Worksheet:
    """A worksheet that walks `problem`'s stepper, asking the cells of `kinds`."""
    stepper = problem.stepper()
    cells = table_cells(stepper, kinds, asked_inputs or (problem.wrt,))
    mode = "forward mode, d/d" + problem.wrt if problem.mode == "forward" else "reverse mode"
    inputs = ", ".join(f"{name} = {value:g}" for name, value in problem.inputs.items())
    intro = (f"{problem.title}, {mode}, at {inputs}. Type each cell before it is revealed: a number or an "
             f"expression (e^-2, 1/(1+exp(-1))); accepted {TOLERANCE_TEXT}.")
    return Worksheet(cells, intro, problem, stepper, seed)


MAX_GRAPH_CELLS = 200
"""A graph turned into an exercise from the stepper must stay something one can type through."""


def graph_worksheet(problem: Problem) -> Worksheet:
    """Any one-sample graph as an exercise: forward mode asks values, partials and dξ/dW; reverse mode
    values and dL/dξ (for every input). Refused for a batch or a graph too big to type through."""
    vectors = [name for name, value in problem.inputs.items() if isinstance(value, Vector)]
    if vectors:
        raise ValueError(f"practice asks one number per cell; {' and '.join(vectors)} here are vectors "
                         f"(slide 14): practise the one-predictor neuron instead")
    if any(np.ndim(value) for value in problem.inputs.values()):
        raise ValueError("practice works on one sample; this graph holds a batch")
    kinds: tuple[CellKind, ...] = (("value", "partial", "accumulated") if problem.mode == "forward"
                                   else ("value", "accumulated"))
    worksheet = table_worksheet(problem, kinds, problem.graph.inputs if problem.mode == "reverse" else ())
    if len(worksheet.questions) > MAX_GRAPH_CELLS:
        raise ValueError(f"this graph has {len(worksheet.questions)} cells to type; practice takes at most "
                         f"{MAX_GRAPH_CELLS} (try a smaller graph, or the layers view)")
    return worksheet


def _example(name: str, mode: str, kinds: Collection[CellKind], asked: Collection[str] = ()) -> Callable[
        [int | None], Worksheet]:
    return lambda seed: table_worksheet(build_problem(name, mode=mode), kinds, asked)


def _two_inputs(seed: int | None) -> Worksheet:
    problem = build_problem(expression="(x + y) * x + exp(y)", at="x=2,y=-1", wrt="x")
    return table_worksheet(problem, ("value", "partial", "accumulated"), ("x", "y"))


def _generated(level: int) -> Callable[[int | None], Worksheet]:
    def build(seed: int | None) -> Worksheet:
        chosen = random.SystemRandom().randrange(MAX_SEED) if seed is None else seed
        kinds: tuple[CellKind, ...] = ("value", "accumulated") if level == 1 else ("value", "partial", "accumulated")
        problem = generated_problem(chosen, level)
        return table_worksheet(problem, kinds, problem.graph.inputs, seed=chosen)
    return build


def _descent_direction(seed: int | None) -> Worksheet:
    return Worksheet(direction_questions(), "Slides 19-20: the slope's sign says which way to step. "
                     "Type the number of your choice; then see what one step of descent did.")


def _minima(seed: int | None) -> Worksheet:
    return Worksheet((minima_question(),), "Slides 35-38: local and global minima. Type the number of your "
                     "choice; then see where plain descent ended from each start.")


EXERCISES: tuple[Exercise, ...] = (
    Exercise("lecture-forward", "the lecture's graph, forward mode (X=3, y=1, W=3)",
             "each ξ's value, its local partial, and dξ/dW", _example("lecture", "forward",
                                                                    ("value", "partial", "accumulated"))),
    Exercise("lecture-backward", "the lecture's graph, backward (X=3, y=1, W=3)",
             "dL/dξ from the loss back to W", _example("lecture", "reverse", ("accumulated",))),
    Exercise("descent-direction", "which way does x move? one step of descent on cos(3πx)/x (slides 19-20)",
             "the direction of one descent step, from the slope's sign", _descent_direction),
    Exercise("neuron", "one neuron: affine, sigmoid, cross-entropy (slides 51, 61)",
             "h, p and L, then dL/dp (slide 61's −y/p + (1−y)/(1−p)), dL/dh, dL/dβ1, dL/dβ0",
             _example("neuron", "reverse", ("value", "accumulated"), ("β0", "β1"))),
    Exercise("two-inputs", "two inputs, x used twice: (x + y)·x + e^y",
             "values, local partials, and the sum at the fan-out x", _two_inputs),
    Exercise("lecture-full-backward", "both branches of the loss, backward (slide 69)",
             "dL/dξ back to W; p = ξ4 feeds both logs, so dL/dξ4 is a sum",
             _example("lecture-full", "reverse", ("accumulated",))),
    Exercise("minima", "which start finds the global minimum? (slide 38)",
             "where plain descent ends, from four starts", _minima),
    Exercise("generated-1", "a generated graph, level 1 (+ − · and a fan-out)",
             "values and ∂/∂ of a new random graph each time (the seed is shown)", _generated(1), True),
    Exercise("generated-2", "a generated graph, level 2 (exp, square, 1/a)",
             "values, local partials and ∂/∂ of a new random graph", _generated(2), True),
    Exercise("generated-3", "a generated graph, level 3 (log, σ, tanh, division, 3 inputs)",
             "values, local partials and ∂/∂ of a new random graph", _generated(3), True),
)

EXERCISE_IDS: tuple[str, ...] = tuple(exercise.id for exercise in EXERCISES)


def exercise(exercise_id: str) -> Exercise:
    for candidate in EXERCISES:
        if candidate.id == exercise_id:
            return candidate
    raise LookupError(f"unknown exercise {exercise_id!r}: choose one of {', '.join(EXERCISE_IDS)}")
