"""Steppers: what each step shows, and that stepping back lands on exactly the same snapshot."""

from __future__ import annotations

import numpy as np
import pytest

from backprop_tui.core.engine.graph import GraphError
from backprop_tui.core.engine.parser import graph_from_expression
from backprop_tui.core.stepping.examples import example
from backprop_tui.core.stepping.steppers import ForwardStepper, ReverseStepper, make_stepper


def lecture_stepper(mode: str):
    chosen = example("lecture")
    return make_stepper(mode, chosen.graph(), chosen.defaults, "W")


@pytest.mark.parametrize("mode", ["forward", "reverse"])
def test_stepping_forward_then_back_gives_identical_snapshots(mode):
    stepper = lecture_stepper(mode)
    going = [stepper.snapshot(i) for i in range(len(stepper))]
    fresh = lecture_stepper(mode)
    coming = [fresh.snapshot(i) for i in reversed(range(len(fresh)))][::-1]
    assert going == coming
    assert going[0] != going[1]


def test_step_counts_follow_the_modes():
    forward = lecture_stepper("forward")
    reverse = lecture_stepper("reverse")
    assert len(forward) == 1 + 6
    # start, six values stored, the seed, then one step per edge back (ξ5..ξ1, W, X, y).
    assert len(reverse) == 1 + 6 + 1 + 8
    assert forward.sweeps_for_full_gradient == 3
    assert reverse.sweeps_for_full_gradient == 1


def test_forward_mode_reveals_one_row_per_step_top_down():
    stepper = lecture_stepper("forward")
    first = stepper.snapshot(0)
    assert first.phase == "start"
    assert all(row.value is None for row in first.rows if not row.is_input)
    third = stepper.snapshot(3)
    assert third.node == "ξ3"
    assert [row.name for row in third.rows if row.value is not None and not row.is_input] == ["ξ1", "ξ2", "ξ3"]
    assert third.row("ξ3").accumulated == pytest.approx(-3 * np.exp(-9))
    assert "dξ3/dW = ∂ξ3/∂ξ2 · dξ2/dW" in third.step.explanation
    assert third.next_formula == "dξ4/dW = ∂ξ4/∂ξ3 · dξ3/dW"


def test_reverse_mode_stores_values_then_fills_adjoints_bottom_up():
    stepper = lecture_stepper("reverse")
    after_forward = stepper.snapshot(6)
    assert after_forward.phase == "forward"
    assert all(row.accumulated is None for row in after_forward.rows)
    seed = stepper.snapshot(7)
    assert seed.step.kind == "seed" and seed.row("L").accumulated == 1.0
    filled = [stepper.snapshot(i).node for i in range(8, 13)]
    assert filled == ["ξ5", "ξ4", "ξ3", "ξ2", "ξ1"]
    at_xi4 = stepper.snapshot(9)
    assert at_xi4.step.edge == ("ξ4", "ξ5")
    assert at_xi4.step.explanation.startswith(
        "dL/dξ4 = dL/dξ5 · ∂ξ5/∂ξ4 = (-1) · (1.00012341) = −(1+e^-9) = -1.00012341")
    assert at_xi4.row("ξ3").accumulated is None


@pytest.mark.parametrize("mode", ["forward", "reverse"])
def test_fan_out_accumulates_in_both_modes(mode):
    graph = graph_from_expression("x*x + x")
    final = make_stepper(mode, graph, {"x": 2.0}, "x").final()
    derivative = final.row(graph.output).accumulated if mode == "forward" else final.row("x").accumulated
    assert derivative == pytest.approx(2 * 2.0 + 1)


def test_reverse_contributions_show_the_sum_being_built():
    graph = graph_from_expression("x*x + x")
    stepper = ReverseStepper(graph, {"x": 2.0})
    steps_at_x = [i for i in range(len(stepper)) if stepper.snapshot(i).node == "x"]
    assert len(steps_at_x) == 2
    first, second = (stepper.snapshot(i).row("x") for i in steps_at_x)
    assert [c.value for c in first.contributions] == [4.0]
    assert [c.value for c in second.contributions] == [4.0, 1.0]
    assert second.accumulated == 5.0
    assert "+=" in stepper.snapshot(steps_at_x[1]).step.formula


def test_a_batch_is_seeded_for_its_mean_loss():
    chosen = example("neuron")
    graph = chosen.graph()
    x = np.array([0.5, 1.5, -1.0, 2.0])
    y = np.array([1.0, 0.0, 0.0, 1.0])
    inputs = {"X": x, "y": y, "β0": -0.3, "β1": 0.8}
    final = ReverseStepper(graph, inputs).final()
    p = 1 / (1 + np.exp(-(-0.3 + 0.8 * x)))
    assert final.row("β1").accumulated == pytest.approx(np.mean((p - y) * x), rel=1e-12)
    assert final.row("β0").accumulated == pytest.approx(np.mean(p - y), rel=1e-12)
    np.testing.assert_allclose(final.row("X").accumulated, (p - y) * 0.8 / 4, rtol=1e-12)
    np.testing.assert_array_equal(final.row("L").accumulated, np.full(4, 0.25))
    assert final.step.kind == "adjoint" and "1/4" in ReverseStepper(graph, inputs).snapshot(
        len(graph.operations) + 1).step.formula
    assert final.row("β1").fd_check.ok
    forward = ForwardStepper(graph, inputs, "β1").final()
    np.testing.assert_allclose(forward.row("L").accumulated, (p - y) * x, rtol=1e-12)


def test_non_finite_values_keep_stepping_without_warnings():
    graph = graph_from_expression("log(x) + 1/y")
    with np.errstate(all="raise"):
        final = ReverseStepper(graph, {"x": 0.0, "y": 0.0}).final()
    assert final.row("ξ1").value == -np.inf
    assert final.row("ξ2").value == np.inf
    assert final.index == len(ReverseStepper(graph, {"x": 0.0, "y": 0.0})) - 1


def test_forward_mode_needs_a_known_input():
    graph = graph_from_expression("x*y")
    with pytest.raises(GraphError, match="inputs are x, y"):
        make_stepper("forward", graph, {"x": 1.0, "y": 2.0}, "z")
    with pytest.raises(GraphError, match="needs an input"):
        make_stepper("forward", graph, {"x": 1.0, "y": 2.0})


def test_missing_input_value_is_an_error():
    graph = graph_from_expression("x*y")
    with pytest.raises(GraphError, match="no value given for y"):
        make_stepper("reverse", graph, {"x": 1.0})


def test_a_deep_graph_needs_no_recursion():
    source = "x" + "+x" * 5000
    graph = graph_from_expression(source)
    stepper = ReverseStepper(graph, {"x": 1.5})
    assert stepper.final().row("x").accumulated == pytest.approx(5001.0)


def test_the_explanation_names_the_operation_that_produced_a_non_finite_value():
    graph = graph_from_expression("exp(log(x)) * y")
    stepper = ReverseStepper(graph, {"x": 0.0, "y": 2.0})
    log_step = stepper.snapshot(stepper.value_step["ξ1"]).step
    assert "-inf" in log_step.explanation and "log(0) produced it here" in log_step.explanation
    product_step = stepper.snapshot(stepper.value_step["ξ3"]).step
    assert "non-finite" not in product_step.explanation
    graph = graph_from_expression("(0*exp(x))*y")
    stepper = ReverseStepper(graph, {"x": 1000.0, "y": 1.0})
    assert "inf" in stepper.snapshot(stepper.value_step["ξ1"]).step.explanation
    assert "NaN" in stepper.snapshot(stepper.value_step["ξ2"]).step.explanation
    assert "carried in from ξ2" in stepper.snapshot(stepper.value_step["ξ3"]).step.explanation


def test_a_scalar_seed_covers_every_row_of_a_batched_output():
    from backprop_tui.core.engine.autodiff import gradient

    graph = graph_from_expression("w + X")
    _, grads = gradient(graph, {"w": 1.0, "X": np.arange(4.0)}, ("w",), 1.0)
    assert grads["w"] == 4.0
    _, grads = gradient(graph, {"w": 1.0, "X": np.array([2.0])}, ("w", "X"), 1.0)
    assert grads["w"] == 1.0
    np.testing.assert_array_equal(grads["X"], [1.0])
