"""`backprop-tui predict` (every patient at β0, β1 you choose) and `descent --init` (start where you left off):
the lecture's numbers, the public JSON fields, every format, and one stderr line with exit code 2 for mistakes."""

from __future__ import annotations

import csv
import io
import json
import math

import pytest

from backprop_tui.tui.cli.main import main

FIT = ("--beta0", "6.32494975", "--beta1", "-0.04341112")
ROW_FIELDS = {"row", "x", "p", "predicted", "actual", "loss"}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as stop:
        code = stop.code  # type: ignore[assignment]
    captured = capsys.readouterr()
    return code, captured.out, captured.err


class TestPredict:
    def test_json_at_the_maximum_likelihood_fit(self, capsys) -> None:
        code, out, err = run(capsys, "predict", *FIT, "--format", "json")
        assert code == 0 and err == ""
        document = json.loads(out)
        assert {"params", "rows", "loss", "accuracy", "midpoint"} <= set(document)
        assert document["params"] == {"β0": 6.32494975, "β1": -0.04341112}
        assert len(document["rows"]) == 303
        assert set(document["rows"][0]) == ROW_FIELDS
        assert document["rows"][0] == pytest.approx(
            {"row": 1, "x": 150.0, "p": 0.4534555848866107, "predicted": 0, "actual": 0, "loss": 0.6041397027312603})
        assert document["loss"] == pytest.approx(0.595548, abs=5e-7)
        assert document["loss"] == pytest.approx(sum(row["loss"] for row in document["rows"]) / 303, rel=1e-12)
        assert round(100 * document["accuracy"], 2) == 69.97
        assert document["midpoint"] == pytest.approx(145.7, abs=0.05)

    def test_a_flat_line_has_a_null_midpoint(self, capsys) -> None:
        code, out, _ = run(capsys, "predict", "--beta0", "0", "--beta1", "0", "--format", "json")
        document = json.loads(out)
        assert code == 0 and document["midpoint"] is None
        assert document["loss"] == pytest.approx(math.log(2))

    def test_extreme_parameters_give_finite_losses(self, capsys) -> None:
        code, out, _ = run(capsys, "predict", "--beta0", "0", "--beta1", "50", "--format", "json")
        document = json.loads(out)
        assert code == 0
        assert all(row["loss"] is not None and math.isfinite(row["loss"]) for row in document["rows"])
        yes_at_150 = next(row for row in document["rows"] if row["actual"] == 0 and row["x"] == 150.0)
        assert yes_at_150["loss"] == pytest.approx(7500.0)  # p̂ rounds to 1, the true loss is 50·150

    def test_text_names_the_loss_as_the_mean_of_the_column(self, capsys) -> None:
        code, out, _ = run(capsys, "predict", *FIT)
        lines = out.splitlines()
        assert code == 0
        assert lines[0].startswith("predict · Heart.csv: AHD ~ MaxHR (303 rows)")
        assert "loss L = (1/303) Σ Lᵢ = 0.595548" in out
        assert "accuracy 69.97% (212 of 303)" in out
        assert "p = ½ at MaxHR = −β0/β1 = 145.7" in out

    def test_csv_has_one_row_per_patient(self, capsys) -> None:
        code, out, _ = run(capsys, "predict", *FIT, "--format", "csv", "--threshold", "0.3")
        rows = list(csv.DictReader(io.StringIO(out)))
        assert code == 0 and len(rows) == 303
        assert list(rows[0]) == ["row", "MaxHR", "p", "predicted", "actual", "loss"]
        assert rows[0]["predicted"] == "1"  # p̂ = 0.45 ≥ 0.3

    def test_own_data_and_a_negative_number_in_exponent_form(self, capsys, tmp_path) -> None:
        path = tmp_path / "tiny.csv"
        path.write_text("hr,sick\n100,1\n200,0\n")
        code, out, _ = run(capsys, "predict", "--data", str(path), "--x", "hr", "--y", "sick",
                           "--beta0", "15", "--beta1", "-1e-1", "--format", "json")
        document = json.loads(out)
        assert code == 0 and document["midpoint"] == pytest.approx(150.0)
        assert [row["predicted"] for row in document["rows"]] == [1, 0]

    @pytest.mark.parametrize(("argv", "message"), [
        (["--beta0", "1"], "required: --beta1"),
        (["--beta0", "x", "--beta1", "1"], "--beta0: must be a number, got 'x'"),
        (["--beta0", "1", "--beta1", "inf"], "--beta1: must be a finite number"),
        (["--beta0", "1e-400", "--beta1", "1"], "--beta0: the number 1e-400 is smaller than the smallest double"),
        (["--beta0", "1", "--beta1", "1", "--threshold", "1"], "--threshold must be between 0 and 1"),
        (["--beta0", "1", "--beta1", "1", "--data", "/no/such.csv", "--x", "a", "--y", "b"], "no such file"),
        (["--beta0", "1", "--beta1", "1", "--data", "x.csv"], "--data needs --x COLUMN and --y COLUMN"),
        (["--beta0", "1", "--beta1", "1", "--x", "Pulse"], "no column 'Pulse'"),
        (["--beta0", "1", "--beta1", "1", "--x", "Age,Chol"], "--x takes one column"),
        (["--beta0", "1", "--beta1", "1", "--format", "xml"], "invalid choice: 'xml'"),
    ])
    def test_mistakes_are_one_line_and_exit_2(self, capsys, argv, message) -> None:
        code, out, err = run(capsys, "predict", *argv)
        assert code == 2 and out == ""
        assert err.count("\n") == 1 and err.startswith("backprop-tui: error: ") and message in err


class TestDescentInit:
    def test_starting_at_the_fit_in_maxhr_units_starts_at_its_loss(self, capsys) -> None:
        code, out, _ = run(capsys, "descent", "--init", "β0=6.32494975,β1=-0.04341112", "--iters", "1",
                           "--format", "json")
        document = json.loads(out)
        assert code == 0
        assert document["config"]["init"] == {"β0": 6.32494975, "β1": -0.04341112}
        assert document["history"][0]["loss"] == pytest.approx(0.595548, abs=5e-7)
        start = document["history"][0]["params"]  # standardised: β1 is the raw slope times MaxHR's std
        assert start["β1"] == pytest.approx(-0.991389, abs=1e-5)

    def test_the_text_says_where_it_starts_and_that_it_was_standardised(self, capsys) -> None:
        code, out, _ = run(capsys, "descent", "--init", "b0=6.32494975,b1=-0.04341112", "--iters", "1")
        assert code == 0
        assert out.splitlines()[1] == ("starting from β0 = 6.32494975, β1 = -0.04341112 (in MaxHR units); "
                                       "standardised for training: β0 = -0.169668998, β1 = -0.991389495")

    def test_without_standardising_the_start_is_used_as_given(self, capsys) -> None:
        code, out, _ = run(capsys, "descent", "--init", "β0=1,β1=-0.01", "--no-standardize", "--iters", "1",
                           "--lr", "1e-6", "--format", "json")
        document = json.loads(out)
        assert code == 0 and document["history"][0]["params"] == {"β0": 1.0, "β1": -0.01}

    def test_a_parameter_not_given_keeps_the_models_start(self, capsys) -> None:
        code, out, _ = run(capsys, "descent", "--init", "β0=0.5", "--no-standardize", "--iters", "1",
                           "--lr", "1e-6", "--format", "json")
        assert code == 0 and json.loads(out)["history"][0]["params"] == {"β0": 0.5, "β1": 0.0}

    @pytest.mark.parametrize(("argv", "message"), [
        (["--init", "β2=1"], "--init: unknown parameter 'β2': the model's parameters are β0, β1"),
        (["--init", "β0"], "--init: expected NAME=VALUE"),
        (["--init", "β0=abc"], "not a number"),
        (["--init", "β0=nan"], "finite"),
        (["--example", "minima", "--init", "x=0.5"], "the minima example starts at --start"),
    ])
    def test_mistakes_are_one_line_and_exit_2(self, capsys, argv, message) -> None:
        code, out, err = run(capsys, "descent", *argv)
        assert code == 2 and out == ""
        assert err.count("\n") == 1 and message in err
