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
from . import logistic
from .formula import Formula
from .numbers import Value

Partials = Callable[[Sequence[Value], Value], tuple[Value, ...]]
Render = Callable[[Sequence[Formula]], Formula]
PartialTexts = Callable[[Sequence[Formula], Formula], tuple[Formula, ...]]
JvpRule = Callable[[Sequence[Value], Value, Sequence[Value]], Value]
Needs = tuple[bool, ...] | None
VjpRule = Callable[..., tuple[Value | None, ...]]
"""`rule(args, out, adjoint, needs=None)`: one piece per argument; None where `needs` says False."""


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


def derived_vjp_rule(prim: Primitive) -> VjpRule:
    """The chain rule built from `prim`'s local partials: each piece is adjoint × ∂out/∂arg."""

    def vjp(args: Sequence[Value], out: Value, adjoint: Value, needs: Needs = None) -> tuple[Value | None, ...]:
        partials = prim.partials(args, out)
        if needs is None:
            return tuple(adjoint * partial for partial in partials)
        return tuple(adjoint * partial if need else None for partial, need in zip(partials, needs, strict=False))

    return vjp


def _register_elementwise(prim: Primitive, vjp: VjpRule | None = None) -> None:
    """Register `prim` with the chain rule built from its local partials (or a hand-written `vjp`)."""
    PRIMITIVES[prim.name] = prim

    def jvp(args: Sequence[Value], out: Value, tangents: Sequence[Value]) -> Value:
        total: Value = 0.0
        for partial, tangent in zip(prim.partials(args, out), tangents, strict=False):
            total = total + partial * tangent
        return total

    JVP_RULES[prim.name] = jvp
    VJP_RULES[prim.name] = vjp if vjp is not None else derived_vjp_rule(prim)


# Batch fast paths. A rule or evaluation works in place only on arrays it has just created itself
# (never on an argument), and only after one check that the arguments are float64 batches whose
# shapes make that possible; anything else (scalars, other shapes or dtypes) takes the plain
# expression, which computes the same numbers.

_F64 = np.dtype(np.float64)
_ONE = np.array(1.0)
"""1.0 as a float64 array: a ufunc takes it as is, where a Python 1.0 is converted on every call."""
_ONE.flags.writeable = False


def _same_or_scalar(a: object, like: np.ndarray) -> bool:
    """Whether `a` broadcast against the batch `like` leaves its shape (so the result may go into it)."""
    return type(a) is not np.ndarray or a.shape == like.shape  # type: ignore[union-attr]


def _times_one(adjoint: Value) -> Value:
    """adjoint · 1.0 without a pass over memory when the product is the adjoint itself (float64)."""
    kind = type(adjoint)
    if kind is float or kind is np.float64 or (kind is np.ndarray and adjoint.dtype is _F64 and adjoint.ndim):
        return adjoint
    return adjoint * 1.0


def _sigmoid(z: Value) -> Value:
    """The logistic function 1/(1+e^−z): 0 at z = −1000 (e^1000 overflows to inf, silenced by the engine's
    errstate), 1 at z = +1000. Over a batch exp costs about a third of tanh, and one array does it all."""
    if type(z) is np.ndarray and z.dtype is _F64 and z.ndim:
        t = np.negative(z)
        np.exp(t, t)
        np.add(t, _ONE, t)
        return np.divide(_ONE, t, t)
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))


def _sigmoid_vjp(args: Sequence[Value], out: Value, adjoint: Value, needs: Needs = None) -> tuple[Value | None, ...]:
    """adjoint · (σ(1 − σ)), the derived rule's arithmetic."""
    if needs is not None and not needs[0]:
        return (None,)
    if type(out) is np.ndarray and out.dtype is _F64 and out.ndim:
        partial = np.subtract(_ONE, out)
        np.multiply(out, partial, partial)
        if type(adjoint) is not np.ndarray or adjoint.shape == partial.shape:
            return (np.multiply(adjoint, partial, partial),)
        return (adjoint * partial,)
    return (adjoint * (out * (1.0 - out)),)


def _one_minus(a: Formula) -> Formula:
    return fm.minus(fm.number(1), a)


ONE = fm.number(1)
ZERO = fm.number(0)


def _add_vjp(args: Sequence[Value], out: Value, adjoint: Value, needs: Needs = None) -> tuple[Value | None, ...]:
    piece = _times_one(adjoint)
    if needs is None:
        return piece, piece
    return piece if needs[0] else None, piece if needs[1] else None


def _mul_vjp(args: Sequence[Value], out: Value, adjoint: Value, needs: Needs = None) -> tuple[Value | None, ...]:
    a, b = args
    if needs is None:
        return adjoint * b, adjoint * a
    return adjoint * b if needs[0] else None, adjoint * a if needs[1] else None


_register_elementwise(Primitive(
    "add", 2, lambda a, b: a + b, lambda args, out: (1.0, 1.0),
    lambda f: fm.plus(f[0], f[1]), lambda f, o: (ONE, ONE), "a + b"), _add_vjp)
_register_elementwise(Primitive(
    "sub", 2, lambda a, b: a - b, lambda args, out: (1.0, -1.0),
    lambda f: fm.minus(f[0], f[1]), lambda f, o: (ONE, fm.number(-1)), "a − b"))
_register_elementwise(Primitive(
    "mul", 2, lambda a, b: a * b, lambda args, out: (args[1], args[0]),
    lambda f: fm.times(f[0], f[1]), lambda f, o: (f[1], f[0]), "a · b"), _mul_vjp)
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
def _pow_partial(a: Value, k: Value) -> Value:
    """k·a^(k−1), and exactly 0 for k = 0: a⁰ is constant, so 0·0^(−1) (a NaN) must not reach the chain."""
    if np.all(k == 0):
        return np.zeros_like(np.asarray(a, dtype=float))[()]
    return k * a ** (k - 1)


def _pow_partial_text(f: Sequence[Formula], o: Formula) -> tuple[Formula, ...]:
    k = float(f[1].text)
    return (ZERO if k == 0 else fm.times(f[1], fm.power(f[0], k - 1)), ZERO)


_register_elementwise(Primitive(
    "pow", 2, lambda a, k: a ** k,
    lambda args, out: (_pow_partial(args[0], args[1]), 0.0),
    lambda f: fm.power(f[0], float(f[1].text)),
    _pow_partial_text,
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
    lambda f, o: (fm.times(fm.call("σ", f[0]), _one_minus(fm.call("σ", f[0]))),), "logistic σ(a) = 1/(1+e^−a)"),
    _sigmoid_vjp)
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
    """((b + w1·x1) + w2·x2) + …; over a batch each sum goes into its fresh product's array."""
    total = args[0]
    for index in range(1, len(args) - 1, 2):
        term = args[index] * args[index + 1]
        if type(term) is np.ndarray and term.dtype is _F64 and term.ndim and _same_or_scalar(total, term):
            total = np.add(total, term, term)
        else:
            total = total + term
    return total


def _affine_vjp(args: Sequence[Value], out: Value, adjoint: Value, needs: Needs = None) -> tuple[Value | None, ...]:
    """adjoint · 1 for the bias, adjoint · x for a weight, adjoint · w for an input: only where needed."""
    if needs is None:
        pieces: list[Value | None] = [_times_one(adjoint)]
        for index in range(1, len(args) - 1, 2):
            pieces.append(adjoint * args[index + 1])
            pieces.append(adjoint * args[index])
        return tuple(pieces)
    pieces = [_times_one(adjoint) if needs[0] else None]
    for index in range(1, len(args) - 1, 2):
        pieces.append(adjoint * args[index + 1] if needs[index] else None)
        pieces.append(adjoint * args[index] if needs[index + 1] else None)
    return tuple(pieces)


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
    "b + w1·x1 + w2·x2 + … (a neuron's affine part)"), _affine_vjp)


def _bce(p: Value, y: Value) -> Value:
    """−(y·log p + (1−y)·log(1−p)); over a batch, in three arrays of its own instead of eight."""
    if (type(p) is np.ndarray and p.dtype is _F64 and p.ndim and type(y) is np.ndarray and y.dtype is _F64
            and y.shape == p.shape):
        positive = np.log(p)
        np.multiply(y, positive, positive)
        negative = np.subtract(_ONE, p)
        np.log(negative, negative)
        np.multiply(np.subtract(_ONE, y), negative, negative)
        np.add(positive, negative, positive)
        return np.negative(positive, positive)
    return -(y * np.log(p) + (1.0 - y) * np.log(1.0 - p))


def _bce_vjp(args: Sequence[Value], out: Value, adjoint: Value, needs: Needs = None) -> tuple[Value | None, ...]:
    """adjoint · (p − y)/(p(1 − p)) for p, adjoint · log((1 − p)/p) for y: the derived rule's arithmetic."""
    p, y = args
    need_p = needs is None or needs[0]
    need_y = needs is None or needs[1]
    if not (type(p) is np.ndarray and p.dtype is _F64 and p.ndim and _same_or_scalar(y, p)
            and _same_or_scalar(adjoint, p)):
        return (adjoint * ((p - y) / (p * (1.0 - p))) if need_p else None,
                adjoint * np.log((1.0 - p) / p) if need_y else None)
    piece_p = piece_y = None
    if need_p:
        piece_p = np.subtract(p, y)
        spread = np.subtract(_ONE, p)
        np.multiply(p, spread, spread)
        np.divide(piece_p, spread, piece_p)
        np.multiply(adjoint, piece_p, piece_p)
    if need_y:
        piece_y = np.subtract(_ONE, p)
        np.divide(piece_y, p, piece_y)
        np.log(piece_y, piece_y)
        np.multiply(adjoint, piece_y, piece_y)
    return piece_p, piece_y


_register_elementwise(Primitive(
    "bce", 2, _bce,
    lambda args, out: ((args[0] - args[1]) / (args[0] * (1.0 - args[0])), np.log((1.0 - args[0]) / args[0])),
    lambda f: fm.negate(fm.atom(
        f"[{fm.times(f[1], fm.call('log', f[0], bare_atoms=True))}"
        f"+{fm.times(_one_minus(f[1]), fm.call('log', _one_minus(f[0])))}]")),
    lambda f, o: (fm.divide(fm.minus(f[0], f[1]), fm.times(f[0], _one_minus(f[0]))),
                  fm.call("log", fm.divide(_one_minus(f[0]), f[0]))),
    "binary cross-entropy −[y log p + (1−y) log(1−p)], inputs (p, y); log 0 once p rounds to 0 or 1, "
    "so the classifier graphs use bce_logit"), _bce_vjp)


def _bce_logit(z: Value, y: Value) -> Value:
    """The loss from the logit (core/engine/logistic.py); over a batch its kernel, in the engine's errstate."""
    return logistic.loss_kernel(z, y) if logistic.fits_batch(z, y) else logistic.bce_from_logit(z, y)


def _bce_logit_gradient(z: Value, y: Value) -> Value:
    return logistic.gradient_kernel(z, y) if logistic.fits_batch(z, y) else logistic.bce_logit_gradient(z, y)


def _bce_logit_vjp(args: Sequence[Value], out: Value, adjoint: Value,
                   needs: Needs = None) -> tuple[Value | None, ...]:
    """adjoint · (σ(z) − y) for the logit, adjoint · (−z) for y: computed from z, never from a rounded σ."""
    z, y = args
    piece_z = piece_y = None
    if needs is None or needs[0]:
        piece_z = _bce_logit_gradient(z, y)
        if type(piece_z) is np.ndarray and piece_z.ndim and _same_or_scalar(adjoint, piece_z):
            np.multiply(adjoint, piece_z, piece_z)
        else:
            piece_z = adjoint * piece_z
    if needs is None or needs[1]:
        piece_y = adjoint * np.negative(z)
    return piece_z, piece_y


_register_elementwise(Primitive(
    "bce_logit", 2, _bce_logit,
    lambda args, out: (_bce_logit_gradient(args[0], args[1]), np.negative(args[0])),
    lambda f: fm.negate(fm.atom(
        f"[{fm.times(f[1], fm.call('log', fm.call('σ', f[0]), bare_atoms=True))}"
        f"+{fm.times(_one_minus(f[1]), fm.call('log', _one_minus(fm.call('σ', f[0]))))}]")),
    lambda f, o: (fm.minus(fm.call("σ", f[0]), f[1]), fm.negate(f[0])),
    "binary cross-entropy from the logit z: −[y log σ(z) + (1−y) log(1−σ(z))], inputs (z, y); "
    "computed as log1p(e^−|z|) + max(z, 0) − y·z, exact where the loss is finite"), _bce_logit_vjp)


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


def _dot_tangent(tangent: Value, arg: Value, other: Value) -> Value:
    """other · d(arg): a tangent with an axis more than its argument carries forward mode's sweeps side by
    side (dWⱼ/dWᵢ in [j, i]), contracted over the vector's axis; a scalar tangent of a vector argument (a
    constant's 0) takes the argument's shape first, so 0ᵀX is the number 0, not the vector 0·X."""
    t = np.asarray(tangent, dtype=float)
    if t.ndim > np.ndim(arg):
        return np.asarray(other, dtype=float) @ t
    if t.ndim < np.ndim(arg):
        t = np.broadcast_to(t, np.shape(arg))
    return _dot(t, other)


def _dot_jvp(args: Sequence[Value], out: Value, tangents: Sequence[Value]) -> Value:
    w, x = args
    return _dot_tangent(tangents[0], w, x) + _dot_tangent(tangents[1], x, w)


def _dot_vjp(args: Sequence[Value], out: Value, adjoint: Value, needs: Needs = None) -> tuple[Value | None, ...]:
    w, x = args
    return (_expand_last(adjoint, x) * x if needs is None or needs[0] else None,
            _expand_last(adjoint, w) * w if needs is None or needs[1] else None)


def _neg_dot_vjp(args: Sequence[Value], out: Value, adjoint: Value,
                 needs: Needs = None) -> tuple[Value | None, ...]:
    return tuple(None if piece is None else -piece for piece in _dot_vjp(args, out, adjoint, needs))


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
VJP_RULES["neg_dot"] = _neg_dot_vjp

FUNCTION_NAMES: dict[str, str] = {
    "exp": "exp", "log": "log", "ln": "log", "sin": "sin", "cos": "cos", "tanh": "tanh",
    "sigmoid": "sigmoid", "σ": "sigmoid", "relu": "relu", "sqrt": "sqrt", "square": "square",
    "reciprocal": "reciprocal", "one_minus": "one_minus",
}
"""Names a user may call in an expression, mapped to the primitive they build."""
