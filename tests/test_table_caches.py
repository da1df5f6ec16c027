"""The literal caches behind a big table's speed never change a byte of it.

`formula.number`, `formula.atom`, monomial's exact-coefficient test and closed_form's integer literals
are cached per value; 0.0 and -0.0 (and 1 and 1.0) share a key. A table printed with the caches
filled by another graph must be the one printed with them empty.
"""

from __future__ import annotations

import numpy as np
import pytest

from backprop_tui.core.engine import formula as fm
from backprop_tui.core.stepping import closed_form
from backprop_tui.core.stepping import monomial as mono
from backprop_tui.core.stepping.export import export_table
from backprop_tui.core.stepping.problem import build_problem

CACHES = (fm.atom, fm._float_number, mono._exact_coefficient, closed_form._integer_formula)


def clear_caches() -> None:
    for cache in CACHES:
        cache.cache_clear()


def table(expression: str, at: str, mode: str, fmt: str) -> str:
    problem = build_problem(None, expression, at, mode=mode, wrt="X" if mode == "forward" else None)
    return export_table(problem.stepper(), problem.source, fmt)


CASES = [
    ("+".join(["X"] * 300), "X=1"),
    ("X*0-X*0+X*(-0.0)+exp(-X*0.5)", "X=-0.0"),
    ("-y*log(1/(1+exp(-W*X)))+X*1e-320", "X=3,y=1,W=3"),
    ("*".join(["X"] * 40), "X=1.0000001"),
]


@pytest.mark.parametrize("mode", ["reverse", "forward"])
@pytest.mark.parametrize("fmt", ["json", "text"])
def test_a_table_is_the_same_with_the_caches_empty_or_filled_by_other_graphs(mode, fmt):
    for expression, at in CASES:
        clear_caches()
        alone = table(expression, at, mode, fmt)
        for other, other_at in CASES:
            table(other, other_at, mode, fmt)
        assert table(expression, at, mode, fmt) == alone


def test_cached_literals_read_as_the_uncached_ones():
    clear_caches()
    for value in (0.0, -0.0, 1.0, -1.0, 0.1, 1e15, 1e16, 2.5e-308, float("inf"), float("nan")):
        assert fm.number(value) == fm._number(value)
        assert fm.number(np.float64(value)) == fm._number(value)
    assert fm.number(-0.0).text == "0" == fm.number(0.0).text
