"""`backprop-tui descent`: gradient descent without the TUI, printing the history as it goes.

Parsing and output only: the run is resolved and built by `core.descent_setup` (the descent
screen uses the same), so a mistake is the same one-line message and exit code 2 everywhere.
Each iteration is printed as it is computed (in batches of lines, flushed at least every
`FLUSH_SECONDS`), and the run keeps a bounded history, so `--iters 1000000000000` prints from the
start and runs in fixed memory. Ctrl+C ends the run after the current iteration: what was printed
stays, the output is completed (the JSON document closed, the verdict "interrupted") and the exit
code is 130.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager

from backprop_tui.core.engine.literals import reads_as_number
from backprop_tui.core.training.data import LoadProgress
from backprop_tui.core.training.models import MODELS
from backprop_tui.core.training.optimizers import KINDS, seed_problem
from backprop_tui.core.training.report import REPORT_FORMATS, Outcome, Row, record_row, report_lines
from backprop_tui.core.training.run import DescentRun
from backprop_tui.core.training.setup import DESCENT_EXAMPLES, DescentOptions, SetupError, build, resolve

from .common import PROGRAM, OneLineParser, fail, glue_option_values, write
from .number_options import finite_number, whole_number
from .output import is_json

LINES_PER_WRITE = 1000
FLUSH_SECONDS = 0.25
"""Lines waiting longer than this are written even if fewer than `LINES_PER_WRITE` (slow steps on big data)."""
INTERRUPTED = 130
"""The exit code after Ctrl+C, as a shell reports a process ended by SIGINT (128 + 2)."""
TWO_NEURONS = "two-neurons"
"""The guided example of slides 54-59: its own recipe, so only --seed, --format and --tui apply."""
NUMBER_OPTIONS = ("--lr", "--momentum", "--start", "--iters", "--seed", "--batch-size")


def glue_negative_numbers(argv: Sequence[str]) -> list[str]:
    """`--lr -1e-3` → `--lr=-1e-3`, so argparse reads it as a value (and it is refused as such), not an option."""
    return glue_option_values(argv, NUMBER_OPTIONS, reads_as_number)


def descent_parser() -> OneLineParser:
    parser = OneLineParser(prog=f"{PROGRAM} descent", description=(
        "Run gradient descent headless and print every iteration. Examples: heart (AHD ~ MaxHR, "
        "the maximum-likelihood fit), altered (try --model mlp), minima (f(x) = cos(3πx)/x, try --start), "
        "two-neurons (slides 54-59: one neuron cannot fit the altered data, two hidden neurons can)."))
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--example", choices=(*DESCENT_EXAMPLES, TWO_NEURONS),
                        help="a ready-made descent (default heart); two-neurons is the guided example")
    source.add_argument("--data", metavar="CSV", help="your own CSV file (needs --x and --y)")
    parser.add_argument("--x", metavar="COL[,COL]", help="feature column(s)")
    parser.add_argument("--y", metavar="COL", help="target column: Yes/No, 1/0 or true/false")
    parser.add_argument("--model", choices=MODELS, help="neuron (logistic regression, default) or mlp (1-2-1)")
    parser.add_argument("--optimizer", choices=KINDS, help="gd (full batch, default), minibatch or sgd")
    parser.add_argument("--batch-size", type=whole_number, metavar="N",
                        help="rows per mini-batch (default 32)")
    parser.add_argument("--lr", type=finite_number, metavar="F", help="learning rate η")
    parser.add_argument("--momentum", type=finite_number, metavar="F", help="momentum μ in [0, 1)")
    parser.add_argument("--iters", type=whole_number, metavar="N", help="maximum number of iterations")
    parser.add_argument("--seed", type=whole_number, metavar="S", help="seed for the shuffles (default 0)")
    parser.add_argument("--standardize", action=argparse.BooleanOptionalAction, default=None,
                        help="standardise the features (default on for the examples, off for --data)")
    parser.add_argument("--start", type=finite_number, metavar="X",
                        help="starting x for --example minima, in [0.1, 1] (default 0.9)")
    parser.add_argument("--init", metavar="NAME=VALUE,...",
                        help="starting parameters in the data's own units, e.g. β0=6,β1=-0.04 (or b0=…,b1=…); "
                             "standardised internally when --standardize is on")
    parser.add_argument("--format", choices=REPORT_FORMATS, default="text",
                        help="output format (default text); jsonl is one JSON object per iteration, then the verdict")
    parser.add_argument("--tui", action="store_true",
                        help="open the descent screen with these options instead of printing the history")
    return parser


def terminal_progress(name: str | None) -> Callable[[LoadProgress], None] | None:
    """A progress line on stderr while a file loads, when stderr is a terminal (never in pipes or logs)."""
    if not sys.stderr.isatty():
        return None
    label = os.path.basename(str(name)) if name else "data"

    def show(progress: LoadProgress) -> None:
        share = f"{progress.fraction:4.0%} · " if progress.fraction is not None else ""
        sys.stderr.write(f"\rloading {label}: {share}{progress.rows:,} rows")
        sys.stderr.flush()

    return show


def clear_progress() -> None:
    if sys.stderr.isatty():
        sys.stderr.write("\r\x1b[2K")
        sys.stderr.flush()


def run_descent(argv: Sequence[str]) -> int:
    arguments = descent_parser().parse_args(glue_negative_numbers(argv))
    if arguments.example == TWO_NEURONS:
        return run_two_neurons(arguments)
    try:
        config = resolve(DescentOptions.from_arguments(arguments))
        setup = build(config, progress=terminal_progress(config.data))
    except SetupError as error:
        fail(str(error))
    finally:
        clear_progress()
    if arguments.tui:
        from ..app import BackpropApp
        from .main import run_app

        lesson = "minima" if setup.config.example == "minima" else "descent"
        return run_app(BackpropApp(lesson=lesson, descent_setup=setup))
    run = setup.new_run()
    run.history.keep_recent()
    with _stop_on_interrupt() as received:
        def outcome() -> Outcome:
            return _CUT_SHORT[received()] if received() else (run.stopped or "iterations")

        _write_streaming(report_lines(arguments.format, setup, run, _iterate(run, config.iters, received), outcome),
                         json_text=is_json(arguments.format))
    return 128 + received() if received() else 0


def _iterate(run: DescentRun, iterations: int, interrupted: Callable[[], bool]) -> Iterator[Row]:
    """Step the run, yielding each iteration as it is computed, until it stops, `iterations` are done or
    the user interrupts (checked between iterations, so the run is never left half-stepped)."""
    for _ in range(iterations):
        if interrupted():
            return
        yield record_row(run.step())
        if run.stopped is not None:
            return


def _write_streaming(lines: Iterable[str], json_text: bool) -> None:
    """Write `lines` in batches: every `LINES_PER_WRITE` lines, or sooner once `FLUSH_SECONDS` have passed."""
    pending: list[str] = []
    written = time.monotonic()
    for line in lines:
        pending.append(line)
        if len(pending) >= LINES_PER_WRITE or time.monotonic() - written >= FLUSH_SECONDS:
            write("\n".join(pending), json_text=json_text)
            pending.clear()
            written = time.monotonic()
    if pending:
        write("\n".join(pending), json_text=json_text)


_CUT_SHORT: dict[int, Outcome] = {signal.SIGINT: "interrupted", signal.SIGTERM: "terminated",
                                   signal.SIGHUP: "terminated"}
"""The signals that end a run cleanly, and what the output says stopped it; the exit code is 128 + the signal."""


@contextmanager
def _stop_on_interrupt() -> Iterator[Callable[[], int]]:
    """While active, Ctrl+C (SIGINT), SIGTERM and SIGHUP only record the signal (0 until one comes), read between
    iterations; the handlers before are restored after. Dying in the middle of a step could leave the last
    line half-written (invalid JSON for `timeout 5 … --format json`); the flag lets the loop finish the
    iteration and end the output properly. Outside the main thread (where handlers cannot be set) the
    signals keep their usual effect."""
    received = 0

    def handle(signum: int, frame: object) -> None:
        nonlocal received
        received = received or signum

    previous: dict[int, object] = {}
    try:
        for signum in _CUT_SHORT:
            previous[signum] = signal.signal(signum, handle)
    except ValueError:
        yield lambda: 0
        return
    try:
        yield lambda: received
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)  # type: ignore[arg-type]


def run_two_neurons(arguments: argparse.Namespace) -> int:
    """Both parts of the guided example with their fixed recipe: a summary, the JSON, or the screen."""
    from backprop_tui.core.lessons import two_neurons, two_neurons_summary

    given = {"--x": arguments.x, "--y": arguments.y, "--model": arguments.model, "--optimizer": arguments.optimizer,
             "--batch-size": arguments.batch_size, "--lr": arguments.lr, "--momentum": arguments.momentum,
             "--iters": arguments.iters, "--standardize": arguments.standardize, "--start": arguments.start,
             "--init": arguments.init}
    extra = [option for option, value in given.items() if value is not None]
    if extra:
        fail(f"the two-neurons example has its own recipe: {extra[0]} does not apply "
             "(only --seed, --format and --tui do)")
    if arguments.format in ("csv", "jsonl") and not arguments.tui:
        fail("the two-neurons example prints a summary: use --format text or json")
    seed = two_neurons.SEED if arguments.seed is None else arguments.seed
    problem = seed_problem(seed)
    if problem is not None:
        fail(f"--seed {problem}")
    if arguments.tui:
        from ..app import BackpropApp
        from .main import run_app

        return run_app(BackpropApp(lesson="two-neurons", two_neurons_seed=seed))
    one, two = two_neurons.train(two_neurons.ONE_NEURON, seed), two_neurons.train(two_neurons.TWO_NEURONS, seed)
    if arguments.format == "json":
        write(json.dumps(two_neurons_summary.summary_document(one, two), ensure_ascii=False, allow_nan=False, indent=2),
              json_text=True)
    else:
        write("\n".join(two_neurons_summary.summary_lines(one, two)))
    return 0
