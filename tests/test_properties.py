"""Forward mode = reverse mode = finite differences on random expressions, scalar and batched."""

from __future__ import annotations

import re

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop_tui.core.engine.autodiff import forward_tangents, reverse_adjoints
from backprop_tui.core.engine.graph import Const
from backprop_tui.core.engine.parser import graph_from_expression
from backprop_tui.core.engine.primitives import jvp_rule

NAMES = ("a", "b", "c")
VARIABLE = re.compile(r"\b[abc]\b")
SAFE_UNARY = ("sin({})", "cos({})", "tanh({})", "sigmoid({})", "square({})", "log(1+square({}))",
              "sqrt(2+sin({}))", "1/(2+cos({}))", "exp(tanh({}))", "({})**3", "-({})", "1-({})")


def expressions() -> st.SearchStrategy[str]:
    leaves = st.one_of(st.sampled_from(NAMES), st.sampled_from(["0.5", "2", "1.25"]))

    def extend(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        unary = st.tuples(st.sampled_from(SAFE_UNARY), children).map(lambda pair: pair[0].format(pair[1]))
        binary = st.tuples(children, st.sampled_from(["+", "-", "*"]), children).map(
            lambda triple: f"({triple[0]}){triple[1]}({triple[2]})")
        return st.one_of(unary, binary)

    def usable(text: str) -> bool:
        return text not in NAMES and bool(VARIABLE.search(text))

    return st.recursive(leaves, extend, max_leaves=12).filter(usable)


def finite_difference(graph, values, name):
    h = 1e-6
    above = graph.evaluate({**values, name: values[name] + h})[graph.output]
    below = graph.evaluate({**values, name: values[name] - h})[graph.output]
    return (above - below) / (2 * h)


@settings(max_examples=150, deadline=None)
@given(expressions(), st.lists(st.floats(-1.5, 1.5), min_size=3, max_size=3))
def test_modes_agree_with_each_other_and_finite_differences(source, numbers):
    graph = graph_from_expression(source)
    values = {name: np.float64(number) for name, number in zip(NAMES, numbers, strict=True) if name in graph.inputs}
    evaluated = graph.evaluate(values)
    adjoints, _ = reverse_adjoints(graph, evaluated)
    for name in graph.inputs:
        forward = forward_tangents(graph, evaluated, name)[graph.output]
        reverse = adjoints.get(name, 0.0)
        assert np.isclose(forward, reverse, rtol=1e-9, atol=1e-9), (source, name)
        assert np.isclose(forward, finite_difference(graph, values, name), rtol=1e-4, atol=1e-5), (source, name)


@settings(max_examples=60, deadline=None)
@given(expressions(), st.lists(st.floats(-1.5, 1.5), min_size=4, max_size=4))
def test_batched_modes_agree_per_row(source, numbers):
    graph = graph_from_expression(source)
    batch = np.array(numbers)
    values = {name: batch * (index + 1) / 3 for index, name in enumerate(NAMES) if name in graph.inputs}
    evaluated = graph.evaluate(values)
    adjoints, _ = reverse_adjoints(graph, evaluated, np.ones_like(batch))
    for name in graph.inputs:
        forward = np.broadcast_to(per_row_tangents(graph, evaluated, name), batch.shape)
        np.testing.assert_allclose(forward, np.broadcast_to(adjoints.get(name, 0.0), batch.shape),
                                   rtol=1e-9, atol=1e-9)
        np.testing.assert_allclose(forward, np.broadcast_to(finite_difference(graph, values, name), batch.shape),
                                   rtol=1e-4, atol=1e-5)


def per_row_tangents(graph, evaluated, name):
    """Forward mode seeded with ones on every row: each row's output differentiated by its own input."""
    tangents = {}
    for node in graph.nodes:
        if node.is_input:
            tangents[node.name] = np.ones_like(evaluated[node.name]) if node.name == name else 0.0
            continue
        args = graph.arg_values(node, evaluated)
        arg_tangents = [0.0 if isinstance(arg, Const) else tangents[arg] for arg in node.args]
        tangents[node.name] = jvp_rule(node.op)(args, evaluated[node.name], arg_tangents)
    return tangents[graph.output]
