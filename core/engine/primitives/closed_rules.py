"""A primitive's closed-form rules as data: the shape of its value and partials as products of powers.

The lecture simplifies `(1+e^-9) · 1/(1+e^-9)²` to `1/(1+e^-9)`; the stepping layer does that with
monomials (core/stepping/monomial.py). The engine must not import the layer above it, so a primitive
states its rule here as a small expression tree (`times(A, power(B, -1))` for a / b) and the stepping
layer interprets it. A primitive without a rule has its form taken whole.
"""

from __future__ import annotations

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


Rule = Arg | Out | Number | Product | Power | Negative

A, B = Arg(0), Arg(1)
OUT = Out()


def times(a: Rule, b: Rule) -> Rule:
    return Product(a, b)


def power(a: Rule, exponent: int) -> Rule:
    return Power(a, exponent)


def negative(a: Rule) -> Rule:
    return Negative(a)


def number(value: float) -> Rule:
    return Number(value)
