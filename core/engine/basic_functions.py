"""The basic functions of slide 67: each primitive beside its local partials, and as Python.

The definition and the partials are rendered by the primitive table itself (`Primitive.render`,
`Primitive.partial_texts`), so this view cannot drift from what the stepper shows. The Python pair
of each primitive (`def exp(a): return np.exp(a)` / `def d_exp(a): return np.exp(a)`) is the only
text written here; the test suite runs every pair against the engine's own evaluation and partials
at random points, and fails if a primitive has no pair, so the two cannot drift either.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import formula as fm
from .primitives import PRIMITIVES, primitive


@dataclass(frozen=True)
class PythonPair:
    """A primitive's arguments, its value and its local partials as Python expressions (numpy as `np`)."""

    args: tuple[str, ...]
    value: str
    partials: tuple[str, ...]


PYTHON_PAIRS: dict[str, PythonPair] = {
    "add": PythonPair(("a", "b"), "a + b", ("1.0", "1.0")),
    "sub": PythonPair(("a", "b"), "a - b", ("1.0", "-1.0")),
    "mul": PythonPair(("a", "b"), "a * b", ("b", "a")),
    "div": PythonPair(("a", "b"), "a / b", ("1 / b", "-a / b**2")),
    "neg": PythonPair(("a",), "-a", ("-1.0",)),
    "negmul": PythonPair(("a", "b"), "-(a * b)", ("-b", "-a")),
    "pow": PythonPair(("a", "k"), "a ** k", ("k * a ** (k - 1)", "0.0")),
    "exp": PythonPair(("a",), "np.exp(a)", ("np.exp(a)",)),
    "log": PythonPair(("a",), "np.log(a)", ("1 / a",)),
    "reciprocal": PythonPair(("a",), "1 / a", ("-(1 / a) ** 2",)),
    "one_minus": PythonPair(("a",), "1 - a", ("-1.0",)),
    "sin": PythonPair(("a",), "np.sin(a)", ("np.cos(a)",)),
    "cos": PythonPair(("a",), "np.cos(a)", ("-np.sin(a)",)),
    "tanh": PythonPair(("a",), "np.tanh(a)", ("1 - np.tanh(a) ** 2",)),
    "sigmoid": PythonPair(("a",), "1 / (1 + np.exp(-a))", ("np.exp(-a) / (1 + np.exp(-a)) ** 2",)),
    "relu": PythonPair(("a",), "np.maximum(a, 0.0)", ("np.where(a > 0, 1.0, 0.0)",)),
    "sqrt": PythonPair(("a",), "np.sqrt(a)", ("0.5 / np.sqrt(a)",)),
    "square": PythonPair(("a",), "a * a", ("2 * a",)),
    "affine": PythonPair(("b", "w1", "x1", "w2", "x2"), "b + w1 * x1 + w2 * x2", ("1.0", "x1", "w1", "x2", "w2")),
    "bce": PythonPair(("p", "y"), "-(y * np.log(p) + (1 - y) * np.log(1 - p))",
                      ("(p - y) / (p * (1 - p))", "np.log((1 - p) / p)")),
    "bce_logit": PythonPair(("z", "y"), "np.logaddexp(0, -z) + (1 - y) * z",
                            ("1 / (1 + np.exp(-z)) - y", "-z")),
    "dot": PythonPair(("w", "x"), "np.sum(w * x, axis=-1)", ("x", "w")),
    "neg_dot": PythonPair(("w", "x"), "-np.sum(w * x, axis=-1)", ("-x", "-w")),
}
"""One pair per primitive; affine is shown with two weighted inputs (it takes any number)."""


SAMPLE_CONSTANT = 3


@dataclass(frozen=True)
class BasicFunction:
    """One line of slide 67: a primitive, its definition, its local partials and its Python pair."""

    name: str
    arity: int | None
    definition: str
    description: str
    partials: tuple[tuple[str, str], ...]
    python: str

    def as_json(self) -> dict[str, object]:
        return {"name": self.name, "arity": self.arity, "definition": self.definition,
                "partials": dict(self.partials), "python": self.python}


def python_text(name: str, pair: PythonPair) -> str:
    """`def exp(a): return np.exp(a)` and `def d_exp(a): return np.exp(a)`: a pair returns one
    partial for a one-argument function (as on slide 67), a tuple of them otherwise."""
    args = ", ".join(pair.args)
    derivative = pair.partials[0] if len(pair.partials) == 1 else f"({', '.join(pair.partials)})"
    return f"def {name}({args}): return {pair.value}\ndef d_{name}({args}): return {derivative}"


def basic_function(name: str) -> BasicFunction:
    prim = primitive(name)
    pair = PYTHON_PAIRS[name]
    # A constant argument (pow's exponent) is rendered at a sample value: the formula text needs a number.
    args = [fm.number(SAMPLE_CONSTANT) if position in prim.const_positions else fm.atom(arg)
            for position, arg in enumerate(pair.args)]
    texts = prim.partial_texts(args, fm.atom("ξ"))
    partials = tuple((arg, text.text) for position, (arg, text) in enumerate(zip(pair.args, texts, strict=True))
                     if position not in prim.const_positions)
    definition = prim.render(args).text
    if prim.const_positions:
        definition += f" (shown for {', '.join(pair.args[p] for p in prim.const_positions)} = {SAMPLE_CONSTANT})"
    return BasicFunction(name, prim.arity, definition, prim.description, partials, python_text(name, pair))


def basic_functions() -> list[BasicFunction]:
    """Every primitive in the table's order."""
    return [basic_function(name) for name in PRIMITIVES]


def basic_functions_text() -> str:
    """The text view: `ξ = e^a   ∂ξ/∂a = e^a`, then the Python pair, for each primitive."""
    blocks = []
    for item in basic_functions():
        partials = "; ".join(f"∂ξ/∂{arg} = {text}" for arg, text in item.partials)
        blocks.append(f"{item.name}: ξ = {item.definition}   {partials}   ({item.description})\n"
                      + "\n".join(f"    {line}" for line in item.python.splitlines()))
    return "\n".join(blocks)
