"""Issue 19: every number right at the edges of floating point, against truth computed with mpmath.

Each expected value here is computed by mpmath at 50 digits (never by the engine), or written from it.
"""

from __future__ import annotations

import json
import subprocess
import sys

import mpmath as mp
import numpy as np
import pytest
from support.nulls import unexplained_nulls

from backprop_tui.core.engine.basic_functions import basic_function
from backprop_tui.core.engine.compiled import CompiledGraph
from backprop_tui.core.engine.finite_differences import BELOW_RESOLUTION, NOT_A_NUMBER, PAST_THE_DOUBLES
from backprop_tui.core.engine.graph import GraphBuilder
from backprop_tui.core.engine.logistic import sigmoid
from backprop_tui.core.engine.primitives import PRIMITIVES, vjp_rule
from backprop_tui.core.stepping.export import export_table
from backprop_tui.core.stepping.problem import build_problem
from backprop_tui.core.stepping.table import table_json
from backprop_tui.tui.cli.main import main

mp.mp.dps = 50
MAIN = "import sys; from backprop_tui.tui.cli.main import main; sys.exit(main())"


def table(expression: str, at: str, mode: str = "reverse", wrt: str | None = None) -> dict:
    problem = build_problem(expression=expression, at=at, mode=mode, wrt=wrt)
    stepper = problem.stepper()
    export_table(stepper, problem.source, "text")  # the text never raises either
    document = table_json(stepper, problem.source)
    json.dumps(document, allow_nan=False)
    assert unexplained_nulls(document) == []
    return document


def close(value: float | None, truth: mp.mpf, rel: float = 1e-12) -> bool:
    return value is not None and abs(mp.mpf(value) - truth) <= rel * abs(truth)


def mp_sigmoid(z: mp.mpf) -> mp.mpf:
    return 1 / (1 + mp.exp(-z))


class TestNoTracebackFromClosedForms:
    def test_one_over_a_subnormal(self) -> None:
        document = table("1/x", "x=1e-310")
        node = document["nodes"][-1]
        assert node["value"] is None and node["non_finite"]["value"] == "inf"
        assert "value_closed_form" not in node  # 1/1e-310 is 1e310, not the inf in the cell
        assert document["gradient"]["x"] is None and document["non_finite_gradient"] == {"x": "-inf"}

    def test_a_quotient_whose_value_is_finite_and_one_partial_is_not(self) -> None:
        document = table("x/y", "x=1.0,y=1e-200")
        assert close(document["output"]["value"], mp.mpf(1) / mp.mpf("1e-200"))
        assert close(document["gradient"]["x"], 1 / mp.mpf(1e-200))
        assert document["gradient"]["y"] is None and document["non_finite_gradient"]["y"] == "-inf"

    def test_reciprocal_of_a_square_that_underflows(self) -> None:
        document = table("reciprocal(square(x))", "x=1e-160")
        assert document["output"]["value"] is None and document["output"]["non_finite"] == {"value": "inf"}

    def test_x_log_x_at_the_smallest_double(self) -> None:
        document = table("log(x)*x", "x=5e-324")
        x = mp.mpf(5e-324)
        assert document["output"]["value"] == float(x * mp.log(x))  # a subnormal: rounded once, to the nearest
        assert close(document["gradient"]["x"], mp.log(x) + 1)  # −743.44…, though 1/x overflows on the way

    @pytest.mark.parametrize("mode", ["reverse", "forward"])
    def test_a_quotient_whose_derivative_passes_the_doubles_only_on_the_way(self, mode: str) -> None:
        """−t·a/b² with t/b past the largest double and a tiny: the true product is ordinary (the random oracle
        found `(x/x**0.5)**0.5` at 5e-324 printing `4.5e161 − 2.2e161 = -inf` in forward mode)."""
        x = mp.mpf(5e-324)
        truth = mp.mpf("0.25") / x ** mp.mpf("0.75")  # d/dx (x/√x)^½ = d/dx x^¼, up to the roundings of √
        document = table("((x)/((x)**0.5))**0.5", "x=5e-324", mode, "x" if mode == "forward" else None)
        assert close(document["gradient"]["x"], truth, rel=1e-9), document["gradient"]
        # Scaled by a constant instead: dL/dy = −1e200 · x/y² = −1e300, while 1e200/y is 1e400 on the way.
        document = table("(x/y)*1e200", "x=1e-300,y=1e-200", mode, "y" if mode == "forward" else None)
        assert close(document["gradient"]["y"], mp.mpf("-1e200") * mp.mpf("1e-300") / mp.mpf("1e-200") ** 2)

    @pytest.mark.parametrize("at", ["7", "1e-20", "0.1", "3", "1e300", "1e-300"])
    def test_x_over_x_has_no_slope(self, at: str) -> None:
        """x/x is 1 at every x: its two pieces, adjoint/b and −((adjoint/b)·a)/b, cancel to exactly 0 (scaled by
        1/√2 so that the adjoint is not a power of two; the random oracle caught 8192 at x = 1e-20)."""
        for mode in ("reverse", "forward"):
            document = table("((x)/(x))/((2)**0.5)", f"x={at}", mode, "x" if mode == "forward" else None)
            assert document["gradient"]["x"] == 0.0, (mode, document["gradient"])

    def test_the_quotient_rule_at_every_scale_agrees_with_mpmath(self) -> None:
        """The division's partial ∂(a/b)/∂b, its reverse piece and its forward tangent term (−t·a/b²) are finite
        and right to an ulp or two wherever the true value is a double, over 15 scales for each of t, a and b."""
        from backprop_tui.core.engine.primitives import jvp_rule

        scales = [5e-324, 1e-310, 1e-300, 1e-200, 1e-162, 1e-100, 1e-20, 0.75, 3.0, 1e20, 1e100, 1e160, 1e200,
                  1e300, 1.7e308]
        for t in scales:
            for a in scales:
                for b in scales:
                    truth = -mp.mpf(t) * mp.mpf(a) / mp.mpf(b) ** 2
                    if not mp.mpf("2.2250738585072014e-308") <= abs(truth) <= mp.mpf("1.7976931348623157e308"):
                        continue  # a subnormal or past the doubles: nothing exact to compare
                    args = (np.float64(a), np.float64(b))
                    with np.errstate(all="ignore"):
                        piece = vjp_rule("div")(args, args[0] / args[1], np.float64(t))[1]
                        tangent = jvp_rule("div")(args, args[0] / args[1], (np.float64(0.0), np.float64(t)))
                        partial = PRIMITIVES["div"].partials(args, None)[1] * t if t == 0.75 else None
                    assert close(float(piece), truth, rel=1e-15), (t, a, b, piece)
                    assert close(float(tangent), truth, rel=1e-15), (t, a, b, tangent)
                    if partial is not None:
                        assert close(float(partial), truth, rel=1e-15), (a, b, partial)

    @pytest.mark.parametrize("expression", ["x**(-3)", "square(square(square(x)))", "x*x*x*x/x", "1/(x*x)"])
    @pytest.mark.parametrize("at", ["1e-300", "1e300", "5e-324", "1e-160", "-1e155"])
    def test_powers_past_the_doubles(self, expression: str, at: str) -> None:
        for mode in ("reverse", "forward"):
            table(expression, f"x={at}", mode, "x" if mode == "forward" else None)


class TestTheFlatTails:
    @pytest.mark.parametrize("z", [20.0, 30.0, 40.0, -40.0, 700.0])
    def test_sigmoid_gradient(self, z: float) -> None:
        truth = mp_sigmoid(mp.mpf(z)) * mp_sigmoid(-mp.mpf(z))
        assert close(table("sigmoid(x)", f"x={z!r}")["gradient"]["x"], truth)
        node = table("sigmoid(x)", f"x={z!r}")["nodes"][0]
        assert node["local_partials"] == {"x": "σ(x)·(1−σ(x))"}  # the lecture's formula is still what it shows
        assert close(node["local_values"]["x"], truth)

    @pytest.mark.parametrize("x", [20.0, 50.0, -50.0, 300.0])
    def test_tanh_forward(self, x: float) -> None:
        truth = mp.sech(mp.mpf(x)) ** 2
        document = table("tanh(x)", f"x={x!r}", "forward", "x")
        assert close(document["gradient"]["x"], truth)
        assert document["nodes"][0]["local_partials"] == {"x": "1−tanh²x"}

    @pytest.mark.parametrize(("z", "y"), [(30.0, 1.0), (-30.0, 0.0), (40.0, 1.0), (0.5, 1.0), (-745.5, 1.0)])
    def test_bce_logit_gradient_engine_and_pair(self, z: float, y: float) -> None:
        truth = mp_sigmoid(mp.mpf(z)) - y
        piece, _ = vjp_rule("bce_logit")((np.float64(z), np.float64(y)), None, np.float64(1.0))
        assert close(float(piece), truth)
        namespace: dict[str, object] = {"np": np}
        exec(basic_function("bce_logit").python, namespace)  # noqa: S102 - the project's own generated pair
        with np.errstate(over="ignore"):  # e^745.5 overflows to inf, whose reciprocal is the right 0
            assert close(namespace["d_bce_logit"](z, y)[0], truth)  # type: ignore[operator]

    @pytest.mark.parametrize("a", [20.0, 40.0, -40.0, 30.0])
    def test_sigmoid_and_tanh_pairs(self, a: float) -> None:
        for name, truth in (("sigmoid", mp_sigmoid(mp.mpf(a)) * mp_sigmoid(-mp.mpf(a))),
                            ("tanh", mp.sech(mp.mpf(a)) ** 2)):
            namespace: dict[str, object] = {"np": np}
            exec(basic_function(name).python, namespace)  # noqa: S102 - the project's own generated pair
            with np.errstate(all="ignore"):
                assert close(namespace[f"d_{name}"](a), truth), name  # type: ignore[operator]
            assert close(float(PRIMITIVES[name].partials((np.float64(a),), None)[0]), truth), name

    def test_the_compiled_training_path(self) -> None:
        b = GraphBuilder()
        x, w = b.input("X"), b.input("w")
        b.op("tanh", b.op("sigmoid", b.op("mul", w, x, name="h"), name="p"), name="t")
        graph = b.build("t")
        rows = np.array([40.0, -40.0, 30.0, 1.0])
        _, (grad,) = CompiledGraph(graph, ("w",), ("X",)).value_and_grad({"X": rows, "w": 1.0}, np.ones(4))
        truth = sum(mp.sech(mp_sigmoid(r)) ** 2 * mp_sigmoid(r) * mp_sigmoid(-r) * r
                    for r in map(mp.mpf, rows))
        assert close(float(grad), truth)

    def test_fd_check_cannot_check_below_resolution(self) -> None:
        row = table("sigmoid(x)", "x=40")["input_rows"][0]
        assert row["fd_check"]["ok"] is None and row["fd_check"]["note"] == BELOW_RESOLUTION

    def test_fd_check_of_an_honest_nan_or_infinity(self) -> None:
        row = table("1/x", "x=0")["input_rows"][0]
        assert row["fd_check"]["ok"] is None and row["fd_check"]["note"] in (NOT_A_NUMBER, PAST_THE_DOUBLES)
        row = table("sqrt(x)-sqrt(x)", "x=-1")["input_rows"][0]
        assert row["fd_check"]["ok"] is None and row["fd_check"]["note"] == NOT_A_NUMBER


class TestExactExponents:
    def test_a_third(self) -> None:
        node = table("x**(1/3)", "x=1.7")["nodes"][-1]
        assert node["formula"] == "x^(1/3)" and node["local_partials"] == {"x": "(1/3)·x^(-2/3)"}
        assert node["value_closed_form"] == "1.7^(1/3)"
        assert close(node["value"], mp.mpf("1.7") ** (mp.mpf(1) / 3), 1e-15)

    def test_an_exponent_that_is_no_simple_fraction_keeps_every_digit(self) -> None:
        node = table("x**1.23456789", "x=1.7")["nodes"][-1]
        assert node["formula"] == "x^1.23456789" and "0.2345678899999999" in node["local_partials"]["x"]

    def test_a_constant_node_has_a_number_for_its_adjoint(self) -> None:
        constant = table("x**(1/3)", "x=1.7")["nodes"][0]
        assert constant["formula"] == "1/3" and constant["adjoint"] == 0.0


class TestNullsCarryTheirReason:
    @pytest.mark.parametrize(("expression", "at"), [("sqrt(x)", "x=0"), ("exp(x)", "x=710")])
    def test_forward_mode_gradient(self, expression: str, at: str) -> None:
        document = table(expression, at, "forward", "x")
        assert document["gradient"]["x"] is None and "x" in document["non_finite_gradient"]


@pytest.mark.parametrize(("beta0", "beta1", "rows"), [
    ("-750", "5", {13: mp.mpf(-40)}),
    ("3", "-5", {2: 3 - 5 * mp.mpf(108), 3: 3 - 5 * mp.mpf(129)}),
])
def test_predict_probabilities_on_the_negative_side(capsys, beta0: str, beta1: str, rows: dict) -> None:
    assert main(["predict", "--beta0", beta0, "--beta1", beta1, "--format", "json"]) in (0, None)
    document = json.loads(capsys.readouterr().out)
    for row, logit in rows.items():
        assert close(document["rows"][row - 1]["p"], mp_sigmoid(logit), 1e-9)
    z = np.linspace(-745, 745, 2001)
    assert all(close(float(p), mp_sigmoid(mp.mpf(v)), 1e-12) for p, v in zip(sigmoid(z), z, strict=True)
               if abs(float(mp_sigmoid(mp.mpf(v)))) >= 2.3e-308)


@pytest.mark.parametrize("argv", [
    ["descent", "--lr", "1e308", "--format", "json"],
    ["descent", "--example", "altered", "--model", "mlp", "--lr", "1e308", "--format", "json"],
    ["descent", "--lr", "1e308", "--optimizer", "sgd", "--format", "json"],
])
def test_an_overflowing_run_ends_on_its_last_printed_parameters(argv: list[str]) -> None:
    result = subprocess.run([sys.executable, "-c", MAIN, *argv], capture_output=True, text=True, timeout=120)
    assert result.stderr == "" and result.returncode == 0
    document = json.loads(result.stdout)
    assert document["stopped"] == "diverged"
    assert document["final"]["params"] == document["history"][-1]["params"]
    assert unexplained_nulls(document) == []
    text = subprocess.run([sys.executable, "-c", MAIN, *argv[:-2]], capture_output=True, text=True, timeout=120)
    assert text.stderr == "" and "NaN" not in text.stdout.splitlines()[-3]  # the final loss is inf, not NaN


def test_predict_with_overflowing_parameters() -> None:
    argv = ["predict", "--beta0", "1e308", "--beta1", "1e308"]
    for fmt in ("text", "json", "csv"):
        result = subprocess.run([sys.executable, "-c", MAIN, *argv, "--format", fmt], capture_output=True,
                                text=True, timeout=60)
        assert result.stderr == "" and result.returncode == 0
    document = json.loads(subprocess.run([sys.executable, "-c", MAIN, *argv, "--format", "json"],
                                         capture_output=True, text=True, timeout=60).stdout)
    assert unexplained_nulls(document) == []
    assert {row["loss"] for row in document["rows"] if row["actual"] == 1} == {0.0}  # logit +inf, y = 1


@pytest.mark.parametrize("name", ["lecture", "lecture-b", "neuron", "mlp"])
@pytest.mark.parametrize("mode", ["reverse", "forward"])
def test_every_null_of_the_examples_tables_has_its_reason(name: str, mode: str) -> None:
    problem = build_problem(name, mode=mode)
    assert unexplained_nulls(table_json(problem.stepper(), problem.source)) == []


class TestValuesReachedOnlyByRounding:
    """σ(40) and tanh(±20) are ±1.0 only because float64 rounds them: the cell keeps the form that says so."""

    @pytest.mark.parametrize(("expression", "at", "form"), [
        ("sigmoid(x)", "x=40", "σ(40)"), ("tanh(x)", "x=20", "tanh(20)"), ("tanh(x)", "x=-20", "tanh(-20)")])
    def test_the_form_is_kept_over_the_rounded_number(self, expression: str, at: str, form: str) -> None:
        node = table(expression, at)["nodes"][-1]
        assert abs(node["value"]) == 1.0 and node["value_closed_form"] == form

    def test_an_exact_value_is_still_folded(self) -> None:
        assert table("tanh(x)", "x=0")["nodes"][-1]["value_closed_form"] == "0"  # tanh(0) is 0 exactly
