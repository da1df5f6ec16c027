"""Closed forms the lecture's way (`e^-9`, `1+e^-9`, `-3e^-9`) beside the decimals.

A node's closed form is its primitive rendered over its arguments' closed forms, with integers
folded (`−WᵀX` at W=3, X=3 is just `-9`). Only short forms are kept: a closed form is shown to help
the student recognise the lecture's entries, not to replace the decimals.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import lru_cache

import numpy as np

from ..engine import formula as fm
from ..engine.formula import Formula
from ..engine.graph import Const, Graph
from ..engine.numbers import Value

MAX_CLOSED_FORM_CHARS = 22


def _exact_number(value: Value) -> Formula | None:
    """A number formula when the value prints exactly (3, -9, 0.5); None for arrays and long decimals."""
    if np.ndim(value) != 0:
        return None
    scalar = float(value)
    if not np.isfinite(scalar):
        return None
    literal = fm.number(scalar)
    return literal if float(literal.text) == scalar else None


def _integer(value: Value) -> Formula | None:
    if not isinstance(value, float) and np.ndim(value) != 0:
        return None
    scalar = float(value)
    if math.isfinite(scalar) and scalar.is_integer() and abs(scalar) < 1e6:
        return _integer_formula(scalar)
    return None


@lru_cache(maxsize=4096)
def _integer_formula(scalar: float) -> Formula:
    """Formulas are immutable, so one per integer serves every node (a big graph asks for `1` thousands of times)."""
    return fm.number(scalar)


def _keep(formula: Formula | None) -> Formula | None:
    if formula is None or formula.truncated or len(formula.text) > MAX_CLOSED_FORM_CHARS:
        return None
    return formula


def value_closed_forms(graph: Graph, values: Mapping[str, Value]) -> dict[str, Formula | None]:
    """Closed form of every node's value in terms of the numbers given for the inputs."""
    forms: dict[str, Formula | None] = {}
    for node in graph.nodes:
        if node.is_input:
            forms[node.name] = _exact_number(values[node.name])
            continue
        folded = _integer(values[node.name]) or _exact_number(values[node.name])
        if folded is not None:
            forms[node.name] = folded
            continue
        args = [fm.number(arg.value) if isinstance(arg, Const) else forms[arg] for arg in node.args]
        if any(arg is None for arg in args):
            forms[node.name] = None
            continue
        forms[node.name] = _keep(graph.prim(node.name).render(args))
    return forms


def partial_closed_forms(graph: Graph, name: str, forms: Mapping[str, Formula | None],
                         partial_values: Mapping[str, Value]) -> dict[str, Formula | None]:
    """Closed forms of a node's local partials (`∂ξ2/∂ξ1 = e^ξ1` becomes `e^-9`)."""
    node = graph.node(name)
    result: dict[str, Formula | None] = {}
    args = [fm.number(arg.value) if isinstance(arg, Const) else forms[arg] for arg in node.args]
    texts = graph.prim(name).partial_texts(args, forms[name] or fm.atom(name)) if None not in args else None
    for position, arg in enumerate(node.args):
        if not isinstance(arg, str):
            continue
        folded = _integer(partial_values[arg])
        if folded is not None:
            result[arg] = folded
        elif texts is None or arg in result or node.args.count(arg) > 1:
            result[arg] = None
        else:
            result[arg] = _keep(texts[position])
    return result


def chain_product(factor: Formula | None, accumulated: Formula | None, value: Value) -> Formula | None:
    """Closed form of one chain-rule term, kept only when it stays readable (one factor a number)."""
    folded = _integer(value)
    if folded is not None:
        return folded
    if factor is None or accumulated is None:
        return None
    if fm.is_number(accumulated):
        return _keep(fm.times(accumulated, factor))
    if fm.is_number(factor):
        return _keep(fm.times(factor, accumulated))
    return None
