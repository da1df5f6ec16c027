"""The table's JSON writer gives exactly the standard library's indented text, only faster."""

from __future__ import annotations

import json

import numpy as np
import pytest

from backprop_tui.core.stepping.examples import GRAPH_EXAMPLES
from backprop_tui.core.stepping.json_text import dumps_indented
from backprop_tui.core.stepping.problem import build_problem
from backprop_tui.core.stepping.table import table_json


def standard(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, allow_nan=False)


@pytest.mark.parametrize("value", [
    {}, [], (), "top", 5, -0.0, 1e300, 1.5, None, True,
    {"a": [], "b": {}, "c": [[]], "d": [{"e": [1, {}]}]},
    [1, 2.5, None, True, False, "quote \" backslash \\ newline \n é ∂ \u2028 \x00"],
    {7: "int key", 2.5: "float key", True: "bool key", None: "none key"},
    {"numpy": np.float64(0.1), "tuple": (1, 2)},
])
def test_the_same_characters_as_the_standard_library(value):
    assert dumps_indented(value) == standard(value)


@pytest.mark.parametrize("name", list(GRAPH_EXAMPLES))
@pytest.mark.parametrize("mode", ["reverse", "forward"])
def test_every_examples_table_is_written_as_json_dumps_writes_it(name, mode):
    problem = build_problem(name, mode=mode)
    document = table_json(problem.stepper(), problem.source)
    assert dumps_indented(document) == standard(document)


@pytest.mark.parametrize("value", [float("nan"), {"a": float("inf")}, [np.float64("-inf")]])
def test_non_finite_numbers_are_refused_like_allow_nan_false(value):
    with pytest.raises(ValueError):
        standard(value)
    with pytest.raises(ValueError):
        dumps_indented(value)


def test_unserialisable_values_and_cycles_are_refused():
    with pytest.raises(TypeError):
        dumps_indented({"a": object()})
    loop: list[object] = []
    loop.append(loop)
    with pytest.raises(ValueError):
        dumps_indented(loop)
