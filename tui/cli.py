"""Command-line parsing for `backprop-tui`, `backprop-tui table` and `backprop-tui descent`.

Parsing imports no Textual, so headless commands start fast and pipe cleanly. Every mistake is
one line on stderr and exit code 2; never a traceback.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from backprop_tui.core.stepping.examples import GRAPH_EXAMPLES
from backprop_tui.core.stepping.export import TABLE_FORMATS, export_table
from backprop_tui.core.stepping.problem import Problem, ProblemError, build_problem

PROGRAM = "backprop-tui"
USAGE_ERROR = 2


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage mistake is a single clear line and exit code 2."""

    def error(self, message: str) -> NoReturn:
        fail(f"{message} (see {self.prog} --help)")


def fail(message: str) -> NoReturn:
    print(f"{PROGRAM}: error: {message}", file=sys.stderr)
    raise SystemExit(USAGE_ERROR)


def add_graph_options(parser: argparse.ArgumentParser) -> None:
    """The options that choose a graph; the same names for the TUI and `table`."""
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--example", metavar="NAME", help=f"a lecture graph: {', '.join(GRAPH_EXAMPLES)}")
    source.add_argument("--expr", metavar="EXPR", help="your own graph, e.g. '-y*log(1/(1+exp(-W*X)))'")
    parser.add_argument("--at", metavar="NAME=VALUE,...", help="input values, e.g. X=3,y=1,W=3")
    parser.add_argument("--wrt", metavar="NAME", help="the input to differentiate with respect to (forward mode)")
    parser.add_argument("--mode", choices=("forward", "reverse"), default="reverse",
                        help="forward mode (tangents) or reverse mode (adjoints); default reverse")


def app_parser() -> OneLineParser:
    parser = OneLineParser(prog=PROGRAM, description=(
        "Step through the forward and backward pass of a computational graph. Subcommands: "
        "`table` prints the completed table; `descent` runs gradient descent headless."))
    add_graph_options(parser)
    return parser


def table_parser() -> OneLineParser:
    parser = OneLineParser(prog=f"{PROGRAM} table", description="Print the lecture's completed table.")
    add_graph_options(parser)
    parser.add_argument("--format", choices=TABLE_FORMATS, default="text", help="output format (default text)")
    parser.add_argument("--list-examples", action="store_true", help="list the examples and exit")
    return parser


VALUE_OPTIONS = ("--expr", "--at", "--start")


def glue_option_values(argv: Sequence[str], options: Sequence[str] = VALUE_OPTIONS,
                       accepts: Callable[[str], bool] = lambda value: True) -> list[str]:
    """`--expr -y*log(p)` → `--expr=-y*log(p)`: argparse would take a value starting with `-` for an option.

    Only `options` are glued, and only to a following value that `accepts` takes.
    """
    glued: list[str] = []
    arguments = list(argv)
    index = 0
    while index < len(arguments):
        argument = arguments[index]
        following = arguments[index + 1] if index + 1 < len(arguments) else ""
        if argument in options and following.startswith("-") and accepts(following):
            glued.append(f"{argument}={following}")
            index += 2
            continue
        glued.append(argument)
        index += 1
    return glued


def problem_from(arguments: argparse.Namespace) -> Problem:
    try:
        return build_problem(arguments.example, arguments.expr, arguments.at, arguments.wrt, arguments.mode)
    except ProblemError as error:
        fail(str(error))


def write(text: str) -> None:
    """Print to stdout; a reader that closes the pipe early (`| head -1`) ends the program quietly."""
    try:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise SystemExit(0) from None


def list_examples() -> str:
    width = max(len(name) for name in GRAPH_EXAMPLES)
    return "\n".join(f"{name.ljust(width)}  {item.title} ({item.slides})" for name, item in GRAPH_EXAMPLES.items())


def run_table(argv: Sequence[str]) -> int:
    arguments = table_parser().parse_args(glue_option_values(argv))
    if arguments.list_examples:
        write(list_examples())
        return 0
    # One table, printed, then exit: what is built (rows, formulas, the JSON document) holds no
    # reference cycles that would outlive the process, so the cycle collector has nothing to free;
    # left on, it re-walks every row built so far, a sixth of `table`'s time on 10,000 nodes.
    gc.disable()
    problem = problem_from(arguments)
    write(export_table(problem.stepper(), problem.source, arguments.format))
    return 0
