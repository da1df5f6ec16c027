"""Command-line parsing for `backprop-tui`, `backprop-tui table` and `backprop-tui descent`.

Parsing imports no Textual, so headless commands start fast and pipe cleanly. Every mistake is
one line on stderr and exit code 2; never a traceback.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
from collections.abc import Callable, Sequence
from typing import IO, NoReturn

from backprop_tui.core.stepping.examples import GRAPH_EXAMPLES
from backprop_tui.core.stepping.problem import Problem, ProblemError, build_problem

from .output import OUTPUT_ERROR, PROGRAM, USAGE_ERROR, fail, flush_output, is_json, write
from .process_end import end_process_now

__all__ = ["OUTPUT_ERROR", "PROGRAM", "USAGE_ERROR", "fail", "flush_output", "write"]

class OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage mistake is a single clear line and exit code 2."""

    def error(self, message: str) -> NoReturn:
        fail(f"{message} (see {self.prog} --help)")

    def _print_message(self, message: str, file: IO[str] | None = None) -> None:
        """`--help` goes through `write`: argparse itself would swallow a failed write and exit 0."""
        if not message:
            return
        if file is None or file is sys.stdout:
            write(message, end="")
        else:
            super()._print_message(message, file)


def add_graph_options(parser: argparse.ArgumentParser) -> None:
    """The options that choose a graph; the same names for the TUI and `table`."""
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--example", metavar="NAME", help=f"a lecture graph: {', '.join(GRAPH_EXAMPLES)}")
    source.add_argument("--expr", metavar="EXPR", help="your own graph, e.g. '-y*log(1/(1+exp(-W*X)))'")
    parser.add_argument("--at", metavar="NAME=VALUE,...", help="input values, e.g. X=3,y=1,W=3")
    parser.add_argument("--wrt", metavar="NAME", help="the input to differentiate with respect to (forward mode)")
    parser.add_argument("--mode", choices=("forward", "reverse"), default="reverse",
                        help="forward mode (tangents) or reverse mode (adjoints); default reverse")


SUBCOMMAND_HELP: tuple[tuple[str, str], ...] = (
    ("table", "print the lecture's completed table (text, csv, json)"),
    ("descent", "run gradient descent headless (or --tui to watch it)"),
    ("predict", "print every patient's prediction and loss at the β0, β1 you give"),
    ("practice", "compute each cell of a table yourself before it is revealed"),
    ("lessons", "list the lessons of the map, in the lecture's order"),
    ("primitives", "list the basic functions (slide 67): local partials and Python pairs"),
    ("serve", "serve the app to browsers, one app per tab (a classroom)"),
)
"""Every subcommand with one line on what it does, for `backprop-tui --help` (a test checks none is missing)."""


def app_version() -> str:
    """The installed package's version (`backprop-tui --version`)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(PROGRAM)
    except PackageNotFoundError:
        return "unknown (not installed)"


class VersionAction(argparse.Action):
    """`--version`: the installed version, looked up only when asked (importlib.metadata costs start-up ~30 ms)."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS,
                 default: str = argparse.SUPPRESS, help: str = "show program's version number and exit") -> None:
        super().__init__(option_strings=option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: object,
                 option_string: str | None = None) -> NoReturn:
        parser._print_message(f"{PROGRAM} {app_version()}\n", sys.stdout)
        parser.exit()


def app_parser() -> OneLineParser:
    from backprop_tui.core.lessons.catalog import LESSON_IDS  # not `table`'s: its start-up compiles less

    commands = "\n".join(f"  {name:<11} {text}" for name, text in SUBCOMMAND_HELP)
    parser = OneLineParser(prog=PROGRAM, formatter_class=argparse.RawDescriptionHelpFormatter, description=(
        "Step through the forward and backward pass of a computational graph, and the whole lecture around it:\n"
        "the lecture is a path of lessons, from `classification` (slides 4-13) to `practice`; l opens the\n"
        "lesson map, --lesson ID opens one.\n\n"
        f"subcommands ({PROGRAM} SUBCOMMAND --help for each):\n{commands}"))
    parser.add_argument("--version", action=VersionAction)
    add_graph_options(parser)
    parser.add_argument("--lesson", metavar="ID", choices=LESSON_IDS,
                        help=f"open on a lesson of the map: {', '.join(LESSON_IDS)}")
    parser.add_argument("--fresh", action="store_true",
                        help="start at the beginning instead of where you left off last time")
    return parser


def table_parser() -> OneLineParser:
    from backprop_tui.core.stepping.export import TABLE_FORMATS  # not the app's: its start-up skips csv and json

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
    # It is put back as it was afterwards: a caller in the same process (a test, a notebook) keeps its collector.
    collecting = gc.isenabled()
    gc.disable()
    try:
        from backprop_tui.core.stepping.export import export_table

        problem = problem_from(arguments)
        write(export_table(problem.stepper(), problem.source, arguments.format), json_text=is_json(arguments.format))
        end_process_now(0)  # the table is out: the process ends without freeing the graph and rows one by one
    finally:
        if collecting:
            gc.enable()
    return 0


def lessons_parser() -> OneLineParser:
    parser = OneLineParser(prog=f"{PROGRAM} lessons", description=(
        "List the lessons of the map in the lecture's order; open one with backprop-tui --lesson ID."))
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default text)")
    return parser


def run_lessons(argv: Sequence[str]) -> int:
    from backprop_tui.core.lessons.catalog import lessons_document, lessons_text

    arguments = lessons_parser().parse_args(list(argv))
    if arguments.format == "json":
        write(json.dumps(lessons_document(), ensure_ascii=False, indent=2), json_text=True)
    else:
        write(lessons_text())
    return 0
