"""The compiled training path must give exactly what the engine's reverse pass gives."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop_tui.core.engine.autodiff import reverse_adjoints
from backprop_tui.core.engine.compiled import CompiledGraph
from backprop_tui.core.engine.graph import Graph, GraphError
from backprop_tui.core.engine.parser import graph_from_expression
from backprop_tui.core.stepping.examples import (
    GRAPH_EXAMPLES,
    lecture_full_graph,
    lecture_graph,
    mlp_graph,
    neuron_graph,
)
from backprop_tui.core.training.minima import minima_graph

MLP_PARAMS = ("W10", "W11", "W20", "W21", "W30", "W31", "W32")


def batch(rows: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.normal(size=rows), (rng.random(rows) < 0.4).astype(float)


def assert_same_as_engine(graph: Graph, wrt: tuple[str, ...], data: tuple[str, ...], inputs: dict,
                          seed: object) -> None:
    values = graph.evaluate(inputs)
    adjoints, _ = reverse_adjoints(graph, values, seed)
    output, grads = CompiledGraph(graph, wrt, data).value_and_grad(inputs, seed)
    np.testing.assert_array_equal(output, values[graph.output])
    for name, grad in zip(wrt, grads, strict=True):
        expected = adjoints.get(name, 0.0)
        assert np.shape(grad) == np.shape(expected), name
        np.testing.assert_array_equal(grad, expected, err_msg=name)


class TestEqualsReverseAdjoints:
    def test_neuron_over_a_batch(self) -> None:
        x, y = batch(303)
        assert_same_as_engine(neuron_graph(), ("β0", "β1"), ("X", "y"),
                              {"X": x, "y": y, "β0": 0.3, "β1": -1.2}, np.full(303, 1 / 303))

    def test_mlp_over_a_batch(self) -> None:
        x, y = batch(50, seed=1)
        inputs = {**GRAPH_EXAMPLES["mlp"].defaults, "X": x, "y": y}
        assert_same_as_engine(mlp_graph(), MLP_PARAMS, ("X", "y"), inputs, np.full(50, 1 / 50))

    def test_a_batch_of_one_row(self) -> None:
        x, y = batch(1, seed=2)
        assert_same_as_engine(neuron_graph(), ("β0", "β1"), ("X", "y"), {"X": x, "y": y, "β0": 0.1, "β1": 2.0},
                              np.ones(1))

    @pytest.mark.parametrize("build", [lecture_graph, lecture_full_graph])
    def test_the_lecture_graphs_with_scalars(self, build) -> None:
        assert_same_as_engine(build(), ("W",), (), {"X": 3.0, "y": 1.0, "W": 3.0}, 1.0)

    def test_the_minima_function(self) -> None:
        for x in (0.1, 0.3, 0.65, 0.9):
            assert_same_as_engine(minima_graph(), ("x",), (), {"x": x}, 1.0)

    def test_a_parameter_used_twice_and_scalar_nodes_between_parameters(self) -> None:
        graph = graph_from_expression("w*w*X + exp(w*b) - y*log(1+exp(-w*X))")
        x, y = batch(20, seed=3)
        assert_same_as_engine(graph, ("w", "b"), ("X", "y"), {"X": x, "y": y, "w": 0.7, "b": 0.2},
                              np.full(20, 0.05))

    def test_gradient_with_respect_to_data_inputs_too(self) -> None:
        x, y = batch(10, seed=4)
        assert_same_as_engine(neuron_graph(), ("β1", "X", "y"), ("X", "y"),
                              {"X": x, "y": y, "β0": 0.5, "β1": -0.5}, np.full(10, 0.1))

    @settings(max_examples=40, deadline=None)
    @given(params=st.lists(st.floats(-4, 4), min_size=7, max_size=7), rows=st.integers(1, 40),
           seed=st.integers(0, 1000))
    def test_mlp_at_random_parameters(self, params: list[float], rows: int, seed: int) -> None:
        x, y = batch(rows, seed)
        inputs = {**dict(zip(MLP_PARAMS, params, strict=True)), "X": x, "y": y}
        assert_same_as_engine(mlp_graph(), MLP_PARAMS, ("X", "y"), inputs, np.full(rows, 1 / rows))


class TestPlan:
    def test_evaluate_gives_every_node_value_by_slot(self) -> None:
        graph = neuron_graph()
        x, y = batch(5)
        inputs = {"X": x, "y": y, "β0": 0.2, "β1": 0.4}
        compiled = CompiledGraph(graph, ("β0", "β1"), ("X", "y"))
        values = compiled.evaluate(inputs)
        for name, expected in graph.evaluate(inputs).items():
            np.testing.assert_array_equal(values[compiled.slot(name)], expected)

    def test_a_parameter_the_output_does_not_use_gets_zero(self) -> None:
        graph = graph_from_expression("w*X + 0*v")
        compiled = CompiledGraph(graph, ("w",), ("X",))
        assert compiled.value_and_grad({"w": 1.0, "X": 2.0, "v": 3.0})[1] == (2.0,)
        unused = graph_from_expression("w*X")
        assert CompiledGraph(unused, ("w",), ()).value_and_grad({"w": 1.0, "X": 2.0})[1] == (2.0,)

    def test_unknown_names_are_refused(self) -> None:
        with pytest.raises(GraphError, match="'Q' is not an input"):
            CompiledGraph(neuron_graph(), ("Q",))
        compiled = CompiledGraph(neuron_graph(), ("β0",), ("X", "y"))
        with pytest.raises(GraphError, match="no node named 'nope'"):
            compiled.slot("nope")
        with pytest.raises(GraphError, match="no value given for y"):
            compiled.evaluate({"X": 1.0, "β0": 0.0, "β1": 0.0})

    def test_nan_and_overflow_pass_through_silently(self) -> None:
        compiled = CompiledGraph(neuron_graph(), ("β0", "β1"), ("X", "y"))
        with np.errstate(all="raise"):
            loss, grads = compiled.value_and_grad({"X": np.array([1e308, 1.0]), "y": np.array([1.0, 0.0]),
                                                   "β0": 0.0, "β1": 10.0}, np.full(2, 0.5))
        # Row 0's logit overflows to +inf with y = 1: its loss is the limit 0 (issue 19), not inf − inf = NaN.
        assert loss[0] == 0.0 and np.isfinite(loss[1])
