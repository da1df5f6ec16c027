"""A primitive's closed-form rules as data: the shape of its value and partials as products of powers.

The lecture simplifies `(1+e^-9) · 1/(1+e^-9)²` to `1/(1+e^-9)`; the stepping layer does that with
monomials (core/stepping/monomial.py). The engine must not import the layer above it, so a primitive
states its rule here as a small expression tree (`times(A, power(B, -1))` for a / b) and the stepping
layer interprets it. A primitive without a rule has its form taken whole.

Two kinds of node say how a slide *writes* a partial where plain algebra would not: `one_minus`, a
base `1−a` whose number a stable function computes from an argument (slide 61's σ′ = σ(h)(1−σ(h)),
with 1−σ(h) worth σ(−h) from h, never 1 minus a rounded σ(h)), and `by_number`, a rule chosen by an
argument's number (∂L/∂p is −1/p for y = 1 and 1/(1−p) for y = 0). So a slide-written partial is
declared with its primitive, and the interpreter names no primitive.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Arg:
    """The closed form of the primitive's argument at `index`."""

    index: int


@dataclass(frozen=True)
class Out:
    """The closed form of the primitive's own value."""


@dataclass(frozen=True)
class Number:
    value: float


@dataclass(frozen=True)
class Product:
    a: Rule
    b: Rule


@dataclass(frozen=True)
class Power:
    a: Rule
    exponent: int


@dataclass(frozen=True)
class Negative:
    a: Rule


@dataclass(frozen=True)
class OneMinus:
    """1 − a as one opaque base (`1−σ(-0.25)`); a plain number stays a number (1 − 0.5 is 0.5).

    With `worth`, the base is worth `worth(x)` for the number x of `source`: a stable function where
    1 − a would cancel (1 − σ(h) is σ(−h) computed from h). Without, it is worth 1 − a's number."""

    a: Rule
    worth: Callable[[float], float] | None = None
    source: Rule | None = None


@dataclass(frozen=True)
class ByNumber:
    """The rule of the first case whose number `on` is (compared with ==); no closed form when `on`
    is no plain number or none of the cases."""

    on: Rule
    cases: tuple[tuple[float, Rule], ...]


@dataclass(frozen=True)
class Whole:
    """No rule for this partial: its text is taken whole, as for a primitive without rules."""


Rule = Arg | Out | Number | Product | Power | Negative | OneMinus | ByNumber | Whole

A, B = Arg(0), Arg(1)
OUT = Out()
WHOLE = Whole()


def times(a: Rule, b: Rule) -> Rule:
    return Product(a, b)


def power(a: Rule, exponent: int) -> Rule:
    return Power(a, exponent)


def negative(a: Rule) -> Rule:
    return Negative(a)


def number(value: float) -> Rule:
    return Number(value)


def one_minus(a: Rule, worth: Callable[[float], float] | None = None, source: Rule | None = None) -> Rule:
    """1 − a; `worth` and `source` go together (the base's number is worth(source's number))."""
    if (worth is None) != (source is None):
        raise ValueError("one_minus takes a worth function together with its source, or neither")
    return OneMinus(a, worth, source)


def by_number(on: Rule, cases: tuple[tuple[float, Rule], ...]) -> Rule:
    return ByNumber(on, cases)
