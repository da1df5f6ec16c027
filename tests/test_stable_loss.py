"""Issue 15, item 1: the cross-entropy and its gradient are exact in float64 wherever they are finite.

The reference everywhere is an independent stable formula written with numpy's `logaddexp`
(softplus(z) = logaddexp(0, z)), not the engine's own: the engine computes from the logit with
log1p/max, so the two agree only if both are right.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from backprop_tui.core.engine.logistic import bce_from_logit, bce_logit_gradient, log_sigmoid, softplus
from backprop_tui.core.engine.primitives import vjp_rule
from backprop_tui.core.stepping.examples import mlp_graph, neuron_graph
from backprop_tui.core.stepping.steppers import ForwardStepper, ReverseStepper
from backprop_tui.core.training.data import bundled, load_csv
from backprop_tui.core.training.landscape import losses
from backprop_tui.core.training.models import neuron_model
from backprop_tui.core.training.objective import Objective

EXTREME = np.array([-1e300, -1000.0, -745.0, -709.0, -40.0, -1.5, -1e-9, 0.0, 1e-9, 1.5, 40.0, 709.0, 745.0,
                    1000.0, 1e300])


def reference_loss(z: np.ndarray, y: np.ndarray) -> np.ndarray:
    """−[y log σ(z) + (1−y) log(1−σ(z))] with log σ(z) = −logaddexp(0, −z), log(1−σ(z)) = −logaddexp(0, z)."""
    return y * np.logaddexp(0.0, -z) + (1.0 - y) * np.logaddexp(0.0, z)


def reference_gradient(z: np.ndarray, y: np.ndarray) -> np.ndarray:
    """σ(z) − y as (1−y)·σ(z) − y·σ(−z), each σ from logaddexp (exact for y ∈ {0, 1})."""
    return (1.0 - y) * np.exp(-np.logaddexp(0.0, -z)) - y * np.exp(-np.logaddexp(0.0, z))


@pytest.mark.parametrize("target", [0.0, 1.0])
def test_the_loss_and_its_gradient_match_an_independent_formula_at_extreme_logits(target: float) -> None:
    y = np.full(len(EXTREME), target)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss = bce_from_logit(EXTREME, y)
        grad = bce_logit_gradient(EXTREME, y)
        scalars = [bce_from_logit(float(z), target) for z in EXTREME]
    np.testing.assert_allclose(loss, reference_loss(EXTREME, y), rtol=1e-15, atol=0)
    np.testing.assert_allclose(grad, reference_gradient(EXTREME, y), rtol=1e-15, atol=1e-300)  # subnormals aside
    np.testing.assert_array_equal(scalars, loss)
    assert np.all(np.isfinite(loss)) and np.all(np.isfinite(grad))


def test_a_well_classified_row_keeps_its_tiny_loss_and_gradient() -> None:
    """At z = 40, y = 1: σ rounds to 1, yet the loss is e^−40 ≈ 4.25e-18 and the gradient −4.25e-18."""
    assert bce_from_logit(40.0, 1.0) == pytest.approx(4.248354255291589e-18, rel=1e-15)
    assert bce_logit_gradient(40.0, 1.0) == pytest.approx(-4.248354255291589e-18, rel=1e-15)
    assert bce_from_logit(-800.0, 1.0) == 800.0 and bce_logit_gradient(-800.0, 1.0) == -1.0


def test_softplus_and_log_sigmoid_never_overflow() -> None:
    np.testing.assert_allclose(softplus(EXTREME), np.logaddexp(0.0, EXTREME), rtol=1e-15, atol=0)
    np.testing.assert_allclose(log_sigmoid(EXTREME), -np.logaddexp(0.0, -EXTREME), rtol=1e-15, atol=0)
    assert log_sigmoid(-1000.0) == -1000.0


def test_a_fractional_target_is_the_same_formula() -> None:
    z, y = np.linspace(-30, 30, 61), np.full(61, 0.3)
    np.testing.assert_allclose(bce_from_logit(z, y), reference_loss(z, y), rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(bce_logit_gradient(z, y), 1.0 / (1.0 + np.exp(-z)) - y, rtol=1e-12, atol=1e-15)


def test_the_primitives_rule_is_the_stable_gradient_over_a_batch() -> None:
    y = (np.arange(len(EXTREME)) % 2).astype(float)
    adjoint = np.full(len(EXTREME), 0.5)
    with np.errstate(all="ignore"):  # as the engine calls its rules: e^1000 overflowing is expected, its limit right
        piece_z, piece_y = vjp_rule("bce_logit")((EXTREME, y), bce_from_logit(EXTREME, y), adjoint)
    np.testing.assert_allclose(piece_z, 0.5 * reference_gradient(EXTREME, y), rtol=1e-15, atol=1e-300)
    np.testing.assert_array_equal(piece_y, -0.5 * EXTREME)


class TestTheGraphsUseIt:
    """The descent, the landscape and the stepper's L node all compute the same exact number."""

    PARAMS = (6.14179582, -15.2231962)
    """β after iteration 4 of `descent --lr 50` (standardised MaxHR): once reported NaN ("diverged")."""

    @pytest.fixture(scope="class")
    def objective(self) -> Objective:
        return Objective(neuron_model(1), load_csv(bundled("heart"), ["MaxHR"], "AHD", standardize=True))

    def expected(self, objective: Objective) -> tuple[float, np.ndarray]:
        x, y = objective.data.X[:, 0], objective.data.y  # type: ignore[union-attr]
        z = self.PARAMS[0] + self.PARAMS[1] * x
        residual = reference_gradient(z, y)
        return float(np.mean(reference_loss(z, y))), np.array([np.mean(residual), np.mean(residual * x)])

    def test_the_training_loss_and_gradient(self, objective: Objective) -> None:
        loss, gradient = self.expected(objective)
        got_loss, got_grad = objective.value_and_grad(self.PARAMS)
        assert got_loss == pytest.approx(loss, rel=1e-12) and loss == pytest.approx(3.4095, abs=1e-4)
        np.testing.assert_allclose(got_grad, gradient, rtol=1e-12)
        assert float(np.hypot(*gradient)) == pytest.approx(0.2151, abs=1e-4)
        assert objective.loss(self.PARAMS) == got_loss

    def test_the_landscape(self, objective: Objective) -> None:
        loss, _ = self.expected(objective)
        at = losses(objective, self.PARAMS, {1: np.array([self.PARAMS[1]])}, max_rows=10_000)
        assert at[0] == pytest.approx(loss, rel=1e-12)

    def test_the_steppers_loss_node_and_every_adjoint(self, objective: Objective) -> None:
        loss, gradient = self.expected(objective)
        inputs = {"X": objective.data.X[:, 0], "y": objective.data.y,  # type: ignore[union-attr]
                  "β0": self.PARAMS[0], "β1": self.PARAMS[1]}
        stepper = ReverseStepper(neuron_graph(), inputs)
        assert float(np.mean(stepper.values["L"])) == pytest.approx(loss, rel=1e-12)
        np.testing.assert_allclose([stepper.adjoints["β0"], stepper.adjoints["β1"]], gradient, rtol=1e-12)
        assert_checks_hold(stepper.checks)


def assert_checks_hold(checks: dict) -> None:
    """Every finite-difference check agrees, except p's where p = σ(h) has rounded to 0 or 1: a nudge of p
    past 1 (or below 0) leaves the loss's domain, so that one says `cannot check here` (ok is None)."""
    assert all(check.ok for name, check in checks.items() if name != "p"), checks
    assert checks["p"].ok in (True, None), checks["p"]


@pytest.mark.parametrize("beta1", [40.0, -40.0, 600.0, -600.0])
@pytest.mark.parametrize("target", [0.0, 1.0])
def test_the_chain_rule_stays_true_where_sigma_rounds(beta1: float, target: float) -> None:
    """One neuron at h = −1 + 1.5·β1 far in the tails: L finite and exact, every adjoint equals finite
    differences and forward mode equals reverse mode, where the old p-based loss gave inf and NaN."""
    inputs = {"X": 1.5, "y": target, "β0": -1.0, "β1": beta1}
    h = -1.0 + 1.5 * beta1
    reverse = ReverseStepper(neuron_graph(), inputs)
    forward = ForwardStepper(neuron_graph(), inputs, "β1")
    assert reverse.values["L"] == pytest.approx(reference_loss(np.array(h), np.array(target)), rel=1e-15)
    expected = 1.5 * reference_gradient(np.array(h), np.array(target))
    assert reverse.adjoints["β1"] == pytest.approx(expected, rel=1e-15)
    assert forward.tangents["L"] == reverse.adjoints["β1"]
    assert_checks_hold(reverse.checks)
    assert forward.checks["L"].ok


def test_the_mlp_loss_is_exact_where_its_output_saturates() -> None:
    """Slide 61's output neuron: L = bce(p, y) with p = σ(q), its value exact from the logit q once p is 1.0."""
    graph = mlp_graph()
    assert graph.node("L").op == "bce" and graph.node("L").args[0] == "p"
    assert graph.node("p").op == "sigmoid" and graph.node("p").args == ("q",)
    inputs = {"X": 0.5, "y": 0.0, "W10": -1.0, "W11": 2.0, "W20": 1.0, "W21": -2.0,
              "W30": 50.0, "W31": 2.0, "W32": 2.0}
    stepper = ReverseStepper(graph, inputs)
    assert stepper.values["p"] == 1.0 and np.isfinite(stepper.values["L"]) and stepper.values["L"] > 50
    # dL/dp = 1/(1 − p) at y = 0 = 1 + e^q: exact from q = 52, though 1 − p rounds to 0 in float64.
    assert stepper.adjoints["p"] == pytest.approx(1 + np.exp(52.0), rel=1e-14)
    # Every check holds but p's: nudging p = 1.0 leaves log(1 − p)'s domain, which the check says in words.
    assert all(check.ok for name, check in stepper.checks.items() if name != "p")
    assert stepper.checks["p"].ok is None and "not finite" in (stepper.checks["p"].note or "")
