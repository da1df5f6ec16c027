"""`backprop-tui predict`: every patient's p̂, predicted class, actual class and loss at β0, β1 you choose.

Parsing and output only; the numbers come from `core.lessons.classification` (the classification and
loss lessons show the same), the lines from `core.lessons.predict_report`. A mistake is one line on
stderr and exit code 2.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from backprop_tui.core.engine.literals import reads_as_number
from backprop_tui.core.lessons.classification import HandParams, predict
from backprop_tui.core.lessons.formulas import LOSS_FORMULA, logistic_formula
from backprop_tui.core.lessons.predict_report import PREDICT_FORMATS, predict_data, predict_lines
from backprop_tui.core.training.data import DataError

from .common import PROGRAM, OneLineParser, fail, glue_option_values, write
from .number_options import finite_number
from .output import is_json

NUMBER_OPTIONS = ("--beta0", "--beta1", "--threshold")
LINES_PER_WRITE = 1000


def predict_parser() -> OneLineParser:
    parser = OneLineParser(prog=f"{PROGRAM} predict", description=(
        "Print every patient's prediction at the parameters you give, in the data's own units: "
        f"p̂ = {logistic_formula('x')}, the predicted class, the actual class and the patient's loss "
        f"{LOSS_FORMULA}; the loss L is their mean. Default data: the Heart "
        "data, MaxHR → AHD (the maximum-likelihood fit is --beta0 6.32494975 --beta1 -0.04341112)."))
    parser.add_argument("--beta0", type=finite_number, required=True, metavar="B0", help="the intercept β0")
    parser.add_argument("--beta1", type=finite_number, required=True, metavar="B1", help="the slope β1, per unit of x")
    parser.add_argument("--data", metavar="CSV", help="your own CSV file (needs --x and --y)")
    parser.add_argument("--x", metavar="COL", help="the feature column (default MaxHR)")
    parser.add_argument("--y", metavar="COL", help="the target column: Yes/No, 1/0 or true/false (default AHD)")
    parser.add_argument("--threshold", type=finite_number, default=0.5, metavar="T",
                        help="predict class 1 when p̂ ≥ T, for T between 0 and 1 (default 0.5)")
    parser.add_argument("--format", choices=PREDICT_FORMATS, default="text", help="output format (default text)")
    return parser


def run_predict(argv: Sequence[str]) -> int:
    arguments = predict_parser().parse_args(glue_option_values(argv, NUMBER_OPTIONS, reads_as_number))
    if not 0 < arguments.threshold < 1:
        fail(f"--threshold must be between 0 and 1 (exclusive), got {arguments.threshold:g}")
    try:
        data = predict_data(arguments.data, arguments.x, arguments.y)
    except DataError as error:
        fail(str(error))
    seen = predict(data, HandParams(arguments.beta0, arguments.beta1), arguments.threshold)
    flush: Callable[[list[str]], None] = lambda lines: write("\n".join(lines), json_text=is_json(arguments.format))
    pending: list[str] = []
    for line in predict_lines(arguments.format, seen, data.name, data.dropped):
        pending.append(line)
        if len(pending) == LINES_PER_WRITE:
            flush(pending)
            pending.clear()
    if pending:
        flush(pending)
    return 0
