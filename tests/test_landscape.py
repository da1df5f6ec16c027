"""The descent screen's computed plot data: the landscape grid, slices, the fit curve, thinning."""

from __future__ import annotations

import numpy as np
import pytest

from backprop_tui.core.training import landscape as ls
from backprop_tui.core.training.data import bundled, load_csv
from backprop_tui.core.training.minima import GLOBAL_MINIMUM, LOCAL_MINIMUM, nearest_minimum
from backprop_tui.core.training.models import minima_model, mlp_model, neuron_model
from backprop_tui.core.training.objective import Objective
from backprop_tui.core.training.optimizers import Optimizer
from backprop_tui.core.training.run import DescentRun


@pytest.fixture(scope="module")
def heart() -> Objective:
    return Objective(neuron_model(1), load_csv(bundled("heart"), ["MaxHR"], "AHD", standardize=True))


@pytest.fixture(scope="module")
def heart_landscape(heart: Objective) -> ls.Landscape:
    return ls.landscape(heart, (0.0, 0.0))


@pytest.fixture(scope="module")
def minima() -> Objective:
    return Objective(minima_model(0.9))


class TestThin:
    def test_a_short_series_is_kept_whole(self) -> None:
        assert ls.thin(5, 10).tolist() == [0, 1, 2, 3, 4]

    @pytest.mark.parametrize("count", [11, 1000, 100_000])
    def test_a_long_series_keeps_its_ends_and_at_most_the_points_asked(self, count: int) -> None:
        chosen = ls.thin(count, 10)
        assert chosen[0] == 0 and chosen[-1] == count - 1
        assert len(chosen) <= 10
        assert np.all(np.diff(chosen) > 0)

    def test_nothing_to_thin(self) -> None:
        assert ls.thin(0, 10).tolist() == []


class TestLosses:
    def test_a_grid_in_one_go_equals_the_loss_point_by_point(self, heart: Objective) -> None:
        b0, b1 = np.meshgrid([-0.5, 0.0, 0.3], [-1.0, 0.2], indexing="ij")
        grid = ls.losses(heart, (0.0, 0.0), {0: b0, 1: b1})
        assert grid.shape == (3, 2)
        for index in np.ndindex(grid.shape):
            assert grid[index] == pytest.approx(heart.loss((b0[index], b1[index])), rel=1e-12)

    def test_chunks_give_the_same_losses(self, heart: Objective, monkeypatch: pytest.MonkeyPatch) -> None:
        values = {1: np.linspace(-2, 1, 17)}
        whole = ls.losses(heart, (0.1, 0.0), values)
        monkeypatch.setattr(ls, "CHUNK_ELEMENTS", 303 * 3)
        np.testing.assert_allclose(ls.losses(heart, (0.1, 0.0), values), whole, rtol=1e-13)

    def test_a_large_data_set_is_sampled_evenly(self, heart: Objective) -> None:
        sampled = ls.losses(heart, (0.0, 0.0), {1: np.array([-1.0])}, max_rows=50)
        rows = np.linspace(0, heart.rows - 1, 50).round().astype(int)
        inputs = heart.inputs((0.0, -1.0), rows)
        expected = np.mean(heart.compiled.evaluate(inputs)[heart.compiled.output])
        assert sampled[0] == pytest.approx(expected, rel=1e-12)


class TestLandscape:
    def test_the_box_holds_the_start_and_the_fit(self, heart: Objective, heart_landscape: ls.Landscape) -> None:
        run = DescentRun(heart, Optimizer("gd", 0.5))
        assert run.run(5000) == "converged"
        fit = run.current.params
        land = heart_landscape
        assert land.names == ("β0", "β1")
        assert land.rows[0] < min(0.0, fit[0]) and land.rows[-1] > max(0.0, fit[0])
        assert land.columns[0] < min(0.0, fit[1]) and land.columns[-1] > max(0.0, fit[1])
        cell = (land.rows[1] - land.rows[0], land.columns[1] - land.columns[0])
        assert abs(land.lowest[0] - fit[0]) <= cell[0]
        assert abs(land.lowest[1] - fit[1]) <= cell[1]
        assert land.lowest_loss == pytest.approx(heart.loss(land.lowest), rel=1e-12)
        assert land.lowest_loss >= run.loss() - 1e-12
        assert land.rows_used == heart.rows

    def test_the_loss_is_lowest_at_the_lowest_cell(self, heart_landscape: ls.Landscape) -> None:
        assert heart_landscape.lowest_loss == np.nanmin(heart_landscape.loss)

    def test_along_columns_on_a_grid_row_is_that_row(self, heart_landscape: ls.Landscape) -> None:
        land = heart_landscape
        at, curve = land.along_columns(float(land.rows[7]))
        assert at == land.rows[7]
        np.testing.assert_allclose(curve, land.loss[7], rtol=1e-12)

    def test_along_columns_between_rows_interpolates(self, heart_landscape: ls.Landscape) -> None:
        land = heart_landscape
        middle = float((land.rows[3] + land.rows[4]) / 2)
        _, curve = land.along_columns(middle)
        np.testing.assert_allclose(curve, (land.loss[3] + land.loss[4]) / 2, rtol=1e-9)

    @pytest.mark.parametrize("outside", [-1e9, 1e9, float("nan")])
    def test_along_columns_clamps_to_the_grid(self, heart_landscape: ls.Landscape, outside: float) -> None:
        at, curve = heart_landscape.along_columns(outside)
        assert heart_landscape.rows[0] <= at <= heart_landscape.rows[-1]
        assert curve.shape == heart_landscape.columns.shape

    def test_levels_are_bands_of_rising_loss(self, heart_landscape: ls.Landscape) -> None:
        bands = heart_landscape.levels(5)
        assert bands.shape == heart_landscape.loss.shape
        assert set(np.unique(bands)) == {0, 1, 2, 3, 4}
        highest_of = [heart_landscape.loss[bands == band].max() for band in range(5)]
        lowest_of = [heart_landscape.loss[bands == band].min() for band in range(5)]
        assert all(high <= low for high, low in zip(highest_of, lowest_of[1:], strict=False))

    def test_shaded_puts_one_point_in_every_cell(self, heart_landscape: ls.Landscape) -> None:
        rows, columns, bands = heart_landscape.shaded(12, 50, 5)
        assert bands.shape == (12, 50)
        np.testing.assert_allclose(np.diff(columns), (columns[-1] - columns[0]) / 49)
        assert (rows[0], rows[-1]) == (heart_landscape.rows[0], heart_landscape.rows[-1])
        assert bands[0, 0] == heart_landscape.levels(5)[0, 0]

    def test_shaded_at_the_grid_size_is_the_grid(self, heart_landscape: ls.Landscape) -> None:
        shape = heart_landscape.loss.shape
        _, _, bands = heart_landscape.shaded(*shape, 5)
        np.testing.assert_array_equal(bands, heart_landscape.levels(5))

    def test_a_network_holds_its_other_parameters_at_the_start(self) -> None:
        data = load_csv(bundled("altered"), ["MaxHR"], "AHD", standardize=True)
        objective = Objective(mlp_model(1), data)
        start = objective.model.start
        land = ls.landscape(objective, start, size=(7, 9))
        assert land.names == ("W10", "W11")
        assert land.held == start
        assert land.lowest[2:] == start[2:]
        assert land.loss[2, 3] == pytest.approx(
            objective.loss((land.rows[2], land.columns[3], *start[2:])), rel=1e-12)


class TestMinima:
    def test_the_curve_is_cos_3_pi_x_over_x(self, minima: Objective) -> None:
        curve = ls.minima_curve(minima)
        np.testing.assert_allclose(curve.y, np.cos(3 * np.pi * curve.x) / curve.x, rtol=1e-12)
        assert curve.x[0] == 0.1 and curve.x[-1] == 1.0
        assert abs(curve.x[np.argmin(curve.y)] - GLOBAL_MINIMUM) < 0.005

    @pytest.mark.parametrize(("start", "basin"), [(0.5, "global"), (0.2, "global"), (0.9, "local"), (0.7, "local")])
    def test_plain_descent_ends_in_the_basin_it_starts_in(self, minima: Objective, start: float, basin: str) -> None:
        end = ls.plain_descent_end(minima, Optimizer("gd", 0.002), (start,), 1000)
        assert nearest_minimum(end[0]) == basin
        assert end[0] == pytest.approx(GLOBAL_MINIMUM if basin == "global" else LOCAL_MINIMUM, abs=1e-3)

    def test_plain_descent_ignores_the_batch_mode_and_momentum(self, minima: Objective) -> None:
        plain = ls.plain_descent_end(minima, Optimizer("gd", 0.002), (0.9,), 200)
        assert ls.plain_descent_end(minima, Optimizer("minibatch", 0.002, momentum=0.9), (0.9,), 200) == plain


class TestFitCurve:
    def test_it_is_the_sigmoid_of_the_standardised_feature(self, heart: Objective) -> None:
        x, p = ls.fit_curve(heart, (0.2, -1.1), points=50)
        scaling = heart.data.scaling
        z = (x - scaling.mean[0]) / scaling.std[0]
        np.testing.assert_allclose(p, 1 / (1 + np.exp(-(0.2 - 1.1 * z))), rtol=1e-12)
        assert x[0] == heart.data.raw.min() and x[-1] == heart.data.raw.max()

    def test_there_is_no_curve_for_several_features_or_no_data(self, minima: Objective) -> None:
        data = load_csv(bundled("heart"), ["MaxHR", "Age"], "AHD")
        assert ls.fit_curve(Objective(neuron_model(2), data), (0.0, 0.0, 0.0)) is None
        assert ls.fit_curve(minima, (0.5,)) is None
