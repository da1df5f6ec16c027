"""`backprop-tui descent`: gradient descent without the TUI, printing the history.

Parsing and output only: the run is resolved and built by `core.descent_setup` (the descent
screen uses the same), so a mistake is the same one-line message and exit code 2 everywhere.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence

from backprop_tui.core.descent_export import FORMATS, export_lines
from backprop_tui.core.descent_setup import EXAMPLES, SetupError, build, resolve
from backprop_tui.core.models import MODELS
from backprop_tui.core.optimizers import KINDS

from .cli import PROGRAM, OneLineParser, fail, write

LINES_PER_WRITE = 1000
NUMBER_OPTIONS = ("--lr", "--momentum", "--start", "--iters", "--seed", "--batch-size")


def glue_negative_numbers(argv: Sequence[str]) -> list[str]:
    """`--lr -1e-3` → `--lr=-1e-3`, so argparse reads it as a value (and it is refused as such), not an option."""
    glued: list[str] = []
    arguments = list(argv)
    index = 0
    while index < len(arguments):
        argument = arguments[index]
        following = arguments[index + 1] if index + 1 < len(arguments) else ""
        if argument in NUMBER_OPTIONS and following.startswith("-") and _looks_numeric(following):
            glued.append(f"{argument}={following}")
            index += 2
            continue
        glued.append(argument)
        index += 1
    return glued


def _looks_numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _number(kind: type[int] | type[float]) -> Callable[[str], int | float]:
    """An argparse type whose refusal reads `argument --lr: must be a number, got 'abc'`."""

    def convert(text: str) -> int | float:
        try:
            return kind(text)
        except ValueError:
            noun = "a whole number" if kind is int else "a number"
            raise argparse.ArgumentTypeError(f"must be {noun}, got {text!r}") from None

    return convert


def descent_parser() -> OneLineParser:
    parser = OneLineParser(prog=f"{PROGRAM} descent", description=(
        "Run gradient descent headless and print every iteration. Examples: heart (AHD ~ MaxHR, "
        "the maximum-likelihood fit), altered (try --model mlp), minima (f(x) = cos(3πx)/x, try --start)."))
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--example", choices=tuple(EXAMPLES), help="a ready-made descent (default heart)")
    source.add_argument("--data", metavar="CSV", help="your own CSV file (needs --x and --y)")
    parser.add_argument("--x", metavar="COL[,COL]", help="feature column(s)")
    parser.add_argument("--y", metavar="COL", help="target column: Yes/No, 1/0 or true/false")
    parser.add_argument("--model", choices=MODELS, help="neuron (logistic regression, default) or mlp (1-2-1)")
    parser.add_argument("--optimizer", choices=KINDS, help="gd (full batch, default), minibatch or sgd")
    parser.add_argument("--batch-size", type=_number(int), metavar="N",
                        help="rows per mini-batch (default 32)")
    parser.add_argument("--lr", type=_number(float), metavar="F", help="learning rate η")
    parser.add_argument("--momentum", type=_number(float), metavar="F", help="momentum μ in [0, 1)")
    parser.add_argument("--iters", type=_number(int), metavar="N", help="maximum number of iterations")
    parser.add_argument("--seed", type=_number(int), metavar="S", help="seed for the shuffles (default 0)")
    parser.add_argument("--standardize", action=argparse.BooleanOptionalAction, default=None,
                        help="standardise the features (default on for the examples, off for --data)")
    parser.add_argument("--start", type=_number(float), metavar="X",
                        help="starting x for --example minima, in [0.1, 1] (default 0.9)")
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format (default text)")
    parser.add_argument("--tui", action="store_true",
                        help="open the descent screen with these options instead of printing the history")
    return parser


def run_descent(argv: Sequence[str]) -> int:
    arguments = descent_parser().parse_args(glue_negative_numbers(argv))
    try:
        config = resolve(arguments.example, arguments.data, arguments.x, arguments.y, arguments.model,
                         arguments.optimizer, arguments.batch_size, arguments.lr, arguments.momentum,
                         arguments.iters, arguments.seed, arguments.standardize, arguments.start)
        setup = build(config)
    except SetupError as error:
        fail(str(error))
    if arguments.tui:
        from .screens.descent_app import run_descent_app

        return run_descent_app(setup)
    run = setup.new_run()
    stopped = run.run(config.iters)
    pending: list[str] = []
    for line in export_lines(arguments.format, setup, run, stopped):
        pending.append(line)
        if len(pending) == LINES_PER_WRITE:
            write("\n".join(pending))
            pending.clear()
    if pending:
        write("\n".join(pending))
    return 0
