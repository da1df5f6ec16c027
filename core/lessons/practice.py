"""One exercise in progress: the questions, the student's attempts, and the score as it goes.

Rules (one place): a right answer on the first try scores fully; a wrong answer shows the hint, and
a right one after it scores half; a second wrong answer, or asking, reveals the cell (no score). A
typo that does not parse is not an attempt at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..stepping.problem import Problem
from ..stepping.steppers import Stepper
from .answers import Checked, check_choice, check_number
from .cells import Cell

Outcome = Literal["first", "hint", "revealed"]
FeedbackKind = Literal["right", "wrong", "revealed", "unparsed"]


@dataclass(frozen=True)
class Choice:
    """A multiple-choice question (the lecture's descent questions); `shown` is what running it showed."""

    label: str
    prompt: str
    options: tuple[str, ...]
    correct: int
    hint: str
    shown: str
    runs: tuple[tuple[float, float], ...] = ()
    """The descent runs behind `shown`, as (start, end) of x on f(x) = cos(3πx)/x: plotted with the question
    (the starts) and, once answered, where each run went."""

    @property
    def answer(self) -> str:
        return f"{self.correct + 1}. {self.options[self.correct]}: {self.shown}"


Question = Cell | Choice


CELL_WORDS = {"value": "the value", "partial": "the local partial", "accumulated": "the derivative"}


def prompt_of(question: Question) -> str:
    """What the student is asked: `the local partial ∂ξ4/∂ξ3 = ?`."""
    if isinstance(question, Choice):
        return f"{question.label}: which one? (1 to {len(question.options)})"
    return f"{CELL_WORDS[question.kind]} {question.label} = ?"


def check(question: Question, text: str) -> Checked:
    if isinstance(question, Choice):
        return check_choice(text, len(question.options), question.correct)
    return check_number(text, question.expected)


@dataclass(frozen=True)
class Worksheet:
    """A built exercise: its questions in order and, for a table exercise, the stepper that reveals them."""

    questions: tuple[Question, ...]
    intro: str
    problem: Problem | None = None
    stepper: Stepper | None = None
    seed: int | None = None


@dataclass(frozen=True)
class Feedback:
    """What the last key press did, for the screen to say."""

    kind: FeedbackKind
    question: Question
    checked: Checked | None = None

    @property
    def message(self) -> str:
        question = self.question
        if self.kind == "right":
            return f"✓ right: {question.answer}"
        if self.kind == "wrong":
            return f"✗ not quite. Hint: {question.hint}"
        if self.kind == "revealed":
            return f"revealed: {question.answer}"
        checked = self.checked
        return f"cannot read that at column {checked.column}: {checked.message}" if checked else "cannot read that"


@dataclass(frozen=True)
class Score:
    first: int
    hint: int
    revealed: int
    total: int
    retry: tuple[str, ...]
    """Labels of the cells that were not right on the first try: the ones to do again."""

    @property
    def answered(self) -> int:
        return self.first + self.hint + self.revealed

    @property
    def percent(self) -> int:
        """Full marks for a first try, half after a hint, none for a reveal."""
        if not self.total:
            return 0
        return round(100 * (self.first + 0.5 * self.hint) / self.total)

    @property
    def text(self) -> str:
        return (f"{self.first} first try · {self.hint} after a hint · {self.revealed} revealed"
                f" · {self.answered}/{self.total} · {self.percent} %")


class ExerciseRun:
    """The student's way through one worksheet, question by question."""

    def __init__(self, worksheet: Worksheet) -> None:
        self.worksheet = worksheet
        self.position = 0
        self.outcomes: list[Outcome] = []
        self.missed = False
        """Whether the current question has had a wrong answer (so its hint is showing)."""

    @property
    def questions(self) -> tuple[Question, ...]:
        return self.worksheet.questions

    @property
    def current(self) -> Question | None:
        return self.questions[self.position] if self.position < len(self.questions) else None

    @property
    def finished(self) -> bool:
        return self.position >= len(self.questions)

    def submit(self, text: str) -> Feedback | None:
        """Grade `text` against the current question; None once the exercise is finished."""
        question = self.current
        if question is None:
            return None
        checked = check(question, text)
        if checked.verdict == "unparsed":
            return Feedback("unparsed", question, checked)
        if checked.verdict == "right":
            self._advance("hint" if self.missed else "first")
            return Feedback("right", question, checked)
        if self.missed:
            self._advance("revealed")
            return Feedback("revealed", question, checked)
        self.missed = True
        return Feedback("wrong", question, checked)

    def reveal(self) -> Feedback | None:
        """Show the current cell without an answer (it counts as revealed)."""
        question = self.current
        if question is None:
            return None
        self._advance("revealed")
        return Feedback("revealed", question)

    def _advance(self, outcome: Outcome) -> None:
        self.outcomes.append(outcome)
        self.position += 1
        self.missed = False

    @property
    def score(self) -> Score:
        retry = tuple(question.label for question, outcome in zip(self.questions, self.outcomes, strict=False)
                      if outcome != "first")
        return Score(self.outcomes.count("first"), self.outcomes.count("hint"), self.outcomes.count("revealed"),
                     len(self.questions), retry)
