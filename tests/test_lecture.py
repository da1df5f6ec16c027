"""The lecture's worked example (slides 65-72, X=3, y=1, W=3) to the last digit, in both modes."""

from __future__ import annotations

import math

import pytest

from backprop_tui.core.stepping.examples import GRAPH_EXAMPLES, example
from backprop_tui.core.stepping.steppers import ForwardStepper, ReverseStepper

E9 = math.exp(-9)
XI = {
    "ξ1": -9.0,
    "ξ2": E9,
    "ξ3": 1 + E9,
    "ξ4": 1 / (1 + E9),
    "ξ5": math.log(1 / (1 + E9)),
    "L": -math.log(1 / (1 + E9)),
}
# Forward mode, dξ/dW, as in the lecture's last column (slide 70).
TANGENTS = {
    "ξ1": -3.0,
    "ξ2": -3 * E9,
    "ξ3": -3 * E9,
    "ξ4": 3 * E9 / (1 + E9) ** 2,
    "ξ5": 3 * E9 / (1 + E9),
    "L": -3 * E9 / (1 + E9),
}
# Reverse mode, ∂L/∂ξ (slide 72), from the output back.
ADJOINTS = {
    "L": 1.0,
    "ξ5": -1.0,
    "ξ4": -(1 + E9),
    "ξ3": 1 / (1 + E9),
    "ξ2": 1 / (1 + E9),
    "ξ1": E9 / (1 + E9),
    "W": -3 * E9 / (1 + E9),
    "X": -3 * E9 / (1 + E9),
}


@pytest.fixture
def lecture():
    chosen = example("lecture")
    return chosen.graph(), chosen.defaults


def test_the_lecture_gradient_is_the_printed_number(lecture):
    """dL/dW as both modes compute it, against the digits slide 72 prints (-0.00037018372)."""
    graph, inputs = lecture
    forward = ForwardStepper(graph, inputs, "W").final().row("L").accumulated
    reverse = ReverseStepper(graph, inputs).final().row("W").accumulated
    for computed in (forward, reverse):
        assert computed == pytest.approx(-0.00037018372, abs=1e-11)


def test_forward_mode_fills_the_lecture_table(lecture):
    graph, inputs = lecture
    final = ForwardStepper(graph, inputs, "W").final()
    for name, value in XI.items():
        assert final.row(name).value == pytest.approx(value, rel=1e-15, abs=1e-300)
        assert final.row(name).accumulated == pytest.approx(TANGENTS[name], rel=1e-12)
        assert final.row(name).fd_check.ok


def test_reverse_mode_fills_the_lecture_table(lecture):
    graph, inputs = lecture
    final = ReverseStepper(graph, inputs).final()
    for name, value in XI.items():
        assert final.row(name).value == pytest.approx(value, rel=1e-15)
    for name, adjoint in ADJOINTS.items():
        assert final.row(name).accumulated == pytest.approx(adjoint, rel=1e-12)
        assert final.row(name).fd_check.ok


def test_both_modes_give_the_same_gradient(lecture):
    graph, inputs = lecture
    forward = ForwardStepper(graph, inputs, "W").final().row("L").accumulated
    reverse = ReverseStepper(graph, inputs).final().row("W").accumulated
    assert forward == pytest.approx(reverse, rel=1e-14)
    assert reverse == pytest.approx(-3.70183728e-4, rel=1e-8)


def test_local_partials_and_closed_forms_as_the_slides_write_them(lecture):
    graph, inputs = lecture
    final = ForwardStepper(graph, inputs, "W").final()
    assert dict(final.row("ξ1").partial_formulas)["W"] == "−X"
    assert dict(final.row("ξ2").partial_formulas)["ξ1"] == "e^ξ1"
    assert dict(final.row("ξ4").partial_formulas)["ξ3"] == "−1/ξ3²"
    assert dict(final.row("ξ5").partial_formulas)["ξ4"] == "1/ξ4"
    assert dict(final.row("L").partial_formulas)["ξ5"] == "−y"
    assert final.row("ξ1").definition == "−WᵀX"
    assert final.row("ξ4").expanded == "1/(1+e^(−WᵀX))"
    assert final.row("ξ2").value_closed == "e^-9"
    assert final.row("ξ3").value_closed == "1+e^-9"
    assert final.row("ξ4").value_closed == "1/(1+e^-9)"
    assert final.row("ξ2").accumulated_closed == "−3e^-9"
    assert final.row("ξ3").accumulated_closed == "−3e^-9"


def test_fan_out_in_lecture_full_adds_both_branches():
    chosen = example("lecture-full")
    stepper = ReverseStepper(chosen.graph(), {"X": 3.0, "y": 0.25, "W": 0.5})
    final = stepper.final()
    p_row = final.row("ξ4")
    assert [c.source for c in p_row.contributions] == ["ξ5", "ξ6"]
    assert p_row.accumulated == pytest.approx(sum(c.value for c in p_row.contributions))
    p = 1 / (1 + math.exp(-1.5))
    assert p_row.accumulated == pytest.approx(-(0.25 / p) + 0.75 / (1 - p), rel=1e-12)
    # dL/dW for the full logistic loss is (p − y)·X.
    assert final.row("W").accumulated == pytest.approx((p - 0.25) * 3.0, rel=1e-12)
    assert all(row.fd_check.ok for row in final.rows if row.fd_check is not None)


@pytest.mark.parametrize("name", [pytest.param(name, marks=pytest.mark.slow) if name == "mlp-16-16" else name
                                  for name in sorted(GRAPH_EXAMPLES)])
def test_every_example_agrees_across_modes_and_with_finite_differences(name):
    """Forward, reverse and finite differences agree on every example (mlp-16-16's sweeps, one per input, are slow)."""
    chosen = example(name)
    graph, defaults = chosen.graph(), chosen.defaults
    reverse = ReverseStepper(graph, defaults).final()
    for wrt in graph.inputs:
        forward = ForwardStepper(graph, defaults, wrt).final()
        assert forward.row(graph.output).accumulated == pytest.approx(reverse.row(wrt).accumulated, rel=1e-10,
                                                                      abs=1e-14)
        assert all(row.fd_check.ok for row in forward.rows if row.fd_check is not None)
    assert all(row.fd_check.ok for row in reverse.rows if row.fd_check is not None)


def test_mlp_gradient_matches_the_hand_derivation():
    chosen = example("mlp")
    v = chosen.defaults
    final = ReverseStepper(chosen.graph(), v).final()

    def sigmoid(z):
        return 1 / (1 + math.exp(-z))

    h1 = sigmoid(v["W10"] + v["W11"] * v["X"])
    h2 = sigmoid(v["W20"] + v["W21"] * v["X"])
    p = sigmoid(v["W30"] + v["W31"] * h1 + v["W32"] * h2)
    dq = p - v["y"]
    assert final.row("W31").accumulated == pytest.approx(dq * h1, rel=1e-12)
    assert final.row("W11").accumulated == pytest.approx(dq * v["W31"] * h1 * (1 - h1) * v["X"], rel=1e-12)
    # X fans out into both hidden neurons: its adjoint is the sum of two contributions.
    x_row = final.row("X")
    assert [c.source for c in x_row.contributions] == ["z1", "z2"]
    expected_x = dq * (v["W31"] * h1 * (1 - h1) * v["W11"] + v["W32"] * h2 * (1 - h2) * v["W21"])
    assert x_row.accumulated == pytest.approx(expected_x, rel=1e-12)
