"""The guided example of slides 54-59 ("Pavlos game #232"): one neuron fails, two hidden neurons succeed.

On the altered heart data disease sits in a middle band of MaxHR. A single sigmoid can only step
once, so the best it can do is predict the majority class; two hidden neurons, one stepping up and
one stepping down, add up to a bump the output neuron turns into the band.

The settings below are the documented recipe: both parts are full-batch gradient descent on MaxHR
standardised, from fixed starting weights (`models.MLP_START` for the network: h1 rising, h2
falling), so every run gives the same numbers; the seed only matters if the optimizer is switched
to mini-batch or stochastic.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .descent_setup import DescentSetup, build, resolve
from .training import DescentRun

DATA_EXAMPLE = "altered"
ONE_NEURON = {"model": "neuron", "lr": 0.5, "iters": 1000}
TWO_NEURONS = {"model": "mlp", "lr": 1.0, "iters": 2000}
SEED = 0
CURVE_POINTS = 200


@dataclass(frozen=True)
class Curves:
    """What the lesson's plot draws over MaxHR (raw units): each hidden neuron, their sum, and p."""

    maxhr: np.ndarray
    p: np.ndarray
    h1: np.ndarray | None = None
    h2: np.ndarray | None = None
    weighted_sum: np.ndarray | None = None


@dataclass(frozen=True)
class PartResult:
    """A trained part of the lesson: its run (for stepping into any iteration), accuracy and curves."""

    setup: DescentSetup
    run: DescentRun
    accuracy: float
    loss: float
    curves: Curves


def setup_for(part: dict[str, object], seed: int = SEED) -> DescentSetup:
    return build(resolve(example=DATA_EXAMPLE, seed=seed, **part))  # type: ignore[arg-type]


def majority_accuracy(setup: DescentSetup) -> float:
    """The accuracy of always predicting the more common class (65.5% here): the bar one neuron cannot pass."""
    y = setup.data.y  # type: ignore[union-attr]
    share = float(np.mean(y))
    return max(share, 1.0 - share)


def curves(setup: DescentSetup, params: tuple[float, ...], points: int = CURVE_POINTS) -> Curves:
    """Evaluate the model's own graph over a MaxHR grid: p, and for the network h1, h2 and q."""
    data = setup.data
    assert data is not None
    raw = np.linspace(float(data.raw.min()), float(data.raw.max()), points)
    scaled = raw if data.scaling is None else (raw - data.scaling.mean[0]) / data.scaling.std[0]
    objective = setup.objective
    inputs = objective.inputs(params)
    inputs[objective.model.features[0]] = scaled
    inputs[objective.model.target] = np.zeros(points)  # type: ignore[index]
    values = objective.model.graph.evaluate(inputs)
    if "h1" not in values:
        return Curves(raw, np.asarray(values["p"]))
    return Curves(raw, np.asarray(values["p"]), np.asarray(values["h1"]), np.asarray(values["h2"]),
                  np.asarray(values["q"]))


def train(part: dict[str, object], seed: int = SEED) -> PartResult:
    """Run one part of the lesson to the end of its recipe."""
    setup = setup_for(part, seed)
    run = setup.new_run()
    run.run(setup.config.iters)
    params = run.current.params
    return PartResult(setup, run, float(run.accuracy() or 0.0), float(run.loss()), curves(setup, params))
