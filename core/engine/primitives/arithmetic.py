"""The arithmetic primitives: + − · / negation, the lecture's −a·b, and a^k for a constant k."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .. import formula as fm
from ..formula import Formula
from ..numbers import Value
from . import closed_rules as cr
from .base import ONE, ZERO, Needs, Primitive, PythonPair, register, times_one
from .closed_rules import A, B


def _add_vjp(args: Sequence[Value], out: Value, adjoint: Value, needs: Needs = None) -> tuple[Value | None, ...]:
    piece = times_one(adjoint)
    if needs is None:
        return piece, piece
    return piece if needs[0] else None, piece if needs[1] else None


def _mul_vjp(args: Sequence[Value], out: Value, adjoint: Value, needs: Needs = None) -> tuple[Value | None, ...]:
    a, b = args
    if needs is None:
        return adjoint * b, adjoint * a
    return adjoint * b if needs[0] else None, adjoint * a if needs[1] else None


register(Primitive(
    "add", 2, lambda a, b: a + b, lambda args, out: (1.0, 1.0),
    lambda f: fm.plus(f[0], f[1]), lambda f, o: (ONE, ONE), "a + b",
    PythonPair(("a", "b"), "a + b", ("1.0", "1.0")), constant_partials=True), _add_vjp)
register(Primitive(
    "sub", 2, lambda a, b: a - b, lambda args, out: (1.0, -1.0),
    lambda f: fm.minus(f[0], f[1]), lambda f, o: (ONE, fm.number(-1)), "a − b",
    PythonPair(("a", "b"), "a - b", ("1.0", "-1.0")), constant_partials=True))
register(Primitive(
    "mul", 2, lambda a, b: a * b, lambda args, out: (args[1], args[0]),
    lambda f: fm.times(f[0], f[1]), lambda f, o: (f[1], f[0]), "a · b",
    PythonPair(("a", "b"), "a * b", ("b", "a")),
    value_rule=cr.times(A, B), partial_rules=(B, A)), _mul_vjp)
def _over_b_squared(t: Value, a: Value, b: Value) -> Value:
    """((t/b)·a)/b, the quotient rule's t·a/b², with no overflow or underflow on the way: inf or 0 only where
    the true value is past the doubles.

    At a = 5e-324 and b = √a, t/b overflowed where t·a/b² is an ordinary 2.2e161 (`(x/x**0.5)**0.5` in forward
    mode printed `4.5e161 − 2.2e161 = -inf`). Each number is split into its mantissa and power of two
    (`np.frexp`, 0.5 ≤ |m| < 1): the mantissas go through the same three operations in the same order, which
    stays between 1/4 and 4, and `np.ldexp` adds the powers back. Where nothing over- or underflowed the result
    is the plain expression's to the last bit, so t/b − ((t/b)·a)/b is still exactly 0 for a = b (x/x)."""
    mantissa_t, power_t = np.frexp(t)
    mantissa_a, power_a = np.frexp(a)
    mantissa_b, power_b = np.frexp(b)
    return np.ldexp(((mantissa_t / mantissa_b) * mantissa_a) / mantissa_b, power_t + power_a - 2 * power_b)


def _div_partials(args: Sequence[Value], out: Value) -> tuple[Value, ...]:
    """1/b and −(a/b)/b, the second never past the doubles on the way (a/b at a = 1, b = 1e-200)."""
    a, b = args
    return 1.0 / b, -_over_b_squared(a, 1.0, b)


def _div_vjp(args: Sequence[Value], out: Value, adjoint: Value, needs: Needs = None) -> tuple[Value | None, ...]:
    """adjoint/b and −((adjoint/b)·a)/b: each piece finite wherever its true value is (never adjoint · inf for
    a b² that underflowed, nor an adjoint/b that overflowed before a tiny a brought it back)."""
    a, b = args
    return (adjoint / b if needs is None or needs[0] else None,
            -_over_b_squared(adjoint, a, b) if needs is None or needs[1] else None)


def _div_jvp(args: Sequence[Value], out: Value, tangents: Sequence[Value]) -> Value:
    a, b = args
    return tangents[0] / b - _over_b_squared(tangents[1], a, b)


register(Primitive(
    "div", 2, lambda a, b: a / b, _div_partials,
    lambda f: fm.divide(f[0], f[1]),
    lambda f, o: (fm.divide(ONE, f[1]), fm.negate(fm.divide(f[0], fm.power(f[1], 2)))), "a / b",
    PythonPair(("a", "b"), "a / b", ("1 / b", "-a / b**2")),
    value_rule=cr.times(A, cr.power(B, -1)),
    partial_rules=(cr.power(B, -1), cr.negative(cr.times(A, cr.power(B, -2))))), _div_vjp, _div_jvp)
register(Primitive(
    "neg", 1, lambda a: -a, lambda args, out: (-1.0,),
    lambda f: fm.negate(f[0]), lambda f, o: (fm.number(-1),), "−a",
    PythonPair(("a",), "-a", ("-1.0",)),
    value_rule=cr.negative(A), constant_partials=True))
register(Primitive(
    "negmul", 2, lambda a, b: -(a * b), lambda args, out: (-args[1], -args[0]),
    lambda f: fm.negate(fm.times(f[0], f[1])),
    lambda f, o: (fm.negate(f[1]), fm.negate(f[0])), "−a·b (the lecture's L = −yξ5)",
    PythonPair(("a", "b"), "-(a * b)", ("-b", "-a")),
    value_rule=cr.negative(cr.times(A, B)), partial_rules=(cr.negative(B), cr.negative(A))))


def _pow_partial(a: Value, k: Value) -> Value:
    """k·a^(k−1), and exactly 0 for k = 0: a⁰ is constant, so 0·0^(−1) (a NaN) must not reach the chain."""
    if np.all(k == 0):
        return np.zeros_like(np.asarray(a, dtype=float))[()]
    return k * a ** (k - 1)


def _pow_partial_text(f: Sequence[Formula], o: Formula) -> tuple[Formula, ...]:
    """k·a^(k−1) with k exact: `(1/3)·x^(-2/3)` (the exponent's fraction minus 1, computed exactly)."""
    k = fm.number_value(f[1])
    if k == 0:
        return (ZERO, ZERO)
    coefficient = f[1] if f[1].precedence == fm.ATOM else fm.atom(f"({f[1].text})")
    return (fm.times(coefficient, fm.power(f[0], k - 1)), ZERO)


register(Primitive(
    "pow", 2, lambda a, k: a ** k,
    lambda args, out: (_pow_partial(args[0], args[1]), 0.0),
    lambda f: fm.power(f[0], fm.number_value(f[1])),
    _pow_partial_text,
    "a^k for a constant k",
    PythonPair(("a", "k"), "a ** k", ("k * a ** (k - 1)", "0.0")), const_positions=(1,)))
