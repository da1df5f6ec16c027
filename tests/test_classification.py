"""The hand-set sigmoid of slides 4-17: the lecture's numbers at the maximum-likelihood fit, the loss as
the mean of the patients' losses, exact losses where the sigmoid saturates, and the moves and draws."""

from __future__ import annotations

import math

import numpy as np
import pytest

from backprop_tui.core.engine.logistic import bce_from_logit
from backprop_tui.core.lessons.classification import (
    HandParams,
    heart_data,
    predict,
    random_params,
    shape,
    tangent_within,
)
from backprop_tui.core.lessons.patients import explain_loss, patient_problem
from backprop_tui.core.lessons.session import Session

FIT = HandParams(6.32494975, -0.04341112)


@pytest.fixture(scope="module")
def heart():
    return heart_data()


def independent_loss(z: float, y: int) -> float:
    """−log σ(z) for y = 1, −log(1 − σ(z)) for y = 0, by the textbook's branch on the sign of z."""
    t = z if y == 0 else -z  # the loss is log(1 + e^t)
    return t + math.log1p(math.exp(-t)) if t > 0 else math.log1p(math.exp(t))


class TestLectureNumbers:
    def test_the_maximum_likelihood_fit_has_mean_loss_0_595548_and_accuracy_69_97(self, heart):
        seen = predict(heart, FIT)
        assert len(seen) == 303
        assert seen.loss == pytest.approx(0.595548, abs=5e-7)
        assert round(100 * seen.accuracy, 2) == 69.97
        assert seen.correct == 212

    def test_p_is_one_half_at_maxhr_145_7(self, heart):
        middle = predict(heart, FIT).shape.midpoint
        assert middle == pytest.approx(145.7, abs=0.05)
        assert float(predict(heart, FIT).curve()[1][0]) > 0.5  # the fit falls: low MaxHR means disease

    def test_the_loss_is_the_average_of_the_loss_column(self, heart):
        seen = predict(heart, FIT)
        assert seen.loss == pytest.approx(sum(patient.loss for patient in seen.patients()) / 303, rel=1e-12)

    def test_each_patients_loss_is_minus_the_log_of_the_probability_of_their_class(self, heart):
        seen = predict(heart, FIT)
        for patient in list(seen.patients())[:20]:
            chance = patient.p if patient.actual == 1 else 1 - patient.p
            assert patient.loss == pytest.approx(-math.log(chance), rel=1e-12)

    def test_confusion_counts_add_up_to_the_rows_and_the_correct_ones(self, heart):
        seen = predict(heart, FIT)
        counts = seen.confusion
        assert counts.true_positive + counts.true_negative == seen.correct
        assert counts.true_positive + counts.false_negative == 139  # AHD Yes
        assert counts.false_positive + counts.true_negative == 164

    def test_the_worst_predictions_come_first(self, heart):
        seen = predict(heart, HandParams.bad_computer())
        order = seen.worst_first()
        losses = seen.losses[order]
        assert np.all(np.diff(losses) <= 0)
        worst = seen.patient(int(order[0]))
        assert worst.predicted != worst.actual


class TestSaturation:
    @pytest.mark.parametrize("beta1", [50.0, -50.0])
    def test_extreme_parameters_give_a_finite_loss_equal_to_an_independent_stable_formula(self, heart, beta1):
        seen = predict(heart, HandParams(0.0, beta1))
        assert math.isfinite(seen.loss)
        assert np.all(np.isfinite(seen.losses))
        expected = [independent_loss(beta1 * x, y) for x, y in zip(heart.raw[:, 0], heart.y, strict=True)]
        assert seen.losses == pytest.approx(expected, rel=1e-12)
        assert seen.loss == pytest.approx(sum(expected) / len(expected), rel=1e-12)

    def test_a_saturated_wrong_prediction_costs_exactly_its_logit(self):
        assert bce_from_logit(np.array([-800.0, 800.0]), np.array([1.0, 0.0])).tolist() == [800.0, 800.0]
        assert bce_from_logit(np.array([800.0, -800.0]), np.array([1.0, 0.0])).tolist() == [0.0, 0.0]


class TestShape:
    def test_midpoint_slope_and_width(self):
        shown = shape(HandParams(10.0, -0.1))
        assert shown.midpoint == pytest.approx(100.0)
        assert shown.slope == pytest.approx(-0.025)
        assert shown.width == pytest.approx(2 * math.log(9) / 0.1)

    def test_the_tangent_has_slope_beta1_over_4_and_is_cut_to_the_plot(self):
        shown = shape(HandParams(10.0, -0.1))
        (x1, y1), (x2, y2) = shown.tangent
        assert (y2 - y1) / (x2 - x1) == pytest.approx(-0.025)
        (a, pa), (b, pb) = tangent_within(shown, 95.0, 200.0)
        assert a == 95.0 and pa == pytest.approx(0.5 + 0.025 * 5) and (b, pb) == pytest.approx((116.0, 0.1))
        assert tangent_within(shown, 150.0, 200.0) is None

    @pytest.mark.parametrize("beta1", [5e-324, -5e-324, 1e-310])
    def test_a_subnormal_beta1_is_a_flat_tangent_at_one_half_not_a_division_by_zero(self, beta1):
        """β1/4 underflows to 0 (or to a subnormal) while the line is not flat: its tangent runs to ±inf."""
        shown = shape(HandParams(0.0, beta1))
        assert shown.midpoint == 0.0 and math.copysign(1.0, shown.midpoint) == 1.0  # 0, not −0
        assert [x for x, _ in shown.tangent] == sorted([x for x, _ in shown.tangent], reverse=beta1 < 0)
        assert all(math.isinf(x) or abs(x) > 1e300 for x, _ in shown.tangent)
        (a, pa), (b, pb) = tangent_within(shown, 60.0, 210.0)
        assert (a, b) == (60.0, 210.0) and pa == pytest.approx(0.5) and pb == pytest.approx(0.5)

    def test_a_flat_line_has_no_midpoint_and_no_width(self):
        assert shape(HandParams(1.0, 0.0)).midpoint is None
        assert shape(HandParams(1.0, 0.0)).width is None


class TestMoves:
    def test_fine_and_coarse_steps(self):
        start = HandParams(0.0, 0.0)
        assert start.moved("β0", 1) == HandParams(0.1, 0.0)
        assert start.moved("β0", -1, coarse=True) == HandParams(-1.0, 0.0)
        assert start.moved("β1", 1) == HandParams(0.0, 0.001)
        assert start.moved("β1", -1, coarse=True) == HandParams(0.0, -0.01)

    def test_three_fine_steps_land_exactly_on_the_grid(self):
        params = HandParams(0.0, 0.0)
        for _ in range(3):
            params = params.moved("β0", 1)
        assert params.beta0 == 0.3

    def test_the_bad_computer_of_slides_15_and_16(self):
        params = HandParams.bad_computer()
        assert predict_one(params, 200) == pytest.approx(0.9, abs=0.005)
        assert predict_one(params, 170) == pytest.approx(0.4, abs=0.005)

    def test_a_random_draw_is_reproducible_for_its_seed_and_differs_between_seeds(self):
        assert random_params(7) == random_params(7)
        assert random_params(7) != random_params(8)
        middle = shape(random_params(7)).midpoint
        assert middle is not None and 71 <= middle <= 202

    def test_the_session_starts_at_the_bad_computer_without_a_draw(self):
        session = Session()
        assert session.hand == HandParams.bad_computer()
        assert session.hand_seed is None


def predict_one(params: HandParams, x: float) -> float:
    return 1 / (1 + math.exp(-(params.beta0 + params.beta1 * x)))


class TestPatientProblem:
    def test_the_stepper_opens_on_that_patient_at_the_current_beta(self, heart):
        seen = predict(heart, FIT)
        problem, note = patient_problem(seen, 0)
        assert problem.inputs == {"X": heart.raw[0, 0], "y": float(heart.y[0]), "β0": FIT.beta0, "β1": FIT.beta1}
        assert "Patient 1" in note and "MaxHR = 150" in note
        values = problem.graph.evaluate(problem.inputs)
        assert float(values["L"]) == pytest.approx(seen.patient(0).loss, rel=1e-9)
        assert float(values["p"]) == pytest.approx(seen.patient(0).p, rel=1e-12)


class TestStandardisedParams:
    @pytest.mark.parametrize("name", ["neuron", "mlp"])
    def test_standardised_params_undo_raw_params(self, name):
        from backprop_tui.core.training.data import Scaling
        from backprop_tui.core.training.models import model_for

        model = model_for(name, 1)
        scaling = Scaling((149.6,), (22.9,))
        values = tuple(0.3 * index - 1.1 for index in range(len(model.params)))
        assert model.standardised_params(model.raw_params(values, scaling), scaling) == pytest.approx(values)
        assert model.raw_params(model.standardised_params(values, scaling), scaling) == pytest.approx(values)


class TestExplainLoss:
    def test_the_worst_patient_of_the_bad_computer_worked_out(self, heart):
        seen = predict(heart, HandParams.bad_computer())
        text = explain_loss(seen, 245)
        assert text == ("Patient 246: MaxHR = 71, Yes (y = 1). p̂ = 0.0001241 says No (wrong). "
                        "Lᵢ = −log p̂ = −log 0.0001241 = 8.994.")

    def test_a_saturated_patient_is_worked_out_from_the_logit(self, heart):
        seen = predict(heart, HandParams(0.0, 50.0))
        assert explain_loss(seen, 0).endswith("p̂ rounds to 1, so Lᵢ = log(1 + e^z) with z = β0 + β1·x = 7500: "
                                              "Lᵢ = 7500.")
