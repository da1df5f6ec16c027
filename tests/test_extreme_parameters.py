"""Parameters at the ends of the doubles: a mean of huge losses is the finite number it is (summing first
overflowed), and the smallest β1 is a flat curve, not a division by zero.

`np.mean` of 303 losses near 1e307 sums to infinity before it divides, so `predict --beta1 1e305` printed
"loss inf" with a RuntimeWarning on stderr, a descent at η = 1e308 "diverged: the numbers are no longer
finite" while every number was finite, and the file-unit intercept `w·m/s` overflowed the same way. The
truth here is mpmath's, from the CSV read with the standard library.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import mpmath
import numpy as np
import pytest

from backprop_tui.core.engine.numbers import batch_mean, mean

HEART = Path(__file__).resolve().parents[1] / "data" / "Heart.csv"
MAIN = "import sys; from backprop_tui.tui.cli.main import main; sys.exit(main())"
mpmath.mp.dps = 50


def heart() -> tuple[list[int], list[int]]:
    """MaxHR and AHD (1 for Yes) of every patient, straight from the file."""
    with HEART.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [int(row["MaxHR"]) for row in rows], [1 if row["AHD"] == "Yes" else 0 for row in rows]


def true_mean_loss(beta0: float, beta1: float) -> mpmath.mpf:
    """(1/n) Σ log(1 + e^(−z)) for y = 1, log(1 + e^z) for y = 0, z = β0 + β1·x, in 50 digits."""
    xs, ys = heart()
    total = mpmath.mpf(0)
    for x, y in zip(xs, ys, strict=True):
        z = mpmath.mpf(beta0) + mpmath.mpf(beta1) * x
        total += mpmath.log1p(mpmath.exp(-z if y else z))
    return total / len(xs)


def cli(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", MAIN, *argv], capture_output=True, text=True, timeout=60)


class TestMean:
    @pytest.mark.parametrize("count", [2, 303, 10_000])
    def test_huge_values_have_their_finite_mean(self, count: int) -> None:
        values = np.full(count, 1.5e308)
        assert mean(values) == 1.5e308
        with np.errstate(over="ignore"):
            assert np.mean(values) == np.inf  # what summing first gives

    def test_mixed_magnitudes_match_mpmath(self) -> None:
        values = np.array([1.7e308, -3e307, 1e307, 5.0, 1.7e308])
        truth = sum(mpmath.mpf(float(value)) for value in values) / len(values)
        assert float(mean(values)) == pytest.approx(float(truth), rel=1e-15)

    @pytest.mark.parametrize(("extra", "expected"), [(np.inf, np.inf), (-np.inf, -np.inf), (np.nan, None)])
    def test_a_non_finite_value_still_shows(self, extra: float, expected: float | None) -> None:
        result = float(mean(np.array([1e308, 1e308, extra])))
        assert np.isnan(result) if expected is None else result == expected

    def test_ordinary_means_are_numpys_digit_for_digit(self) -> None:
        values = np.random.default_rng(7).normal(size=(40, 303)) * 1e3
        assert np.array_equal(mean(values, axis=1), values.mean(axis=1))
        assert float(mean(values[0])) == float(np.mean(values[0]))

    def test_over_an_axis_only_the_overflowing_rows_change(self) -> None:
        values = np.array([[1e308, 1e308, 1e308], [1.0, 2.0, 4.0]])
        assert list(mean(values, axis=1)) == [1e308, 7.0 / 3.0]

    def test_the_table_shows_a_batch_of_huge_values_by_its_mean(self) -> None:
        assert batch_mean(np.full(303, 1e307)) == pytest.approx(1e307, rel=1e-15)


class TestCommands:
    def test_predict_reports_the_finite_mean_loss_without_a_warning(self) -> None:
        result = cli("predict", "--beta0", "0", "--beta1", "1e305", "--format", "json")
        assert result.returncode == 0 and result.stderr == ""
        document = json.loads(result.stdout)
        assert document["loss"] == pytest.approx(float(true_mean_loss(0.0, 1e305)), rel=1e-12)
        assert "null_reasons" not in document

    def test_predict_at_the_smallest_beta1_is_no_traceback(self) -> None:
        """β1 = 5e-324: β1/4 is 0, the tangent's length 4(p − ½)/β1 is infinite, the curve is flat at ½."""
        result = cli("predict", "--beta0", "0", "--beta1", "5e-324")
        assert result.returncode == 0 and result.stderr == ""
        assert result.stdout.splitlines()[-1] == ("p = ½ at MaxHR = −β0/β1 = 0 · slope there β1/4 = 0 per unit · "
                                                  "p goes from 0.1 to 0.9 over inf units")

    def test_a_start_no_double_holds_once_standardised_is_refused_by_name(self) -> None:
        """β1 = 1e307 per MaxHR is 1e307 × 22.9 (the std) per standard deviation: past the largest double. It
        started a run at inf that 'diverged at iteration 1: try a smaller --lr'."""
        result = cli("descent", "--init", "β0=0,β1=1e307", "--iters", "2")
        assert result.returncode == 2 and result.stdout == ""
        assert result.stderr == ("backprop-tui: error: --init: standardised for training, β0 and β1 would pass the "
                                 "largest double (1.7976931348623157e308): give smaller values\n")
        assert cli("descent", "--init", "β0=0,β1=1e305", "--iters", "1").returncode == 0  # 2.3e306: a double

    def test_a_descent_with_a_huge_step_diverges_by_the_bound_with_finite_numbers(self) -> None:
        result = cli("descent", "--lr", "1e308", "--iters", "4", "--format", "json")
        assert result.returncode == 0 and result.stderr == ""
        document = json.loads(result.stdout)
        final = document["final"]
        assert document["stopped"] == "diverged" and "non_finite" not in final
        beta0, beta1 = final["params"]["β0"], final["params"]["β1"]
        xs, _ = heart()
        xs_mp = [mpmath.mpf(x) for x in xs]
        m = sum(xs_mp) / len(xs_mp)
        s = mpmath.sqrt(sum((x - m) ** 2 for x in xs_mp) / len(xs_mp))
        # b + w·(x − m)/s in file units: intercept b − w·m/s, slope w/s (finite doubles, as mpmath says)
        assert final["params_raw"]["β0"] == pytest.approx(float(beta0 - beta1 * m / s), rel=1e-12)
        assert final["params_raw"]["β1"] == pytest.approx(float(beta1 / s), rel=1e-12)
        zs = [(x - m) / s for x in xs_mp]
        _, ys = heart()
        truth = sum(mpmath.log1p(mpmath.exp(-(beta0 + beta1 * z) if y else beta0 + beta1 * z))
                    for z, y in zip(zs, ys, strict=True)) / len(zs)
        assert final["loss"] == pytest.approx(float(truth), rel=1e-9)
