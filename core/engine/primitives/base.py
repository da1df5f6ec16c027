"""What a primitive is, the registries of rules, and the batch helpers the declarations share.

A primitive is declared once (`Primitive`): its evaluation, its local partials as numbers and as
text, its Python pair (slide 67) and its closed-form rules are fields of that one declaration, and
`register` derives the forward-mode (JVP) and reverse-mode (VJP) rules from its partials, as in JAX's
autodidax. Adding a primitive is writing one `register(Primitive(...))`: every view (the table, the
basic-functions list, the closed forms) reads it from here. A missing rule is an error, never a
silent zero.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .. import formula as fm
from ..formula import Formula
from ..numbers import Value
from .closed_rules import Rule

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
class PythonPair:
    """A primitive's arguments, its value and its local partials as Python expressions (numpy as `np`)."""

    args: tuple[str, ...]
    value: str
    partials: tuple[str, ...]


@dataclass(frozen=True)
class Primitive:
    """One basic function of the computational graph and everything the views need to know of it.

    `value_rule`, `partial_rules` and `rounded_values` are the closed-form algebra's view of the primitive
    (data that core/stepping/closed_form.py interprets over monomials); a rule of None takes the form whole."""

    name: str
    arity: int | None
    evaluate: Callable[..., Value]
    partials: Partials
    render: Render
    partial_texts: PartialTexts
    description: str
    python: PythonPair
    const_positions: tuple[int, ...] = ()
    value_rule: Rule | None = None
    partial_rules: tuple[Rule, ...] | None = None
    constant_partials: bool = False
    """The local partials are numbers that do not depend on the arguments (+, −, 1 − a): rounding in the
    arguments cannot move them, so the closed-form layer need not measure how much it does."""
    rounded_values: tuple[float, ...] = ()
    """Values the primitive reaches only by rounding, never exactly: a node holding one keeps its closed
    form instead of being folded to the number (σ(40) is 1.0 in float64, and stays `σ(40)`)."""


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


def derived_jvp_rule(prim: Primitive) -> JvpRule:
    """The forward chain rule from `prim`'s local partials: Σ ∂out/∂arg × the argument's tangent."""

    def jvp(args: Sequence[Value], out: Value, tangents: Sequence[Value]) -> Value:
        total: Value = 0.0
        for partial, tangent in zip(prim.partials(args, out), tangents, strict=False):
            total = total + partial * tangent
        return total

    return jvp


def register(prim: Primitive, vjp: VjpRule | None = None, jvp: JvpRule | None = None) -> Primitive:
    """Register `prim` with the chain rules built from its local partials (or hand-written fast ones)."""
    PRIMITIVES[prim.name] = prim
    JVP_RULES[prim.name] = jvp if jvp is not None else derived_jvp_rule(prim)
    VJP_RULES[prim.name] = vjp if vjp is not None else derived_vjp_rule(prim)
    return prim


# Batch fast paths. A rule or evaluation works in place only on arrays it has just created itself
# (never on an argument), and only after one check that the arguments are float64 batches whose
# shapes make that possible; anything else (scalars, other shapes or dtypes) takes the plain
# expression, which computes the same numbers.

F64 = np.dtype(np.float64)
ONE_ARRAY = np.array(1.0)
"""1.0 as a float64 array: a ufunc takes it as is, where a Python 1.0 is converted on every call."""
ONE_ARRAY.flags.writeable = False


def is_batch(value: object) -> bool:
    """A float64 array with at least one axis: the case the in-place fast paths handle."""
    return type(value) is np.ndarray and value.dtype is F64 and value.ndim > 0  # type: ignore[union-attr]


def same_or_scalar(a: object, like: np.ndarray) -> bool:
    """Whether `a` broadcast against the batch `like` leaves its shape (so the result may go into it)."""
    return type(a) is not np.ndarray or a.shape == like.shape  # type: ignore[union-attr]


def times_one(adjoint: Value) -> Value:
    """adjoint · 1.0 without a pass over memory when the product is the adjoint itself (float64)."""
    kind = type(adjoint)
    if kind is float or kind is np.float64 or (kind is np.ndarray and adjoint.dtype is F64 and adjoint.ndim):
        return adjoint
    return adjoint * 1.0


ONE = fm.number(1)
ZERO = fm.number(0)


def one_minus(a: Formula) -> Formula:
    return fm.minus(ONE, a)
