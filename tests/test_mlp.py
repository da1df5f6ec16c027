"""MLPs built neuron by neuron: structure, names, and gradients (forward = reverse = finite differences)."""

from __future__ import annotations

import numpy as np
import pytest

from backprop_tui.core.engine.autodiff import forward_tangents, reverse_adjoints
from backprop_tui.core.engine.graph import GraphError
from backprop_tui.core.engine.mlp import build_mlp, network_inputs


def test_a_1_2_1_network_has_one_affine_and_one_activation_node_per_neuron():
    network = build_mlp([1, 2, 1])
    graph = network.graph
    assert [graph.node(name).op for name in graph.operations] == [
        "affine", "sigmoid", "affine", "sigmoid", "affine", "sigmoid", "bce"]
    assert network.layers[0].activation == ("h1[1]", "h1[2]")
    assert network.parameters == ("b1[1]", "b1[2]", "W1[1,1]", "W1[2,1]", "b2[1]", "W2[1,1]", "W2[1,2]")
    # X fans out into both hidden neurons.
    assert graph.children["X"] == ("z1[1]", "z1[2]")


def test_bigger_networks_and_activations():
    network = build_mlp([1, 16, 16, 1], ["tanh", "relu"])
    assert len(network.parameters) == 16 + 16 + 16 * 16 + 16 + 16 + 1
    assert {network.graph.node(name).op for name in network.layers[1].activation} == {"relu"}
    assert len(network.graph.operations) == 2 * (16 + 16 + 1) + 1


@pytest.mark.parametrize(("sizes", "activations"), [([1], "sigmoid"), ([1, 2, 2], "sigmoid"),
                                                      ([1, 2, 1], ["sigmoid", "tanh"]), ([1, 2, 1], "softmax")])
def test_bad_shapes_are_clear_errors(sizes, activations):
    with pytest.raises(GraphError):
        build_mlp(sizes, activations)


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("activation", ["sigmoid", "tanh"])
def test_random_networks_forward_equals_reverse_equals_finite_differences(seed, activation):
    rng = np.random.default_rng(seed)
    sizes = [int(rng.integers(1, 3)), int(rng.integers(1, 4)), int(rng.integers(1, 3)), 1]
    network = build_mlp(sizes, activation)
    parameters = network.initial_parameters(seed)
    parameters = {name: value + float(rng.normal(0, 0.3)) for name, value in parameters.items()}
    features = {name: np.float64(rng.normal()) for name in network.features}
    inputs = network_inputs(network, parameters, features, np.float64(1.0))
    graph = network.graph
    values = graph.evaluate(inputs)
    adjoints, _ = reverse_adjoints(graph, values)
    for name in network.parameters[:6] + network.features:
        forward = forward_tangents(graph, values, name)[graph.output]
        h = 1e-6
        above = graph.evaluate({**inputs, name: inputs[name] + h})[graph.output]
        below = graph.evaluate({**inputs, name: inputs[name] - h})[graph.output]
        assert forward == pytest.approx(adjoints[name], rel=1e-9, abs=1e-12)
        assert forward == pytest.approx((above - below) / (2 * h), rel=1e-5, abs=1e-8)


def test_initialisation_is_reproducible():
    network = build_mlp([1, 2, 1])
    assert network.initial_parameters(3) == network.initial_parameters(3)
    assert network.initial_parameters(3) != network.initial_parameters(4)
