"""Starting parameters given by the student in the data's own units (`descent --init β0=6,β1=-0.04`).

The classification lesson hands its hand-set β0, β1 (MaxHR units) to descent the same way. When the
features are standardised for training, the values are mapped to the standardised features with
`Model.standardised_params`, so the run starts at exactly the curve the student chose.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

from ..engine.literals import LARGEST_DOUBLE
from ..engine.numbers import format_scalar
from ..engine.quoting import quoted
from ..stepping.problem import ProblemError, parse_assignments
from .data import Scaling
from .models import Model

ALIAS = re.compile(r"^(?:beta|b)(\d+)$", re.IGNORECASE)
"""`beta0` and `b0` mean β0, for shells where β is awkward to type."""


class InitError(ValueError):
    """An --init the student can fix; the message names the parameter."""


def parse_init(text: str, params: tuple[str, ...]) -> dict[str, float]:
    """`β0=6.3,β1=-0.04` (or `b0=…`, `beta1=…`) as {parameter: value}, every name one of `params`."""
    try:
        given = parse_assignments(text)
    except ProblemError as error:
        raise InitError(str(error)) from None
    if not given:
        raise InitError("expected NAME=VALUE,… with at least one parameter")
    values: dict[str, float] = {}
    for name, value in given.items():
        alias = ALIAS.match(name)
        chosen = f"β{alias.group(1)}" if alias and f"β{alias.group(1)}" in params else name
        if chosen not in params:
            raise InitError(f"unknown parameter {quoted(name)}: the model's parameters are {', '.join(params)}")
        values[chosen] = value
    return values


def start_from_raw(model: Model, scaling: Scaling | None, given: Mapping[str, float]) -> tuple[float, ...]:
    """The training start for `given` raw-unit values; parameters not given keep the model's start."""
    raw = dict(zip(model.params, model.raw_params(model.start, scaling), strict=True))
    raw.update(given)
    start = model.standardised_params([raw[name] for name in model.params], scaling)
    beyond = [name for name, value in zip(model.params, start, strict=True) if not math.isfinite(value)]
    if beyond:  # β1 = 1e307 per MaxHR is 2.3e308 per standard deviation: a start no double holds
        raise InitError(f"standardised for training, {' and '.join(beyond)} would pass the largest double "
                        f"({LARGEST_DOUBLE}): give smaller values")
    return start


def start_note(model: Model, scaling: Scaling | None, features: tuple[str, ...],
               given: Mapping[str, float], start: tuple[float, ...]) -> str:
    """One line saying where the run starts, and in which units: the output's promise to the student."""
    raw = ", ".join(f"{name} = {format_scalar(value)}" for name, value in given.items())
    units = f"in {', '.join(features)} units" if features else "as given"
    if scaling is None:
        return f"starting from {raw} ({units})"
    scaled = ", ".join(f"{name} = {format_scalar(value)}" for name, value in zip(model.params, start, strict=True))
    return f"starting from {raw} ({units}); standardised for training: {scaled}"
