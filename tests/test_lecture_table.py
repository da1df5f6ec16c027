"""The lecture's table as the slides print it: closed forms in every column (slides 65, 71, 72), input
rows in every format, one symbol per quantity, and a note wherever a slide printed another sign."""

from __future__ import annotations

import csv
import io
import json
import math
import re

import pytest

from backprop_tui.core.stepping.examples import GRAPH_EXAMPLES
from backprop_tui.core.stepping.export import TABLE_FORMATS, export_table
from backprop_tui.core.stepping.problem import build_problem
from backprop_tui.core.stepping.table import text_columns

E9 = math.exp(-9)
GRADIENT = -3 * E9 / (1 + E9)

# Every cell of slides 65/71 (forward mode, d/dW) and 72 (reverse mode) that prints a closed form.
VALUE_FORMS = {"ξ2": "e^-9", "ξ3": "1+e^-9", "ξ4": "1/(1+e^-9)", "ξ5": "log(1/(1+e^-9))",
               "L": "−log(1/(1+e^-9))"}
PARTIAL_FORMS = {("ξ2", "ξ1"): "e^-9", ("ξ4", "ξ3"): "−1/(1+e^-9)²", ("ξ5", "ξ4"): "1+e^-9"}
TANGENT_FORMS = {"W": "1", "ξ1": "-3", "ξ2": "−3e^-9", "ξ3": "−3e^-9", "ξ4": "3e^-9/(1+e^-9)²",
                 "ξ5": "3e^-9/(1+e^-9)", "L": "−3e^-9/(1+e^-9)"}
ADJOINT_FORMS = {"L": "1", "ξ5": "-1", "ξ4": "−(1+e^-9)", "ξ3": "1/(1+e^-9)", "ξ2": "1/(1+e^-9)",
                 "ξ1": "e^-9/(1+e^-9)", "W": "−3e^-9/(1+e^-9)", "X": "−3e^-9/(1+e^-9)",
                 "y": "−log(1/(1+e^-9))"}


def lecture(mode: str, example: str = "lecture", at: str | None = None):
    return build_problem(example, at=at, mode=mode, wrt="W").stepper()


@pytest.mark.parametrize("mode", ["forward", "reverse"])
def test_value_and_partial_closed_forms(mode):
    final = lecture(mode).final()
    for name, form in VALUE_FORMS.items():
        assert final.row(name).value_closed == form
    for (name, parent), form in PARTIAL_FORMS.items():
        assert dict(final.row(name).partial_closed)[parent] == form


def test_forward_column_closed_forms_slides_65_and_71():
    final = lecture("forward").final()
    assert {name: final.row(name).accumulated_closed for name in TANGENT_FORMS} == TANGENT_FORMS


def test_reverse_column_closed_forms_slide_72():
    final = lecture("reverse").final()
    assert {name: final.row(name).accumulated_closed for name in ADJOINT_FORMS} == ADJOINT_FORMS


def test_closed_forms_in_the_json():
    document = json.loads(export_table(lecture("forward"), build_problem("lecture").source, "json"))
    by_name = {node["name"]: node for node in document["nodes"]}
    assert by_name["ξ4"]["tangent_closed_form"] == "3e^-9/(1+e^-9)²"
    assert by_name["ξ4"]["value_closed_form"] == "1/(1+e^-9)"
    reverse = json.loads(export_table(lecture("reverse"), build_problem("lecture").source, "json"))
    w_row = next(row for row in reverse["input_rows"] if row["name"] == "W")
    assert w_row["adjoint_closed_form"] == "−3e^-9/(1+e^-9)"


def test_a_closed_form_too_long_to_read_falls_back_to_the_decimal():
    final = lecture("reverse", "lecture-b").final()
    assert final.row("ξ3").accumulated_closed is None
    assert final.row("ξ3").accumulated == pytest.approx(-(1 / (1 - 1 / (1 + E9))) / (1 + E9) ** 2, rel=1e-9)


def test_text_table_prints_the_answer_on_the_input_rows():
    header, rows = text_columns(lecture("reverse").final())
    by_name = {cells[0]: dict(zip(header, cells, strict=True)) for cells in rows}
    assert by_name["W"]["dL/dξ"] == "−3e^-9/(1+e^-9) = -0.000370183728"
    assert by_name["W"]["definition"] == "input"


@pytest.mark.parametrize("fmt", TABLE_FORMATS)
def test_input_rows_with_contributions_in_every_format(fmt):
    problem = build_problem(expression="x*x + x", at="x=3")
    out = export_table(problem.stepper(), problem.source, fmt)
    if fmt == "json":
        document = json.loads(out)
        assert document["input_rows"] == [
            {"name": "x", "value": 3.0, "adjoint": 7.0, "adjoint_closed_form": "7",
             "contributions": [{"from": "ξ1", "value": 6.0}, {"from": "ξ2", "value": 1.0}],
             "fd_check": {"value": pytest.approx(7.0, rel=1e-6), "ok": True}}]
        assert {"nodes", "gradient", "inputs", "output", "sweeps_for_full_gradient"} <= set(document)
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(out)))
        assert rows[1][:2] == ["x", "input"] and rows[1][6] == "6 + 1 = 7"
    else:
        assert "6 + 1 = 7" in out


def test_forward_input_rows_hold_the_seeds():
    problem = build_problem("lecture", mode="forward", wrt="W")
    document = json.loads(export_table(problem.stepper(), problem.source, "json"))
    assert {row["name"]: row["tangent"] for row in document["input_rows"]} == {"X": 0.0, "y": 0.0, "W": 1.0}


TOTAL = re.compile(r"(?<![∂\w])d([^\s/()·=]+)/d([^\s/()·=;:,\]]+)")
PARTIAL = re.compile(r"∂([^\s/()·=]+)/∂([^\s/()·=;:,\]]+)")


def explanations():
    for name in GRAPH_EXAMPLES:
        if name == "mlp-16-16":
            continue
        for mode in ("forward", "reverse"):
            stepper = build_problem(name, mode=mode).stepper()
            for step in stepper.steps:
                yield name, mode, stepper, step.explanation
    for expression in ("x*x + x", "2*x", "sin(x)*x + exp(x)", "x/y - y*x"):
        for mode in ("forward", "reverse"):
            stepper = build_problem(expression=expression, at="x=0.5,y=2" if "y" in expression else "x=0.5",
                                    mode=mode).stepper()
            for step in stepper.steps:
                yield expression, mode, stepper, step.explanation


def test_no_explanation_uses_one_symbol_for_two_quantities():
    """`∂a/∂b` only for a local partial (b an argument of a), `da/db` only for a total: with respect to
    the input in forward mode, of the output in reverse mode. So no symbol can mean two things."""
    checked = 0
    for source, mode, stepper, text in explanations():
        graph = stepper.graph
        for child, parent in PARTIAL.findall(text):
            assert child in graph.index and parent in graph.node(child).parents, (source, mode, text)
            checked += 1
        for top, bottom in TOTAL.findall(text):
            if top.startswith("(mean"):
                continue
            if mode == "forward":
                assert bottom == stepper.wrt and top in graph.index, (source, mode, text)
            else:
                assert top == graph.output and bottom in graph.index, (source, mode, text)
            checked += 1
    assert checked > 200


def test_the_reverse_line_of_an_output_that_reads_an_input_keeps_partial_and_total_apart():
    stepper = build_problem(expression="x*x + x", at="x=3").stepper()
    assert stepper.steps[-1].explanation == "dξ2/dx += dξ2/dξ2 · ∂ξ2/∂x = (1) · (1) = 1;  dξ2/dx = 6 + 1 = 7"


def test_the_slides_missing_minus_sign_is_noted_on_the_answer_row():
    reverse = lecture("reverse").final()
    assert reverse.row("W").accumulated == pytest.approx(GRADIENT, rel=1e-12)
    assert "0.00037018372" in reverse.row("W").note and "minus" in reverse.row("W").note
    forward = lecture("forward").final()
    assert "0.00037018372" in forward.row("L").note
    assert forward.row("ξ4").note.startswith("slide 65 prints −3e^-9/(1+e^-9)²")
    # The numbers belong to the slides' inputs: elsewhere no note.
    assert lecture("reverse", at="W=1").final().row("W").note is None
    header, rows = text_columns(reverse)
    assert header[-1] == "note" and any("0.00037018372" in cells[-1] for cells in rows)


def test_slide_61_sign_is_noted_on_p_and_the_betas():
    """Slide 61's chain L → p → h (issue 20): p's row holds dL/dp = −y/p + (1−y)/(1−p) with the right sign of
    (1−y)/(1−p), and the note saying what the slide printed sits there; h's row is dL/dp · ∂p/∂h."""
    for y in (1.0, 0.0):
        final = build_problem("neuron", at=f"y={y:g}").stepper().final()
        assert "+(1−y)/(1−p)" in final.row("p").note and final.row("L").note is None
        assert "slide 61" in final.row("β1").note and "slide 61" in final.row("β0").note
        X, b0, b1 = 1.5, -1.0, 0.5
        p = 1 / (1 + math.exp(-(b0 + b1 * X)))
        assert final.row("p").accumulated == pytest.approx(-y / p + (1 - y) / (1 - p), rel=1e-12)
        assert final.row("h").accumulated == pytest.approx((-y / p + (1 - y) / (1 - p)) * p * (1 - p), rel=1e-12)


def test_lecture_full_is_the_sum_of_its_two_halves():
    final = lecture("forward", "lecture-full", at="y=0.25").final()
    terms = final.row("L").contributions
    assert [term.source for term in terms] == ["Lᴬ", "Lᴮ"]
    assert final.row("L").accumulated == pytest.approx(terms[0].value + terms[1].value, rel=1e-12)
    p = 1 / (1 + math.exp(-9))
    assert final.row("L").accumulated == pytest.approx((p - 0.25) * 3, rel=1e-9)
    assert final.row("Lᴬ").definition == "−yξ5" and final.row("Lᴮ").expanded.startswith("−(1−y)")


def test_lecture_b_at_y_0_is_slide_32():
    final = lecture("reverse", "lecture-b").final()
    assert final.row("Lᴮ").value == pytest.approx(-math.log(1 - 1 / (1 + E9)), rel=1e-9)
    # dLᴮ/dW = (1 − y) X / (1 + e^−WX), slide 32's last line.
    assert final.row("W").accumulated == pytest.approx(3 / (1 + E9), rel=1e-9)
    assert all(row.fd_check.ok for row in final.rows if row.fd_check is not None)


def test_latex_writes_the_note_as_text_and_the_halves_as_superscripts():
    latex = export_table(lecture("reverse"), build_problem("lecture").source, "latex")
    w_line = next(line for line in latex.splitlines() if line.startswith("$W$"))
    note = w_line.split(" & ")[-1]
    assert "0.00037018372" in note and "\\textasciicircum{}" in note and "$<$" in note
    assert "^" not in note.replace("\\textasciicircum{}", "")
    halves = export_table(lecture("reverse", "lecture-b"), build_problem("lecture-b").source, "latex")
    assert "$L^{B}$" in halves and "ᴮ" not in halves
