"""One reading of a typed number (core/engine/literals.py), shared by every place a student types one: a literal
in an expression, `--at X=…`, predict's and descent's options, serve's seconds. Each keeps its own words; the rules
are the same."""

from __future__ import annotations

import argparse
import sys

import pytest

from backprop_tui.core.engine.literals import NumberRefused, reads_as_number, typed_number
from backprop_tui.core.engine.parser import ParseError, parse_expression
from backprop_tui.core.stepping.problem import ProblemError, parse_assignments
from backprop_tui.tui.cli.descent import descent_parser
from backprop_tui.tui.cli.number_options import whole_number
from backprop_tui.tui.cli.predict import predict_parser
from backprop_tui.tui.serve.command import seconds

ACCEPTED = {"3": 3.0, "−2.5": -2.5, "5e-324": 5e-324, "1.7976931348623157e308": sys.float_info.max,
            "0e-400": 0.0, "-0.0": -0.0, "1E-3": 1e-3}
"""Doubles, the smallest subnormal and the largest double included; a zero spelled with a tiny exponent is 0."""
REFUSED = {"abc": "not a number", "1.2.3": "not a number", "3x": "not a number", "nan": "not finite",
           "inf": "not finite", "-Infinity": "not finite", "1e400": "not finite", "−1e309": "not finite",
           "1e-400": "rounds to zero", "-2.5e-999": "rounds to zero"}


@pytest.mark.parametrize(("text", "value"), ACCEPTED.items())
def test_a_double_is_read_as_itself(text, value):
    assert typed_number(text) == value
    assert str(typed_number(text)) == str(value)  # the sign of zero too


@pytest.mark.parametrize(("text", "rule"), REFUSED.items())
def test_every_other_text_names_the_rule_it_broke(text, rule):
    with pytest.raises(NumberRefused) as refused:
        typed_number(text)
    assert refused.value.rule == rule
    assert reads_as_number(text) == (rule != "not a number")


@pytest.mark.parametrize(("text", "rule"), REFUSED.items())
def test_the_readers_refuse_what_it_refuses(text, rule):
    with pytest.raises(ProblemError) as at:
        parse_assignments(f"X={text}")
    assert {"not a number": "is not a number", "not finite": "must be a finite number",
            "rounds to zero": "smaller than the smallest double"}[rule] in str(at.value)
    with pytest.raises(SystemExit):
        predict_parser().parse_args(["--beta0", text, "--beta1", "1"])
    with pytest.raises(SystemExit):
        descent_parser().parse_args([f"--lr={text}"])
    with pytest.raises(argparse.ArgumentTypeError):
        seconds(text.lstrip("-−"))  # 1e-400 is no 0 (never) either
    if rule != "not a number" and text.lstrip("-−")[:1].isdigit():  # a literal is digits; a sign is an operator
        with pytest.raises(ParseError, match="double"):
            parse_expression(f"x*{text.lstrip('-−')}")


@pytest.mark.parametrize(("text", "value"), ACCEPTED.items())
def test_the_readers_accept_what_it_accepts(text, value):
    assert parse_assignments(f"X={text}")["X"] == value
    assert predict_parser().parse_args(["--beta0", text, "--beta1", "1"]).beta0 == value
    assert descent_parser().parse_args([f"--lr={text}"]).lr == value


@pytest.mark.parametrize(("text", "value"), [("12", 12), ("−3", -3), ("0", 0)])
def test_a_whole_number_option_reads_the_same_minus(text, value):
    assert whole_number(text) == value
    assert descent_parser().parse_args([f"--seed={text}"]).seed == value


@pytest.mark.parametrize("text", ["1e3", "2.0", "ten", "", "0x10"])
def test_a_whole_number_option_refuses_what_is_not_digits(text):
    with pytest.raises(argparse.ArgumentTypeError, match="must be a whole number"):
        whole_number(text)

