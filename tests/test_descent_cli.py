"""`backprop-tui descent`: the Heart fit from the command line, the public JSON fields, every
format, reproducible batches, and one stderr line with exit code 2 for every mistake."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from backprop_tui.core.training import history as history_module
from backprop_tui.core.training.history import History
from backprop_tui.tui.cli.main import main

HISTORY_FIELDS = {"iteration", "epoch", "params", "loss", "batch_loss", "grad_norm"}
FINAL_FIELDS = {"params", "params_raw", "loss", "accuracy"}
CONFIG_FIELDS = {"example", "data", "x", "y", "model", "optimizer", "batch_size", "lr", "momentum", "iters", "seed",
                 "standardize", "start", "tolerance", "init"}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(["descent", *argv])
    except SystemExit as stop:
        code = stop.code  # type: ignore[assignment]
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    code, out, err = run(capsys, *argv, "--format", "json")
    assert code == 0 and err == ""
    return json.loads(out)


class TestHeartFit:
    def test_the_default_example_reaches_the_maximum_likelihood_fit(self, capsys) -> None:
        document = run_json(capsys)
        assert document["stopped"] == "converged"
        assert len(document["history"]) == 209
        final = document["final"]
        assert abs(final["loss"] - 0.595548) < 1e-6
        assert f"{final['params_raw']['β0']:.4g}" == "6.325"
        assert f"{final['params_raw']['β1']:.4g}" == "-0.04341"
        assert final["accuracy"] == pytest.approx(0.6997, abs=5e-5)

    def test_the_json_fields_are_exactly_the_documented_ones(self, capsys) -> None:
        document = run_json(capsys, "--example", "heart", "--iters", "3")
        assert set(document) == {"config", "history", "final", "stopped"}
        assert set(document["config"]) == CONFIG_FIELDS | {"null_reasons"}  # why batch_size, start, init are null
        assert set(document["config"].pop("null_reasons")) == {"batch_size", "start", "init"}
        assert all(set(entry) == HISTORY_FIELDS for entry in document["history"])
        assert set(document["final"]) == FINAL_FIELDS
        assert document["stopped"] == "iterations"
        first = document["history"][0]
        assert first["iteration"] == 1 and first["epoch"] == 1
        assert first["params"] == {"β0": 0.0, "β1": 0.0}
        assert first["loss"] == pytest.approx(0.6931471805599453) and first["batch_loss"] == first["loss"]
        assert document["config"] == {"example": "heart", "data": "Heart.csv", "x": ["MaxHR"], "y": "AHD",
                                      "model": "neuron", "optimizer": "gd", "batch_size": None, "lr": 0.5,
                                      "momentum": 0.0, "iters": 3, "seed": 0, "standardize": True, "start": None,
                                      "tolerance": 1e-08, "init": None}

    def test_text_shows_the_table_and_the_verdict(self, capsys) -> None:
        code, out, err = run(capsys)
        assert code == 0 and err == ""
        lines = out.splitlines()
        assert lines[0].startswith("descent · Heart.csv: AHD ~ MaxHR (303 rows, standardised)")
        assert lines[1].split()[:4] == ["iteration", "epoch", "β0", "β1"]
        assert lines[2].split()[:4] == ["1", "1", "0", "0"]
        assert "stopped: converged after 209 iterations" in out
        assert "in MaxHR units: β0 = 6.32494" in out and ", β1 = -0.0434111" in out

    def test_csv_has_one_row_per_iteration(self, capsys) -> None:
        code, out, _ = run(capsys, "--iters", "5", "--format", "csv")
        assert code == 0
        rows = list(csv.reader(io.StringIO(out)))
        assert rows[0] == ["iteration", "epoch", "β0", "β1", "loss", "batch_loss", "grad_norm"]
        assert [row[0] for row in rows[1:]] == ["1", "2", "3", "4", "5"]
        assert float(rows[1][4]) == pytest.approx(0.6931471805599453)


class TestBatches:
    @pytest.mark.parametrize("options", [("--optimizer", "minibatch", "--batch-size", "16"),
                                         ("--optimizer", "sgd")])
    def test_a_seed_reproduces_the_run(self, capsys, options: tuple[str, ...]) -> None:
        first = run_json(capsys, *options, "--iters", "40", "--seed", "5")
        again = run_json(capsys, *options, "--iters", "40", "--seed", "5")
        other = run_json(capsys, *options, "--iters", "40", "--seed", "6")
        assert first["history"] == again["history"]
        assert first["history"] != other["history"]
        batch = [entry["batch_loss"] - entry["loss"] for entry in first["history"]]
        assert min(batch) < 0 < max(batch)

    def test_a_batch_size_alone_means_mini_batch(self, capsys) -> None:
        document = run_json(capsys, "--batch-size", "50", "--iters", "12")
        assert document["config"]["optimizer"] == "minibatch" and document["config"]["batch_size"] == 50
        assert [entry["epoch"] for entry in document["history"]] == [1] * 7 + [2] * 5

    def test_momentum_is_recorded(self, capsys) -> None:
        document = run_json(capsys, "--momentum", "0.5")
        assert document["config"]["momentum"] == 0.5 and document["stopped"] == "converged"


class TestOtherExamples:
    def test_minima_from_the_left_finds_the_global_minimum(self, capsys) -> None:
        document = run_json(capsys, "--example", "minima", "--start", "0.5")
        assert document["stopped"] == "converged"
        assert document["final"]["params"]["x"] == pytest.approx(0.29691798, abs=1e-7)
        assert document["final"]["accuracy"] is None
        code, out, _ = run(capsys, "--example", "minima")
        assert "the local minimum" in out and "x = 0.988656" in out

    def test_the_mlp_on_the_altered_data(self, capsys) -> None:
        document = run_json(capsys, "--example", "altered", "--model", "mlp", "--iters", "1000")
        assert document["final"]["accuracy"] >= 0.89
        assert set(document["final"]["params"]) == {"W10", "W11", "W20", "W21", "W30", "W31", "W32"}

    def test_own_data_with_several_features(self, capsys, tmp_path: Path) -> None:
        path = tmp_path / "own.csv"
        path.write_text("a,b,label\n1,0.5,yes\n2,0.1,no\n3,0.9,yes\n4,0.2,no\nNA,1,no\n", encoding="utf-8")
        document = run_json(capsys, "--data", str(path), "--x", "a,b", "--y", "label", "--lr", "0.1",
                            "--iters", "20")
        assert document["config"]["x"] == ["a", "b"] and document["config"]["standardize"] is False
        assert set(document["final"]["params"]) == {"β0", "β1", "β2"}
        assert document["final"]["params_raw"] == document["final"]["params"]

    def test_divergence_is_reported_with_its_bound_and_the_standardize_hint(self, capsys) -> None:
        code, out, _ = run(capsys, "--no-standardize", "--lr", "100")
        assert code == 0
        assert ("stopped: diverged at iteration 2 (the loss 6.976e+04 passed the bound 1.693e+04 = 10000 × "
                "(|first loss| + 1)): try --standardize (the features are in their file units) or a smaller --lr"
                ) in out
        document = run_json(capsys, "--no-standardize", "--lr", "100")
        assert document["stopped"] == "diverged" and document["final"]["loss"] > 1.693e4

    def test_an_oscillating_run_is_not_called_diverged(self, capsys) -> None:
        """Issue 15: at η = 50 iteration 5 was reported diverged with NaN; its true loss is 3.41, ‖g‖ 0.215."""
        document = run_json(capsys, "--lr", "50", "--iters", "40")
        assert document["stopped"] == "iterations"
        fifth = document["history"][4]
        assert fifth["loss"] == pytest.approx(3.4095, abs=1e-4)
        assert fifth["grad_norm"] == pytest.approx(0.2151, abs=1e-4)


BAD_INPUT = [
    (("--data", "missing.csv", "--x", "a", "--y", "b"), "no such file: missing.csv"),
    (("--x", "Pulse"), "Heart.csv has no column 'Pulse'"),
    (("--x", "Thal"), "column 'Thal', row 1: 'fixed' is not a number"),
    (("--y", "ChestPain"), "target column 'ChestPain', row 1: 'typical' is not one of two classes"),
    (("--lr", "0"), "--lr must be a positive number"),
    (("--lr", "-1e-3"), "--lr must be a positive number"),
    (("--lr", "fast"), "argument --lr: must be a number, got 'fast'"),
    (("--lr", "inf"), "argument --lr: must be a finite number, got 'inf'"),
    (("--lr", "1e-400"), "argument --lr: the number 1e-400 is smaller than the smallest double"),
    (("--lr", "−1e-3"), "--lr must be a positive number, got -0.001"),
    (("--iters", "0"), "--iters must be at least 1"),
    (("--iters", "ten"), "argument --iters: must be a whole number"),
    (("--batch-size", "0"), "--batch-size must be at least 1"),
    (("--momentum", "1"), "--momentum must be in [0, 1)"),
    (("--seed", "-1"), "--seed must be at least 0"),
    (("--data", "x.csv"), "--data needs --x"),
    (("--example", "heart", "--data", "x.csv"), "not allowed with argument --example"),
    (("--example", "iris"), "argument --example: invalid choice"),
    (("--optimizer", "gd", "--batch-size", "8"), "--batch-size does not apply to --optimizer gd"),
    (("--optimizer", "sgd", "--batch-size", "8"), "--optimizer sgd uses one row per step"),
    (("--model", "mlp", "--x", "MaxHR,Age"), "--model mlp takes exactly one --x column"),
    (("--start", "0.5"), "--start is for --example minima"),
    (("--example", "minima", "--start", "0"), "the start must be in [0.1, 1.0]"),
    (("--example", "minima", "--optimizer", "sgd"), "use --optimizer gd"),
    (("--example", "minima", "--x", "MaxHR"), "the minima example has no data: --x does not apply"),
    (("--format", "yaml"), "argument --format: invalid choice"),
]


class TestBadInput:
    @pytest.mark.parametrize(("argv", "message"), BAD_INPUT)
    def test_one_line_on_stderr_and_exit_code_2(self, capsys, argv: tuple[str, ...], message: str) -> None:
        code, out, err = run(capsys, *argv)
        assert code == 2 and out == ""
        assert err.count("\n") == 1 and err.startswith("backprop-tui: error: ")
        assert message in err

    @pytest.mark.parametrize(("text", "message"), [("", "empty.csv is empty"),
                                                   ("a,b\n", "has a header but no data rows")])
    def test_empty_files(self, capsys, tmp_path: Path, text: str, message: str) -> None:
        path = tmp_path / "empty.csv"
        path.write_text(text, encoding="utf-8")
        code, out, err = run(capsys, "--data", str(path), "--x", "a", "--y", "b")
        assert code == 2 and out == "" and err.count("\n") == 1 and message in err


class TestRealProcess:
    def test_exit_code_2_and_one_stderr_line(self) -> None:
        result = subprocess.run([sys.executable, "-m", "backprop_tui.tui.cli.main", "descent", "--lr", "-1"],
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 2 and result.stdout == ""
        assert result.stderr == "backprop-tui: error: --lr must be a positive number, got -1.0\n"

    def test_a_closed_pipe_ends_quietly(self) -> None:
        command = (f"set -o pipefail; {sys.executable} -m backprop_tui.tui.cli.main descent --lr 1e-9 --iters 3000 "
                   "| head -1")
        result = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=120)
        assert result.returncode == 0
        assert result.stdout.startswith("descent · Heart.csv") and result.stdout.count("\n") == 1
        assert result.stderr == ""


class TestStreaming:
    """Each iteration is printed as it is computed, from a run whose history is bounded."""

    def test_jsonl_is_the_json_history_one_object_a_line_then_the_verdict(self, capsys) -> None:
        code, out, err = run(capsys, "--iters", "30", "--optimizer", "sgd", "--format", "jsonl")
        assert code == 0 and err == ""
        objects = [json.loads(line) for line in out.splitlines()]
        document = run_json(capsys, "--iters", "30", "--optimizer", "sgd")
        assert objects[:-1] == document["history"] and len(objects) == 31
        assert all(set(entry) == HISTORY_FIELDS for entry in objects[:-1])
        assert objects[-1] == {"final": document["final"], "stopped": document["stopped"]}

    def test_jsonl_of_a_converged_run(self, capsys) -> None:
        code, out, _ = run(capsys, "--format", "jsonl")
        last = json.loads(out.splitlines()[-1])
        assert code == 0 and last["stopped"] == "converged" and out.count("\n") == 209 + 1

    def test_the_headless_run_keeps_a_bounded_history_yet_prints_every_iteration(
            self, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(history_module, "BLOCK_ROWS", 16)
        monkeypatch.setattr(history_module, "STAGED_ROWS", 4)
        monkeypatch.setattr(history_module, "RECENT_ROWS", 64)
        histories: list[History] = []
        create = History.__init__

        def remember(self: History, params: int) -> None:
            create(self, params)
            histories.append(self)

        monkeypatch.setattr(History, "__init__", remember)
        code, out, _ = run(capsys, "--example", "minima", "--lr", "1e-6", "--iters", "3000", "--format", "csv")
        assert code == 0 and len(out.splitlines()) == 3001
        assert out.splitlines()[-1].startswith("3000,")
        history = histories[-1]
        assert len(history) == 3000 and history[-1].iteration == 3000
        assert history.nbytes <= (2 * 64 + 2 * 16) * history.width * 8 + 2 * 64 * 8
