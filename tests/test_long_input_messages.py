"""A pasted megabyte is refused in one short line: each message quotes what the user typed by its start and its
length (`core.engine.quoting`), never in full. Before, `--at x=<100,000 digits>` printed a 100 KB error line,
and so did an unknown 100,000-character name, lesson or example."""

from __future__ import annotations

import pytest

from backprop_tui.core.stepping.problem import build_problem
from backprop_tui.core.training.data import bundled, load_csv
from backprop_tui.core.training.initial import parse_init
from backprop_tui.tui.cli.main import main

LONG = 100_000
DIGITS, LETTERS = "9" * LONG, "y" * LONG
CASES = {
    "a value too large": ["table", "--expr", "x*2", "--at", f"x={DIGITS}"],
    "a value not a number": ["table", "--expr", "x*2", "--at", f"x={LETTERS}"],
    "an unknown variable": ["table", "--expr", "x*2", "--at", f"{LETTERS}=1"],
    "a pair without a value": ["table", "--expr", "x*2", "--at", LETTERS],
    "a vector left open": ["table", "--expr", "x*2", "--at", f"x=[1,{DIGITS}"],
    "an unknown input to differentiate by": ["table", "--expr", "x*2", "--mode", "forward", "--wrt", LETTERS],
    "an unknown example": ["table", "--example", LETTERS],
    "an unknown lesson": ["--lesson", LETTERS],
    "an unknown function": ["table", "--expr", "y" * 19_000 + "(x)"],
    "a name where an operator goes": ["table", "--expr", "x " + "y" * 19_000],
    "a learning rate not a number": ["descent", "--lr", LETTERS],
    "a count not a whole number": ["descent", "--iters", LETTERS],
    "an unknown feature column": ["descent", "--x", LETTERS],
}


@pytest.mark.parametrize("argv", CASES.values(), ids=CASES.keys())
def test_a_huge_mistake_is_one_short_line(argv, capsys):
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    captured = capsys.readouterr()
    assert stopped.value.code == 2 and captured.out == ""
    assert captured.err.startswith("backprop-tui: error: ") and captured.err.count("\n") == 1
    assert len(captured.err) < 1_100, captured.err[:300]


def _refusal(make) -> str:  # noqa: ANN001 (a callable that must raise)
    with pytest.raises(Exception) as refused:  # noqa: PT011 (each case raises its own module's error)
        make()
    return str(refused.value)


CORE_CASES = {
    "a name given twice": lambda: build_problem(None, "x*2", f"{LETTERS}=1,{LETTERS}=2"),
    "a vector too long, by its name": lambda: build_problem(None, "x*2", f"{LETTERS}=[{','.join(['1'] * 1001)}]"),
    "an unknown starting parameter": lambda: parse_init(f"{LETTERS}=1", ("β0", "β1")),
    "a column not in the file": lambda: load_csv(bundled("heart"), [LETTERS], "AHD"),
    "a column chosen twice": lambda: load_csv(bundled("heart"), [LETTERS], LETTERS),
    "a malformed number in an expression": lambda: build_problem(None, "x*1" + "." * 19_000, "x=1"),
}
"""The same mistakes where the core raises them: the message is short before any command line cuts it."""


@pytest.mark.parametrize("make", CORE_CASES.values(), ids=CORE_CASES.keys())
def test_the_core_quotes_long_input_short(make):
    message = _refusal(make)
    assert len(message) < 400, message[:300]
