"""Which screen each lesson of the map opens on, built the first time the lesson is opened.

The lesson ids and their texts live in core (`core.lessons.catalog`); this is only the routing: a
lesson is a mode of the app with its own stack of screens, and this builds the screen at its
bottom. Imports happen inside each builder, so start-up pays only for the screen it shows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from backprop_tui.core.lessons.catalog import LESSONS, lesson

if TYPE_CHECKING:
    from textual.screen import Screen

    from .app import BackpropApp

WORKBENCH = "stepper"
"""The mode `backprop-tui` opens on: the stepper on the student's own graph (the lecture's by default)."""


def _note(lesson_id: str) -> str:
    chosen = lesson(lesson_id)
    return f"Lesson · {chosen.title} (slides {chosen.slides}): {chosen.doing}."


def _short_note(lesson_id: str) -> str:
    """The note for a short terminal: the lesson and its slides, a whole sentence still (`?` has the rest)."""
    chosen = lesson(lesson_id)
    return f"Lesson · {chosen.title} (slides {chosen.slides})."


def _stepper(example: str, mode: str = "reverse") -> Callable[[BackpropApp, str], Screen]:
    def build(app: BackpropApp, lesson_id: str) -> Screen:
        from backprop_tui.core.stepping.problem import build_problem

        from .screens.stepper import StepperScreen

        return StepperScreen(build_problem(example, mode=mode), note=_note(lesson_id),
                             short_note=_short_note(lesson_id))

    return build


def _descent(example: str = "heart", optimizer: str | None = None) -> Callable[[BackpropApp, str], Screen]:
    def build(app: BackpropApp, lesson_id: str) -> Screen:
        from backprop_tui.core.training.setup import DescentOptions, resolve
        from backprop_tui.core.training.setup import build as build_setup

        from .screens.descent import DescentScreen

        given = app.descent_setup if lesson_id == (app.first_lesson or "descent") else None
        setup = given or build_setup(resolve(DescentOptions(example, optimizer=optimizer)))
        return DescentScreen(setup, note=_note(lesson_id))

    return build


def _two_neurons(app: BackpropApp, lesson_id: str) -> Screen:
    from .screens.two_neurons import TwoNeuronsScreen

    return TwoNeuronsScreen() if app.two_neurons_seed is None else TwoNeuronsScreen(app.two_neurons_seed)


def _classification(app: BackpropApp, lesson_id: str) -> Screen:
    from .screens.classification import ClassificationScreen

    return ClassificationScreen()


def _loss(app: BackpropApp, lesson_id: str) -> Screen:
    from .screens.loss import LossScreen

    return LossScreen()


def _chain_rule(app: BackpropApp, lesson_id: str) -> Screen:
    from .screens.chain_rule import ChainRuleScreen

    return ChainRuleScreen()


def _modes_compared(app: BackpropApp, lesson_id: str) -> Screen:
    from .screens.modes_compared import ModesComparedScreen

    return ModesComparedScreen()


def _practice(app: BackpropApp, lesson_id: str) -> Screen:
    from .screens.practice_list import PracticeListScreen

    return PracticeListScreen(seed=app.practice_seed)


def welcome_note() -> str:
    """What a student who just typed `backprop-tui` reads first: the lecture is a path of lessons, where it starts,
    and how to get there (the stepper it opens on is one stop of that path)."""
    first, last = LESSONS[0], LESSONS[-1]
    return (f"New here? The lecture is a path of {len(LESSONS)} lessons, from 1 · {first.id} (slides {first.slides})"
            f" to {len(LESSONS)} · {last.id}: l opens the map. Below, the graph of slides 65-72: → steps through it.")


def _workbench(app: BackpropApp, lesson_id: str) -> Screen:
    from .screens.stepper import StepperScreen

    source = app.problem.source
    default = app.first_lesson is None and source.kind == "example" and source.text == "lecture"
    return StepperScreen(app.problem, note=welcome_note() if default else None)


BUILDERS: dict[str, Callable[[BackpropApp, str], Screen]] = {
    WORKBENCH: _workbench,
    "classification": _classification,
    "loss": _loss,
    "descent": _descent("heart"),
    "chain-rule": _chain_rule,
    "minima": _descent("minima"),
    "batches": _descent("heart", "minibatch"),
    "perceptron": _stepper("neuron"),
    "two-neurons": _two_neurons,
    "backprop-table": _stepper("lecture", "forward"),
    "graph": _stepper("lecture-full"),
    "forward-backward": _modes_compared,
    "practice": _practice,
}
