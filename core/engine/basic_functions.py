"""The basic functions of slide 67: each primitive beside its local partials, and as Python.

Everything here is read from the primitive's one declaration: the definition and the partials are
rendered by `Primitive.render` and `Primitive.partial_texts`, so this view cannot drift from what the
stepper shows, and the Python pair (`def exp(a): return np.exp(a)` / `def d_exp(a): return np.exp(a)`)
is its `python` field; the test suite runs every pair against the engine's own evaluation and partials
at random points, so the two cannot drift either.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import formula as fm
from .primitives import PRIMITIVES, PythonPair, primitive

PYTHON_PAIRS: dict[str, PythonPair] = {name: prim.python for name, prim in PRIMITIVES.items()}
"""Each primitive's pair, a field of its declaration; affine is shown with two weighted inputs (it takes any number)."""


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
        document: dict[str, object] = {"name": self.name, "arity": self.arity, "definition": self.definition,
                                       "partials": dict(self.partials), "python": self.python}
        if self.arity is None:
            document["null_reasons"] = {"arity": "takes any number of arguments (shown here with two weighted inputs)"}
        return document


def python_text(name: str, pair: PythonPair) -> str:
    """`def exp(a): return np.exp(a)` and `def d_exp(a): return np.exp(a)`: a pair returns one
    partial for a one-argument function (as on slide 67), a tuple of them otherwise."""
    args = ", ".join(pair.args)
    derivative = pair.partials[0] if len(pair.partials) == 1 else f"({', '.join(pair.partials)})"
    return f"def {name}({args}): return {pair.value}\ndef d_{name}({args}): return {derivative}"


def basic_function(name: str) -> BasicFunction:
    prim = primitive(name)
    pair = prim.python
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
