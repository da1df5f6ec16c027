"""`backprop-tui primitives`: slide 67's basic functions, each with its local partials and a Python pair."""

from __future__ import annotations

import json
from collections.abc import Sequence

from backprop_tui.core.engine.basic_functions import basic_functions, basic_functions_text

from .common import PROGRAM, OneLineParser, write

PRIMITIVE_FORMATS = ("text", "json")


def primitives_parser() -> OneLineParser:
    parser = OneLineParser(prog=f"{PROGRAM} primitives",
                           description="List the basic functions (slide 67): each primitive, its local "
                                       "partials and its Python pair.")
    parser.add_argument("--format", choices=PRIMITIVE_FORMATS, default="text", help="output format (default text)")
    return parser


def run_primitives(argv: Sequence[str]) -> int:
    arguments = primitives_parser().parse_args(list(argv))
    if arguments.format == "json":
        write(json.dumps([item.as_json() for item in basic_functions()], ensure_ascii=False, indent=2), json_text=True)
    else:
        write(basic_functions_text())
    return 0
