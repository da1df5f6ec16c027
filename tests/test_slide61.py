"""Slide 61 (issue 20): the neuron's backward pass L → p → h, every number exact, at saturation too.

The truth is computed here in 60-digit arithmetic (mpmath) from the slide's own formulas, never from the
engine: L = −[y log p + (1−y) log(1−p)], ∂L/∂p = −y/p + (1−y)/(1−p), ∂p/∂h = p(1−p), dL/dh = dL/dp · ∂p/∂h.
"""

from __future__ import annotations

import mpmath
import numpy as np
import pytest

from backprop_tui.core.engine.compiled import CompiledGraph
from backprop_tui.core.engine.graph import GraphBuilder, GraphError
from backprop_tui.core.engine.identities import exact_chain
from backprop_tui.core.lessons.cells import table_cells
from backprop_tui.core.stepping.examples import neuron_graph
from backprop_tui.core.stepping.problem import build_problem
from backprop_tui.core.stepping.steppers import ForwardStepper, ReverseStepper
from backprop_tui.core.training.models import logistic_graph


@pytest.fixture(autouse=True)
def sixty_digits():
    """The truth in 60-digit arithmetic, for this module's tests only (mpmath's precision is process-wide)."""
    with mpmath.workdps(60):
        yield


def truth(x: float, y: float, beta0: float, beta1: float) -> dict[str, mpmath.mpf]:
    """Every number of slide 61's table, from the slide's formulas in 60 digits."""
    X, Y, b0, b1 = (mpmath.mpf(v) for v in (x, y, beta0, beta1))
    h = b0 + b1 * X
    p = 1 / (1 + mpmath.exp(-h))
    dL_dp = -Y / p + (1 - Y) / (1 - p)
    dp_dh = p * (1 - p)
    dL_dh = dL_dp * dp_dh
    loss = -(Y * mpmath.log(p) + (1 - Y) * mpmath.log(1 - p)) if 0 < Y < 1 else (
        -mpmath.log(p) if Y == 1 else -mpmath.log(1 - p))
    return {"h": h, "p": p, "L": loss, "dL/dp": dL_dp, "∂p/∂h": dp_dh, "dL/dh": dL_dh,
            "dL/dβ0": dL_dh, "dL/dβ1": dL_dh * X, "dL/dX": dL_dh * b1, "dL/dy": -h}


def close(got: float, want: mpmath.mpf, rel: float = 1e-13) -> bool:
    return float(got) == pytest.approx(float(want), rel=rel, abs=0)


def test_dL_dp_at_the_slides_neuron():
    """X = 1.5, y = 1, β0 = −1, β1 = 0.5 (the `neuron` example): p's row is dL/dp = −y/p + (1−y)/(1−p)."""
    final = build_problem("neuron").stepper().final()
    want = truth(1.5, 1.0, -1.0, 0.5)
    assert close(final.row("p").accumulated, want["dL/dp"])
    assert float(want["dL/dp"]) == pytest.approx(-2.28402541668774, rel=1e-13)
    assert close(dict(final.row("L").partial_values)["p"], want["dL/dp"])
    assert dict(final.row("L").partial_formulas)["p"] == "−y/p+(1−y)/(1−p)"
    assert close(final.row("h").accumulated, want["dL/dh"])
    assert close(final.row("β1").accumulated, want["dL/dβ1"])
    assert close(final.row("L").value, want["L"])
    # The closed forms the lecture would write: −1/σ(h) for dL/dp, and the product cancelling to p − 1.
    assert final.row("p").accumulated_closed == "−1/σ(-0.25)"
    assert final.row("h").accumulated_closed == "−(1−σ(-0.25))"
    assert "identity" not in (final.row("h").note or "")  # the product is exact here: nothing to say


SATURATED = [(0.8, y, 0.0, beta1) for y in (0.0, 1.0) for beta1 in (50.0, -50.0)]
"""Patients at h = β1·X = ±40, where p = σ(h) is 1.0 (or 4e-18) in float64."""


@pytest.mark.parametrize(("x", "y", "beta0", "beta1"), SATURATED)
def test_every_number_is_exact_at_a_saturated_patient(x, y, beta0, beta1):
    inputs = {"X": x, "y": y, "β0": beta0, "β1": beta1}
    stepper = ReverseStepper(neuron_graph(), inputs)
    want = truth(x, y, beta0, beta1)
    assert close(stepper.values["L"], want["L"])
    assert close(stepper.partials["L"]["p"], want["dL/dp"])
    assert close(stepper.adjoints["p"], want["dL/dp"])
    assert close(stepper.partials["p"]["h"], want["∂p/∂h"])
    for name in ("h", "β0", "β1", "X"):
        assert close(stepper.adjoints[name], want[f"dL/d{name}" if name != "h" else "dL/dh"]), name
    assert close(stepper.adjoints["y"], want["dL/dy"])
    forward = ForwardStepper(neuron_graph(), inputs, "β1")
    assert close(forward.tangents["L"], want["dL/dβ1"])


def test_the_saturated_row_says_which_identity_gave_its_number():
    """h = 40, y = 0: from the stored p = 1 the slide's product is ∞ times σ′(40) = 4.2e-18 (σ′ itself exact, from
    h), which is ∞; h's row says dL/dh = p − y instead."""
    problem = build_problem("neuron", at="X=0.8,β0=0,β1=50,y=0")
    final = problem.stepper().final()
    note = final.row("h").note
    assert note.startswith("dL/dh = p − y from h") and "(inf) · (4.24835426e-18) = inf" in note and "\n" not in note
    assert final.row("h").accumulated == 1.0
    assert "from the stored p they would be inf, inf, -inf" in final.row("L").note
    steps = [step for step in problem.stepper().steps if step.kind == "adjoint" and step.node == "h"]
    assert steps[0].explanation.startswith("dL/dh = dL/dp · ∂p/∂h = (2.35385267e+17) · (4.24835426e-18) = 1")
    assert "p − y" in steps[0].explanation
    forward = problem.with_mode("forward").stepper().final()
    assert "dL/dβ1" not in forward.row("L").note and forward.row("L").note.count("dL/dh = p − y") == 1


@pytest.mark.parametrize(("x", "y", "beta0", "beta1"), [(1.5, 1.0, -1.0, 0.5), *SATURATED])
def test_the_steppers_gradient_is_trainings_gradient(x, y, beta0, beta1):
    """Training compiles the fused L = bce_logit(h, y); the stepper walks L → p → h: the same bits."""
    inputs = {"X": x, "y": y, "β0": beta0, "β1": beta1}
    _, grads = CompiledGraph(neuron_graph(), ("β0", "β1")).value_and_grad(inputs)
    stepper = ReverseStepper(neuron_graph(), inputs)
    assert (stepper.adjoints["β0"], stepper.adjoints["β1"]) == grads


def test_the_batch_gradient_is_trainings_gradient_bit_for_bit():
    rng = np.random.default_rng(3)
    x = np.concatenate([rng.normal(size=40), [0.8, 0.8, -0.8, 0.8]])
    y = np.concatenate([rng.integers(0, 2, size=40).astype(float), [0.0, 1.0, 0.0, 1.0]])
    for graph, betas in ((neuron_graph(), ("β0", "β1")), (logistic_graph(1), ("β0", "β1"))):
        inputs = {"X": x, "y": y, "β0": 0.0, "β1": 50.0}
        seed = np.full(x.shape, 1.0 / x.size)
        loss, grads = CompiledGraph(graph, betas, ("X", "y")).value_and_grad(inputs, seed)
        stepper = ReverseStepper(graph, inputs)
        np.testing.assert_array_equal(stepper.values["L"], loss)
        assert tuple(stepper.adjoints[name] for name in betas) == grads
    several = logistic_graph(3)
    inputs = {"X1": x, "X2": -x, "X3": x * 2, "y": y, "β0": 1.0, "β1": 20.0, "β2": -10.0, "β3": 5.0}
    _, grads = CompiledGraph(several, ("β0", "β1", "β2", "β3"), ("X1", "X2", "X3", "y")).value_and_grad(
        inputs, np.full(x.shape, 1.0 / x.size))
    stepper = ReverseStepper(several, inputs)
    assert tuple(stepper.adjoints[f"β{index}"] for index in range(4)) == grads


def test_training_compiles_the_fused_loss_and_skips_p():
    fused = neuron_graph().fused()
    assert fused.node("L").op == "bce_logit" and fused.node("L").args == ("h", "y")
    assert neuron_graph().node("L").op == "bce" and neuron_graph().node("L").parents == ("p", "y")


def test_a_chain_identity_must_match_the_graph():
    b = GraphBuilder()
    h, y = b.input("h"), b.input("y")
    p = b.op("sigmoid", h, name="p")
    b.op("bce", p, y, name="L")
    b.op("exp", p, name="other")  # p feeds two nodes: dL/dh is no longer one chain through p
    with pytest.raises(GraphError, match="does not match"):
        b.build("L", (exact_chain("L", "p", "h", ("h", "y"), lambda z, t: z, "p − y"),))


def test_practice_asks_dL_dp():
    stepper = build_problem("neuron").stepper()
    labels = [cell.label for cell in table_cells(stepper, ("value", "accumulated"), ("β0", "β1"))]
    assert labels == ["h", "p", "L", "dL/dp", "dL/dh", "dL/dβ1", "dL/dβ0"]


def test_the_loss_lessons_patient_stepper_walks_slide_61_exactly_at_saturation():
    """β1 = 0.3 puts every patient at h ≈ 0.3·MaxHR ≥ 20, most past 37 where p rounds to 1."""
    from backprop_tui.core.lessons.classification import HandParams, heart_data, predict
    from backprop_tui.core.lessons.patients import patient_problem

    seen = predict(heart_data(), HandParams(0.0, 0.3))
    index = next(i for i in range(len(seen)) if seen.patient(i).actual == 0 and 0.3 * seen.patient(i).x > 40)
    problem, _ = patient_problem(seen, index)
    final = problem.stepper().final()
    want = truth(problem.inputs["X"], 0.0, 0.0, 0.3)
    assert final.row("p").value == 1.0 and close(final.row("p").accumulated, want["dL/dp"])
    assert close(final.row("L").value, want["L"]) and close(final.row("β1").accumulated, want["dL/dβ1"])
    assert "dL/dh = p − y from h" in final.row("h").note


@pytest.mark.parametrize("columns", ["MaxHR", "MaxHR,Age"])
def test_descents_stepper_on_the_iteration_is_slide_61s_chain_with_trainings_gradient(columns):
    from backprop_tui.core.training.inspect import iteration_problem
    from backprop_tui.core.training.setup import DescentOptions, build, resolve

    setup = build(resolve(DescentOptions(example="heart", x=columns, lr=5.0)))
    run = setup.new_run()
    for _ in range(3):
        record = run.step()
    problem, _ = iteration_problem(run, None, None)
    assert problem.graph.node("L").op == "bce" and problem.graph.node("L").parents == ("p", "y")
    stepper = problem.stepper()
    _, gradient = run.objective.value_and_grad(run.current.params)
    assert tuple(stepper.adjoints[name] for name in run.objective.model.params) == tuple(gradient)
    assert record.iteration == 3 and np.ndim(stepper.adjoints["p"]) == 1
