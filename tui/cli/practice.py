"""`backprop-tui practice`: open the exercise list, or print (`--status`) or forget (`--reset`) progress.

`--status` and `--reset` import no Textual: a teacher can collect `--status --format json` in a script.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any

from .common import PROGRAM, OneLineParser, fail, write
from .number_options import whole_number
from .output import is_json


def practice_parser() -> OneLineParser:
    parser = OneLineParser(prog=f"{PROGRAM} practice", description=(
        "Compute each cell of the lecture's table before the app reveals it: a list of exercises in order "
        "of difficulty, a hint after a wrong answer, a score per exercise, progress kept between runs."))
    parser.add_argument("--seed", type=whole_number, metavar="N",
                        help="the seed of the generated exercises (the same seed gives the whole class the same graph)")
    actions = parser.add_mutually_exclusive_group()
    actions.add_argument("--status", action="store_true", help="print your progress and exit")
    actions.add_argument("--reset", action="store_true", help="forget your progress and exit")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="--status output format")
    return parser


def run_practice(argv: Sequence[str], **run_options: Any) -> int:
    arguments = practice_parser().parse_args(list(argv))
    if arguments.seed is not None and arguments.seed < 0:
        fail(f"--seed must be a whole number of at least 0, got {arguments.seed}")
    if arguments.format != "text" and not arguments.status:
        fail("--format is for --status")
    from backprop_tui.core.lessons.progress_store import ProgressStore

    store = ProgressStore()
    if arguments.reset:
        if not store.reset():
            fail(store.problem or "cannot forget the progress")
        write(f"practice progress forgotten ({store.path})")
        return 0
    if arguments.status:
        if store.problem:
            print(f"{PROGRAM}: warning: {store.problem}", file=sys.stderr)
        as_json = is_json(arguments.format)
        write(json.dumps(store.status_document(), ensure_ascii=False, indent=2) if as_json else store.status_text(),
              json_text=as_json)
        return 0
    from ..app import BackpropApp
    from .main import run_app

    return run_app(BackpropApp(lesson="practice", practice_seed=arguments.seed), **run_options)
