"""The table's text layout as plain functions: column widths and cells that never break a number."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from backprop_tui.core.stepping.problem import build_problem
from backprop_tui.tui.widgets.trace_table import fit_cell, fit_widths, row_cells, row_stage


@given(st.lists(st.integers(1, 60), min_size=1, max_size=8), st.integers(0, 300))
@settings(max_examples=200)
def test_fit_widths_fits_when_it_can_and_never_grows_a_column(natural, available):
    widths = fit_widths(natural, available, 3)
    assert all(w <= n for w, n in zip(widths, natural, strict=True))
    assert all(w >= min(n, 3) for w, n in zip(widths, natural, strict=True))
    if sum(min(n, 3) for n in natural) <= available:
        assert sum(widths) <= available
    if sum(natural) <= available:
        assert widths == natural


def test_fit_widths_lets_formulas_give_way_before_numbers():
    assert fit_widths([4, 10, 13, 33, 30, 11], 64, (3, 8, 8, 14, 14, 14)) == [4, 10, 11, 14, 14, 11]
    assert fit_widths([4, 10, 28, 33, 36, 29], 104) == [4, 10, 23, 23, 22, 22]


def test_a_cell_that_fits_is_left_alone():
    assert fit_cell("1+e^-9 = 1.00012341", 30) == "1+e^-9 = 1.00012341"


def test_a_long_value_breaks_after_the_equals_sign():
    assert fit_cell("log(1/(1+e^-9)) = -0.00012340219", 20) == "log(1/(1+e^-9)) =\n-0.00012340219"


def test_a_sum_breaks_between_its_terms_and_keeps_the_total():
    assert fit_cell("-9.0001234 + 0.00012340219 = -9", 16) == "-9.0001234 +\n0.00012340219 =\n-9"


def test_a_formula_too_long_is_cut_but_the_number_stays():
    text = " + ".join(["0.1"] * 40) + " = 4"
    cell = fit_cell(text, 12, max_lines=3)
    assert cell.split("\n")[-1] == "4"
    assert cell.count("\n") == 2 and "…" in cell


def test_one_line_per_parent_in_the_local_partial_column():
    row = build_problem("lecture").stepper().final().row("ξ1")
    assert row_cells(row)[2] == "∂ξ1/∂W = −X\n∂ξ1/∂X = −W"


def test_row_stage_follows_the_row_as_it_fills():
    stepper = build_problem("lecture-full").stepper()
    stages = [row_stage(stepper.snapshot(i).row("ξ4")) for i in range(len(stepper))]
    assert stages[0] == (False, False, 0, 0)
    assert stages[-1] == (True, True, 2, 1)
    assert sorted(set(stages)) == [(False, False, 0, 0), (True, False, 0, 1), (True, True, 1, 1), (True, True, 2, 1)]
