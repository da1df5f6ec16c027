"""The primitives: each declared once with its evaluation, local partials (as numbers and as text),
and its forward-mode (JVP) and reverse-mode (VJP) rules.

A primitive's rules are registered right after it, in one table per mode (`JVP_RULES`,
`VJP_RULES`), as in JAX's autodidax. Elementwise primitives derive both rules from their local
partials, which keeps the chain rule the lecture teaches (value of the partial × accumulated
derivative) literally the rule the engine runs. A missing rule is an error, never a silent zero.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from . import formula as fm
from .formula import Formula
from .numbers import Value

Partials = Callable[[Sequence[Value], Value], tuple[Value, ...]]
Render = Callable[[Sequence[Formula]], Formula]
PartialTexts = Callable[[Sequence[Formula], Formula], tuple[Formula, ...]]
JvpRule = Callable[[Sequence[Value], Value, Sequence[Value]], Value]
VjpRule = Callable[[Sequence[Value], Value, Value], tuple[Value, ...]]


class MissingRuleError(LookupError):
    """A primitive has no rule for the requested mode."""


@dataclass(frozen=True)
class Primitive:
    """One basic function of the computational graph and what the lecture's table needs to know of it."""

    name: str
    arity: int | None
    evaluate: Callable[..., Value]
    partials: Partials
    render: Render
    partial_texts: PartialTexts
    description: str
    const_positions: tuple[int, ...] = ()


PRIMITIVES: dict[str, Primitive] = {}
JVP_RULES: dict[str, JvpRule] = {}
VJP_RULES: dict[str, VjpRule] = {}


def primitive(name: str) -> Primitive:
    try:
        return PRIMITIVES[name]
    except KeyError:
        raise LookupError(f"unknown primitive {name!r}") from None


def jvp_rule(name: str) -> JvpRule:
    try:
        return JVP_RULES[name]
    except KeyError:
        raise MissingRuleError(f"primitive {name!r} has no forward-mode (JVP) rule") from None


def vjp_rule(name: str) -> VjpRule:
    try:
        return VJP_RULES[name]
    except KeyError:
        raise MissingRuleError(f"primitive {name!r} has no reverse-mode (VJP) rule") from None


def _register_elementwise(prim: Primitive) -> None:
    """Register `prim` with the chain rule built from its local partials."""
    PRIMITIVES[prim.name] = prim

    def jvp(args: Sequence[Value], out: Value, tangents: Sequence[Value]) -> Value:
        total: Value = 0.0
        for partial, tangent in zip(prim.partials(args, out), tangents, strict=False):
            total = total + partial * tangent
        return total

    def vjp(args: Sequence[Value], out: Value, adjoint: Value) -> tuple[Value, ...]:
        return tuple(adjoint * partial for partial in prim.partials(args, out))

    JVP_RULES[prim.name] = jvp
    VJP_RULES[prim.name] = vjp


def _sigmoid(z: Value) -> Value:
    """Logistic function without overflow warnings for large |z|."""
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=float)))


def _one_minus(a: Formula) -> Formula:
    return fm.minus(fm.number(1), a)


ONE = fm.number(1)
ZERO = fm.number(0)

_register_elementwise(Primitive(
    "add", 2, lambda a, b: a + b, lambda args, out: (1.0, 1.0),
    lambda f: fm.plus(f[0], f[1]), lambda f, o: (ONE, ONE), "a + b"))
_register_elementwise(Primitive(
    "sub", 2, lambda a, b: a - b, lambda args, out: (1.0, -1.0),
    lambda f: fm.minus(f[0], f[1]), lambda f, o: (ONE, fm.number(-1)), "a − b"))
_register_elementwise(Primitive(
    "mul", 2, lambda a, b: a * b, lambda args, out: (args[1], args[0]),
    lambda f: fm.times(f[0], f[1]), lambda f, o: (f[1], f[0]), "a · b"))
_register_elementwise(Primitive(
    "div", 2, lambda a, b: a / b,
    lambda args, out: (1.0 / args[1], -args[0] / args[1] ** 2),
    lambda f: fm.divide(f[0], f[1]),
    lambda f, o: (fm.divide(ONE, f[1]), fm.negate(fm.divide(f[0], fm.power(f[1], 2)))), "a / b"))
_register_elementwise(Primitive(
    "neg", 1, lambda a: -a, lambda args, out: (-1.0,),
    lambda f: fm.negate(f[0]), lambda f, o: (fm.number(-1),), "−a"))
_register_elementwise(Primitive(
    "negmul", 2, lambda a, b: -(a * b), lambda args, out: (-args[1], -args[0]),
    lambda f: fm.negate(fm.times(f[0], f[1])),
    lambda f, o: (fm.negate(f[1]), fm.negate(f[0])), "−a·b (the lecture's L = −yξ5)"))
_register_elementwise(Primitive(
    "pow", 2, lambda a, k: a ** k,
    lambda args, out: (args[1] * args[0] ** (args[1] - 1), 0.0),
    lambda f: fm.power(f[0], float(f[1].text)),
    lambda f, o: (fm.times(f[1], fm.power(f[0], float(f[1].text) - 1)), ZERO),
    "a^k for a constant k", const_positions=(1,)))
_register_elementwise(Primitive(
    "exp", 1, np.exp, lambda args, out: (out,),
    lambda f: fm.exp_of(f[0]), lambda f, o: (fm.exp_of(f[0]),), "e^a"))
_register_elementwise(Primitive(
    "log", 1, np.log, lambda args, out: (1.0 / args[0],),
    lambda f: fm.call("log", f[0], bare_atoms=True), lambda f, o: (fm.divide(ONE, f[0]),),
    "natural logarithm"))
_register_elementwise(Primitive(
    "reciprocal", 1, lambda a: 1.0 / a, lambda args, out: (-1.0 / args[0] ** 2,),
    lambda f: fm.divide(ONE, f[0]), lambda f, o: (fm.negate(fm.divide(ONE, fm.power(f[0], 2))),),
    "1/a"))
_register_elementwise(Primitive(
    "one_minus", 1, lambda a: 1.0 - a, lambda args, out: (-1.0,),
    lambda f: _one_minus(f[0]), lambda f, o: (fm.number(-1),), "1 − a"))
_register_elementwise(Primitive(
    "sin", 1, np.sin, lambda args, out: (np.cos(args[0]),),
    lambda f: fm.call("sin", f[0], bare_atoms=True), lambda f, o: (fm.call("cos", f[0], bare_atoms=True),),
    "sine"))
_register_elementwise(Primitive(
    "cos", 1, np.cos, lambda args, out: (-np.sin(args[0]),),
    lambda f: fm.call("cos", f[0], bare_atoms=True),
    lambda f, o: (fm.negate(fm.call("sin", f[0], bare_atoms=True)),), "cosine"))
_register_elementwise(Primitive(
    "tanh", 1, np.tanh, lambda args, out: (1.0 - out ** 2,),
    lambda f: fm.call("tanh", f[0], bare_atoms=True),
    lambda f, o: (_one_minus(fm.power(fm.call("tanh", f[0], bare_atoms=True), 2)),), "hyperbolic tangent"))
_register_elementwise(Primitive(
    "sigmoid", 1, _sigmoid, lambda args, out: (out * (1.0 - out),),
    lambda f: fm.call("σ", f[0]),
    lambda f, o: (fm.times(fm.call("σ", f[0]), _one_minus(fm.call("σ", f[0]))),), "logistic σ(a) = 1/(1+e^−a)"))
_register_elementwise(Primitive(
    "relu", 1, lambda a: np.maximum(a, 0.0), lambda args, out: (np.where(np.asarray(args[0]) > 0, 1.0, 0.0),),
    lambda f: fm.call("relu", f[0]), lambda f, o: (fm.atom(f"[{f[0].text}>0]"),), "max(a, 0)"))
_register_elementwise(Primitive(
    "sqrt", 1, np.sqrt, lambda args, out: (0.5 / out,),
    lambda f: fm.call("√", f[0]), lambda f, o: (fm.divide(ONE, fm.times(fm.number(2), fm.call("√", f[0]))),),
    "square root"))
_register_elementwise(Primitive(
    "square", 1, lambda a: a * a, lambda args, out: (2.0 * args[0],),
    lambda f: fm.power(f[0], 2), lambda f, o: (fm.times(fm.number(2), f[0]),), "a²"))


def _affine(*args: Value) -> Value:
    total = args[0]
    for weight, x in zip(args[1::2], args[2::2], strict=False):
        total = total + weight * x
    return total


def _affine_partials(args: Sequence[Value], out: Value) -> tuple[Value, ...]:
    partials: list[Value] = [1.0]
    for weight, x in zip(args[1::2], args[2::2], strict=False):
        partials.extend((x, weight))
    return tuple(partials)


def _affine_render(f: Sequence[Formula]) -> Formula:
    total = f[0]
    for weight, x in zip(f[1::2], f[2::2], strict=False):
        total = fm.plus(total, fm.times(weight, x))
    return total


def _affine_texts(f: Sequence[Formula], out: Formula) -> tuple[Formula, ...]:
    texts: list[Formula] = [ONE]
    for weight, x in zip(f[1::2], f[2::2], strict=False):
        texts.extend((x, weight))
    return tuple(texts)


_register_elementwise(Primitive(
    "affine", None, _affine, _affine_partials, _affine_render, _affine_texts,
    "b + w1·x1 + w2·x2 + … (a neuron's affine part)"))


def _bce(p: Value, y: Value) -> Value:
    return -(y * np.log(p) + (1.0 - y) * np.log(1.0 - p))


_register_elementwise(Primitive(
    "bce", 2, _bce,
    lambda args, out: ((args[0] - args[1]) / (args[0] * (1.0 - args[0])), np.log((1.0 - args[0]) / args[0])),
    lambda f: fm.negate(fm.atom(
        f"[{fm.times(f[1], fm.call('log', f[0], bare_atoms=True))}"
        f"+{fm.times(_one_minus(f[1]), fm.call('log', _one_minus(f[0])))}]")),
    lambda f, o: (fm.divide(fm.minus(f[0], f[1]), fm.times(f[0], _one_minus(f[0]))),
                  fm.call("log", fm.divide(_one_minus(f[0]), f[0]))),
    "binary cross-entropy −[y log p + (1−y) log(1−p)], inputs (p, y)"))


def _dot(w: Value, x: Value) -> Value:
    w, x = np.asarray(w, dtype=float), np.asarray(x, dtype=float)
    if w.ndim == 0 or x.ndim == 0:
        return w * x
    return np.sum(w * x, axis=-1)


def _expand_last(adjoint: Value, like: Value) -> Value:
    """The adjoint of a dot product's output, broadcast back over the summed (last) axis."""
    adjoint = np.asarray(adjoint, dtype=float)
    if np.ndim(like) == 0:
        return adjoint
    return adjoint[..., None]


def _dot_jvp(args: Sequence[Value], out: Value, tangents: Sequence[Value]) -> Value:
    return _dot(tangents[0], args[1]) + _dot(args[0], tangents[1])


def _dot_vjp(args: Sequence[Value], out: Value, adjoint: Value) -> tuple[Value, ...]:
    w, x = args
    return _expand_last(adjoint, x) * x, _expand_last(adjoint, w) * w


PRIMITIVES["dot"] = Primitive(
    "dot", 2, _dot, lambda args, out: (args[1], args[0]),
    lambda f: fm.transpose_product(f[0], f[1]), lambda f, o: (f[1], f[0]), "wᵀx for vector weights")
JVP_RULES["dot"] = _dot_jvp
VJP_RULES["dot"] = _dot_vjp

PRIMITIVES["neg_dot"] = Primitive(
    "neg_dot", 2, lambda w, x: -_dot(w, x), lambda args, out: (-np.asarray(args[1]), -np.asarray(args[0])),
    lambda f: fm.negate(fm.transpose_product(f[0], f[1])),
    lambda f, o: (fm.negate(f[1]), fm.negate(f[0])), "−wᵀx (the lecture's ξ1 = −WᵀX)")
JVP_RULES["neg_dot"] = lambda args, out, tangents: -_dot_jvp(args, out, tangents)
VJP_RULES["neg_dot"] = lambda args, out, adjoint: tuple(-c for c in _dot_vjp(args, out, adjoint))

FUNCTION_NAMES: dict[str, str] = {
    "exp": "exp", "log": "log", "ln": "log", "sin": "sin", "cos": "cos", "tanh": "tanh",
    "sigmoid": "sigmoid", "σ": "sigmoid", "relu": "relu", "sqrt": "sqrt", "square": "square",
    "reciprocal": "reciprocal", "one_minus": "one_minus",
}
"""Names a user may call in an expression, mapped to the primitive they build."""
