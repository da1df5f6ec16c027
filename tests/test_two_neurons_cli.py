"""`backprop-tui descent --example two-neurons`: both parts of slides 54-59 headless, as a summary or
as JSON whose `config` and `final` match the descent command's; the other options are refused."""

from __future__ import annotations

import contextlib
import io
import json

import pytest

from backprop_tui.tui.cli import descent as descent_cli
from backprop_tui.tui.cli.main import main

PART_FIELDS = {"config", "final", "stopped", "iterations"}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(["descent", "--example", "two-neurons", *argv])
    except SystemExit as stop:
        code = stop.code  # type: ignore[assignment]
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="module")
def document() -> dict:
    """The JSON summary, produced once for the module (training both parts takes about a second)."""
    return printed_json("--example", "two-neurons")


def printed_json(*argv: str) -> dict:
    """What `backprop-tui descent ARGV --format json` prints (capsys is per test; this is per module)."""
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        assert main(["descent", *argv, "--format", "json"]) == 0
    return json.loads(buffer.getvalue())


class TestJson:
    def test_the_fields_are_the_documented_ones(self, document):
        assert set(document) == {"example", "majority_accuracy", "parts"}
        assert document["example"] == "two-neurons"
        assert set(document["parts"]) == {"one_neuron", "two_neurons"}
        assert all(set(part) == PART_FIELDS for part in document["parts"].values())

    def test_config_and_final_are_the_descent_commands_own(self, document):
        descent = printed_json("--example", "altered", "--model", "mlp", "--iters", "1")
        for part in document["parts"].values():
            assert set(part["config"]) == set(descent["config"])
            assert set(part["final"]) == set(descent["final"])
            assert set(part["final"]["params"]) == set(part["final"]["params_raw"])
        assert set(document["parts"]["two_neurons"]["final"]["params"]) == set(descent["final"]["params"])

    def test_one_neuron_is_no_better_than_the_majority_class(self, document):
        one = document["parts"]["one_neuron"]
        assert document["majority_accuracy"] == pytest.approx(95 / 145)
        assert one["final"]["accuracy"] == pytest.approx(document["majority_accuracy"])
        assert one["stopped"] == "converged" and one["iterations"] == 148
        assert one["config"]["model"] == "neuron" and one["config"]["lr"] == 0.5

    def test_two_hidden_neurons_fit_the_band(self, document):
        two = document["parts"]["two_neurons"]
        assert two["final"]["accuracy"] == pytest.approx(130 / 145)
        assert two["stopped"] == "iterations" and two["iterations"] == 2000
        assert two["config"] == {**two["config"], "model": "mlp", "lr": 1.0, "iters": 2000, "example": "altered"}
        raw = two["final"]["params_raw"]
        # h1 switches on and h2 off where their affine inputs cross zero, in beats per minute.
        assert -raw["W10"] / raw["W11"] == pytest.approx(106.7, abs=0.1)
        assert -raw["W20"] / raw["W21"] == pytest.approx(142.5, abs=0.1)


class TestText:
    def test_the_summary_names_both_parts_and_the_majority_class(self, capsys):
        code, out, err = run(capsys)
        assert code == 0 and err == ""
        assert 'always predicting "no disease": accuracy 65.5%' in out
        assert "part 1 · one neuron (logistic regression) · full batch · η = 0.5" in out
        assert "stopped: converged after 148 iterations" in out
        assert "accuracy 65.5% · loss 0.638866" in out
        assert "part 2 · 1-2-1 sigmoid network · full batch · η = 1 · up to 2000 iterations" in out
        assert "start: W10 = 1, W11 = 2, W20 = 1, W21 = -2, W30 = -3, W31 = 3, W32 = 3" in out
        assert "accuracy 89.7% · loss 0.253231" in out
        assert "in MaxHR units: W10 = -26.0978, W11 = 0.244533" in out
        assert "h1 switches on above MaxHR ≈ 106.7, h2 switches off above ≈ 142.5" in out

    def test_a_seed_is_accepted(self, capsys):
        code, out, _ = run(capsys, "--seed", "3")
        assert code == 0 and "accuracy 89.7%" in out


class TestRefusals:
    @pytest.mark.parametrize(("argv", "option"), [
        (["--lr", "0.1"], "--lr"),
        (["--iters", "10"], "--iters"),
        (["--model", "mlp"], "--model"),
        (["--optimizer", "sgd"], "--optimizer"),
        (["--no-standardize"], "--standardize"),
        (["--x", "MaxHR"], "--x"),
    ])
    def test_the_recipe_options_do_not_apply(self, capsys, argv, option):
        code, out, err = run(capsys, *argv)
        assert code == 2 and out == ""
        assert err.count("\n") == 1
        assert f"the two-neurons example has its own recipe: {option} does not apply" in err

    @pytest.mark.parametrize("fmt", ["csv", "jsonl"])
    def test_per_iteration_formats_are_refused(self, capsys, fmt: str):
        code, out, err = run(capsys, "--format", fmt)
        assert code == 2 and out == "" and "use --format text or json" in err

    def test_data_and_the_example_are_exclusive(self, capsys):
        code, _, err = run(capsys, "--data", "some.csv")
        assert code == 2 and "not allowed with argument --example" in err

    def test_the_help_lists_the_example(self, capsys):
        with pytest.raises(SystemExit):
            descent_cli.descent_parser().parse_args(["--help"])
        out = capsys.readouterr().out
        assert "two-neurons" in out


def test_tui_opens_the_lesson(monkeypatch):
    opened = []
    monkeypatch.setattr("backprop_tui.tui.cli.main.run_app", lambda app, **options: opened.append(app) or 0)
    assert main(["descent", "--example", "two-neurons", "--tui", "--seed", "2"]) == 0
    (app,) = opened
    assert (app.first_lesson, app.two_neurons_seed) == ("two-neurons", 2)
