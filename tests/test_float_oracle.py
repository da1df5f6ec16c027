"""Issue 19's property: random expressions over the README's functions, at points from 5e-324 to 1e308,
never raise, and every finite cell (value, local partial, adjoint or tangent) agrees with mpmath at 50
digits to 1e-9 relative wherever the double result is well-conditioned.

The oracle below is written from the textbook derivatives with mpmath, independently of the engine's
numeric code; only the graph's shape (which node applies which function to which arguments) is shared.

Well-conditioned, for one cell: nudging any single rounded quantity of the computation (a node's value
or a local partial, by 1e-13 relative, far above the few ulps a double operation is off by) moves the
cell's true value by at most 1e-7 relative in all, so the doubles' own rounding cannot move it by 1e-9;
and no true intermediate value (a node's value, a local partial or a derivative on the way) lies outside
the normal doubles (an overflow or an underflow on the way is no error of the engine). Cells whose truth
is undefined (log of a negative) are not compared.
"""

from __future__ import annotations

import json
import math

import mpmath as mp
import numpy as np
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from support.closed_text import evaluate
from support.nulls import unexplained_nulls

from backprop_tui.core.engine.graph import Const, Graph
from backprop_tui.core.engine.parser import ParseError, graph_from_expression
from backprop_tui.core.stepping.export import export_table
from backprop_tui.core.stepping.problem import ProblemError, build_problem
from backprop_tui.core.stepping.table import table_json

mp.mp.dps = 50
NUDGE = mp.mpf("1e-13")
CONDITIONED = 1e-7
TOLERANCE = 1e-9
SMALLEST, LARGEST = 2.2250738585072014e-308, 1.7976931348623157e308

UNARY = ("exp", "log", "sin", "cos", "tanh", "sigmoid", "relu", "sqrt", "square", "reciprocal", "one_minus")
POWERS = ("2", "3", "0.5", "(1/3)", "-1", "-2", "1.5")
EXTREMES = (0.0, 5e-324, 1e-320, 1e-310, 1e-300, 1e-200, 1e-160, 1e-20, 1e-8, 0.5, 1.0, 1.7, 3.0, 20.0, 30.0,
            40.0, 50.0, 100.0, 700.0, 710.0, 745.0, 1e20, 1e154, 1e155, 1e200, 1e300, 1e308)


def _sigmoid(a: mp.mpf) -> mp.mpf:
    return 1 / (1 + mp.exp(-a))


def _defined(function):
    def guarded(*args):
        try:
            result = function(*args)
        except (ZeroDivisionError, ValueError):
            return None
        if isinstance(result, tuple):
            return None if any(isinstance(item, mp.mpc) for item in result) else result
        return None if isinstance(result, mp.mpc) else result
    return guarded


def _pow_value(a, k):
    if (a < 0 and k != int(k)) or (a == 0 and k < 0):
        raise ValueError
    return mp.power(a, k)


VALUES = {name: _defined(function) for name, function in {
    "add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b, "div": lambda a, b: a / b,
    "neg": lambda a: -a, "negmul": lambda a, b: -(a * b), "pow": _pow_value, "exp": mp.exp,
    "log": lambda a: mp.log(a) if a > 0 else mp.mpc(0, 1), "reciprocal": lambda a: 1 / a,
    "one_minus": lambda a: 1 - a, "sin": mp.sin, "cos": mp.cos, "tanh": mp.tanh, "sigmoid": _sigmoid,
    "relu": lambda a: max(a, mp.mpf(0)), "sqrt": lambda a: mp.sqrt(a) if a >= 0 else mp.mpc(0, 1),
    "square": lambda a: a * a,
}.items()}
PARTIALS = {name: _defined(function) for name, function in {
    "add": lambda a, b: (1, 1), "sub": lambda a, b: (1, -1), "mul": lambda a, b: (b, a),
    "div": lambda a, b: (1 / b, -a / b ** 2), "neg": lambda a: (-1,), "negmul": lambda a, b: (-b, -a),
    "pow": lambda a, k: (0 if k == 0 else k * _pow_value(a, k - 1), 0), "exp": lambda a: (mp.exp(a),),
    "log": lambda a: (1 / a,), "reciprocal": lambda a: (-1 / a ** 2,), "one_minus": lambda a: (-1,),
    "sin": lambda a: (mp.cos(a),), "cos": lambda a: (-mp.sin(a),), "tanh": lambda a: (mp.sech(a) ** 2,),
    "sigmoid": lambda a: (_sigmoid(a) * _sigmoid(-a),), "relu": lambda a: (1 if a > 0 else 0,),
    "sqrt": lambda a: (1 / (2 * mp.sqrt(a)),), "square": lambda a: (2 * a,),
}.items()}


class PastTheDoubles(Exception):
    """A true intermediate value outside the normal doubles: the cells are not comparable, and mpmath need not
    go on (sin(e^(1e308)) would take it ages)."""


def oracle(graph: Graph, inputs: dict[str, float], mode: str, wrt: str,
           nudged: tuple | None = None) -> dict[tuple, mp.mpf | None]:
    """Every cell's true value (None where undefined); `nudged` scales one value or one partial by 1 + NUDGE."""
    values: dict[str, mp.mpf | None] = {}
    partials: dict[str, dict[str, mp.mpf | None]] = {}
    cells: dict[tuple, mp.mpf | None] = {}
    for node in graph.nodes:
        if node.is_input:
            values[node.name] = mp.mpf(inputs[node.name])
            continue
        args = [mp.mpf(arg.value) if isinstance(arg, Const) else values[arg] for arg in node.args]
        value = VALUES[node.op](*args) if None not in args else None
        if value is not None and not in_range(value):
            raise PastTheDoubles(node.name)
        if value is not None and nudged == ("value", node.name):
            value *= 1 + NUDGE
        pieces = PARTIALS[node.op](*args) if None not in args else None
        combined: dict[str, mp.mpf | None] = {}
        for position, arg in enumerate(node.args):
            if isinstance(arg, str):
                piece = None if pieces is None else mp.mpf(pieces[position])
                cells[("piece", node.name, arg, position)] = piece
                previous = combined.get(arg, mp.mpf(0))
                combined[arg] = None if piece is None or previous is None else previous + piece
        for parent in combined:
            if combined[parent] is not None and nudged == ("partial", node.name, parent):
                combined[parent] *= 1 + NUDGE
            cells[("partial", node.name, parent)] = combined[parent]
        values[node.name], partials[node.name] = value, combined
        cells[("value", node.name)] = value
    derivative: dict[str, mp.mpf | None] = {}
    if mode == "reverse":
        derivative = {node.name: mp.mpf(0) for node in graph.nodes}
        derivative[graph.output] = mp.mpf(1)
        for node in reversed(graph.nodes):
            for parent, partial in partials.get(node.name, {}).items():
                ahead, held = derivative[node.name], derivative[parent]
                derivative[parent] = None if None in (ahead, partial, held) else held + ahead * partial
    else:
        for node in graph.nodes:
            if node.is_input:
                derivative[node.name] = mp.mpf(1 if node.name == wrt else 0)
                continue
            total: mp.mpf | None = mp.mpf(0)
            for parent, partial in partials[node.name].items():
                tangent = derivative[parent]
                total = None if None in (total, partial, tangent) else total + partial * tangent
            derivative[node.name] = total
    cells.update({("derivative", name): value for name, value in derivative.items()})
    return cells


def in_range(value: mp.mpf) -> bool:
    return value == 0 or SMALLEST <= abs(value) <= LARGEST


def check_against_oracle(graph: Graph, inputs: dict[str, float], mode: str, wrt: str, stepper) -> list[str]:
    """The cells that disagree with mpmath where they should not; [] when every comparable cell agrees."""
    try:
        truth = oracle(graph, inputs, mode, wrt)
    except PastTheDoubles:
        return []  # an intermediate overflow or underflow: the doubles cannot hold the true computation
    if any(value is None for value in truth.values()):
        return []  # undefined somewhere (log of a negative): nothing to compare against
    nudges = [("value", name) for name in graph.operations]
    nudges += [key for key in truth if key[0] == "partial"]
    try:
        moved = [oracle(graph, inputs, mode, wrt, nudge) for nudge in nudges]
    except PastTheDoubles:
        return []  # a nudge crosses the edge of the doubles: ill-conditioned here
    final = stepper.final()
    shown: dict[tuple, float | None] = {}
    for row in final.rows:
        shown[("value", row.name)] = None if row.is_input else row.value
        shown.update({("partial", row.name, parent): value for parent, value in row.partial_values})
        shown[("derivative", row.name)] = row.accumulated
    wrong = []
    pieces_in_range = all(in_range(value) for name, value in truth.items() if name[0] in ("partial", "piece"))
    # A derivative past the doubles on the way (dL/dξ1 = −5e359 in reverse mode, between a finite dL/dξ2 and a
    # finite dL/dx): every double chain holds inf there, so the cells after it are not comparable either.
    derivatives_in_range = all(in_range(value) for name, value in truth.items()
                               if name[0] == "derivative" and value is not None)
    for key, exact in truth.items():
        cell = shown.get(key)
        if cell is None or not in_range(exact):
            continue
        if key[0] == "derivative" and not (pieces_in_range and derivatives_in_range):
            continue  # a local partial or a derivative past the doubles on the way (1/y at y = 5e-324)
        if key[0] == "partial" and not all(in_range(value) for name, value in truth.items()
                                           if name[0] == "piece" and name[1:3] == key[1:3]):
            continue  # a sum of two partials, one of them past the doubles (y/y at 5e-324: inf − inf)
        spread = sum(abs(other[key] - exact) for other in moved if other[key] is not None)
        if any(other[key] is None for other in moved) or spread > CONDITIONED * abs(exact):
            continue  # ill-conditioned: a rounding on the way may move the cell by more than the tolerance
        cell = float(cell)
        if not math.isfinite(cell) or abs(mp.mpf(cell) - exact) > TOLERANCE * abs(exact):
            wrong.append(f"{key}: {cell!r} vs {mp.nstr(exact, 17)}")
    return wrong


def closed_forms_off_their_cells(stepper) -> list[str]:
    """Every closed form the table prints, read as mathematics, must name its cell's number to 1e-9."""
    wrong = []
    for row in stepper.final().rows:
        pairs = [(row.value_closed, row.value), (row.accumulated_closed, row.accumulated)]
        values = dict(row.partial_values)
        pairs += [(text, values.get(parent)) for parent, text in row.partial_closed]
        for text, cell in pairs:
            if not text or cell is None or np.ndim(cell):
                continue
            exact = evaluate(text)
            if not math.isfinite(float(cell)) or abs(mp.mpf(float(cell)) - exact) > TOLERANCE * abs(exact):
                wrong.append(f"{row.name}: {text} = {mp.nstr(exact, 17)}, cell {float(cell)!r}")
    return wrong


def expressions() -> st.SearchStrategy[str]:
    leaves = st.sampled_from(["x", "x", "y", "2", "0.5", "3"])

    def extend(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        unary = st.tuples(st.sampled_from(UNARY), children).map(lambda pair: f"{pair[0]}({pair[1]})")
        binary = st.tuples(children, st.sampled_from("+-*/"), children).map(lambda t: f"({t[0]}){t[1]}({t[2]})")
        power = st.tuples(children, st.sampled_from(POWERS)).map(lambda pair: f"({pair[0]})**{pair[1]}")
        return st.one_of(unary, binary, power)

    # Half of the draws are one or two functions of x, so each function's tails are met often at the extreme
    # points; the others are deeper random trees.
    single = st.sampled_from(UNARY).map(lambda name: f"{name}(x)")
    nested = st.tuples(st.sampled_from(UNARY), st.sampled_from(UNARY)).map(lambda pair: f"{pair[0]}({pair[1]}(x))")
    return st.one_of(single, nested, st.recursive(leaves, extend, max_leaves=6))


points = st.one_of(st.sampled_from(EXTREMES).flatmap(lambda value: st.sampled_from([value, -value])),
                   st.floats(min_value=-1e308, max_value=1e308, allow_nan=False, allow_infinity=False),
                   st.floats(min_value=-60, max_value=60, allow_nan=False))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example("sigmoid(x)", 40.0, 0.0, "reverse")
@example("sigmoid(x)", -30.0, 0.0, "forward")
@example("tanh(x)", 20.0, 0.0, "forward")
@example("tanh(x)", -50.0, 0.0, "reverse")
@example("log(x)*x", 5e-324, 0.0, "reverse")
@example("1/x", 1e-310, 0.0, "reverse")
@example("x/y", 1.0, 1e-200, "reverse")
@example("reciprocal(square(x))", 1e-160, 0.0, "forward")
@example("(x)**(1/3)", 1.7, 0.0, "reverse")
@example("sigmoid(exp(x))", 3.0, 0.0, "reverse")
@example("exp(x)-1", 1e-10, 0.0, "reverse")
@example("log(1+x)", 1e-10, 0.0, "forward")
@example("((x)/((x)**0.5))**0.5", 5e-324, 0.0, "forward")  # t/b overflowed inside the quotient rule
@example("((x)/(x))/((2)**0.5)", 1e-20, 0.0, "reverse")  # the quotient rule's pieces cancel exactly
@example("(((x)**1.5)**0.5)**-1", 1e-160, 0.0, "reverse")  # dL/dξ1 = −5e359: no double chain holds it
@given(expressions(), points, points, st.sampled_from(["reverse", "forward"]))
def test_random_expressions_never_raise_and_agree_with_mpmath(expression: str, x: float, y: float,
                                                              mode: str) -> None:
    try:
        graph = graph_from_expression(expression)
    except ParseError:
        return  # refused with a message (0 to a negative power, say): the CLI exits 2, no traceback
    inputs = {name: value for name, value in (("x", x), ("y", y)) if name in graph.inputs}
    if not inputs:
        return
    wrt = graph.inputs[0]
    at = ",".join(f"{name}={value!r}" for name, value in inputs.items())
    try:
        problem = build_problem(expression=expression, at=at, mode=mode, wrt=wrt if mode == "forward" else None)
    except ProblemError:
        return
    stepper = problem.stepper()
    export_table(stepper, problem.source, "text")
    document = table_json(stepper, problem.source)
    json.dumps(document, allow_nan=False)
    assert unexplained_nulls(document) == [], expression
    wrong = check_against_oracle(problem.graph, inputs, mode, wrt, stepper)
    assert wrong == [], f"{expression} at {at} ({mode}): {wrong}"
    assert closed_forms_off_their_cells(stepper) == [], f"{expression} at {at} ({mode})"
