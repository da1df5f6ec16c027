"""Issue 20's smaller holes in gradient descent, checked against numbers computed here another way.

Slides 41-49: a mini-batch step descends its batch's own loss curve, which moves around the full one.
Slide 34: momentum, v ← μv − η·g, on a key. Slide 38: several random starts, and where each ends.
The truth is computed in the test from the formulas themselves (numpy's logaddexp for the logistic
loss, the closed-form gradient mean((σ(z) − y)·[1, x]), mpmath for f(x) = cos(3πx)/x and its
derivative), never from the engine's graph that the app differentiates.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest

from backprop_tui.core.training import minima
from backprop_tui.core.training.batch_curve import SliceAxis, batch_curve
from backprop_tui.core.training.driver import DescentDriver
from backprop_tui.core.training.optimizers import MOMENTA, next_momentum
from backprop_tui.core.training.setup import DescentOptions, build, resolve
from backprop_tui.core.training.starts import random_starts, several_starts

GRID = np.linspace(-2.0, 1.0, 41)


def logistic_loss(beta0: float, beta1: np.ndarray | float, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Mean −[y log σ(z) + (1−y) log(1−σ(z))] over the rows, z = β0 + β1·x, one value per β1."""
    z = beta0 + np.multiply.outer(np.atleast_1d(beta1), x)
    return np.mean(y * np.logaddexp(0.0, -z) + (1 - y) * np.logaddexp(0.0, z), axis=-1)


def gradient(params: tuple[float, float], x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The closed form of the mean logistic loss's gradient: mean((σ(z) − y)·[1, x])."""
    residual = 1.0 / (1.0 + np.exp(-(params[0] + params[1] * x))) - y
    return np.array([residual.mean(), (residual * x).mean()])


@pytest.fixture
def minibatch_driver() -> DescentDriver:
    driver = DescentDriver(build(resolve(DescentOptions(example="heart", optimizer="minibatch"))))
    driver.follow_slice(1, GRID)
    return driver


class TestBatchCurve:
    def test_the_batch_is_the_documented_shuffle_and_its_curve_is_its_own_mean_loss(self, minibatch_driver):
        driver = minibatch_driver
        view = driver.step()
        data = driver.setup.objective.data
        rows = np.random.default_rng((0, 1)).permutation(303)[:32]  # seed 0, epoch 1, batch 1: 32 rows
        assert view.batch.rows.tolist() == rows.tolist()
        x, y = data.X[rows, 0], data.y[rows]
        curve = view.batch_curve
        assert curve is not None and curve.rows == 32 and curve.axis == 1
        beta0, beta1 = view.params
        np.testing.assert_allclose(curve.x, GRID)
        np.testing.assert_allclose(curve.loss, logistic_loss(beta0, GRID, x, y), rtol=1e-12)
        before = view.record.params[1]
        assert curve.before == pytest.approx((before, logistic_loss(beta0, before, x, y)[0]), rel=1e-12)
        assert curve.now == pytest.approx((beta1, logistic_loss(beta0, beta1, x, y)[0]), rel=1e-12)

    def test_it_differs_from_the_full_curve_and_moves_with_every_batch(self, minibatch_driver):
        driver = minibatch_driver
        data = driver.setup.objective.data
        curves = [driver.step().batch_curve for _ in range(3)]
        beta0 = driver.view().params[0]
        full = logistic_loss(beta0, GRID, data.X[:, 0], data.y)
        last = curves[-1]
        assert np.max(np.abs(last.loss - full)) > 1e-3  # a batch of 32 is not the whole data
        assert np.max(np.abs(curves[0].loss - curves[1].loss)) > 1e-3  # a new batch, a new curve

    def test_the_step_follows_the_batch_gradient_not_the_full_one(self, minibatch_driver):
        """The slides' point: the step is −η times the slope of the batch's loss at the start of the step."""
        driver = minibatch_driver
        view = driver.step()
        data = driver.setup.objective.data
        rows = view.batch.rows
        expected = gradient(view.record.params, data.X[rows, 0], data.y[rows])
        np.testing.assert_allclose(view.record.grad, expected, rtol=1e-12)
        full = gradient(view.record.params, data.X[:, 0], data.y)
        assert np.max(np.abs(full - expected)) > 1e-3
        np.testing.assert_allclose(np.subtract(view.params, view.record.params), -0.5 * expected, rtol=1e-12)

    def test_full_batch_has_no_batch_curve(self):
        driver = DescentDriver(build(resolve(DescentOptions(example="heart"))))
        driver.follow_slice(1, GRID)
        assert driver.step().batch_curve is None

    def test_stochastic_is_one_row(self, minibatch_driver):
        driver = minibatch_driver
        driver.next_batch_mode()  # mini-batch → stochastic
        view = driver.step()
        row = view.batch.rows
        data = driver.setup.objective.data
        assert view.batch_curve.rows == 1
        np.testing.assert_allclose(view.batch_curve.loss, logistic_loss(view.params[0], GRID, data.X[row, 0],
                                                                        data.y[row]), rtol=1e-12)

    def test_a_large_batch_is_evaluated_on_evenly_spaced_rows(self, monkeypatch):
        from backprop_tui.core.training import batch_curve as module

        monkeypatch.setattr(module, "MAX_ROWS", 10)
        objective = build(resolve(DescentOptions(example="heart"))).objective
        rows = np.arange(100)
        curve = batch_curve(objective, (0.2, -0.4), (0.2, -0.4), rows, SliceAxis(1, GRID))
        kept = np.linspace(0, 99, 10).round().astype(int)
        np.testing.assert_allclose(curve.loss, logistic_loss(0.2, GRID, objective.data.X[kept, 0],
                                                             objective.data.y[kept]), rtol=1e-12)
        assert curve.rows == 100


class TestMomentum:
    def test_the_key_cycles_through_the_momenta(self):
        assert MOMENTA == (0.0, 0.5, 0.9)
        assert [next_momentum(value) for value in (0.0, 0.5, 0.9)] == [0.5, 0.9, 0.0]
        assert next_momentum(0.3) == 0.5 and next_momentum(0.95) == 0.0  # a --momentum value joins the cycle

    def test_a_step_with_momentum_is_mu_v_minus_eta_g(self):
        driver = DescentDriver(build(resolve(DescentOptions(example="heart"))))
        data = driver.setup.objective.data
        x, y = data.X[:, 0], data.y
        first = driver.step()  # μ = 0: v1 = −η·g1
        g1 = gradient((0.0, 0.0), x, y)
        np.testing.assert_allclose(first.params, -0.5 * g1, rtol=1e-12)
        assert driver.next_momentum().momentum == 0.5
        second = driver.step()
        g2 = gradient(tuple(first.params), x, y)
        expected_step = 0.5 * (-0.5 * g1) - 0.5 * g2
        np.testing.assert_allclose(second.record.step, expected_step, rtol=1e-12)
        np.testing.assert_allclose(second.params, np.add(first.params, expected_step), rtol=1e-12)
        assert second.record.momentum == 0.5
        assert driver.next_momentum().momentum == 0.9
        assert driver.next_momentum().momentum == 0.0


def f(x):
    return mpmath.cos(3 * mpmath.pi * x) / x


def df(x):
    """f′(x) = (−3πx·sin(3πx) − cos(3πx))/x², derived by hand (checked against mpmath.diff below)."""
    return (-3 * mpmath.pi * x * mpmath.sin(3 * mpmath.pi * x) - mpmath.cos(3 * mpmath.pi * x)) / x**2


def descend(start: float, lr: float, momentum: float, iterations: int, tolerance: float) -> float:
    """Gradient descent with momentum on f, the derivative from mpmath: the same rule, another arithmetic."""
    x, v = mpmath.mpf(start), mpmath.mpf(0)
    for _ in range(iterations):
        g = df(x)
        if abs(g) < tolerance:
            break
        v = momentum * v - lr * g
        x += v
    return float(x)


class TestSeveralStarts:
    def test_the_minima_are_where_f_prime_vanishes(self):
        for x in (0.2, 0.55, 0.9):
            assert float(df(mpmath.mpf(x))) == pytest.approx(float(mpmath.diff(f, mpmath.mpf(x))), rel=1e-12)
        for found, guess in ((minima.GLOBAL_MINIMUM, 0.3), (minima.LOCAL_MINIMUM, 1.0)):
            assert float(mpmath.findroot(df, guess)) == pytest.approx(found, abs=1e-12)
        assert float(f(minima.GLOBAL_MINIMUM)) == pytest.approx(-3.1715, abs=1e-4)

    def test_the_draw_is_uniform_over_the_domain_and_reproducible(self):
        starts = random_starts(1)
        expected = np.sort(np.round(np.random.default_rng(1).uniform(0.1, 1.0, 8), 4))
        assert starts.tolist() == expected.tolist()
        assert np.all((starts >= 0.1) & (starts <= 1.0))
        assert random_starts(2).tolist() != starts.tolist()

    @pytest.mark.parametrize("momentum", [0.0, 0.5])
    def test_each_start_ends_where_descent_by_hand_ends(self, momentum):
        setup = build(resolve(DescentOptions(example="minima", momentum=momentum)))
        found = several_starts(setup.objective, setup.new_run().optimizer, 300, seed=1)
        for end in found.ends:
            truth = descend(end.start, 0.002, momentum, 300, 1e-8)
            assert end.end == pytest.approx(truth, abs=1e-6)
            assert end.start_value == pytest.approx(float(f(end.start)), rel=1e-12)
            assert end.value == pytest.approx(float(f(end.end)), rel=1e-9)

    def test_the_summary_counts_the_basins_and_keeps_the_lowest_end(self):
        driver = DescentDriver(build(resolve(DescentOptions(example="minima"))))
        view = driver.draw_starts()
        starts = view.starts
        basins = [minima.nearest_minimum(end.end) for end in starts.ends]
        # the ridge at x ≈ 0.6495 splits the domain: left of it ends global, right of it local
        assert basins == ["global" if start < minima.RIDGE else "local" for start in random_starts(1)]
        globals_ = basins.count("global")
        assert starts.headline() == f"8 starts: {globals_} → global, {8 - globals_} → local"
        assert starts.best.end == pytest.approx(minima.GLOBAL_MINIMUM, abs=1e-3)
        assert f"the lowest end: x = {minima.GLOBAL_MINIMUM:.4f}" in starts.summary()
        assert driver.draw_starts().starts.seed == 2

    def test_changing_eta_or_mu_descends_the_same_starts_again(self):
        driver = DescentDriver(build(resolve(DescentOptions(example="minima"))))
        first = driver.draw_starts().starts
        again = driver.next_momentum().starts
        assert again.seed == first.seed and again.momentum == 0.5
        assert [end.start for end in again.ends] == [end.start for end in first.ends]
        assert math.isclose(driver.scale_lr(2).starts.lr, 0.004)

    def test_a_learning_rate_too_large_sends_the_starts_elsewhere_and_says_so(self):
        driver = DescentDriver(build(resolve(DescentOptions(example="minima", lr=50.0))))
        starts = driver.draw_starts().starts
        assert starts.count("global") + starts.count("local") < 8
        elsewhere = 8 - starts.count("global") - starts.count("local")
        assert starts.headline().endswith(f", {elsewhere} elsewhere")
        assert f"{elsewhere} elsewhere" in starts.summary()
        assert math.isfinite(starts.best.value)
        assert starts.best.value == min(end.value for end in starts.ends if math.isfinite(end.value))
