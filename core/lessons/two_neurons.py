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

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ..stepping.problem import Problem
from ..stepping.table import TableSource
from ..training.run import DescentRun, Stop
from ..training.setup import DescentOptions, DescentSetup, build, resolve
from ..training.view import loss_series

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

    @property
    def stopped(self) -> Stop:
        """Why the run ended, as the descent command says it: converged, diverged or the iterations limit."""
        return self.run.stopped or "iterations"

    @property
    def iterations(self) -> int:
        return len(self.run.history)


def setup_for(part: dict[str, object], seed: int = SEED) -> DescentSetup:
    return build(resolve(DescentOptions(example=DATA_EXAMPLE, seed=seed, **part)))  # type: ignore[arg-type]


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


TrainingCallback = Callable[[int, int], bool]
"""Called after each iteration with (iterations done, the recipe's iterations); False stops the run."""


def train(part: dict[str, object], seed: int = SEED, progress: TrainingCallback | None = None) -> PartResult:
    """Run one part of the lesson to the end of its recipe (or until `progress` says stop)."""
    setup = setup_for(part, seed)
    run = setup.new_run()
    total = setup.config.iters
    run.run(total, None if progress is None else lambda: progress(len(run.history), total))
    params = run.current.params
    return PartResult(setup, run, float(run.accuracy() or 0.0), float(run.loss()), curves(setup, params))


EXAMPLE = "two-neurons"
CLASS_NAMES = ("no disease", "disease")
"""What AHD = 0 and AHD = 1 mean, in the lesson's words."""


@dataclass(frozen=True)
class IterationView:
    """A trained part after `iteration` steps (0 is the start): what the screen shows at that point."""

    iteration: int
    params: tuple[float, ...]
    raw_params: tuple[float, ...]
    loss: float
    accuracy: float
    predicted_disease: int
    """How many rows get p ≥ ½ (predicted "disease"); 0 means the model always says "no disease"."""
    crossings: tuple[float, ...]
    """The MaxHR where each first-layer sigmoid crosses ½: the one neuron's p, or h1 and h2."""
    rising: tuple[bool, ...]
    """Whether each first-layer sigmoid steps up (its weight is positive) or down across MaxHR."""
    curves: Curves
    loss_series: tuple[np.ndarray, np.ndarray]
    """The whole run's full loss after each iteration (thinned, as the descent screen's is): the plot's line."""


def params_at(run: DescentRun, iteration: int) -> tuple[float, ...]:
    """The parameters after `iteration` steps: the history keeps each iteration's parameters before its step."""
    if iteration >= len(run.history):
        return run.current.params
    return run.history[iteration].params


def view(result: PartResult, iteration: int) -> IterationView:
    """The part at `iteration` (clamped to 0 … the run's length), its curves recomputed from its parameters."""
    run = result.run
    iteration = max(0, min(iteration, len(run.history)))
    params = params_at(run, iteration)
    loss = run.history[iteration].loss if iteration < len(run.history) else run.loss()
    p = run.objective.probabilities(params)
    assert p is not None
    raw = run.raw_params(params)
    weights = [(raw[run.params.index(layer.bias)], raw[run.params.index(layer.weights[0][0])])
               for layer in run.objective.model.layers]
    crossings = tuple(-bias / weight if weight else float("nan") for bias, weight in weights)
    return IterationView(iteration, params, raw, loss, float(run.objective.accuracy(params) or 0.0),
                         int(np.count_nonzero(p >= 0.5)), crossings, tuple(weight > 0 for _, weight in weights),
                         curves(result.setup, params), loss_series(run))


def explain(result: PartResult, shown: IterationView) -> tuple[str, ...]:
    """What the curves say at this iteration, in the lesson's words: one sentence each (the screen wraps them)."""
    feature = result.setup.data.features[0]  # type: ignore[union-attr]
    low, high = float(shown.curves.maxhr[0]), float(shown.curves.maxhr[-1])
    if len(shown.crossings) == 1:
        where = shown.crossings[0]
        if not np.isfinite(where):
            first = "p is the same for every row: β1 = 0, so MaxHR plays no part."
        else:
            side = "inside" if low <= where <= high else "outside"
            first = f"p = ½ at {feature} ≈ {where:.0f}, {side} the data ({low:.0f}–{high:.0f})."
        return first, "One sigmoid steps only once: it cannot keep a band of MaxHR."
    names = [f"h{index}" for index in range(1, len(shown.crossings) + 1)]
    steps = tuple(f"{name} steps {'up' if up else 'down'} at {feature} ≈ {where:.0f}"
                  for name, where, up in zip(names, shown.crossings, shown.rising, strict=True))
    values = dict(zip(result.run.params, shown.params, strict=True))
    band = (shown.rising == (True, False) and shown.crossings[0] < shown.crossings[1]
            and values["W31"] > 0 and values["W32"] > 0)
    rows = len(result.setup.data)  # type: ignore[arg-type]
    if band and 0 < shown.predicted_disease < rows:
        return (*steps, "q = W30 + W31·h1 + W32·h2 is high in between; p = σ(q) is the band.")
    if band:
        sign = ">" if shown.predicted_disease else "<"
        return (*steps, f"q = W30 + W31·h1 + W32·h2 peaks between them, but is {sign} 0 for all.")
    return (*steps, "q = W30 + W31·h1 + W32·h2 and p = σ(q).")


@dataclass(frozen=True)
class Sample:
    """What the stepper is opened on: one row of the data (`row`, 0-based), or every row (None)."""

    name: str
    row: int | None


def samples(setup: DescentSetup) -> tuple[Sample, ...]:
    """A row in the band of disease, one below it and one above it, then every row (the whole batch).

    The band's middle is the median MaxHR of the rows with disease; each choice is the first row of
    the file that fits, so the choices are the same on every run.
    """
    data = setup.data
    assert data is not None
    x, y = data.raw[:, 0], data.y
    positive = np.flatnonzero(y == 1.0)
    middle = float(np.median(x[positive]))
    below = np.flatnonzero((y == 0.0) & (x < middle))
    above = np.flatnonzero((y == 0.0) & (x > middle))
    chosen = [Sample("in the band", int(positive[0]))]
    if len(below):
        chosen.append(Sample("below the band", int(below[0])))
    if len(above):
        chosen.append(Sample("above the band", int(above[0])))
    return (*chosen, Sample("every row", None))


def describe_sample(setup: DescentSetup, sample: Sample, short: bool = False) -> str:
    """`row 36 (in the band): MaxHR = 135.2, AHD = 1 (disease)`, or `every row (145 rows)`; `short` drops the class."""
    data = setup.data
    assert data is not None
    if sample.row is None:
        return f"every row ({len(data)} rows)"
    maxhr, ahd = float(data.raw[sample.row, 0]), float(data.y[sample.row])
    described = f"row {sample.row + 1} ({sample.name}): {data.features[0]} = {maxhr:.1f}, {data.target} = {ahd:g}"
    return described if short else f"{described} ({CLASS_NAMES[int(ahd)]})"


def sample_inputs(setup: DescentSetup, params: Sequence[float], sample: Sample) -> dict[str, object]:
    """The graph's inputs for the stepper: the parameters and the sample's X (standardised) and y.

    A single row goes in as plain numbers, so the stepper shows its own values rather than batch means.
    """
    rows = None if sample.row is None else np.array([sample.row])
    inputs = setup.objective.inputs(params, rows)
    if sample.row is None:
        return inputs
    return {name: float(np.asarray(value).reshape(-1)[0]) for name, value in inputs.items()}


STEPPER_WRT = {"neuron": "β1", "mlp": "W11"}
"""The parameter forward mode differentiates with respect to (the stepper examples' own choice)."""


def stepper_problem(part: int, result: PartResult, iteration: int, sample: Sample) -> tuple[Problem, str]:
    """The part's graph at the parameters after `iteration` steps, on `sample`, and the stepper's note.

    For the network the point is X: it fans out into z1 and z2, so in the backward pass dL/dX is the
    sum of the two hidden neurons' contributions."""
    model = result.run.objective.model
    params = params_at(result.run, iteration)
    inputs = sample_inputs(result.setup, params, sample)
    problem = Problem(TableSource("example", model.name), model.graph, inputs, STEPPER_WRT[model.name], "reverse")
    which = f"Two neurons, part {part}, after {iteration} of {result.iterations} iterations"
    described = describe_sample(result.setup, sample, short=True)
    if sample.row is None:
        count = len(result.setup.data)  # type: ignore[arg-type]
        rows = (f"{described}. Values are batch means; the loss is the mean over the {count} rows, "
                f"so the parameters' adjoints are the descent's gradient.")
    else:
        rows = f"{described}, X = {inputs['X']:.4g} standardised."
    fan_out = " Backward: X feeds z1 and z2, so dL/dX adds two contributions." if model.name == "mlp" else ""
    return problem, f"{which}: {rows}{fan_out}"
