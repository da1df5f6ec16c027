"""`s` on the descent screen: the stepper on exactly the graph and batch one iteration used.

The model's graph is the stepper's own (the neuron of slides 51 and 61, or the 1-2-1 network),
so the iteration is opened as a stepper problem whose data inputs are the batch's rows as arrays
and whose parameters are the values before the step. The stepper shows batch values as means.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Label

from backprop_tui.core.stepping.problem import Problem
from backprop_tui.core.stepping.table import TableSource
from backprop_tui.core.training.minima import DISPLAY, EXPRESSION
from backprop_tui.core.training.run import DescentRun

from .stepper import StepperScreen

NOTE_ID = "batch-note"


def _source(run: DescentRun) -> TableSource:
    """The example the model's graph is, so the stepper's header and edit form name it properly."""
    model = run.objective.model
    if model.name == "minima":
        return TableSource("expr", EXPRESSION, DISPLAY)
    if model.name == "mlp" or (model.name == "neuron" and len(model.features) == 1):
        return TableSource("example", model.name)
    return TableSource("expr", f"{model.title} on {run.objective.data.name}")  # type: ignore[union-attr]


def batch_problem(run: DescentRun) -> tuple[Problem, str]:
    """The last iteration (its parameters before the step, its batch) as a stepper problem, and a label.

    Before the first step it is the first iteration's batch at the start.
    """
    record = run.last
    rows = run.objective.rows
    if record is None:
        params = run.current.params
        batch_rows = run.optimizer.rows_per_batch(rows) if rows else 0
        chosen = None if run.optimizer.kind == "gd" or not rows else run.batch_indices(1, 0, batch_rows)
        which = "iteration 1 (not taken yet), at the start"
    else:
        params, batch_rows = record.params, record.batch_rows
        partial = 0 < batch_rows < rows
        chosen = run.batch_indices(record.epoch, record.batch, batch_rows) if partial else None
        which = f"iteration {record.iteration}, at the parameters before its step"
    inputs = run.objective.inputs(params, chosen)
    model = run.objective.model
    wrt = model.params[-1]
    problem = Problem(_source(run), model.graph, inputs, wrt, "reverse")
    if not rows:
        return problem, f"Gradient descent {which}."
    count = rows if chosen is None else len(chosen)
    batch = "every row" if chosen is None else f"batch {record.batch + 1 if record else 1} of epoch " \
                                               f"{record.epoch if record else 1}"
    return problem, (f"Gradient descent {which}: {batch} ({count} rows). Values are batch means; the loss is "
                     f"the mean over the {count} rows, so dL/d{wrt} is the descent's gradient.")


class BatchStepperScreen(StepperScreen):
    """The stepper opened from the descent screen; `g`, `t` or escape go back to the same run."""

    CSS_PATH = "../styles/descent.tcss"
    BINDINGS = [
        *StepperScreen.BINDINGS,
        Binding("t,escape", "back", "Back to descent", tooltip="Back to the descent screen, where you were"),
    ]

    def __init__(self, problem: Problem, label: str) -> None:
        super().__init__(problem)
        self.label = label

    def compose(self) -> ComposeResult:
        children = list(super().compose())
        yield children[0]
        yield Label(Content(self.label), id=NOTE_ID)
        yield from children[1:]

    def action_descent(self) -> None:
        self.dismiss()

    def action_back(self) -> None:
        self.dismiss()
