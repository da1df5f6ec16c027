"""Slide 14 (issue 20): several predictors, Y = f(β0 + β1x1 + … + β4x4) = f(WᵀX), W and X vectors.

The truth is computed here, never from the engine: the Heart rows read with the csv module, the
numbers in 60-digit arithmetic (mpmath) from slide 14's sum and slide 61's chain, and dL/dWᵢ also by
central differences of that loss, one component at a time.
"""

from __future__ import annotations

import csv
from importlib import resources

import mpmath
import numpy as np
import pytest

from backprop_tui.core.engine.numbers import Vector, format_value, vector
from backprop_tui.core.lessons.exercises import graph_worksheet
from backprop_tui.core.lessons.predictors import COLUMN_SETS, predictors_problem
from backprop_tui.core.stepping.examples import SLIDE_14_COLUMNS, predictors_graph
from backprop_tui.core.stepping.problem import ProblemError, build_problem, parse_assignments
from backprop_tui.core.stepping.steppers import ForwardStepper, ReverseStepper
from backprop_tui.core.stepping.table import table_json, text_columns


@pytest.fixture(autouse=True)
def sixty_digits():
    """The truth in 60-digit arithmetic, for this module's tests only (mpmath's precision is process-wide)."""
    with mpmath.workdps(60):
        yield


def heart_rows() -> list[dict[str, str]]:
    with (resources.files("backprop_tui.data") / "Heart.csv").open() as handle:
        return list(csv.DictReader(handle))


def truth(x: list[float], y: float, w: list[float]) -> dict[str, object]:
    """h = Σ wᵢxᵢ, p = σ(h), L = −[y log p + (1−y) log(1−p)], dL/dh = (−y/p + (1−y)/(1−p)) · p(1−p)."""
    X, Y, W = [mpmath.mpf(v) for v in x], mpmath.mpf(y), [mpmath.mpf(v) for v in w]
    h = mpmath.fsum(wi * xi for wi, xi in zip(W, X, strict=True))
    p = 1 / (1 + mpmath.exp(-h))
    loss = -mpmath.log(p) if Y == 1 else -mpmath.log(1 - p)
    dL_dp = -Y / p + (1 - Y) / (1 - p)
    dL_dh = dL_dp * p * (1 - p)
    return {"h": h, "p": p, "L": loss, "dL/dp": dL_dp, "dL/dh": dL_dh,
            "dL/dW": [dL_dh * xi for xi in X], "dL/dX": [dL_dh * wi for wi in W]}


def close(got: object, want: object, rel: float = 1e-13) -> bool:
    if isinstance(want, list):
        return np.asarray(got, dtype=float).tolist() == pytest.approx([float(v) for v in want], rel=rel, abs=0)
    return float(got) == pytest.approx(float(want), rel=rel, abs=0)


def test_the_example_is_the_first_heart_patient_of_slide_6():
    first = heart_rows()[0]
    defaults = build_problem("neuron-multi").inputs
    assert defaults["X"].tolist() == [1.0, *(float(first[column]) for column in SLIDE_14_COLUMNS)]
    assert first["AHD"] == "No" and defaults["y"] == 0.0
    assert isinstance(defaults["W"], Vector) and len(defaults["W"]) == 5


def test_every_number_of_the_four_predictor_neuron():
    problem = build_problem("neuron-multi")
    x, w = problem.inputs["X"].tolist(), problem.inputs["W"].tolist()
    want = truth(x, 0.0, w)
    final = problem.stepper().final()
    assert float(want["h"]) == pytest.approx(2.375, abs=1e-15)  # −3 + 1.5 + 1.26 + 1.45 + 1.165
    assert close(final.row("h").value, want["h"]) and close(final.row("p").value, want["p"])
    assert close(final.row("L").value, want["L"])
    assert close(final.row("p").accumulated, want["dL/dp"]) and close(final.row("h").accumulated, want["dL/dh"])
    assert isinstance(final.row("W").accumulated, Vector) and close(final.row("W").accumulated, want["dL/dW"])
    assert close(final.row("X").accumulated, want["dL/dX"])
    assert np.ndim(final.row("h").value) == 0  # WᵀX is one number, one node


def loss_at(x: list[float], y: float, w: list[float]) -> mpmath.mpf:
    return truth(x, y, w)["L"]  # type: ignore[return-value]


@pytest.mark.parametrize("columns", COLUMN_SETS)
def test_each_column_set_against_central_differences_of_the_loss(columns):
    """dL/dWᵢ = (L(W + εeᵢ) − L(W − εeᵢ)) / 2ε in 60 digits, one component at a time: the adjoint the
    backward pass sends W, and the table's finite-difference column (which must nudge per component)."""
    problem, note = predictors_problem(columns)
    first = heart_rows()[0]
    x = [1.0, *(float(first[column]) for column in columns)]
    assert problem.inputs["X"].tolist() == x and f"MaxHR {first['MaxHR']}" in note
    w = problem.inputs["W"].tolist()
    stepper = ReverseStepper(problem.graph, problem.inputs)
    epsilon = mpmath.mpf("1e-25")
    for index in range(len(w)):
        up = [mpmath.mpf(v) + (epsilon if i == index else 0) for i, v in enumerate(w)]
        down = [mpmath.mpf(v) - (epsilon if i == index else 0) for i, v in enumerate(w)]
        estimate = (loss_at(x, 0.0, up) - loss_at(x, 0.0, down)) / (2 * epsilon)
        assert close(stepper.adjoints["W"][index], estimate), index
    check = stepper.final().row("W").fd_check
    assert check.ok and isinstance(check.value, Vector) and len(check.value) == len(w)


@pytest.mark.parametrize(("y", "sign"), [(0.0, 1.0), (1.0, 1.0), (0.0, -1.0), (1.0, -1.0)])
def test_exact_at_a_saturated_patient(y, sign):
    """W = ±[0, 0.1, 0.1, 0.1, 0.1] puts patient 1 at h = ±59.1, where p = σ(h) rounds to 1 (or 2e-26):
    the slide's dL/dp · ∂p/∂h would be ∞ · 0 there; the identity p − y keeps dL/dW exact."""
    x = build_problem("neuron-multi").inputs["X"].tolist()
    w = [0.0, *(sign * 0.1 for _ in range(4))]
    inputs = {"X": vector(x), "y": y, "W": vector(w)}
    want = truth(x, y, w)
    stepper = ReverseStepper(predictors_graph(), inputs)
    assert close(stepper.values["L"], want["L"])
    assert close(stepper.adjoints["p"], want["dL/dp"])
    assert close(stepper.adjoints["h"], want["dL/dh"])
    assert close(stepper.adjoints["W"], want["dL/dW"]) and close(stepper.adjoints["X"], want["dL/dX"])


def test_the_table_shows_the_vectors_component_by_component():
    header, rows = text_columns(build_problem("neuron-multi").stepper().final())
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert by_name["W"]["value"] == "[-3, 0.01, 0.02, 0.01, 0.005]"
    assert by_name["W"]["dL/dξ"] == "[0.914900955, 137.235143, 57.6387602, 132.660638, 213.171923]"
    assert by_name["W"]["finite difference"].endswith("] ok")
    assert by_name["h"]["definition"] == "WᵀX" and by_name["h"]["local partial"] == "∂h/∂W = X; ∂h/∂X = W"
    assert by_name["h"]["value"] == "2.375"
    document = table_json(build_problem("neuron-multi").stepper(), build_problem("neuron-multi").source)
    assert document["gradient"]["W"] == pytest.approx([float(v) for v in truth(
        [1, 150, 63, 145, 233], 0, [-3, 0.01, 0.02, 0.01, 0.005])["dL/dW"]], rel=1e-13)


def test_a_batch_is_still_a_mean_and_a_vector_its_components():
    assert format_value(np.array([1.0, 2.0, 4.0])) == "mean 2.33333333 (n=3)"
    assert format_value(vector([1.0, 2.0, 4.0])) == "[1, 2, 4]"
    assert format_value(vector([1.0, 2.0]) * 3 + vector([0.5, 0.5])) == "[3.5, 6.5]"


def test_vectors_are_typed_in_brackets_and_checked():
    assert parse_assignments("W=[-3, 0.01; 2],y=1")["W"].tolist() == [-3.0, 0.01, 2.0]
    problem = build_problem("neuron-multi", at="W=[0, 0, 0, 0, 0]")
    assert problem.stepper().final().row("p").value == 0.5
    for at, message in [("W=[1,2]", "same length"), ("W=3", "W is a vector here"), ("W=[1,,2,3,4]", "between"),
                        ("W=[1,2,3,4,inf]", "finite"), ("X=3", "X is a vector here")]:
        with pytest.raises(ProblemError, match=message):
            build_problem("neuron-multi", at=at)
    with pytest.raises(ProblemError, match="takes one number here"):
        build_problem("lecture", at="W=[1,2]")


def test_forward_mode_carries_one_sweep_per_component_of_W():
    """Forward mode seeds dW/dW = I: dξ/dW has one entry per βᵢ (the k sweeps side by side), and
    dL/dW equals reverse mode's; its finite differences nudge one component per column."""
    problem = build_problem("neuron-multi", mode="forward")
    forward = problem.stepper()
    x, w = problem.inputs["X"].tolist(), problem.inputs["W"].tolist()
    want = truth(x, 0.0, w)
    assert close(forward.tangents["h"], [float(v) for v in x])  # dh/dW = X
    assert close(forward.tangents["L"], want["dL/dW"])
    assert all(row.fd_check.ok for row in forward.final().rows if row.fd_check is not None)
    assert forward.sweeps_for_full_gradient == 11 and forward.wrt_components == 5  # X 5, y 1, W 5
    assert format_value(forward.tangents["W"]) == "I (5×5)"
    assert "([1, 150, 63, 145, 233]) · (I (5×5))" in forward.steps[1].explanation
    by_y = ForwardStepper(problem.graph, problem.inputs, "y")
    assert np.ndim(by_y.tangents["h"]) == 0 and by_y.tangents["h"] == 0.0  # 0ᵀX is the number 0
    assert close(by_y.tangents["L"], -mpmath.mpf(2.375))  # ∂L/∂y = −h
    assert by_y.final().row("L").fd_check.ok and by_y.wrt_components == 1


def test_practice_says_why_it_cannot_take_vectors():
    with pytest.raises(ValueError, match="X and W here are vectors"):
        graph_worksheet(build_problem("neuron-multi"))
