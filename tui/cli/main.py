"""The `backprop-tui` entry point: headless subcommands, or the stepper app.

Textual and the app's screens are imported only when the app is really launched, so
`backprop-tui table` stays a quick, pipe-friendly command.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Sequence
from typing import Any

from .common import app_parser, flush_output, glue_option_values, problem_from

SUBCOMMANDS: dict[str, str] = {
    "table": ".common:run_table",
    "descent": ".descent:run_descent",
    "lessons": ".common:run_lessons",
    "primitives": ".primitives:run_primitives",
    "predict": ".predict:run_predict",
    "practice": ".practice:run_practice",
    "serve": "..serve.command:run_serve",
}
"""Each subcommand's `module:function`, relative to this package, imported only when it runs, so the app's start-up
pays for none of them."""


def run_subcommand(name: str, argv: Sequence[str]) -> int:
    module, function = SUBCOMMANDS[name].split(":")
    return getattr(importlib.import_module(module, __package__), function)(argv)


def launch(argv: Sequence[str], **run_options: Any) -> int:
    """Parse the app's options and run it; `run_options` go to `App.run` (headless, auto_pilot)."""
    arguments = app_parser().parse_args(glue_option_values(argv))
    problem = problem_from(arguments)
    from ..app import BackpropApp

    explicit = arguments.lesson is not None or arguments.example is not None or arguments.expr is not None
    # A browser tab of `backprop-tui serve` is one of many students sharing the server's state folder:
    # it neither takes nor leaves a place there (another student's place is not yours).
    in_browser = os.environ.get("TEXTUAL_DRIVER", "").endswith(":WebDriver")
    app = BackpropApp(problem, lesson=arguments.lesson, remember_place=not in_browser,
                      resume=not (arguments.fresh or explicit or in_browser))
    return run_app(app, **run_options)


def run_app(app: Any, **run_options: Any) -> int:
    """Run the app; a crash inside it exits non-zero (Textual has printed what went wrong)."""
    app.run(**run_options)
    return app.return_code or 0


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        if arguments and arguments[0] in SUBCOMMANDS:
            code = run_subcommand(arguments[0], arguments[1:])
            flush_output()
            return code
        return launch(arguments)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
