"""Graphs the tests and the benchmark share: the 1-16-16-1 MLP the big-graph tests step and the benchmark times."""

from __future__ import annotations

from backprop_tui.core.engine.graph import GraphBuilder
from backprop_tui.core.stepping.problem import Problem
from backprop_tui.core.stepping.table import TableSource


def build_mlp_problem(hidden: tuple[int, int] = (16, 16)) -> Problem:
    """A 1-16-16-1 sigmoid MLP: first-layer weights are inputs, the others constants (about 100 nodes)."""
    b = GraphBuilder()
    x, y = b.input("X"), b.input("y")
    first = []
    for i in range(hidden[0]):
        bias, weight = b.input(f"b{i}"), b.input(f"w{i}")
        first.append(b.op("sigmoid", b.op("affine", bias, weight, x, name=f"z{i}"), name=f"h{i}"))
    second = []
    for j in range(hidden[1]):
        terms: list[str | float] = [0.1 * (j % 3)]
        for i, h in enumerate(first):
            terms += [0.05 * ((i + j) % 5 - 2), h]
        second.append(b.op("sigmoid", b.op("affine", *terms, name=f"u{j}"), name=f"g{j}"))
    out: list[str | float] = [0.2]
    for j, g in enumerate(second):
        out += [0.1 * (j % 4 - 1.5), g]
    p = b.op("sigmoid", b.op("affine", *out, name="q"), name="p")
    b.op("bce", p, y, name="L")
    graph = b.build("L")
    inputs = {"X": 0.5, "y": 1.0}
    for i in range(hidden[0]):
        inputs[f"b{i}"], inputs[f"w{i}"] = 0.1 * (i % 3 - 1), 0.3 * (i % 5 - 2)
    return Problem(TableSource("expr", "1-16-16-1 MLP"), graph, inputs, "w0", "reverse")
