"""What gradient descent trains: a graph, which of its inputs are parameters and where they start.

The models are the stepper's own graphs (`neuron_graph()`, `mlp_graph()`, the minima expression),
so the screen can open the stepper on exactly the graph training differentiates. A model also
knows its first affine layer, which is what undoing the standardisation of the features changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from ..engine.graph import Graph, GraphBuilder
from ..stepping.examples import logistic_identities, mlp_graph, neuron_graph
from . import minima
from .data import Scaling

ModelName = Literal["neuron", "mlp", "minima"]
MODELS: tuple[ModelName, ...] = ("neuron", "mlp")
"""The models a data set can be fitted with (`minima` is its own example, without data)."""

MLP_START = {"W10": 1.0, "W11": 2.0, "W20": 1.0, "W21": -2.0, "W30": -3.0, "W31": 3.0, "W32": 3.0}
"""Hidden neuron 1 rises and neuron 2 falls across the standardised feature, so their sum is a bump
the output can learn to keep or invert: a start that does not tie the two hidden neurons together."""


class ModelError(ValueError):
    """A model that cannot be built for the chosen data (e.g. the MLP with two features)."""


@dataclass(frozen=True)
class AffineLayer:
    """`bias + Σ weight·feature`: the parameters that act directly on the features, by feature index."""

    bias: str
    weights: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Model:
    """A graph to descend on: `params` start at `start`; `features` and `target` name the data inputs."""

    name: ModelName
    title: str
    graph: Graph
    params: tuple[str, ...]
    start: tuple[float, ...]
    features: tuple[str, ...] = ()
    target: str | None = None
    probability: str | None = None
    layers: tuple[AffineLayer, ...] = field(default=())

    @property
    def data_inputs(self) -> tuple[str, ...]:
        return self.features + ((self.target,) if self.target else ())

    def raw_params(self, params: Sequence[float], scaling: Scaling | None) -> tuple[float, ...]:
        """The parameters for features in their file units, when training saw them standardised.

        With z = (x − m)/s, the affine part b + w·z equals (b − w_raw·m) + w_raw·x, w_raw = w/s. The
        weight is divided first: w·m/s in that order overflowed to an infinite intercept for a huge w
        (a diverged run's −2e307) whose file-unit intercept is a finite double.
        """
        if scaling is None:
            return tuple(float(value) for value in params)
        values = dict(zip(self.params, (float(value) for value in params), strict=True))
        for layer in self.layers:
            for weight, feature in layer.weights:
                mean, std = scaling.mean[feature], scaling.std[feature]
                values[weight] /= std
                values[layer.bias] -= values[weight] * mean
        return tuple(values[name] for name in self.params)

    def standardised_params(self, raw: Sequence[float], scaling: Scaling | None) -> tuple[float, ...]:
        """The inverse of `raw_params`: parameters given in file units, for training on standardised features.

        With z = (x − m)/s, b_raw + w_raw·x equals (b_raw + w_raw·m) + (w_raw·s)·z.
        """
        if scaling is None:
            return tuple(float(value) for value in raw)
        values = dict(zip(self.params, (float(value) for value in raw), strict=True))
        for layer in self.layers:
            for weight, feature in layer.weights:
                mean, std = scaling.mean[feature], scaling.std[feature]
                values[layer.bias] += values[weight] * mean
                values[weight] *= std
        return tuple(values[name] for name in self.params)


def logistic_graph(features: int) -> Graph:
    """One neuron over `features` inputs; with one feature it is the stepper's `neuron_graph()`.

    Slide 61's chain h → p = σ(h) → L = bce(p, y), with the identities that keep its numbers exact where p
    rounds to 0 or 1; training compiles it as L = bce_logit(h, y) (`Graph.fused`), the same numbers."""
    if features == 1:
        return neuron_graph()
    b = GraphBuilder()
    xs = [b.input(f"X{index}") for index in range(1, features + 1)]
    y = b.input("y")
    betas = [b.input(f"β{index}") for index in range(features + 1)]
    pairs = [arg for beta, x in zip(betas[1:], xs, strict=True) for arg in (beta, x)]
    h = b.op("affine", betas[0], *pairs, name="h")
    p = b.op("sigmoid", h, name="p")
    b.op("bce", p, y, name="L")
    return b.build("L", logistic_identities(h, p, y, "L"))


def neuron_model(features: int = 1) -> Model:
    if features < 1:
        raise ModelError("the neuron needs at least one feature")
    names = ("X",) if features == 1 else tuple(f"X{index}" for index in range(1, features + 1))
    params = tuple(f"β{index}" for index in range(features + 1))
    layer = AffineLayer("β0", tuple((f"β{index}", index - 1) for index in range(1, features + 1)))
    return Model("neuron", "one neuron (logistic regression)", logistic_graph(features), params,
                 (0.0,) * len(params), names, "y", "p", (layer,))


def mlp_model(features: int = 1) -> Model:
    if features != 1:
        raise ModelError(f"the mlp model takes exactly one feature, got {features}")
    params = tuple(MLP_START)
    layers = (AffineLayer("W10", (("W11", 0),)), AffineLayer("W20", (("W21", 0),)))
    return Model("mlp", "1-2-1 sigmoid network", mlp_graph(), params, tuple(MLP_START.values()),
                 ("X",), "y", "p", layers)


def minima_model(start: float) -> Model:
    return Model("minima", f"f(x) = {minima.DISPLAY}", minima.minima_graph(), (minima.PARAMETER,),
                 (minima.check_start(start),))


def model_for(name: str, features: int) -> Model:
    if name == "neuron":
        return neuron_model(features)
    if name == "mlp":
        return mlp_model(features)
    raise ModelError(f"unknown model {name!r}: choose one of {', '.join(MODELS)}")
