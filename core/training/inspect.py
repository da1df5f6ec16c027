"""An iteration of a descent run opened in the stepper: exactly the graph and the batch it used.

The model's graph is the stepper's own (the neuron of slides 51 and 61, the 1-2-1 network, or the
minima function), so an iteration becomes a stepper problem whose data inputs are the batch's rows
as arrays and whose parameters are the values before the step; reverse mode seeds every row with
1/n, so the parameters' adjoints are the iteration's gradient.
"""

from __future__ import annotations

from backprop_tui.core.stepping.problem import Problem
from backprop_tui.core.stepping.table import TableSource

from .history import IterationRecord
from .minima import DISPLAY, EXPRESSION
from .run import DescentRun
from .view import BatchView


def model_source(run: DescentRun) -> TableSource:
    """The example the model's graph is, so the stepper's header and edit form name it properly."""
    model = run.objective.model
    if model.name == "minima":
        return TableSource("expr", EXPRESSION, DISPLAY)
    if model.name == "mlp" or (model.name == "neuron" and len(model.features) == 1):
        return TableSource("example", model.name)
    return TableSource("expr", f"{model.title} on {run.objective.data.name}")  # type: ignore[union-attr]


def iteration_problem(run: DescentRun, record: IterationRecord | None,
                      batch: BatchView | None) -> tuple[Problem, str]:
    """`record`'s iteration (or, before any, the first one at the start) and a note saying what it is."""
    rows = run.objective.rows
    if record is None:
        params = run.current.params
        size = run.optimizer.rows_per_batch(rows) if rows else 0
        chosen = run.batch_indices(1, 0, size) if rows else None
        which, label = "iteration 1 (not taken yet), at the start", "batch 1 of epoch 1"
    else:
        params, chosen = record.params, batch.rows if batch is not None else None
        which = f"iteration {record.iteration}, at the parameters before its step"
        label = f"batch {record.batch + 1} of epoch {record.epoch}"
    inputs = run.objective.inputs(params, chosen)
    model = run.objective.model
    wrt = model.params[-1]
    problem = Problem(model_source(run), model.graph, inputs, wrt, "reverse")
    if not rows:
        return problem, f"Gradient descent {which}."
    count = rows if chosen is None else len(chosen)
    used = "every row" if chosen is None else label
    if count == 1:
        return problem, (f"Gradient descent {which}: {used} (one row, a stochastic step), so dL/d{wrt} is the "
                         f"descent's gradient.")
    return problem, (f"Gradient descent {which}: {used} ({count} rows). Values are batch means; the loss is "
                     f"the mean over the {count} rows (each row's dL seeded with 1/{count}), so dL/d{wrt} is the "
                     f"descent's gradient.")
