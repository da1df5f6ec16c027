"""Generated exercises: a seeded random graph from the primitives, at three levels of difficulty.

The same seed and level always give the same graph and inputs (numpy's seeded generator, nothing
else random), so a teacher can hand a whole class one exercise: `backprop-tui practice --seed N`.
"""

from __future__ import annotations

import math

import numpy as np

from ..engine.graph import GraphError
from ..engine.parser import ParseError
from ..stepping.problem import Problem, ProblemError, build_problem
from ..stepping.steppers import ReverseStepper

LEVELS = (1, 2, 3)
INPUT_NAMES = ("a", "b", "c")
UNARY = {1: ("neg",), 2: ("exp", "square", "recip"), 3: ("exp", "log", "sigmoid", "tanh", "square", "recip")}
BINARY = {1: ("+", "-", "*"), 2: ("+", "-", "*"), 3: ("+", "-", "*", "/")}
OPERATIONS = {1: 3, 2: 4, 3: 5}
INPUTS = {1: 2, 2: 2, 3: 3}
MAX_TRIES = 200
MAX_MAGNITUDE = 1e4


def _wrap(unary: str, text: str, atomic: bool) -> tuple[str, bool]:
    """`text` inside one unary operation, and whether the result needs no parentheses as an operand."""
    inner = text if atomic else f"({text})"
    if unary == "neg":
        return f"-{inner}", False
    if unary == "square":
        return f"{inner}^2", True
    if unary == "recip":
        return f"1/{inner}", False
    return f"{unary}({text})", True


def _operand(term: tuple[str, bool]) -> str:
    return term[0] if term[1] else f"({term[0]})"


def _expression(rng: np.random.Generator, level: int) -> str:
    """Combine the inputs with `OPERATIONS[level]` operations; one input is used twice (a fan-out)."""
    names = list(INPUT_NAMES[:INPUTS[level]])
    terms: list[tuple[str, bool]] = [(name, True) for name in [*names, names[int(rng.integers(len(names)))]]]
    operations = 0
    while len(terms) > 1 or operations < OPERATIONS[level]:
        if len(terms) > 1 and (operations >= OPERATIONS[level] - len(terms) + 1 or rng.random() < 0.6):
            i, j = sorted(int(k) for k in rng.choice(len(terms), size=2, replace=False))
            right, left = terms.pop(j), terms.pop(i)
            op = BINARY[level][int(rng.integers(len(BINARY[level])))]
            terms.append((f"{_operand(left)} {op} {_operand(right)}", False))
        else:
            k = int(rng.integers(len(terms)))
            terms[k] = _wrap(UNARY[level][int(rng.integers(len(UNARY[level])))], *terms[k])
        operations += 1
    return terms[0][0]


def _acceptable(problem: Problem) -> bool:
    """A real fan-out (a node whose derivative is a sum), and every number finite and not huge."""
    try:
        stepper = problem.stepper()
    except (ValueError, ArithmeticError):
        return False
    if not isinstance(stepper, ReverseStepper) or all(len(sent) < 2 for sent in stepper.contributions.values()):
        return False
    numbers = [float(row.value) for row in stepper.final().rows if row.value is not None]
    numbers += [float(row.accumulated) for row in stepper.final().rows if row.accumulated is not None]
    return all(math.isfinite(n) and abs(n) < MAX_MAGNITUDE for n in numbers)


def generated_problem(seed: int, level: int) -> Problem:
    """The reverse-mode problem of `seed` at `level` (1 easy, 3 hard); deterministic."""
    if level not in LEVELS:
        raise ValueError(f"the level must be 1, 2 or 3, got {level!r}")
    rng = np.random.default_rng([seed, level])
    for _ in range(MAX_TRIES):
        expression = _expression(rng, level)
        values = {name: int(rng.integers(-3, 4)) or 1 for name in INPUT_NAMES[:INPUTS[level]]}
        at = ",".join(f"{name}={value}" for name, value in values.items())
        try:
            problem = build_problem(expression=expression, at=at, wrt="a")
        except (ProblemError, ParseError, GraphError):
            continue
        if _acceptable(problem):
            return problem
    return build_problem(expression="(a + b) * a", at="a=2,b=1", wrt="a")
