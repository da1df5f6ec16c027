"""Fuzzing the parser: whatever the text, only the parser's own error escapes, pointing inside the text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from backprop_tui.core.engine.parser import ParseError, graph_from_expression
from backprop_tui.core.stepping.steppers import ReverseStepper

ALPHABET = "xyW0123456789.eE+-*/^()  ,$λξσ−_abcdefghijklmnopqrstuvwxyz"
TOKENS = ["x", "y", "W", "1", "2.5", "1e-3", "+", "-", "*", "/", "**", "^", "(", ")", "exp(", "log(", "sin(",
          "sigmoid(", "relu(", "sqrt(", " ", "foo(", "-", "**-", "1/", "1-"]


def check(source: str) -> None:
    try:
        graph = graph_from_expression(source)
    except ParseError as error:
        assert 1 <= error.column <= len(source) + 1
        assert error.caret.endswith("^")
        return
    values = {name: 0.5 for name in graph.inputs}
    ReverseStepper(graph, values).final()


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=60))
def test_random_text_only_raises_parse_errors(source):
    check(source)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=40).map("".join))
def test_random_token_soup_only_raises_parse_errors(source):
    check(source)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=80))
def test_any_unicode_only_raises_parse_errors(source):
    check(source)
