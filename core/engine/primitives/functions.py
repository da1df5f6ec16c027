"""The one-argument functions a user may call in an expression (exp, log, …, sigmoid, relu, square)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from .. import formula as fm
from .. import logistic
from ..formula import Formula
from ..numbers import Value
from . import closed_rules as cr
from .base import ONE, Needs, Primitive, PythonPair, is_batch, one_minus, register
from .closed_rules import OUT, A

register(Primitive(
    "exp", 1, np.exp, lambda args, out: (out,),
    lambda f: fm.exp_of(f[0]), lambda f, o: (fm.exp_of(f[0]),), "e^a",
    PythonPair(("a",), "np.exp(a)", ("np.exp(a)",)),
    partial_rules=(OUT,)))
def _log_vjp(args: Sequence[Value], out: Value, adjoint: Value, needs: Needs = None) -> tuple[Value | None, ...]:
    """adjoint / a rather than adjoint · (1/a): at a = 5e-324, 1/a overflows while adjoint/a is an ordinary
    number (x log x at x = 5e-324 has dL/dx = log x + 1 = −743.44)."""
    return (adjoint / args[0] if needs is None or needs[0] else None,)


def _reciprocal_partial(args: Sequence[Value], out: Value) -> tuple[Value, ...]:
    """−(1/a)²: squaring 1/a, not a, so a tiny a gives its true (possibly infinite) partial, never a
    subnormal a² that has lost its digits."""
    inverse = 1.0 / args[0]
    return (-(inverse * inverse),)


def _reciprocal_vjp(args: Sequence[Value], out: Value, adjoint: Value,
                    needs: Needs = None) -> tuple[Value | None, ...]:
    """−(adjoint/a)/a: finite wherever the true piece is (adjoint 1e-200 at a = 1e-200 gives 1e200)."""
    return (-((adjoint / args[0]) / args[0]) if needs is None or needs[0] else None,)


register(Primitive(
    "log", 1, np.log, lambda args, out: (1.0 / args[0],),
    lambda f: fm.call("log", f[0], bare_atoms=True), lambda f, o: (fm.divide(ONE, f[0]),),
    "natural logarithm",
    PythonPair(("a",), "np.log(a)", ("1 / a",)),
    partial_rules=(cr.power(A, -1),)), _log_vjp, lambda args, out, tangents: tangents[0] / args[0])
register(Primitive(
    "reciprocal", 1, lambda a: 1.0 / a, _reciprocal_partial,
    lambda f: fm.divide(ONE, f[0]), lambda f, o: (fm.negate(fm.divide(ONE, fm.power(f[0], 2))),),
    "1/a",
    PythonPair(("a",), "1 / a", ("-(1 / a) ** 2",)),
    value_rule=cr.power(A, -1), partial_rules=(cr.negative(cr.power(A, -2)),)),
    _reciprocal_vjp, lambda args, out, tangents: -((tangents[0] / args[0]) / args[0]))
register(Primitive(
    "one_minus", 1, lambda a: 1.0 - a, lambda args, out: (-1.0,),
    lambda f: one_minus(f[0]), lambda f, o: (fm.number(-1),), "1 − a",
    PythonPair(("a",), "1 - a", ("-1.0",)), constant_partials=True))
register(Primitive(
    "sin", 1, np.sin, lambda args, out: (np.cos(args[0]),),
    lambda f: fm.call("sin", f[0], bare_atoms=True), lambda f, o: (fm.call("cos", f[0], bare_atoms=True),),
    "sine",
    PythonPair(("a",), "np.sin(a)", ("np.cos(a)",))))
register(Primitive(
    "cos", 1, np.cos, lambda args, out: (-np.sin(args[0]),),
    lambda f: fm.call("cos", f[0], bare_atoms=True),
    lambda f, o: (fm.negate(fm.call("sin", f[0], bare_atoms=True)),), "cosine",
    PythonPair(("a",), "np.cos(a)", ("-np.sin(a)",))))
def _tanh_partial(args: Sequence[Value], out: Value) -> tuple[Value, ...]:
    """tanh′(a) = 1 − tanh² = 4e^(−2|a|)/(1 + e^(−2|a|))² = 4σ′(2a): full relative precision in the flat
    tails (1.6993417021166355e-17 at a = 20), where 1 − out² is 0 once out rounds to ±1."""
    return (4.0 * logistic.sigmoid_slope_kernel(2.0 * args[0]),)


register(Primitive(
    "tanh", 1, np.tanh, _tanh_partial,
    lambda f: fm.call("tanh", f[0], bare_atoms=True),
    lambda f, o: (one_minus(fm.power(fm.call("tanh", f[0], bare_atoms=True), 2)),), "hyperbolic tangent",
    PythonPair(("a",), "np.tanh(a)", ("4 * np.exp(-2 * abs(a)) / (1 + np.exp(-2 * abs(a))) ** 2",)),
    # tanh is ±1.0 only by rounding (tanh(20) = 1 − 8.5e-18): its form is kept, as σ(40)'s is.
    rounded_values=(1.0, -1.0)))


def _sigmoid_partial(args: Sequence[Value], out: Value) -> tuple[Value, ...]:
    """σ′ = σ(a)·σ(−a) from the argument (core/engine/logistic.py), not σ(1 − σ) from a rounded σ."""
    return (logistic.sigmoid_slope_kernel(args[0]),)


def _sigmoid_vjp(args: Sequence[Value], out: Value, adjoint: Value, needs: Needs = None) -> tuple[Value | None, ...]:
    """adjoint · σ′(a), the derived rule's arithmetic, in the slope's own array over a batch."""
    if needs is not None and not needs[0]:
        return (None,)
    partial = logistic.sigmoid_slope_kernel(args[0])
    if is_batch(partial) and (type(adjoint) is not np.ndarray or adjoint.shape == partial.shape):
        return (np.multiply(adjoint, partial, partial),)
    return (adjoint * partial,)


def _sigmoid_of_negative(h: float) -> float:
    """σ(−h) from h's own number: 1 − σ(h) without subtracting a rounded σ(h), the value of slide 61's
    base 1−σ(h) (e^h capped at e^709, so it never overflows)."""
    return 1.0 / (1.0 + math.exp(min(h, 709.0)))


def sigma_of(a: Formula) -> Formula:
    """σ(a) as the lecture writes it: the sigmoid's text, also inside bce_logit's (core/engine/primitives/neuron.py)."""
    return fm.call("σ", a)


register(Primitive(
    "sigmoid", 1, logistic.sigmoid_kernel, _sigmoid_partial,
    lambda f: sigma_of(f[0]),
    lambda f, o: (fm.times(sigma_of(f[0]), one_minus(sigma_of(f[0]))),), "logistic σ(a) = 1/(1+e^−a)",
    PythonPair(("a",), "1 / (1 + np.exp(-a))", ("np.exp(-abs(a)) / (1 + np.exp(-abs(a))) ** 2",)),
    # Slide 61 writes σ′ = σ(h)·(1−σ(h)), the base 1−σ(h) worth σ(−h) from h.
    partial_rules=(cr.times(OUT, cr.one_minus(OUT, _sigmoid_of_negative, A)),),
    # σ is 1.0 only by rounding (σ(40)); it is 0.0 only past the smallest subnormal (h < −745), where no
    # form is within 1e-9 of the cell: that one is the number 0.
    rounded_values=(1.0,)),
    _sigmoid_vjp)
register(Primitive(
    "relu", 1, lambda a: np.maximum(a, 0.0), lambda args, out: (np.where(np.asarray(args[0]) > 0, 1.0, 0.0),),
    lambda f: fm.call("relu", f[0]), lambda f, o: (fm.atom(f"[{f[0].text}>0]"),), "max(a, 0)",
    PythonPair(("a",), "np.maximum(a, 0.0)", ("np.where(a > 0, 1.0, 0.0)",))))
register(Primitive(
    "sqrt", 1, np.sqrt, lambda args, out: (0.5 / out,),
    lambda f: fm.call("√", f[0]), lambda f, o: (fm.divide(ONE, fm.times(fm.number(2), fm.call("√", f[0]))),),
    "square root",
    PythonPair(("a",), "np.sqrt(a)", ("0.5 / np.sqrt(a)",))))
register(Primitive(
    "square", 1, lambda a: a * a, lambda args, out: (2.0 * args[0],),
    lambda f: fm.power(f[0], 2), lambda f, o: (fm.times(fm.number(2), f[0]),), "a²",
    PythonPair(("a",), "a * a", ("2 * a",)),
    value_rule=cr.power(A, 2), partial_rules=(cr.times(cr.number(2), A),)))
