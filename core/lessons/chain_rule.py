"""The chain-rule chapter (slides 26-29): the formalism the lecture builds before the graph, page by page.

Six pages in the lecture's order: derivatives from school (26); linear regression, where setting the
derivatives to zero solves for β (27); logistic regression, where it does not (28); then slide 29's
chain rule on three small graphs: y = g(x), z = f(y); a longer chain, a product of local partials;
and the vector form ∂z/∂xᵢ = Σⱼ ∂z/∂yⱼ · ∂yⱼ/∂xᵢ, its sum built one term at a time by the backward pass.

Every number comes from the engine (a primitive's value and local partial, or the reverse stepper's
snapshots); a page is a tuple of immutable steps, each the lines shown so far and the graph's snapshot.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ..engine.autodiff import gradient
from ..engine.graph import Graph, GraphBuilder
from ..engine.numbers import format_value
from ..stepping.snapshot import Snapshot
from ..stepping.steppers import Stepper, make_stepper
from . import chain_graphs as cg

SCHOOL_OPS = ("square", "exp", "log", "sin", "reciprocal", "sigmoid")
"""Slide 26's memories from school: the basic functions whose derivatives a student knows by heart."""
SCHOOL_AT = 2.0


@dataclass(frozen=True)
class ChainStep:
    """One key press on a page: every line shown so far (the newest last), and the graph at this step."""

    lines: tuple[str, ...]
    snapshot: Snapshot | None = None


@dataclass(frozen=True)
class ChainPage:
    """One page of the chapter: a slide, what it shows, and its steps (step 0 shows the intro alone)."""

    id: str
    title: str
    slides: str
    intro: str
    steps: tuple[ChainStep, ...]
    graph: Graph | None = None


def _n(value: object) -> str:
    return format_value(value)  # type: ignore[arg-type]


def _reveal(lines: list[str]) -> tuple[ChainStep, ...]:
    """A text page: step k shows the first k lines."""
    return tuple(ChainStep(tuple(lines[:count])) for count in range(len(lines) + 1))


def school_page() -> ChainPage:
    """Slide 26: each basic function's derivative, written by the engine's primitive, with its value at x = 2."""
    lines = []
    for op in SCHOOL_OPS:
        b = GraphBuilder()
        b.op(op, b.input("x"), name="f")
        graph = b.build("f")
        values = graph.evaluate({"x": SCHOOL_AT})
        slope = graph.local_partials("f", values)["x"]
        rule = graph.local_partial_formulas("f")["x"]
        lines.append(f"d/dx {graph.definitions['f']} = {rule}    at x = {_n(SCHOOL_AT)}: {_n(slope)}")
    lines.append("A function of a function, like sin(x²), needs one more rule: the chain rule (slide 29).")
    intro = ("Slide 26, derivatives: memories from middle school. Each rule below is the engine's own; "
             "the number is the slope at x = 2.")
    return ChainPage("school", "derivatives from school", "26", intro, _reveal(lines))


@dataclass(frozen=True)
class LeastSquares:
    """Slide 27's closed form on the five points, and the engine's derivatives there."""

    x_mean: float
    y_mean: float
    numerator: float
    denominator: float
    beta1: float
    beta0: float


def least_squares(x: np.ndarray, y: np.ndarray) -> LeastSquares:
    """β1 = Σ(xᵢ − x̄)(yᵢ − ȳ) / Σ(xᵢ − x̄)², β0 = ȳ − β1x̄: what df/dβ = 0 solves to."""
    x_mean, y_mean = float(np.mean(x)), float(np.mean(y))
    numerator = float(np.sum((x - x_mean) * (y - y_mean)))
    denominator = float(np.sum((x - x_mean) ** 2))
    beta1 = numerator / denominator
    return LeastSquares(x_mean, y_mean, numerator, denominator, beta1, y_mean - beta1 * x_mean)


def summed_gradient(graph: Graph, y: np.ndarray, beta0: float, beta1: float) -> tuple[float, float, float]:
    """f = Σᵢ of the graph's row output over the five points, and df/dβ0, df/dβ1 (one backward pass, seed 1 a row)."""
    inputs = {"x": cg.POINTS_X, "y": y, "β0": np.float64(beta0), "β1": np.float64(beta1)}
    rows, grad = gradient(graph, inputs, ("β0", "β1"), seed=np.ones(len(cg.POINTS_X)))
    return float(np.sum(rows)), float(grad["β0"]), float(grad["β1"])


def _listed(values: np.ndarray) -> str:
    return " ".join(_n(float(value)) for value in values)


def linear_page() -> ChainPage:
    """Slide 27: df/dβ = 0 solved by algebra, then checked with the engine's derivatives at the answer."""
    fit = least_squares(cg.POINTS_X, cg.POINTS_Y_LINEAR)
    total, d0, d1 = summed_gradient(cg.squared_error_graph(), cg.POINTS_Y_LINEAR, fit.beta0, fit.beta1)
    lines = [
        f"Five points: x = {_listed(cg.POINTS_X)};  y = {_listed(cg.POINTS_Y_LINEAR)};  "
        f"x̄ = {_n(fit.x_mean)}, ȳ = {_n(fit.y_mean)}",
        "df/dβ0 = −2 Σᵢ (yᵢ − β0 − β1xᵢ) = 0  ⇒  Σᵢ yᵢ − nβ0 − β1 Σᵢ xᵢ = 0  ⇒  β0 = ȳ − β1x̄",
        "df/dβ1 = −2 Σᵢ (yᵢ − β0 − β1xᵢ)·xᵢ = 0  ⇒  β1 = Σᵢ (xᵢ − x̄)(yᵢ − ȳ) / Σᵢ (xᵢ − x̄)²"
        f" = {_n(fit.numerator)} / {_n(fit.denominator)} = {_n(fit.beta1)}",
        f"β0 = ȳ − β1x̄ = {_n(fit.y_mean)} − {_n(fit.beta1)} · {_n(fit.x_mean)} = {_n(fit.beta0)}",
        f"Check with the engine at β0 = {_n(fit.beta0)}, β1 = {_n(fit.beta1)}: df/dβ0 = {_n(d0)}, "
        f"df/dβ1 = {_n(d1)} (0 up to rounding), f = {_n(total)}: the minimum, by algebra alone.",
    ]
    intro = ("Slide 27, linear regression: f = Σᵢ (yᵢ − β0 − β1xᵢ)². Set both derivatives to zero and solve: "
             "a closed form.")
    return ChainPage("linear", "linear regression: a closed form", "27", intro, _reveal(lines))


def logistic_page() -> ChainPage:
    """Slide 28: the same move for logistic regression leaves β inside every σ(·): no closed form."""
    guess = least_squares(cg.POINTS_X, cg.POINTS_Y_CLASS)
    _, d0, d1 = summed_gradient(cg.cross_entropy_graph(), cg.POINTS_Y_CLASS, guess.beta0, guess.beta1)
    lines = [
        f"The same x, with classes y = {_listed(cg.POINTS_Y_CLASS)};  pᵢ = σ(β0 + β1xᵢ)",
        "df/dβ0 = Σᵢ (σ(β0 + β1xᵢ) − yᵢ)   and   df/dβ1 = Σᵢ (σ(β0 + β1xᵢ) − yᵢ)·xᵢ",
        "Set them to 0: β0 and β1 sit inside five different σ(·), and no algebra moves them out. No closed form.",
        f"Slide 27's formula on these classes gives β0 = {_n(guess.beta0)}, β1 = {_n(guess.beta1)}; "
        f"there the engine finds df/dβ0 = {_n(d0)}, df/dβ1 = {_n(d1)}: not 0, so not the minimum.",
        "Wolfram Alpha can do this one; a network cannot wait for it. We need a formalism for these "
        "derivatives: the chain rule (slide 29, next page), and descent to walk downhill with them.",
    ]
    intro = ("Slide 28, logistic regression: f = −Σᵢ [yᵢ log pᵢ + (1−yᵢ) log(1−pᵢ)]. Can we do it "
             "the same way?")
    return ChainPage("logistic", "logistic regression: no closed form", "28", intro, _reveal(lines))


def _chain_names(graph: Graph) -> list[str]:
    """The nodes from the output down to the input, each a node's only node parent (a chain)."""
    names = [graph.output]
    while graph.node(names[-1]).parents:
        names.append(graph.node(names[-1]).parents[0])
    return names


def chain_product(stepper: Stepper) -> str:
    """`dz/dx = ∂z/∂y · ∂y/∂x = (a) · (b) = c`: the chain rule as a product of the local partials."""
    names = _chain_names(stepper.graph)
    top, bottom = names[0], names[-1]
    links = zip(names, names[1:], strict=False)
    factors = [(child, parent, stepper.partials[child][parent]) for child, parent in links]
    symbols = " · ".join(f"∂{child}/∂{parent}" for child, parent, _ in factors)
    numbers = " · ".join(f"({_n(value)})" for _, _, value in factors)
    return f"d{top}/d{bottom} = {symbols} = {numbers} = {_n(stepper.adjoints[bottom])}"


def vector_sums(stepper: Stepper) -> list[str]:
    """`∂z/∂x1 = Σⱼ ∂z/∂yⱼ · ∂yⱼ/∂x1 = (a)(b) + (c)(d) + (e)(0) = s`, for each input, every j included."""
    graph, out = stepper.graph, stepper.graph.output
    middles = graph.node(out).parents
    lines = []
    for name in graph.inputs:
        terms = " + ".join(f"({_n(stepper.adjoints[middle])})({_n(stepper.partials[middle].get(name, 0.0))})"
                           for middle in middles)
        lines.append(f"∂{out}/∂{name} = Σⱼ ∂{out}/∂yⱼ · ∂yⱼ/∂{name} = {terms} = {_n(stepper.adjoints[name])}")
    return lines


def graph_page(page_id: str, title: str, intro: str, graph: Graph, at: Mapping[str, float],
               closing: list[str]) -> ChainPage:
    """A page on a graph: the reverse stepper's steps, each explanation a new line; the closing lines last."""
    stepper = make_stepper("reverse", graph, at)
    lines: list[str] = []
    steps = []
    for index in range(len(stepper)):
        snapshot = stepper.snapshot(index)
        lines.append(snapshot.step.explanation)
        steps.append(ChainStep(tuple(lines), snapshot))
    final = stepper.final()
    summary = [*chain_closing(stepper, closing)]
    steps.append(ChainStep(tuple(lines + summary), final))
    return ChainPage(page_id, title, "29", intro, tuple(steps), graph)


def chain_closing(stepper: Stepper, closing: list[str]) -> list[str]:
    """The page's summary: the slide's formula with this graph's numbers, then its closing sentence."""
    if len(stepper.graph.inputs) > 1:
        return [*vector_sums(stepper), *closing]
    return [chain_product(stepper), *closing]


def chain_pages() -> tuple[ChainPage, ...]:
    """Slide 29's three graphs, each stepped through by the backward pass with numbers."""
    return (
        graph_page("chain", "the chain rule: y = g(x), z = f(y)",
                   "Slide 29: y = g(x) = x², z = f(y) = sin(y), so z = f(g(x)) and dz/dx = dz/dy · dy/dx.",
                   cg.two_link_chain(), cg.CHAIN_AT,
                   ["Each factor is one node's local partial; the product is the chain rule."]),
        graph_page("long-chain", "longer chains: a product of local partials",
                   "For longer chains: z = log(1 + e^sin(x²)). dz/dx is the product of every local partial "
                   "on the path, multiplied in from z.",
                   cg.long_chain(), cg.CHAIN_AT,
                   ["One factor per edge: however long the chain, one multiplication per node."]),
        graph_page("vector", "the vector form: ∂z/∂xᵢ = Σⱼ ∂z/∂yⱼ·∂yⱼ/∂xᵢ",
                   "y = g(x), z = f(y) with vectors: y1 = x1·x2, y2 = sin(x1), y3 = e^x2, z = y1 + y2·y3. "
                   "Each xᵢ collects one term from every yⱼ it feeds (+=).",
                   cg.vector_chain(), cg.MULTI_AT,
                   ["A yⱼ that does not read xᵢ adds (·)(0): y3 for x1, y2 for x2. "
                    "One backward pass gave both sums."]),
    )


def lesson_pages() -> tuple[ChainPage, ...]:
    """The whole chapter in the lecture's order (26, 27, 28, 29 three times)."""
    return (school_page(), linear_page(), logistic_page(), *chain_pages())
