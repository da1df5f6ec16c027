"""Closed forms that survive the chain rule: `3e^-9/(1+e^-9)²` instead of a bare decimal.

A closed form is kept as a monomial, a number times powers of opaque bases (`e^-9`, `1+e^-9`,
`log(1/(1+e^-9))`). Multiplying two monomials adds the exponents of equal bases, which is the
simplification the lecture makes on slides 65-72 (`(1+e^-9) · 1/(1+e^-9)²` becomes `1/(1+e^-9)`).
A sum of like monomials adds their numbers; any other sum becomes a new opaque base.

Every monomial carries the numeric value of each base, so its own value can be checked against
the engine's number: a form that does not reproduce the engine's number is dropped, never shown.
This is a display layer only; the engine's arithmetic never goes through it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..engine import formula as fm
from ..engine.formula import Formula

MAX_CHARS = 22
"""Longest closed form shown; past it the decimal alone is clearer."""
RELATIVE_TOLERANCE = 1e-9


SMALLEST_NORMAL = 2.2250738585072014e-308
"""Below it a double keeps fewer than 53 bits: a subnormal number or product is no exact closed form."""


@lru_cache(maxsize=65536)
def _exact_coefficient(value: float) -> bool:
    """A coefficient is kept only when its printed text is exactly the number (3, -0.5, never 0.333333),
    and it is a normal double (or 0): a subnormal one has already lost digits."""
    return (math.isfinite(value) and (value == 0 or abs(value) >= SMALLEST_NORMAL)
            and float(fm.number(value).text) == value)


def _power(base: float, exponent: int) -> float:
    """base ** exponent without Python's float errors: an overflow is inf, 0 to a negative power NaN,
    so a form that cannot be formed is dropped by the checks instead of raising."""
    try:
        return base ** exponent
    except OverflowError:
        return math.inf
    except ZeroDivisionError:
        return math.nan


def _log_magnitude(candidate: Monomial) -> tuple[float, float]:
    """(sign, log|value|) of a monomial, summed in logarithms so no product overflows or underflows
    on the way (1e200 · 1e200 / 1e300 is 1e100, though 1e200 · 1e200 is inf in doubles)."""
    sign, logarithm = math.copysign(1.0, candidate.coefficient), math.log(abs(candidate.coefficient))
    for base, exponent in candidate.powers:
        if base.value == 0 or not math.isfinite(base.value):
            return math.nan, math.nan
        if base.value < 0 and exponent % 2:
            sign = -sign
        logarithm += exponent * math.log(abs(base.value))
    return sign, logarithm


@dataclass(frozen=True)
class Base:
    """An opaque factor: its formula text and the number it stands for."""

    formula: Formula
    value: float

    def __init__(self, formula: Formula, value: float) -> None:
        fields = self.__dict__  # straight in, as Formula's `__init__` (a frozen dataclass's own is twice as slow)
        fields["formula"], fields["value"] = formula, value


@dataclass(frozen=True)
class Monomial:
    """coefficient · Π base^exponent, with the bases in the order they first appeared."""

    coefficient: float
    powers: tuple[tuple[Base, int], ...] = ()

    def __init__(self, coefficient: float, powers: tuple[tuple[Base, int], ...] = ()) -> None:
        fields = self.__dict__  # straight in, as Formula's `__init__`: a wide sum makes one per contribution
        fields["coefficient"], fields["powers"] = coefficient, powers

    @property
    def value(self) -> float:
        product = self.coefficient
        for base, exponent in self.powers:
            product *= _power(base.value, exponent)
        return product

    @property
    def signature(self) -> tuple[tuple[str, int], ...]:
        """The bases and exponents, without the number: like monomials share it and can be added."""
        return tuple((base.formula.text, exponent) for base, exponent in self.powers)

    def render(self) -> Formula | None:
        """The monomial as the lecture writes it: number and positive powers over the negative powers."""
        if not self.powers:
            return fm.number(self.coefficient)
        numerator: Formula = fm.number(abs(self.coefficient))
        denominator: Formula | None = None
        for base, exponent in self.powers:
            factor = base.formula if abs(exponent) == 1 else fm.power(base.formula, abs(exponent))
            if exponent > 0:
                numerator = fm.times(numerator, factor)
            else:
                denominator = factor if denominator is None else fm.times(denominator, factor)
        result = numerator if denominator is None else fm.divide(numerator, denominator)
        return fm.negate(result) if self.coefficient < 0 else result


def number(value: float) -> Monomial | None:
    value = float(value)
    if value == 0:  # 0.0 and -0.0 are one key of a cache: each keeps its own sign here
        return Monomial(value) if _exact_coefficient(value) else None
    return _nonzero_number(value)


@lru_cache(maxsize=65536)
def _nonzero_number(value: float) -> Monomial | None:
    """One monomial per number (monomials are immutable): a wide sum asks for `1` at every contribution."""
    return Monomial(value) if _exact_coefficient(value) else None


def opaque(formula: Formula | None, value: float) -> Monomial | None:
    """A formula taken whole: a number stays a number, a leading minus becomes the coefficient −1."""
    if formula is None or formula.truncated or not math.isfinite(value) or 0 < abs(value) < SMALLEST_NORMAL:
        return None
    if fm.is_number(formula):
        return number(float(formula.text))
    if formula.text.startswith(fm.MINUS) and formula.precedence >= fm.UNARY:
        inner = Formula(formula.text[1:], fm.MUL)
        return Monomial(-1.0, ((Base(inner, -value), 1),)) if value != 0 else None
    return Monomial(1.0, ((Base(formula, value), 1),))


def times(a: Monomial | None, b: Monomial | None) -> Monomial | None:
    """The product, equal bases merged (exponents added, a zero exponent dropped)."""
    if a is None or b is None:
        return None
    coefficient = a.coefficient * b.coefficient
    if not _exact_coefficient(coefficient):
        return None
    if coefficient == 0:
        return Monomial(0.0)
    powers: dict[str, list] = {}
    for base, exponent in (*a.powers, *b.powers):
        if base.formula.text in powers:
            powers[base.formula.text][1] += exponent
        else:
            powers[base.formula.text] = [base, exponent]
    return Monomial(coefficient, tuple((base, exponent) for base, exponent in powers.values() if exponent))


def power(a: Monomial | None, exponent: int) -> Monomial | None:
    if a is None or (a.coefficient == 0 and exponent < 0):
        return None
    coefficient = _power(a.coefficient, exponent)
    if not _exact_coefficient(coefficient):
        return None
    return Monomial(coefficient, tuple((base, power_ * exponent) for base, power_ in a.powers))


def negate(a: Monomial | None) -> Monomial | None:
    return None if a is None else Monomial(-a.coefficient, a.powers)


def total(terms: Sequence[Monomial | None]) -> Monomial | None:
    """A sum: like terms add their numbers and zeros drop out. A sum of unlike terms has no closed form
    here: written out (`1−tanh(0.5)²+1`) it says less than its decimal."""
    if any(term is None for term in terms):
        return None
    kept = [term for term in terms if term is not None and term.coefficient != 0]
    if not kept:
        return Monomial(0.0)
    first = kept[0].powers
    # Equal powers (numbers alone, the common case) need no signature: equal powers give equal signatures.
    if all(term.powers == first for term in kept) or all(term.signature == kept[0].signature for term in kept):
        coefficient = sum(term.coefficient for term in kept)
        return Monomial(coefficient, kept[0].powers) if _exact_coefficient(coefficient) else None
    return None


def checked(candidate: Monomial | None, value: float) -> Monomial | None:
    """The candidate if it reproduces the engine's number to RELATIVE_TOLERANCE; otherwise None.

    Relative only, and only for a normal double: a subnormal cell has already lost digits, so no exact
    form can be confirmed against it. The comparison is made in logarithms, so a form whose factors
    overflow on their own (1e200² / 1e300) is still confirmed by its value, and one that cannot be
    formed at all is left out, never raised."""
    if candidate is None or not math.isfinite(value):
        return None
    if value == 0 or candidate.coefficient == 0:
        return candidate if value == 0 and candidate.coefficient == 0 else None
    if abs(value) < SMALLEST_NORMAL:
        return None
    sign, logarithm = _log_magnitude(candidate)
    if sign != math.copysign(1.0, value) or not math.isfinite(logarithm):
        return None
    # |log a − log b| ≤ tol means a/b within e^±tol: the relative tolerance, to first order.
    if abs(logarithm - math.log(abs(value))) > RELATIVE_TOLERANCE:
        return None
    return candidate


def text(candidate: Monomial | None) -> str | None:
    """The monomial's text when it is short enough to help; None sends the reader to the decimal."""
    if candidate is None:
        return None
    rendered = candidate.render()
    if rendered is None or rendered.truncated or len(rendered.text) > MAX_CHARS:
        return None
    return rendered.text
