"""The lecture's graphs, each a named example with the values the slides use."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from ..engine.graph import Graph, GraphBuilder, GraphError
from ..engine.logistic_chain import logistic_identities
from ..engine.numbers import vector
from ..engine.quoting import quoted


@dataclass(frozen=True)
class Example:
    """A graph the student can open by name, with its default inputs and where the lecture shows it."""

    name: str
    title: str
    slides: str
    build: Callable[[], Graph]
    default_values: dict[str, float] | Callable[[], dict[str, float]] = field(default_factory=dict)
    wrt: str = "W"

    def graph(self) -> Graph:
        return self.build()

    @property
    def defaults(self) -> dict[str, float]:
        """The slides' input values (computed on first use for the big networks, not at import)."""
        values = self.default_values
        return dict(values() if callable(values) else values)


def _lecture_probability(b: GraphBuilder) -> tuple[str, str]:
    """The lecture's p = 1/(1+e^(−WᵀX)), one node per basic function (ξ1 … ξ4); returns y and p."""
    x, y, w = b.input("X"), b.input("y"), b.input("W")
    xi1 = b.op("neg_dot", w, x)
    xi2 = b.op("exp", xi1)
    xi3 = b.op("add", 1, xi2)
    return y, b.op("reciprocal", xi3)


def _half_b(b: GraphBuilder, y: str, p: str) -> str:
    """Lᴮ = −(1−y) log(1−p), the half of the loss that matters when y = 0 (slide 32)."""
    log_one_minus_p = b.op("log", b.op("one_minus", p))
    return b.op("negmul", b.op("one_minus", y), log_one_minus_p, name="Lᴮ")


def lecture_graph() -> Graph:
    """Slides 65-72: L = −y log(1/(1+e^(−WᵀX))), one node per basic function."""
    b = GraphBuilder()
    y, p = _lecture_probability(b)
    b.op("negmul", y, b.op("log", p), name="L")
    return b.build("L")


def lecture_full_graph() -> Graph:
    """Slides 30-32 and 69: both halves of the loss, L = Lᴬ + Lᴮ with Lᴬ = −y log p and
    Lᴮ = −(1−y) log(1−p); p fans out to both logs, so dL/dW = dLᴬ/dW + dLᴮ/dW."""
    b = GraphBuilder()
    y, p = _lecture_probability(b)
    log_p = b.op("log", p)
    one_minus_p = b.op("one_minus", p)
    log_one_minus_p = b.op("log", one_minus_p)
    one_minus_y = b.op("one_minus", y)
    half_a = b.op("negmul", y, log_p, name="Lᴬ")
    half_b = b.op("negmul", one_minus_y, log_one_minus_p, name="Lᴮ")
    b.op("add", half_a, half_b, name="L")
    return b.build("L")


def lecture_b_graph() -> Graph:
    """Slide 32: the Lᴮ half alone, Lᴮ = −(1−y) log(1−p), the branch that matters when y = 0."""
    b = GraphBuilder()
    y, p = _lecture_probability(b)
    return b.build(_half_b(b, y, p))


def neuron_graph() -> Graph:
    """Slides 51 and 61: affine h = β0 + β1X, activation p = σ(h), loss L = bce(p, y), as the slides draw it.

    The backward pass goes L → p → h: dL/dp = −y/p + (1−y)/(1−p), then dL/dh = dL/dp · ∂p/∂h. Once σ(h)
    is exactly 0 or 1 in float64 (|h| ≳ 37), numbers read from p are log 0 and 0 · ∞; the graph's
    identities (`logistic_identities`) compute those from h instead, so every finite number stays exact."""
    b = GraphBuilder()
    x, y = b.input("X"), b.input("y")
    beta0, beta1 = b.input("β0"), b.input("β1")
    h = b.op("affine", beta0, beta1, x, name="h")
    p = b.op("sigmoid", h, name="p")
    b.op("bce", p, y, name="L")
    return b.build("L", logistic_identities(h, p, y, "L"))


def predictors_graph() -> Graph:
    """Slide 14: several predictors, h = WᵀX with W = [β0, β1, …, β4] and X = [1, X1, …, X4], one dot
    node; then slide 61's chain p = σ(h), L = bce(p, y), exact at saturation as in `neuron_graph`.
    dL/dW = dL/dh · X comes back as one vector, every βᵢ's derivative at once."""
    b = GraphBuilder()
    x, y, w = b.input("X"), b.input("y"), b.input("W")
    h = b.op("dot", w, x, name="h")
    p = b.op("sigmoid", h, name="p")
    b.op("bce", p, y, name="L")
    return b.build("L", logistic_identities(h, p, y, "L"))


SLIDE_14_COLUMNS = ("MaxHR", "Age", "RestBP", "Chol")
"""Four of the Heart data's predictors, X1 … X4 (slides 14-16 use MaxHR, Age and Chol among them)."""
SLIDE_14_PATIENT = (150.0, 63.0, 145.0, 233.0)
"""The first patient of slide 6's Heart table (row 1 of data/Heart.csv): AHD = No, so y = 0."""
SLIDE_14_WEIGHTS = (-3.0, 0.01, 0.02, 0.01, 0.005)
"""A first guess for W = [β0, β1, …, β4]: p̂ ≈ 0.92 for a patient who is No, slide 15's bad computer."""


def _predictors_defaults() -> dict[str, float]:
    return {"X": vector((1.0, *SLIDE_14_PATIENT)), "y": 0.0, "W": vector(SLIDE_14_WEIGHTS)}  # type: ignore[dict-item]


def mlp_graph() -> Graph:
    """Slides 57-59: two hidden sigmoid neurons h1, h2, output q = W30 + W31 h1 + W32 h2, p = σ(q).

    The output neuron is slide 61's: L = bce(p, y) and the backward pass runs L → p → q, exact where p
    rounds to 0 or 1 through the same identities as `neuron_graph`."""
    b = GraphBuilder()
    x, y = b.input("X"), b.input("y")
    w10, w11, w20, w21 = b.input("W10"), b.input("W11"), b.input("W20"), b.input("W21")
    w30, w31, w32 = b.input("W30"), b.input("W31"), b.input("W32")
    z1 = b.op("affine", w10, w11, x, name="z1")
    h1 = b.op("sigmoid", z1, name="h1")
    z2 = b.op("affine", w20, w21, x, name="z2")
    h2 = b.op("sigmoid", z2, name="h2")
    q = b.op("affine", w30, w31, h1, w32, h2, name="q")
    p = b.op("sigmoid", q, name="p")
    b.op("bce", p, y, name="L")
    return b.build("L", logistic_identities(q, p, y, "L"))


def _deep_mlp():  # noqa: ANN202 - an MLP (engine/mlp.py, imported only when this example is built)
    from ..engine.mlp import build_mlp

    return build_mlp(DEEP_MLP_SIZES, DEEP_MLP_ACTIVATIONS)


@cache
def _deep_mlp_defaults() -> dict[str, float]:
    """The 1-16-16-1 network's inputs and seeded weights, drawn once: drawing them builds the whole network
    (28 ms), and `Example.defaults`, which hands out copies, is read once per graph opened or stepper made."""
    return {"X": 0.5, "y": 1.0, **_deep_mlp().initial_parameters(seed=0)}


DEEP_MLP_SIZES = (1, 16, 16, 1)
DEEP_MLP_ACTIVATIONS = ("tanh", "tanh")


GRAPH_EXAMPLES: dict[str, Example] = {
    example.name: example
    for example in (
        Example("lecture", "logistic loss, one branch", "slides 65-72", lecture_graph,
                {"X": 3.0, "y": 1.0, "W": 3.0}, "W"),
        Example("lecture-full", "logistic loss, both halves L = Lᴬ + Lᴮ", "slides 30-32, 69", lecture_full_graph,
                {"X": 3.0, "y": 1.0, "W": 3.0}, "W"),
        Example("lecture-b", "the Lᴮ half, −(1−y) log(1−p), at y = 0", "slide 32", lecture_b_graph,
                {"X": 3.0, "y": 0.0, "W": 3.0}, "W"),
        Example("neuron", "one neuron: affine, sigmoid, cross-entropy", "slides 51, 61", neuron_graph,
                {"X": 1.5, "y": 1.0, "β0": -1.0, "β1": 0.5}, "β1"),
        Example("neuron-multi", "one neuron, four predictors: h = WᵀX, W and X vectors", "slides 14, 61",
                predictors_graph, _predictors_defaults, "W"),
        Example("mlp", "two hidden neurons and an output neuron", "slides 57-59", mlp_graph,
                {"X": 0.5, "y": 1.0, "W10": -1.0, "W11": 2.0, "W20": 1.0, "W21": -2.0,
                 "W30": -1.0, "W31": 2.0, "W32": 2.0}, "W11"),
        Example("mlp-16-16", "a 1-16-16-1 network (tanh hidden layers), seeded weights", "slides 57-59, scaled up",
                lambda: _deep_mlp().graph, _deep_mlp_defaults, "W1[1,1]"),
    )
}


def example(name: str) -> Example:
    try:
        return GRAPH_EXAMPLES[name]
    except KeyError:
        raise GraphError(f"unknown example {quoted(name)}: choose one of {', '.join(GRAPH_EXAMPLES)}") from None
