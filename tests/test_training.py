"""Training: the gradient is the engine's, descent reaches the Heart fit, batches are reproducible,
undo is exact, divergence stops the run, and the history stays small."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from backprop_tui.core.engine.autodiff import gradient
from backprop_tui.core.training.data import Dataset, bundled, load_csv
from backprop_tui.core.training.history import History
from backprop_tui.core.training.minima import GLOBAL_MINIMUM, LOCAL_MINIMUM, nearest_minimum
from backprop_tui.core.training.models import ModelError, minima_model, mlp_model, model_for, neuron_model
from backprop_tui.core.training.objective import Objective
from backprop_tui.core.training.optimizers import Optimizer, OptimizerError, batches_per_epoch
from backprop_tui.core.training.run import DescentRun, DescentState

HEART_LOSS = 0.595548
HEART_BETA0 = 6.32494975
HEART_BETA1 = -0.04341112
HEART_ITERATIONS = 209
"""Full-batch GD on standardised MaxHR, η = 0.5, from β = 0, until ‖g‖ < 1e-8 (stated in the README)."""


@pytest.fixture(scope="module")
def heart() -> Dataset:
    return load_csv(bundled("heart"), ["MaxHR"], "AHD", standardize=True)


@pytest.fixture(scope="module")
def heart_objective(heart: Dataset) -> Objective:
    return Objective(neuron_model(1), heart)


def closed_form_gradient(X: np.ndarray, y: np.ndarray, beta: np.ndarray) -> np.ndarray:
    design = np.column_stack([np.ones(len(y)), X])
    p = 1 / (1 + np.exp(-(design @ beta)))
    return design.T @ (p - y) / len(y)


class TestGradientComesFromTheEngine:
    @pytest.mark.parametrize("beta", [(0.0, 0.0), (-0.17, -0.99), (1.5, 2.0)])
    def test_it_equals_the_closed_form_for_logistic_regression(self, heart_objective: Objective,
                                                                 heart: Dataset, beta: tuple) -> None:
        _, grad = heart_objective.value_and_grad(beta)
        np.testing.assert_allclose(grad, closed_form_gradient(heart.X, heart.y, np.array(beta)), rtol=1e-12,
                                   atol=1e-15)

    def test_it_equals_the_closed_form_on_raw_units_and_several_features(self) -> None:
        data = load_csv(bundled("heart"), ["MaxHR", "Age", "Chol"], "AHD")
        objective = Objective(neuron_model(3), data)
        beta = (0.5, -0.01, 0.02, 0.001)
        _, grad = objective.value_and_grad(beta)
        np.testing.assert_allclose(grad, closed_form_gradient(data.X, data.y, np.array(beta)), rtol=1e-11)

    def test_it_is_the_reverse_pass_of_the_stepper_graph(self, heart_objective: Objective, heart: Dataset) -> None:
        n = len(heart)
        inputs = {"X": heart.X[:, 0], "y": heart.y, "β0": 0.3, "β1": -0.4}
        losses, expected = gradient(heart_objective.model.graph, inputs, ("β0", "β1"), np.full(n, 1 / n))
        loss, grad = heart_objective.value_and_grad((0.3, -0.4))
        assert grad == (expected["β0"], expected["β1"])
        assert loss == pytest.approx(np.mean(losses), rel=1e-15)

    def test_a_batch_gradient_uses_only_its_rows(self, heart_objective: Objective, heart: Dataset) -> None:
        rows = np.array([5, 17, 101, 250])
        _, grad = heart_objective.value_and_grad((0.1, 0.2), rows)
        expected = closed_form_gradient(heart.X[rows], heart.y[rows], np.array([0.1, 0.2]))
        np.testing.assert_allclose(grad, expected, rtol=1e-12)


class TestHeartFit:
    def test_full_batch_descent_reaches_the_maximum_likelihood_fit(self, heart_objective: Objective) -> None:
        run = DescentRun(heart_objective, Optimizer("gd", lr=0.5))
        assert run.run(1000) == "converged"
        assert len(run.history) == HEART_ITERATIONS
        assert abs(run.loss() - HEART_LOSS) < 1e-6
        beta0, beta1 = run.raw_params()
        assert f"{beta0:.4g}" == f"{HEART_BETA0:.4g}" and f"{beta1:.4g}" == f"{HEART_BETA1:.4g}"
        assert beta0 == pytest.approx(HEART_BETA0, rel=1e-6) and beta1 == pytest.approx(HEART_BETA1, rel=1e-6)
        assert run.accuracy() == pytest.approx(0.6997, abs=5e-5)
        assert run.history[-1].grad_norm < 1e-8

    def test_the_loss_falls_at_every_full_batch_step(self, heart_objective: Objective) -> None:
        run = DescentRun(heart_objective, Optimizer("gd", lr=0.5))
        run.run(100)
        assert np.all(np.diff(run.history.column("loss")) < 0)
        assert run.history[0].loss == pytest.approx(np.log(2))

    def test_momentum_reaches_the_same_fit(self, heart_objective: Objective) -> None:
        run = DescentRun(heart_objective, Optimizer("gd", lr=0.5, momentum=0.5))
        assert run.run(1000) == "converged"
        assert run.raw_params() == pytest.approx((HEART_BETA0, HEART_BETA1), rel=1e-6)

    def test_without_standardisation_coefficients_are_already_raw(self) -> None:
        data = load_csv(bundled("heart"), ["MaxHR"], "AHD")
        run = DescentRun(Objective(neuron_model(1), data), Optimizer("gd", lr=1e-5))
        run.run(3)
        assert run.raw_params() == run.current.params


class TestBatches:
    def test_every_epoch_visits_every_row_once(self, heart_objective: Objective) -> None:
        run = DescentRun(heart_objective, Optimizer("minibatch", lr=0.1, batch_size=32, seed=7))
        batches = batches_per_epoch(303, 32)
        assert batches == 10
        run.run(2 * batches)
        for epoch in (1, 2):
            seen = np.concatenate([run.batch_indices(epoch, batch, 32) for batch in range(batches)])
            assert sorted(seen.tolist()) == list(range(303))
        assert [record.epoch for record in run.history] == [1] * 10 + [2] * 10
        assert run.history[9].batch == 9 and run.history[10].batch == 0

    @pytest.mark.parametrize("kind", ["minibatch", "sgd"])
    def test_a_seed_makes_the_run_reproducible(self, heart_objective: Objective, kind: str) -> None:
        def history(seed: int) -> np.ndarray:
            run = DescentRun(heart_objective, Optimizer(kind, lr=0.1, batch_size=16, seed=seed))  # type: ignore[arg-type]
            run.run(60)
            return np.column_stack([run.history.params_array(), run.history.column("batch_loss")])

        np.testing.assert_array_equal(history(3), history(3))
        assert not np.array_equal(history(3), history(4))

    @pytest.mark.parametrize(("kind", "size"), [("minibatch", 32), ("sgd", 1)])
    def test_batch_losses_scatter_around_the_full_loss(self, heart_objective: Objective, kind: str,
                                                       size: int) -> None:
        run = DescentRun(heart_objective, Optimizer(kind, lr=1e-12, batch_size=size, seed=1),  # type: ignore[arg-type]
                         start=(-0.1697, -0.9914))
        steps = batches_per_epoch(303, size)
        run.run(steps)
        full = run.history.column("loss")
        batch = run.history.column("batch_loss")
        assert np.ptp(full) < 1e-9
        assert (batch > full).any() and (batch < full).any()
        sizes = np.array([len(run.batch_indices(1, index, size)) for index in range(steps)])
        assert np.average(batch, weights=sizes) == pytest.approx(full[0], rel=1e-9)

    def test_minibatch_descent_gets_close_to_the_fit(self, heart_objective: Objective) -> None:
        run = DescentRun(heart_objective, Optimizer("minibatch", lr=0.2, batch_size=32, seed=0))
        assert run.run(300) == "iterations"
        assert run.loss() == pytest.approx(HEART_LOSS, abs=2e-3)
        noise = run.history.column("batch_loss")[-100:] - run.history.column("loss")[-100:]
        assert noise.std() > 1e-3

    def test_a_batch_larger_than_the_data_uses_every_row(self, heart_objective: Objective) -> None:
        run = DescentRun(heart_objective, Optimizer("minibatch", lr=0.5, batch_size=1000))
        record = run.step()
        assert record.batch_rows == 303 and record.batch_loss == pytest.approx(record.loss, rel=1e-14)

    def test_changing_the_batch_mode_starts_a_new_epoch(self, heart_objective: Objective) -> None:
        run = DescentRun(heart_objective, Optimizer("minibatch", lr=0.1, batch_size=100))
        run.run(2)
        run.set_optimizer(run.optimizer.with_changes(kind="gd", lr=0.3))
        record = run.step()
        assert (record.epoch, record.batch, record.batch_rows, record.lr) == (2, 0, 303, 0.3)
        assert record.batch_loss == record.loss


class TestUndo:
    @pytest.mark.parametrize("optimizer", [Optimizer("gd", lr=0.5), Optimizer("minibatch", lr=0.3, batch_size=50,
                                                                               momentum=0.8, seed=2)])
    def test_undo_returns_exactly_to_each_earlier_state(self, heart_objective: Objective,
                                                        optimizer: Optimizer) -> None:
        run = DescentRun(heart_objective, optimizer)
        states: list[DescentState] = [run.current]
        records = []
        for _ in range(15):
            records.append(run.step())
            states.append(run.current)
        for expected in reversed(states[:-1]):
            run.undo()
            assert run.current == expected
        assert run.undo() is None and len(run.history) == 0
        for record in records:
            assert run.step() == record

    def test_a_record_rebuilds_the_state_it_moved_to(self, heart_objective: Objective) -> None:
        run = DescentRun(heart_objective, Optimizer("gd", lr=0.5, momentum=0.3))
        for _ in range(5):
            record = run.step()
            assert record.params_after == run.current.params
            assert record.step == run.current.velocity

    def test_reset_forgets_the_history(self, heart_objective: Objective) -> None:
        run = DescentRun(heart_objective, Optimizer("gd", lr=0.5))
        start = run.current
        run.run(10)
        run.reset()
        assert run.current == start and len(run.history) == 0 and run.stopped is None
        run.reset(start=(1.0, 2.0))
        assert run.current.params == (1.0, 2.0)


class TestDivergence:
    def test_an_oscillating_run_on_unscaled_data_is_not_called_diverged(self) -> None:
        """Unscaled MaxHR at η = 0.5 overshoots and swings (loss between about 8 and 2,700): once a NaN."""
        raw = load_csv(bundled("heart"), ["MaxHR"], "AHD")
        run = DescentRun(Objective(neuron_model(1), raw), Optimizer("gd", lr=0.5))
        assert run.run(200) == "iterations"
        losses = [record.loss for record in run.history]
        assert all(np.isfinite(losses)) and max(losses) < run.divergence_bound
        assert all(np.isfinite(record.grad_norm) for record in run.history)

    def test_a_loss_growing_past_the_bound_stops_the_run(self, heart_objective: Objective) -> None:
        run = DescentRun(heart_objective, Optimizer("gd", lr=1e6))
        assert run.run(1000) == "diverged"
        assert len(run.history) < 10
        assert run.history[-1].loss > run.divergence_bound == pytest.approx(10_000 * (np.log(2) + 1))
        assert run.divergence_reason() == (f"the loss {run.history[-1].loss:.4g} passed the bound "
                                           f"{run.divergence_bound:.4g} = 10000 × (|first loss| + 1)")
        assert run.divergence_hint() == "try a smaller --lr"  # the features are standardised already

    def test_unscaled_features_are_hinted_first(self) -> None:
        raw = load_csv(bundled("heart"), ["MaxHR"], "AHD")
        run = DescentRun(Objective(neuron_model(1), raw), Optimizer("gd", lr=100.0))
        assert run.run(100) == "diverged" and len(run.history) == 2
        assert run.divergence_hint().startswith("try --standardize")


class TestModels:
    def test_minima_from_the_right_ends_in_the_local_minimum(self) -> None:
        run = DescentRun(Objective(minima_model(0.9)), Optimizer("gd", lr=0.002))
        assert run.run(1000) == "converged"
        assert run.current.params[0] == pytest.approx(LOCAL_MINIMUM, abs=1e-8)
        assert nearest_minimum(run.current.params[0]) == "local"
        assert run.loss() == pytest.approx(-1.0056987, abs=1e-7)

    def test_minima_from_the_left_ends_in_the_global_minimum(self) -> None:
        run = DescentRun(Objective(minima_model(0.5)), Optimizer("gd", lr=0.002))
        assert run.run(1000) == "converged"
        assert run.current.params[0] == pytest.approx(GLOBAL_MINIMUM, abs=1e-8)
        assert run.loss() == pytest.approx(-3.1715171, abs=1e-7)
        assert run.accuracy() is None

    def test_one_neuron_cannot_beat_the_majority_on_the_altered_data(self) -> None:
        altered = load_csv(bundled("altered"), ["MaxHR"], "AHD", standardize=True)
        run = DescentRun(Objective(neuron_model(1), altered), Optimizer("gd", lr=0.5))
        assert run.run(1000) == "converged"
        assert run.accuracy() == pytest.approx(95 / 145)

    def test_the_mlp_separates_the_altered_data(self) -> None:
        altered = load_csv(bundled("altered"), ["MaxHR"], "AHD", standardize=True)
        objective = Objective(mlp_model(1), altered)
        assert objective.model.params == ("W10", "W11", "W20", "W21", "W30", "W31", "W32")
        run = DescentRun(objective, Optimizer("gd", lr=1.0))
        run.run(1000)
        assert run.accuracy() >= 0.89
        assert run.loss() < 0.27

    def test_mlp_raw_parameters_undo_the_standardisation(self) -> None:
        altered = load_csv(bundled("altered"), ["MaxHR"], "AHD", standardize=True)
        objective = Objective(mlp_model(1), altered)
        params = (0.5, 2.0, -1.0, -3.0, 0.2, 1.5, -2.5)
        raw = dict(zip(objective.model.params, objective.model.raw_params(params, altered.scaling), strict=True))
        raw_objective = Objective(mlp_model(1), load_csv(bundled("altered"), ["MaxHR"], "AHD"))
        assert raw_objective.loss(tuple(raw.values())) == pytest.approx(objective.loss(params), rel=1e-12)

    def test_neuron_raw_parameters_with_several_features(self) -> None:
        columns = ["MaxHR", "Age", "Chol"]
        scaled = load_csv(bundled("heart"), columns, "AHD", standardize=True)
        objective = Objective(neuron_model(3), scaled)
        params = (-0.2, -0.9, 0.3, 0.1)
        raw = objective.model.raw_params(params, scaled.scaling)
        raw_objective = Objective(neuron_model(3), load_csv(bundled("heart"), columns, "AHD"))
        assert raw_objective.loss(raw) == pytest.approx(objective.loss(params), rel=1e-12)
        assert raw[1] == pytest.approx(-0.9 / scaled.scaling.std[0])

    def test_probabilities_on_a_grid(self, heart_objective: Objective) -> None:
        grid = np.linspace(-2, 2, 5)
        p = heart_objective.probabilities((0.0, 1.0), grid[:, None])
        np.testing.assert_allclose(p, 1 / (1 + np.exp(-grid)))

    def test_model_errors(self) -> None:
        with pytest.raises(ModelError, match="exactly one feature"):
            mlp_model(2)
        with pytest.raises(ModelError, match="unknown model 'svm'"):
            model_for("svm", 1)
        with pytest.raises(ValueError, match="the start must be in"):
            minima_model(1.5)


class TestOptimizerSettings:
    @pytest.mark.parametrize(("changes", "message"), [
        ({"lr": 0.0}, "learning rate"), ({"lr": float("nan")}, "learning rate"), ({"momentum": 1.0}, "momentum"),
        ({"batch_size": 0}, "batch size"), ({"seed": -1}, "seed"), ({"kind": "adam"}, "unknown optimizer")])
    def test_bad_settings_are_refused(self, changes: dict, message: str) -> None:
        with pytest.raises(OptimizerError, match=message):
            Optimizer(**changes)

    def test_labels(self) -> None:
        assert Optimizer("gd").label == "full batch"
        assert Optimizer("minibatch", batch_size=8).label == "mini-batch 8"
        assert Optimizer("sgd").label == "stochastic"


class TestHistoryMemory:
    def test_a_hundred_thousand_mlp_iterations_take_a_few_megabytes(self) -> None:
        tracemalloc.start()
        history = History(7)
        params, grad, velocity = (0.1,) * 7, (0.2,) * 7, (0.0,) * 7
        for index in range(100_000):
            history.append(1, index, 145, 0.5, 0.0, 0.6, 0.6, 0.01, params, grad, velocity)
        history.column("loss")
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert len(history) == 100_000
        assert peak < 50 * 2**20, f"peak {peak / 2**20:.1f} MB"
        assert history.nbytes < 30 * 2**20
        assert history[99_999].batch == 99_999 and history[-1].params == params

    def test_pop_and_read_across_blocks(self) -> None:
        history = History(1)
        for index in range(5000):
            history.append(1, index, 1, 0.1, 0.0, float(index), 0.0, 0.0, (float(index),), (0.0,), (0.0,))
        for _ in range(1000):
            history.pop()
        assert len(history) == 4000 and history[-1].loss == 3999.0
        assert history.column("loss").tolist() == [float(index) for index in range(4000)]
        history.append(1, 0, 1, 0.1, 0.0, -1.0, 0.0, 0.0, (0.0,), (0.0,), (0.0,))
        assert history.value(4000, "loss") == -1.0 and history.params_array().shape == (4001, 1)
