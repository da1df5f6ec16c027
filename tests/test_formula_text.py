"""Formula and number text that reads the way it is meant (issue 12's defects)."""

from __future__ import annotations

import numpy as np
import pytest

from backprop_tui.core.engine.numbers import batch_mean, format_sum, format_value
from backprop_tui.core.stepping.examples import example
from backprop_tui.core.stepping.problem import build_problem
from backprop_tui.core.stepping.snapshot import Contribution
from backprop_tui.core.stepping.steppers import ReverseStepper
from backprop_tui.core.stepping.table import accumulated_text, batch_seed_text
from backprop_tui.core.training import minima
from backprop_tui.core.training.models import minima_model


def partial(expression: str, name: str = "ξ1", parent: str = "x") -> str:
    final = build_problem(expression=expression, at="x=0.5").stepper().final()
    return dict(final.row(name).partial_formulas)[parent]


def test_tanh_squared_and_powers():
    assert partial("tanh(x)") == "1−tanh²x"
    assert partial("x**2") == "2x"
    assert partial("x**3") == "3x²"


def test_a_partial_that_equals_its_value_is_written_once():
    stepper = build_problem("lecture").stepper()
    assert "(stored; ∂ξ3/∂ξ2 = 1)" in stepper.steps[3].explanation


def test_a_negative_term_is_subtracted():
    assert format_sum([2.0, -0.283662185], 1.716337815) == "2 − 0.283662185 = 1.71633781"
    row = build_problem(expression="x*x - 3*x", at="x=1").stepper().final().row("x")
    assert accumulated_text(row) == "2 − 3 = -1"


def test_a_mean_zero_within_rounding_is_zero():
    x = np.random.default_rng(0).normal(size=303)
    standardised = (x - x.mean()) / x.std()
    assert np.mean(standardised) != 0
    assert batch_mean(standardised) == 0.0
    assert format_value(standardised) == "mean 0 (n=303)"
    assert format_value(np.array([1e-10, 1e-10])) == "mean 1e-10 (n=2)"
    assert format_value(np.array([1.0, 3.0])) == "mean 2 (n=2)"


def test_the_minima_function_is_shown_as_written():
    assert minima.DISPLAY == "cos(3πx)/x"
    assert minima_model(0.5).title == "f(x) = cos(3πx)/x"
    assert "3.14159" not in minima_model(0.5).title


def test_the_batch_loss_says_it_is_the_seed():
    graph = example("neuron").graph()
    rows = 300
    stepper = ReverseStepper(graph, {"X": np.linspace(-1, 1, rows), "y": (np.arange(rows) % 2).astype(float),
                                     "β0": 0.1, "β1": 0.2})
    final = stepper.final()
    assert batch_seed_text(final.row("L"), final) == "seed 1/300 each"
    assert batch_seed_text(final.row("β1"), final) is None
    assert "seed 1/n" in stepper.steps[stepper.seed_step].explanation


def test_contribution_sum_with_a_closed_form():
    row = build_problem(expression="x*x + x", at="x=3").stepper().final().row("x")
    assert row.contributions == (Contribution("ξ1", 6.0, 6.0), Contribution("ξ2", 1.0, 7.0))
    assert accumulated_text(row) == "6 + 1 = 7"


@pytest.mark.parametrize(("inputs", "expected"), [("x", "its one input"), ("x*y", "all 2 inputs")])
def test_sweeps_text_counts_inputs_in_english(inputs, expected):
    from backprop_tui.tui.widgets.step_info import sweeps_text

    at = "x=1,y=2" if "y" in inputs else "x=1"
    stepper = build_problem(expression=f"{inputs}*2", at=at).stepper()
    assert sweeps_text(stepper).endswith(f"serves {expected})")
