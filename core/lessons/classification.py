"""Slides 4-17 by hand: the sigmoid's two parameters set by the student, and what they do to every patient.

`HandParams` is the student's (β0, β1) in the feature's own units (MaxHR in beats per minute), with
the moves the screen's keys make. `Predictions` is everything the two lessons and `backprop-tui
predict` show at those parameters: each patient's p̂, predicted class, actual class and loss Lᵢ,
the mean loss L (the average of the Lᵢ column, as slide 17 says), the accuracy and confusion
counts, and the curve's shape (midpoint, slope there, width). Nothing here knows about screens.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache
from typing import Literal

import numpy as np

from ..engine.logistic import bce_from_logit, sigmoid
from ..engine.numbers import mean
from ..training.data import Dataset, bundled, load_csv

Parameter = Literal["β0", "β1"]
PARAMETERS: tuple[Parameter, ...] = ("β0", "β1")
FINE_STEP: dict[Parameter, float] = {"β0": 0.1, "β1": 0.001}
COARSE_STEP: dict[Parameter, float] = {"β0": 1.0, "β1": 0.01}
"""Steps in MaxHR's units: 0.001 on β1 moves the logit by about 0.15 across a typical MaxHR of 150,
about what 0.1 on β0 moves it, so a fine step of either is a visible but small change of the curve."""

DEFAULT_THRESHOLD = 0.5
WIDTH_PROBABILITIES = (0.1, 0.9)
WIDTH_DEFINITION = "the MaxHR distance between p = 0.1 and p = 0.9, 2·ln 9/|β1|"
SLIDE_REACH_LOGITS = (2.0, 4.0)
"""Slides 9-10's own measure of steepness: from p = ½ the curve is near 1 (or 0) after 2/|β1| to 4/|β1|,
where the logit has moved by 2 to 4 (p = σ(2) ≈ 0.88 to σ(4) ≈ 0.98)."""
RANDOM_SLOPES = (0.03, 0.15)
"""A random draw's |β1| (per beat per minute): p goes from 0.1 to 0.9 within 29 to 146 beats, so every
draw is a visible S over the data, never a flat line nor a wall."""
HEART_FEATURE, HEART_TARGET = "MaxHR", "AHD"


@dataclass(frozen=True)
class HandParams:
    """The student's β0 and β1, in the feature's own units: P(Y=1) = 1/(1 + e^−(β0 + β1·x))."""

    beta0: float
    beta1: float

    @classmethod
    def bad_computer(cls) -> HandParams:
        """Slides 15-16's bad computer: p̂ = 0.9 at MaxHR 200 (that patient is No) and p̂ = 0.4 at 170 (Yes).

        The line through logit(0.9) at 200 and logit(0.4) at 170, rounded: the curve rises where the
        data falls, so the student starts from the lecture's "horribly wrong" weights."""
        return cls(-15.15, 0.0867)

    def value(self, name: Parameter) -> float:
        return self.beta0 if name == "β0" else self.beta1

    def moved(self, name: Parameter, steps: float, coarse: bool = False) -> HandParams:
        """`steps` fine (or coarse) steps of `name`, rounded to 10 decimals so repeated moves show no float noise.

        (0.1 + 0.1 + 0.1 is 0.30000000000000004 in floating point; the student should read 0.3.)"""
        step = (COARSE_STEP if coarse else FINE_STEP)[name]
        value = round(self.value(name) + steps * step, 10) + 0.0  # + 0.0: no -0.0
        return replace(self, beta0=value) if name == "β0" else replace(self, beta1=value)

    def as_dict(self) -> dict[str, float]:
        return {"β0": self.beta0, "β1": self.beta1}


def random_params(seed: int, low: float = 71.0, high: float = 202.0) -> HandParams:
    """Slide 15's "start with all randomly selected weights": a reproducible draw for `seed`.

    |β1| is uniform in RANDOM_SLOPES with a random sign, and β0 puts the midpoint −β0/β1 uniformly
    within [low, high] (the data's MaxHR range), so every draw is a curve the student can see over the
    data, yet random: most draws are bad, which is the slide's point."""
    rng = np.random.default_rng(seed)
    slope = float(rng.uniform(*RANDOM_SLOPES)) * (1.0 if rng.random() < 0.5 else -1.0)
    midpoint = float(rng.uniform(low, high))
    return HandParams(round(-slope * midpoint, 4) + 0.0, round(slope, 5) + 0.0)


@dataclass(frozen=True)
class Shape:
    """Where the curve sits and how steep it is, in the feature's units; None when β1 = 0 (a flat line)."""

    midpoint: float | None
    """x where p = ½: −β0/β1."""
    slope: float
    """dp/dx at the midpoint: β1·σ(0)(1 − σ(0)) = β1/4."""
    width: float | None
    """WIDTH_DEFINITION: the x distance over which p goes from 0.1 to 0.9."""
    edges: tuple[float, float] | None = None
    """The x where p = 0.1 and where p = 0.9 (the width's two ends), for marking on a plot."""
    tangent: tuple[tuple[float, float], tuple[float, float]] | None = None
    """Two points of the tangent at the midpoint, at p = 0.1 and p = 0.9: the slope β1/4 drawn."""
    reach: tuple[float, float] | None = None
    """Slide 9's measure: the x distance from p = ½ to ~1 (or ~0), 2/|β1| to 4/|β1| (SLIDE_REACH_LOGITS)."""


def reach_probabilities() -> tuple[float, float]:
    """p at the two ends of slide 9's measure, σ(2) and σ(4): how near 1 "~1" is."""
    return tuple(float(sigmoid(np.float64(logit))) for logit in SLIDE_REACH_LOGITS)  # type: ignore[return-value]


def shape(params: HandParams) -> Shape:
    if params.beta1 == 0:
        return Shape(None, 0.0, None)
    beta0, beta1 = params.beta0, params.beta1
    midpoint, slope = -beta0 / beta1 + 0.0, beta1 / 4  # + 0.0: β0 = 0 puts it at 0, never "-0"
    low, high = (math.log(p / (1 - p)) for p in WIDTH_PROBABILITIES)
    edges = ((low - beta0) / beta1, (high - beta0) / beta1)
    # (p − ½)/(β1/4), with the 4 moved up: β1/4 is 0 for a subnormal β1 (5e-324) whose tangent is merely
    # very long; for any other β1 the quotient is the same double (dividing by 4 is exact).
    tangent = tuple((midpoint + (p - 0.5) * 4 / beta1, p) for p in WIDTH_PROBABILITIES)
    reach = tuple(logit / abs(beta1) for logit in SLIDE_REACH_LOGITS)
    return Shape(midpoint, slope, (high - low) / abs(beta1), edges, tangent, reach)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Patient:
    """One row of the loss table."""

    row: int
    """1-based position among the rows used (the file's data row when none were dropped)."""
    x: float
    p: float
    predicted: int
    actual: int
    loss: float


@dataclass(frozen=True)
class Confusion:
    true_positive: int
    false_positive: int
    true_negative: int
    false_negative: int


@dataclass(frozen=True, eq=False)
class Predictions:
    """The data seen through `params`: one entry per row in the arrays, and their summaries."""

    params: HandParams
    threshold: float
    feature: str
    target: str
    labels: tuple[str, str]
    x: np.ndarray
    y: np.ndarray
    p: np.ndarray
    predicted: np.ndarray
    losses: np.ndarray

    def __len__(self) -> int:
        return int(self.y.shape[0])

    @property
    def loss(self) -> float:
        """L = (1/n) Σ Lᵢ: the mean of the loss column."""
        return float(mean(self.losses))

    @property
    def correct(self) -> int:
        return int((self.predicted == self.y).sum())

    @property
    def accuracy(self) -> float:
        return self.correct / len(self)

    @property
    def confusion(self) -> Confusion:
        predicted, actual = self.predicted == 1, self.y == 1
        return Confusion(int((predicted & actual).sum()), int((predicted & ~actual).sum()),
                         int((~predicted & ~actual).sum()), int((~predicted & actual).sum()))

    @property
    def shape(self) -> Shape:
        return shape(self.params)

    def patient(self, index: int) -> Patient:
        return Patient(index + 1, float(self.x[index]), float(self.p[index]), int(self.predicted[index]),
                       int(self.y[index]), float(self.losses[index]))

    def patients(self, order: np.ndarray | None = None) -> Iterator[Patient]:
        for index in (range(len(self)) if order is None else order.tolist()):
            yield self.patient(index)

    def worst_first(self) -> np.ndarray:
        """Row indices by loss, largest first; equal losses keep the file's order."""
        return np.argsort(-self.losses, kind="stable")

    def label(self, cls: int) -> str:
        return self.labels[cls]

    def curve(self, points: int = 200, margin: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
        """The sigmoid over the data's x range widened by `margin` each side, `points` evenly spaced."""
        return curve_points(self.params, *plot_range(self.x, margin), points)


def tangent_within(shape: Shape, low: float, high: float) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """The tangent segment (p from 0.1 to 0.9) cut to x in [low, high], for a plot of that range; None if outside."""
    if shape.tangent is None:
        return None
    (x1, y1), (x2, y2) = sorted(shape.tangent)
    a, b = max(x1, low), min(x2, high)
    if a >= b or shape.midpoint is None:
        return None
    # The tangent's own equation p = ½ + (β1/4)(x − midpoint): interpolating between its ends gave inf/inf, NaN,
    # for a tangent whose ends are at ±inf (β1 = 5e-324: a flat line at ½ across the plot).
    at = lambda x: 0.5 + shape.slope * (x - shape.midpoint)  # noqa: E731
    return (a, y1 if a == x1 else at(a)), (b, y2 if b == x2 else at(b))


def plot_range(x: np.ndarray, margin: float = 0.05) -> tuple[float, float]:
    low, high = float(x.min()), float(x.max())
    pad = margin * (high - low) if high > low else 1.0
    return low - pad, high + pad


def curve_points(params: HandParams, low: float, high: float, points: int = 200) -> tuple[np.ndarray, np.ndarray]:
    x = np.linspace(low, high, max(2, points))
    with np.errstate(all="ignore"):
        return x, sigmoid(params.beta0 + params.beta1 * x)


def predict(data: Dataset, params: HandParams, threshold: float = DEFAULT_THRESHOLD) -> Predictions:
    """Every row of `data` (its first feature, in file units) at `params`; p̂ ≥ threshold predicts class 1."""
    if not 0 < threshold < 1:
        raise ValueError(f"the threshold must be between 0 and 1, got {threshold:g}")
    x = np.asarray(data.raw[:, 0], dtype=float)
    y = np.asarray(data.y, dtype=float)
    with np.errstate(all="ignore"):  # β = 1e308 overflows the logit to ±inf: p and the loss take their limits
        logit = params.beta0 + params.beta1 * x
    p = sigmoid(logit)
    predicted = (p >= threshold).astype(int)
    return Predictions(params, threshold, data.features[0], data.target, data.labels, x, y.astype(int), p,
                       predicted, bce_from_logit(logit, y))


@cache
def heart_data() -> Dataset:
    """The lecture's data: AHD (Yes = 1) against MaxHR, in beats per minute (not standardised); read once."""
    return load_csv(bundled("heart"), [HEART_FEATURE], HEART_TARGET)


def direction(params: HandParams, feature: str = HEART_FEATURE) -> str:
    """What the sign of β1 says, in words: the lecture's point that β1 steepens the curve and flips it."""
    if params.beta1 > 0:
        return f"β1 > 0: p̂ rises with {feature}, predicting disease at high {feature}."
    if params.beta1 < 0:
        return f"β1 < 0: p̂ falls as {feature} grows, predicting disease at low {feature}."
    return f"β1 = 0: a flat line, p̂ = σ(β0) for every patient whatever their {feature}."


def next_seed(last: int | None) -> int:
    """The seed of the next random draw: 1 first, then one more each time, so a session is reproducible."""
    return 1 if last is None else last + 1
