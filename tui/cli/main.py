"""The `backprop-tui` entry point: headless subcommands, or the stepper app.

Textual and the app's screens are imported only when the app is really launched, so
`backprop-tui table` stays a quick, pipe-friendly command.
"""

from __future__ import annotations

import gc
import importlib
import os
import sys
from collections.abc import Sequence
from typing import Any

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


def launch(argv: Sequence[str], *, collector_paused: bool = False, **run_options: Any) -> int:
    """Parse the app's options and run it; `run_options` go to `App.run` (headless, auto_pilot).

    `collector_paused`: the caller has paused Python's cycle collector for start-up (`main`); the app
    resumes it once its first frame is drawn."""
    from .common import app_parser, glue_option_values, problem_from

    arguments = app_parser().parse_args(glue_option_values(argv))
    problem = problem_from(arguments)
    from ..app import BackpropApp

    explicit = arguments.lesson is not None or arguments.example is not None or arguments.expr is not None
    # A browser tab of `backprop-tui serve` is one of many students sharing the server's state folder:
    # it neither takes nor leaves a place or practice progress there (another student's are not yours).
    in_browser = os.environ.get("TEXTUAL_DRIVER", "").endswith(":WebDriver")
    app = BackpropApp(problem, lesson=arguments.lesson, remember_place=not in_browser,
                      resume=not (arguments.fresh or explicit or in_browser), keep_progress=not in_browser)
    app.collector_paused = collector_paused
    return run_app(app, **run_options)


def run_app(app: Any, **run_options: Any) -> int:
    """Run the app; a crash inside it exits non-zero (Textual has printed what went wrong)."""
    if not run_options.get("headless"):
        from .output import fail
        from .terminal import prepare_terminal

        problem = prepare_terminal()
        if problem is not None:
            fail(problem)
    app.run(**run_options)
    return app.return_code or 0


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if argv is None:
        from .process_end import own_process

        own_process()
    try:
        if arguments and arguments[0] in SUBCOMMANDS:
            from .common import flush_output

            code = run_subcommand(arguments[0], arguments[1:])
            flush_output()
            return code
        return launch_collector_paused(arguments)
    except KeyboardInterrupt:
        return 130


def launch_collector_paused(arguments: Sequence[str], **run_options: Any) -> int:
    """`launch`, with Python's cycle collector off until the first frame is drawn.

    Start-up imports some 500 modules and builds the first screen's widgets: the collector ran over a
    hundred times before the first frame, about 35 ms of a start-up of ~500 ms, to free almost nothing
    (start-up makes little cyclic garbage). The app turns it back on after its first frame (`on_ready`),
    and whatever way the app ends, it is on again when this returns."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        return launch(arguments, collector_paused=collecting, **run_options)
    finally:
        if collecting:
            gc.enable()


if __name__ == "__main__":
    sys.exit(main())
