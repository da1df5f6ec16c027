"""Slide 67 for the graph on screen: each of its nodes as a basic function beside its derivative, and as Python.

Slide 67 lists the lecture graph's own six functions (ξ0 = X, ξ1 = −WᵀX, …, L = −yξ5), each with
its local derivative and a pair of Python functions "my grandparent can do". This builds the same
list for whatever graph the stepper shows: the definition and the local partials are the graph's
own formulas (`Graph.definitions`, `Graph.local_partial_formulas`, as in the table), and the Python
pair is the primitive's pair from `core.engine.basic_functions` with its argument names replaced by
the node's parents, so `ξ2 = e^ξ1` reads `def ξ2(ξ1): return np.exp(ξ1)`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..engine.basic_functions import PYTHON_PAIRS, PythonPair, python_text
from ..engine.graph import Graph
from ..engine.primitives import primitive


@dataclass(frozen=True)
class NodeFunction:
    """One node of the graph as slide 67 writes it."""

    node: str
    op: str
    description: str
    definition: str
    """`ξ2 = e^ξ1`."""
    partials: tuple[str, ...]
    """`∂ξ2/∂ξ1 = e^ξ1`, one per distinct parent."""
    python: str | None
    """`def ξ2(ξ1): return np.exp(ξ1)` and its derivative; None when the primitive's pair does not fit
    the node (a sum of another number of terms than the pair shows)."""


def _renamed(expression: str, names: dict[str, str]) -> str:
    """`expression` with each whole-word argument name replaced at once (`a * b` → `W * X`)."""
    if not names:
        return expression
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(names, key=len, reverse=True))) + r")\b")
    return pattern.sub(lambda match: names[match.group(1)], expression)


def _affine_pair(count: int) -> PythonPair:
    """affine's pair for `count` arguments (b, w1, x1, w2, x2, …): the table shows it with two terms only."""
    terms = (count - 1) // 2
    args = ("b", *(name for index in range(1, terms + 1) for name in (f"w{index}", f"x{index}")))
    value = " + ".join(["b", *(f"w{index} * x{index}" for index in range(1, terms + 1))])
    partials = ("1.0", *(name for index in range(1, terms + 1) for name in (f"x{index}", f"w{index}")))
    return PythonPair(args, value, partials)


def _python(graph: Graph, name: str) -> str | None:
    node = graph.node(name)
    pair = PYTHON_PAIRS.get(node.op or "")
    if node.op == "affine" and len(node.args) % 2 == 1:
        pair = _affine_pair(len(node.args))
    if pair is None or len(pair.args) != len(node.args):
        return None
    names = {arg: str(given) if isinstance(given, str) else repr(float(given.value))
             for arg, given in zip(pair.args, node.args, strict=True)}
    parents = list(dict.fromkeys(arg for arg in node.args if isinstance(arg, str)))
    renamed = PythonPair(tuple(parents), _renamed(pair.value, names),
                         tuple(_renamed(partial, names) for partial, arg in zip(pair.partials, node.args, strict=True)
                               if isinstance(arg, str)))
    return python_text(name, renamed)


def own_functions(graph: Graph) -> list[NodeFunction]:
    """Every operation of `graph`, in the order it is computed, as slide 67 lists the lecture's."""
    functions = []
    for name in graph.operations:
        node = graph.node(name)
        partials = tuple(f"∂{name}/∂{parent} = {text}" for parent, text in graph.local_partial_formulas(name).items())
        functions.append(NodeFunction(name, node.op or "", primitive(node.op).description,
                                      f"{name} = {graph.definitions[name]}", partials, _python(graph, name)))
    return functions
