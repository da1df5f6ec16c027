"""The `backprop-tui` entry point: headless subcommands, or the stepper app.

Textual and the app's screens are imported only when the app is really launched, so
`backprop-tui table` stays a quick, pipe-friendly command.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

from .cli import app_parser, glue_option_values, problem_from


def run_table(argv: Sequence[str]) -> int:
    from .cli import run_table as table

    return table(argv)


def run_descent(argv: Sequence[str]) -> int:
    from .descent_cli import run_descent as descent

    return descent(argv)


def run_serve(argv: Sequence[str]) -> int:
    from .serve import run_serve as serve

    return serve(argv)


SUBCOMMANDS = {"table": run_table, "descent": run_descent, "serve": run_serve}
"""Each subcommand imports its own modules when it runs, so the app's start-up pays for none of them."""


def launch(argv: Sequence[str], **run_options: Any) -> int:
    """Parse the app's options and run the stepper; `run_options` go to `App.run` (headless, auto_pilot)."""
    problem = problem_from(app_parser().parse_args(glue_option_values(argv)))
    from .backprop_app import BackpropApp

    BackpropApp(problem).run(**run_options)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        if arguments and arguments[0] in SUBCOMMANDS:
            return SUBCOMMANDS[arguments[0]](arguments[1:])
        return launch(arguments)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
