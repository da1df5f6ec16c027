"""`s` on the two-neurons screen: the stepper on the lesson's network at the iteration being looked at.

As on the descent screen (`descent_stepper`), the model's own graph is opened as a stepper problem
with the parameters of that iteration; the data inputs are one chosen row (plain numbers) or every
row (arrays, shown as batch means). For the network the point is X: it fans out into z1 and z2,
so in the backward pass dL/dX is the sum of the two hidden neurons' contributions.
"""

from __future__ import annotations

from textual.binding import Binding

from backprop_tui.core.lessons import two_neurons
from backprop_tui.core.stepping.problem import Problem
from backprop_tui.core.stepping.table import TableSource

from .descent_stepper import BatchStepperScreen

WRT = {"neuron": "β1", "mlp": "W11"}
"""The parameter forward mode differentiates with respect to (the stepper examples' own choice)."""


def network_problem(part: int, result: two_neurons.PartResult, iteration: int,
                    sample: two_neurons.Sample) -> tuple[Problem, str]:
    """The part's graph at the parameters after `iteration` steps, on `sample`; and the stepper's note."""
    model = result.run.objective.model
    params = two_neurons.params_at(result.run, iteration)
    inputs = two_neurons.sample_inputs(result.setup, params, sample)
    problem = Problem(TableSource("example", model.name), model.graph, inputs, WRT[model.name], "reverse")
    which = f"Two neurons, part {part}, after {iteration} of {result.iterations} iterations"
    described = two_neurons.describe_sample(result.setup, sample, short=True)
    if sample.row is None:
        count = len(result.setup.data)  # type: ignore[arg-type]
        rows = (f"{described}. Values are batch means; the loss is the mean over the {count} rows, "
                f"so the parameters' adjoints are the descent's gradient.")
    else:
        rows = f"{described}, X = {inputs['X']:.4g} standardised."
    fan_out = " Backward: X feeds z1 and z2, so dL/dX adds two contributions." \
        if model.name == "mlp" else ""
    return problem, f"{which}: {rows}{fan_out}"


class NetworkStepperScreen(BatchStepperScreen):
    """The stepper opened from the two-neurons screen; `t` or escape go back to the same iteration."""

    BINDINGS = [
        Binding("t,escape", "back", "Back", tooltip="Back to the two-neurons screen, where you were"),
    ]
