"""A neuron's pieces: the affine part, the dot products of the lecture's ξ1 = −WᵀX, and the two losses."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .. import formula as fm
from .. import logistic
from ..formula import Formula
from ..numbers import Value
from . import closed_rules as cr
from .base import (
    ONE,
    ONE_ARRAY,
    Needs,
    Primitive,
    PythonPair,
    is_batch,
    one_minus,
    register,
    same_or_scalar,
    times_one,
)
from .closed_rules import A, B
from .functions import sigma_of


def _affine(*args: Value) -> Value:
    """((b + w1·x1) + w2·x2) + …; over a batch each sum goes into its fresh product's array."""
    total = args[0]
    for index in range(1, len(args) - 1, 2):
        term = args[index] * args[index + 1]
        if is_batch(term) and same_or_scalar(total, term):
            total = np.add(total, term, term)
        else:
            total = total + term
    return total


def _affine_vjp(args: Sequence[Value], out: Value, adjoint: Value, needs: Needs = None) -> tuple[Value | None, ...]:
    """adjoint · 1 for the bias, adjoint · x for a weight, adjoint · w for an input: only where needed."""
    if needs is None:
        pieces: list[Value | None] = [times_one(adjoint)]
        for index in range(1, len(args) - 1, 2):
            pieces.append(adjoint * args[index + 1])
            pieces.append(adjoint * args[index])
        return tuple(pieces)
    pieces = [times_one(adjoint) if needs[0] else None]
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


register(Primitive(
    "affine", None, _affine, _affine_partials, _affine_render, _affine_texts,
    "b + w1·x1 + w2·x2 + … (a neuron's affine part)",
    PythonPair(("b", "w1", "x1", "w2", "x2"), "b + w1 * x1 + w2 * x2", ("1.0", "x1", "w1", "x2", "w2"))),
    _affine_vjp)


def _bce(p: Value, y: Value) -> Value:
    """−(y·log p + (1−y)·log(1−p)); over a batch, in three arrays of its own instead of eight."""
    if is_batch(p) and is_batch(y) and y.shape == p.shape:  # type: ignore[union-attr]
        positive = np.log(p)
        np.multiply(y, positive, positive)
        negative = np.subtract(ONE_ARRAY, p)
        np.log(negative, negative)
        np.multiply(np.subtract(ONE_ARRAY, y), negative, negative)
        np.add(positive, negative, positive)
        return np.negative(positive, positive)
    return -(y * np.log(p) + (1.0 - y) * np.log(1.0 - p))


def _bce_p_partial(p: Value, y: Value) -> Value:
    """∂L/∂p = −y/p + (1−y)/(1−p), as one fraction (p − y)/(p(1 − p))."""
    return (p - y) / (p * (1.0 - p))


def _bce_y_partial(p: Value) -> Value:
    """∂L/∂y = log((1 − p)/p)."""
    return np.log((1.0 - p) / p)


def _bce_vjp(args: Sequence[Value], out: Value, adjoint: Value, needs: Needs = None) -> tuple[Value | None, ...]:
    """adjoint · ∂L/∂p and adjoint · ∂L/∂y: the derived rule's arithmetic, in place over a batch."""
    p, y = args
    need_p = needs is None or needs[0]
    need_y = needs is None or needs[1]
    if not (is_batch(p) and same_or_scalar(y, p) and same_or_scalar(adjoint, p)):
        return (adjoint * _bce_p_partial(p, y) if need_p else None,
                adjoint * _bce_y_partial(p) if need_y else None)
    piece_p = piece_y = None
    if need_p:
        piece_p = np.subtract(p, y)
        spread = np.subtract(ONE_ARRAY, p)
        np.multiply(p, spread, spread)
        np.divide(piece_p, spread, piece_p)
        np.multiply(adjoint, piece_p, piece_p)
    if need_y:
        piece_y = np.subtract(ONE_ARRAY, p)
        np.divide(piece_y, p, piece_y)
        np.log(piece_y, piece_y)
        np.multiply(adjoint, piece_y, piece_y)
    return piece_p, piece_y


def _cross_entropy_text(p: Formula, y: Formula) -> Formula:
    """−[y log p+(1−y)·log(1−p)]: bce's text, and bce_logit's with p = σ(z)."""
    return fm.negate(fm.atom(
        f"[{fm.times(y, fm.call('log', p, bare_atoms=True))}"
        f"+{fm.times(one_minus(y), fm.call('log', one_minus(p)))}]"))


register(Primitive(
    "bce", 2, _bce,
    lambda args, out: (_bce_p_partial(args[0], args[1]), _bce_y_partial(args[0])),
    lambda f: _cross_entropy_text(f[0], f[1]),
    lambda f, o: (fm.divide(fm.minus(f[0], f[1]), fm.times(f[0], one_minus(f[0]))),
                  fm.call("log", fm.divide(one_minus(f[0]), f[0]))),
    "binary cross-entropy −[y log p + (1−y) log(1−p)], inputs (p, y); log 0 once p rounds to 0 or 1, "
    "so the classifier graphs use bce_logit",
    PythonPair(("p", "y"), "-(y * np.log(p) + (1 - y) * np.log(1 - p))",
               ("(p - y) / (p * (1 - p))", "np.log((1 - p) / p)")),
    # Slide 61 writes ∂L/∂p = −y/p + (1−y)/(1−p) by y: −1/p for y = 1, 1/(1−p) for y = 0 (so that
    # ∂L/∂p · ∂p/∂h cancels to p − y); ∂L/∂y is taken whole.
    partial_rules=(cr.by_number(B, ((1.0, cr.negative(cr.power(A, -1))), (0.0, cr.power(cr.one_minus(A), -1)))),
                   cr.WHOLE)), _bce_vjp)


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
        if type(piece_z) is np.ndarray and piece_z.ndim and same_or_scalar(adjoint, piece_z):
            np.multiply(adjoint, piece_z, piece_z)
        else:
            piece_z = adjoint * piece_z
    if needs is None or needs[1]:
        piece_y = adjoint * np.negative(z)
    return piece_z, piece_y


register(Primitive(
    "bce_logit", 2, _bce_logit,
    lambda args, out: (_bce_logit_gradient(args[0], args[1]), np.negative(args[0])),
    lambda f: _cross_entropy_text(sigma_of(f[0]), f[1]),
    lambda f, o: (fm.minus(sigma_of(f[0]), f[1]), fm.negate(f[0])),
    "binary cross-entropy from the logit z: −[y log σ(z) + (1−y) log(1−σ(z))], inputs (z, y); "
    "computed as log1p(e^−|z|) + max(z, 0) − y·z, exact where the loss is finite",
    PythonPair(("z", "y"), "np.logaddexp(0, z) - y * z",
               ("(1 - y) / (1 + np.exp(-z)) - y / (1 + np.exp(z))", "-z"))), _bce_logit_vjp)


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


register(Primitive(
    "dot", 2, _dot, lambda args, out: (args[1], args[0]),
    lambda f: fm.transpose_product(f[0], f[1]), lambda f, o: (f[1], f[0]), "wᵀx for vector weights",
    PythonPair(("w", "x"), "np.sum(w * x, axis=-1)", ("x", "w"))), _dot_vjp, _dot_jvp)
register(Primitive(
    "neg_dot", 2, lambda w, x: -_dot(w, x), lambda args, out: (-np.asarray(args[1]), -np.asarray(args[0])),
    lambda f: fm.negate(fm.transpose_product(f[0], f[1])),
    lambda f, o: (fm.negate(f[1]), fm.negate(f[0])), "−wᵀx (the lecture's ξ1 = −WᵀX)",
    PythonPair(("w", "x"), "-np.sum(w * x, axis=-1)", ("-x", "-w"))),
    _neg_dot_vjp, lambda args, out, tangents: -_dot_jvp(args, out, tangents))
