"""Formula text with operator precedence, so definitions print the way the lecture writes them.

Every primitive renders itself from its arguments' formulas; parentheses appear only where
precedence needs them (`1/(1+e^ξ1)`, never `(1)/((1)+(e^(ξ1)))`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

ADD = 10
MUL = 20
UNARY = 30
POW = 40
ATOM = 50

MINUS = "\u2212"
MAX_FORMULA_CHARS = 160
ELLIPSIS = "\u2026"

_NAME = re.compile(r"^[^\W\d]\w*$")
_POWERED_NAME = re.compile(r"^[^\W\d][^\W⁰¹²³⁴⁵⁶⁷⁸⁹]*[⁰¹²³⁴⁵⁶⁷⁸⁹]+$")
"""`x²`, `ξ3²`: a name raised to a small power, which a number may precede without a dot (`3x²`)."""
_SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


@dataclass(frozen=True)
class Formula:
    """A piece of formula text and the precedence of its outermost operator."""

    text: str
    precedence: int = ATOM

    def __init__(self, text: str, precedence: int = ATOM) -> None:
        """The fields stored straight into the instance: twice as fast as a frozen dataclass's own
        `__init__` (one `object.__setattr__` per field), and a big graph's rendering makes ~10 per node."""
        fields = self.__dict__
        fields["text"], fields["precedence"] = text, precedence

    def __str__(self) -> str:
        return self.text

    @property
    def truncated(self) -> bool:
        return self.text == ELLIPSIS


TRUNCATED = Formula(ELLIPSIS)


@lru_cache(maxsize=65536)
def atom(text: str) -> Formula:
    """A name as a formula, one per name (formulas are immutable): each node's name is asked for by
    its definition, its children's and its partials'."""
    return Formula(text, ATOM)


def number(value: float) -> Formula:
    """A numeric literal: integers without a trailing `.0`, negatives marked so they get parentheses."""
    if type(value) is float:
        return _float_number(value)
    return _number(value)


@lru_cache(maxsize=65536)
def _float_number(value: float) -> Formula:
    """One literal per float (formulas are immutable): a big graph's closed forms ask for `1` and `0`
    hundreds of thousands of times. 0.0 and -0.0 share a key, and both read `0`."""
    return _number(value)


def _number(value: float) -> Formula:
    if float(value).is_integer() and abs(value) < 1e15:
        text = str(int(value))
    else:
        text = f"{value:.6g}"
    return Formula(text, UNARY if text.startswith("-") else ATOM)


MAX_DENOMINATOR = 1000
"""A constant within reach of p/q with q up to this is written as that fraction (`x^(1/3)`)."""


def simple_fraction(value: float) -> Fraction | None:
    """p/q (q ≥ 2) when `value` is the double nearest p/q for a small q (1/3, −2/3, 5/7); else None."""
    if not math.isfinite(value) or float(value).is_integer():
        return None
    fraction = Fraction(value).limit_denominator(MAX_DENOMINATOR)
    if fraction.denominator > 1 and float(fraction) == value:
        return fraction
    return None


def exact_number(value: float | Fraction) -> Formula:
    """A constant as text that means exactly that number: the short literal where it round-trips (`0.5`,
    `3`), a simple fraction where it is one (`1/3`, not 0.333333), else every digit (`1.23456789`).

    A formula is read as mathematics, so a rounded constant (`1.7^0.333333`) would name another number."""
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return number(float(value))
        text = f"{value.numerator}/{value.denominator}"
        return Formula(text, UNARY if value < 0 else MUL)
    value = float(value)
    literal = number(value)
    if not math.isfinite(value) or float(literal.text) == value:
        return literal
    fraction = simple_fraction(value)
    if fraction is not None:
        return exact_number(fraction)
    text = repr(value)
    return Formula(text, UNARY if text.startswith("-") else ATOM)


def number_value(formula: Formula) -> float | Fraction:
    """The number a literal formula names: a Fraction for `1/3`, a float otherwise."""
    text = formula.text.strip("()").replace(MINUS, "-")
    if "/" in text:
        numerator, denominator = text.split("/")
        return Fraction(int(numerator), int(denominator))
    return float(text)


def wrap(formula: Formula, minimum: int) -> str:
    """The formula's text, parenthesised when its operator binds more loosely than `minimum`."""
    if formula.precedence < minimum:
        return f"({formula.text})"
    return formula.text


def bounded(text: str, precedence: int, *parts: Formula) -> Formula:
    """Build a formula unless it grows too long; long expansions collapse to an ellipsis."""
    if len(text) > MAX_FORMULA_CHARS:
        return TRUNCATED
    for part in parts:  # `truncated` of each, without a generator and a property call per part
        if part.text == ELLIPSIS:
            return TRUNCATED
    return Formula(text, precedence)


def is_simple_name(formula: Formula) -> bool:
    return formula.precedence == ATOM and bool(_NAME.match(formula.text))


def is_number(formula: Formula) -> bool:
    try:
        float(formula.text)
    except ValueError:
        return False
    return True


def negate(a: Formula) -> Formula:
    if a.text.startswith("-") and is_number(a):
        return number(-float(a.text))
    # −(ab) = (−a)b and −(a/b) = (−a)/b, so products and quotients need no parentheses.
    return bounded(f"{MINUS}{wrap(a, MUL)}", UNARY, a)


def plus(a: Formula, b: Formula) -> Formula:
    if b.text == "0":
        return a
    if a.text == "0":
        return b
    if b.text.startswith((MINUS, "-")) and b.precedence >= UNARY:
        return bounded(f"{wrap(a, ADD)}{MINUS}{wrap(b, UNARY)[1:]}", ADD, a, b)
    return bounded(f"{wrap(a, ADD)}+{wrap(b, ADD)}", ADD, a, b)


def minus(a: Formula, b: Formula) -> Formula:
    return bounded(f"{wrap(a, ADD)}{MINUS}{wrap(b, ADD + 1)}", ADD, a, b)


def times(a: Formula, b: Formula) -> Formula:
    """Product; juxtaposed as in the lecture (`yξ5`, `3e^-9`) when that cannot be misread."""
    if a.text == "1":
        return b
    if b.text == "1":
        return a
    if a.text in ("-1", f"{MINUS}1"):
        return negate(b)
    if b.text in ("-1", f"{MINUS}1"):
        return negate(a)
    left = wrap(a, MUL)
    right = wrap(b, MUL + 1)
    short_left = is_number(a) or (is_simple_name(a) and len(a.text) == 1)
    powered_name = b.precedence == POW and bool(_POWERED_NAME.match(b.text))
    right_is_call = (right[:1].isalpha() and not is_simple_name(b) and not right.startswith("e^")
                     and not powered_name)
    # `3e^-9`, `2x`, `yξ5` as the slides write them; `0·ξ3`, `x·x`, `W11·X` where juxtaposition would blur.
    right_is_short = right.startswith(("e^", "(")) or (is_simple_name(b) and len(b.text) == 1) or powered_name
    # A number is never juxtaposed on the right: `x·inf`, not `xinf` (inf and nan are the numbers that read as names).
    juxtapose = (short_left and not right_is_call and a.text != b.text and not is_number(b)
                 and (right_is_short or (not is_number(a) and right[:1].isalpha())))
    separator = "" if juxtapose else (" " if short_left and right_is_call else "·")
    precedence = UNARY if left.startswith(("-", MINUS)) and juxtapose else MUL
    return bounded(f"{left}{separator}{right}", min(precedence, MUL), a, b)


def divide(a: Formula, b: Formula) -> Formula:
    if a.text == "1" and b.precedence == MUL and b.text.startswith("1/"):
        inner = b.text[2:]
        if inner.startswith("(") and inner.endswith(")"):
            return Formula(inner[1:-1], ADD)
        return Formula(inner, ATOM)
    return bounded(f"{wrap(a, MUL)}/{wrap(b, MUL + 1)}", MUL, a, b)


def power(a: Formula, exponent: float | Fraction) -> Formula:
    """`a²` for small integer exponents (as the lecture writes ξ3²), `a^k` otherwise, with k exact:
    `x^(1/3)` for a simple fraction, every digit of any other k."""
    if exponent == 1:
        return a
    if float(exponent).is_integer() and 0 <= exponent < 10 and a.precedence == ATOM - 1 and " " in a.text:
        # A bare call `tanh x` squared reads `tanh²x`, as written by hand; `tanh x²` would be tanh of x².
        function, argument = a.text.split(" ", 1)
        return bounded(f"{function}{str(int(exponent)).translate(_SUPERSCRIPTS)}{argument}", ATOM - 1, a)
    base = wrap(a, POW + 1)
    if float(exponent).is_integer() and 0 <= exponent < 10:
        return bounded(f"{base}{str(int(exponent)).translate(_SUPERSCRIPTS)}", POW, a)
    return bounded(f"{base}^{wrap(exact_number(exponent), ATOM)}", POW, a)


def exp_of(a: Formula) -> Formula:
    if a.precedence == ATOM or (is_number(a) and a.text.startswith("-")):
        return bounded(f"e^{a.text}", POW, a)
    return bounded(f"e^({a.text})", POW, a)


def call(function: str, a: Formula, *, bare_atoms: bool = False) -> Formula:
    """`log ξ4` for a bare name (as the slides write it) when `bare_atoms`, else `f(…)`."""
    if bare_atoms and is_simple_name(a):
        return bounded(f"{function} {a.text}", ATOM - 1, a)
    return bounded(f"{function}({a.text})", ATOM, a)


def transpose_product(a: Formula, b: Formula) -> Formula:
    return bounded(f"{wrap(a, POW + 1)}ᵀ{wrap(b, POW + 1)}", MUL, a, b)
