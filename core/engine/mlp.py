"""Multi-layer perceptrons built neuron by neuron from the same primitives as every other graph.

Each neuron is an affine node (`b + Σ w·x`) followed by an activation node, so the stepper walks a
network exactly as it walks the lecture's chain, and a fan-out (X feeding every hidden neuron) is
summed in the backward pass like any other.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .graph import Graph, GraphBuilder, GraphError
from .logistic_chain import logistic_identities

ACTIVATIONS = ("sigmoid", "tanh", "relu")


@dataclass(frozen=True)
class Layer:
    """The node names of one layer: affine outputs `z`, activations `h`, and the parameters feeding them."""

    index: int
    affine: tuple[str, ...]
    activation: tuple[str, ...]
    weights: tuple[str, ...]
    biases: tuple[str, ...]


@dataclass(frozen=True)
class Network:
    """A network's graph with its structure, so views can collapse it to layers and training knows its parameters."""

    graph: Graph
    sizes: tuple[int, ...]
    activations: tuple[str, ...]
    features: tuple[str, ...]
    layers: tuple[Layer, ...]

    @property
    def parameters(self) -> tuple[str, ...]:
        return tuple(name for layer in self.layers for name in (*layer.biases, *layer.weights))

    def initial_parameters(self, seed: int = 0) -> dict[str, float]:
        """Weights drawn from N(0, 1/fan_in) with a seeded generator; biases start at zero."""
        rng = np.random.default_rng(seed)
        values: dict[str, float] = {}
        for layer in self.layers:
            fan_in = self.sizes[layer.index - 1]
            for name in layer.biases:
                values[name] = 0.0
            for name in layer.weights:
                values[name] = float(rng.normal(0.0, 1.0 / np.sqrt(fan_in)))
        return values


def weight_name(layer: int, neuron: int, source: int) -> str:
    return f"W{layer}[{neuron},{source}]"


def bias_name(layer: int, neuron: int) -> str:
    return f"b{layer}[{neuron}]"


def build_mlp(sizes: Sequence[int], activations: Sequence[str] | str = "sigmoid",
              features: Sequence[str] | None = None) -> Network:
    """A network with layer `sizes` (inputs, hidden…, 1 output), sigmoid output and cross-entropy loss.

    `activations` gives one activation per hidden layer (or one for all). Weights are named per
    layer as `W1[j,i]` (neuron j of layer 1, from input i) with biases `b1[j]`; the output is `p = σ(q)`
    and the loss `L = bce(p, y)`, slide 61's chain, exact where p rounds to 0 or 1 (`logistic_identities`).
    """
    sizes = tuple(int(size) for size in sizes)
    if len(sizes) < 2 or any(size < 1 for size in sizes):
        raise GraphError("an MLP needs at least an input and an output layer, each with one unit or more")
    if sizes[-1] != 1:
        raise GraphError("the output layer has one unit (the probability of class 1)")
    hidden = len(sizes) - 2
    if isinstance(activations, str):
        activations = (activations,) * hidden
    activations = tuple(activations)
    if len(activations) != hidden:
        raise GraphError(f"{hidden} hidden layers need {hidden} activations, got {len(activations)}")
    unknown = [name for name in activations if name not in ACTIVATIONS]
    if unknown:
        raise GraphError(f"unknown activation {unknown[0]!r}: choose one of {', '.join(ACTIVATIONS)}")
    features = tuple(features) if features else (("X",) if sizes[0] == 1 else
                                                 tuple(f"X{i}" for i in range(1, sizes[0] + 1)))
    if len(features) != sizes[0]:
        raise GraphError(f"{sizes[0]} inputs need {sizes[0]} feature names")

    builder = GraphBuilder()
    previous = [builder.input(name) for name in features]
    target = builder.input("y")
    layers: list[Layer] = []
    for layer_index in range(1, len(sizes)):
        is_output = layer_index == len(sizes) - 1
        biases = [builder.input(bias_name(layer_index, j)) for j in range(1, sizes[layer_index] + 1)]
        weights = [[builder.input(weight_name(layer_index, j, i)) for i in range(1, len(previous) + 1)]
                   for j in range(1, sizes[layer_index] + 1)]
        affine_names, activation_names = [], []
        for j in range(sizes[layer_index]):
            args: list[str] = [biases[j]]
            for weight, source in zip(weights[j], previous, strict=True):
                args.extend((weight, source))
            z_name = "q" if is_output else f"z{layer_index}[{j + 1}]"
            h_name = "p" if is_output else f"h{layer_index}[{j + 1}]"
            affine_names.append(builder.op("affine", *args, name=z_name))
            function = "sigmoid" if is_output else activations[layer_index - 1]
            activation_names.append(builder.op(function, affine_names[-1], name=h_name))
        layers.append(Layer(layer_index, tuple(affine_names), tuple(activation_names),
                            tuple(name for row in weights for name in row), tuple(biases)))
        previous = activation_names
    output_logit, output = layers[-1].affine[0], layers[-1].activation[0]
    builder.op("bce", output, target, name="L")
    graph = builder.build("L", logistic_identities(output_logit, output, target, "L"))
    return Network(graph, sizes, activations, features, tuple(layers))


def network_inputs(network: Network, parameters: Mapping[str, float], features: Mapping[str, object],
                   target: object) -> dict[str, object]:
    """The graph's inputs from parameter values, feature values (scalars or batches) and the target."""
    missing = [name for name in network.parameters if name not in parameters]
    if missing:
        raise GraphError(f"no value for parameter {missing[0]}")
    return {**{name: parameters[name] for name in network.parameters},
            **{name: features[name] for name in network.features}, "y": target}
