"""How far a cell may be from the exact value of its closed form: a first-order rounding bound per node.

A closed form is mathematics (`e^1e-10−1` is exactly 1.00000000005e-10); the cell beside it is what the
doubles computed (1.00000008e-10 after the cancellation). The closed-form layer shows a form only where
this bound says the two agree to TRUSTED_ERROR, so every printed form evaluates to its cell within 1e-9.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from fractions import Fraction

import numpy as np

from ..engine import formula as fm
from ..engine.graph import Const, Graph
from ..engine.numbers import Value
from ..engine.primitives import PRIMITIVES

PARTIAL_NUDGE = 1e-8


def _partial_error(prim, args: list, out: Value, arg_errors: list[float]) -> float:
    """How far a node's partials may be from their forms' exact values: each argument's error times the
    partials' sensitivity to it, measured by nudging that argument by PARTIAL_NUDGE (cos near 1e+308 moves
    completely; e^a by about as much as a does)."""
    with np.errstate(all="ignore"):
        base = [float(value) for value in prim.partials(args, out)]
        total = 0.0
        for position, error in enumerate(arg_errors):
            if not error:
                continue
            nudged = list(args)
            nudged[position] = np.float64(float(args[position]) * (1 + PARTIAL_NUDGE))
            moved = [float(value) for value in prim.partials(nudged, prim.evaluate(*nudged))]
            for before, after in zip(base, moved, strict=False):
                if before == 0 or not math.isfinite(before):
                    continue
                change = abs(after - before) / abs(before) / PARTIAL_NUDGE
                total += change * error if math.isfinite(change) else math.inf
    return total


ULP = 2.220446049250313e-16
OPERATION_ERROR = ULP
"""What one primitive's evaluation adds to a value's relative error (numpy's functions are within about an ulp)."""
TRUSTED_ERROR = 1e-10
"""A form is shown only where the cell is this close to the form's exact value: the 1e-9 promise, with room."""


def _text_error(value: float, text: str) -> float:
    """How far a number's printed text is from the double itself, relative: 0 for 3 or 0.5 (exact), up to
    half an ulp for 0.1 or 1e+308 (the shortest text that reads back as the double, not the double)."""
    if not math.isfinite(value) or Fraction(value) == Fraction(text.replace(fm.MINUS, "-").strip("()")):
        return 0.0
    return ULP / 2


def rounding_errors(graph: Graph, values: Mapping[str, Value]) -> dict[str, float]:
    """A first-order bound on each node's relative error against the exact value of its closed form's text.

    An input's or a constant's text may already be half an ulp off the double (`1e+308`); each operation
    adds its own rounding and carries its arguments' errors times its condition |∂f/∂a · a / f|. Where an
    operation cancels (e^x − 1 at x = 1e-10, condition 1e10) or amplifies (cos(1e+308)) the bound grows,
    and a closed form such as `e^1e-10−1` (exactly 1.00000000005e-10) is not shown beside a cell that
    rounding left at 1.00000008e-10."""
    with np.errstate(all="ignore"):  # once for the whole pass, not once per node
        return _rounding_errors(graph, values)


def _rounding_errors(graph: Graph, values: Mapping[str, Value]) -> dict[str, float]:
    errors: dict[str, float] = {}
    for node in graph.nodes:
        value = float(values[node.name])
        if node.is_input:
            literal = fm.number(value)
            errors[node.name] = _text_error(value, literal.text) if float(literal.text) == value else math.inf
            continue
        args = graph.arg_values(node, values)
        prim = PRIMITIVES[node.op]  # graph.prim without its second lookup of the node
        partials = prim.partials(args, values[node.name])
        carried = 0.0
        arg_errors = [_text_error(arg.value, fm.exact_number(arg.value).text) if isinstance(arg, Const)
                      else errors[arg] for arg in node.args]
        for error, arg_value, partial in zip(arg_errors, args, partials, strict=False):
            if error:
                carried += abs(float(partial) * float(arg_value)) * error
        # The partials' own error, under a key no node name can take (names are identifiers).
        if not prim.constant_partials and any(arg_errors):
            errors[f"∂{node.name}"] = _partial_error(prim, args, values[node.name], arg_errors)
        out = abs(value)
        if not carried:
            errors[node.name] = OPERATION_ERROR
        elif out == 0 or not math.isfinite(carried) or not math.isfinite(out):
            errors[node.name] = math.inf  # no relative error to speak of: no form is trusted past here
        else:
            errors[node.name] = OPERATION_ERROR + carried / out
    return errors


