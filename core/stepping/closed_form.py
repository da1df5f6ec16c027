"""Closed forms the lecture's way (`e^-9`, `1+e^-9`, `-3e^-9`) beside the decimals.

A node's closed form is its primitive rendered over its arguments' closed forms, with integers
folded (`−WᵀX` at W=3, X=3 is just `-9`). Only short forms are kept: a closed form is shown to help
the student recognise the lecture's entries, not to replace the decimals.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import lru_cache

import numpy as np

from ..engine import formula as fm
from ..engine.formula import Formula
from ..engine.graph import Const, Graph
from ..engine.numbers import Value
from ..engine.primitives import closed_rules as cr
from ..engine.primitives import primitive
from . import monomial as mono
from .monomial import Monomial
from .rounding import TRUSTED_ERROR

MAX_CLOSED_FORM_CHARS = mono.MAX_CHARS
"""Longest closed form shown, the same for a formula and a monomial (monomial.MAX_CHARS)."""


def _exact_number(value: Value) -> Formula | None:
    """A number formula when the value prints exactly (3, -9, 0.5); None for arrays and long decimals."""
    if np.ndim(value) != 0:
        return None
    scalar = float(value)
    if not _representable(scalar):
        return None
    literal = fm.number(scalar)
    return literal if float(literal.text) == scalar else None


def _representable(scalar: float) -> bool:
    """Whether a cell can have a closed form: finite, and 0 or a normal double. An infinite cell is a
    number past the doubles (1/1e-310), a subnormal one has lost digits: no exact form equals either."""
    return math.isfinite(scalar) and (scalar == 0 or abs(scalar) >= mono.SMALLEST_NORMAL)


def _integer(value: Value) -> Formula | None:
    if not isinstance(value, float) and np.ndim(value) != 0:
        return None
    scalar = float(value)
    if math.isfinite(scalar) and scalar.is_integer() and abs(scalar) < 1e6:
        return _integer_formula(scalar)
    return None


@lru_cache(maxsize=65536)
def _integer_formula(scalar: float) -> Formula:
    """Formulas are immutable, so one per integer serves every node (a big graph asks for `1` thousands of times)."""
    return fm.number(scalar)


def _keep(formula: Formula | None) -> Formula | None:
    if formula is None or formula.truncated or len(formula.text) > MAX_CLOSED_FORM_CHARS:
        return None
    return formula


def _rounded_end(op: str | None, value: Value) -> bool:
    """Whether a node holds a value its primitive reaches only by rounding (`Primitive.rounded_values`):
    its closed form is kept, not folded to the number."""
    return op is not None and np.ndim(value) == 0 and float(value) in primitive(op).rounded_values


def value_closed_forms(graph: Graph, values: Mapping[str, Value],
                       errors: Mapping[str, float] | None = None) -> dict[str, Formula | None]:
    """Closed form of every node's value in terms of the numbers given for the inputs; a node whose value
    rounding may have moved by more than TRUSTED_ERROR (`errors`) gets none, nor do the nodes built on it."""
    forms: dict[str, Formula | None] = {}
    for node in graph.nodes:
        if node.is_input:
            forms[node.name] = _exact_number(values[node.name])
            continue
        folded = None if _rounded_end(node.op, values[node.name]) else (
            _integer(values[node.name]) or _exact_number(values[node.name]))
        if folded is not None or not _representable(float(values[node.name])):
            forms[node.name] = folded
            continue
        args = [fm.exact_number(arg.value) if isinstance(arg, Const) else forms[arg] for arg in node.args]
        if any(arg is None for arg in args) or (errors is not None and errors[node.name] > TRUSTED_ERROR):
            forms[node.name] = None
            continue
        forms[node.name] = _keep(graph.prim(node.name).render(args))
    return forms


def partial_closed_forms(graph: Graph, name: str, forms: Mapping[str, Formula | None],
                         partial_values: Mapping[str, Value],
                         errors: Mapping[str, float] | None = None) -> dict[str, Formula | None]:
    """Closed forms of a node's local partials (`∂ξ2/∂ξ1 = e^ξ1` becomes `e^-9`); none where an argument's
    rounding (`errors`) is more than a partial of modest condition can carry within TRUSTED_ERROR."""
    node = graph.node(name)
    if errors is not None and errors.get(f"∂{name}", 0.0) > TRUSTED_ERROR:
        forms = {**forms, **{arg: None for arg in node.args if isinstance(arg, str)}}
    result: dict[str, Formula | None] = {}
    texts = None
    rendered = False  # the partials' texts are rendered only when some partial is not an integer (x+y's are 1)
    exact = graph.exact_partials.get(name, {})
    for position, arg in enumerate(node.args):
        if not isinstance(arg, str):
            continue
        folded = _integer(partial_values[arg])
        if folded is not None:
            result[arg] = folded
            continue
        if not rendered:
            args = [fm.exact_number(item.value) if isinstance(item, Const) else forms[item] for item in node.args]
            texts = graph.prim(name).partial_texts(args, forms[name] or fm.atom(name)) if None not in args else None
            rendered = True
        if (texts is None or np.ndim(partial_values[arg]) or not _representable(float(partial_values[arg]))
              or arg in result or node.args.count(arg) > 1 or arg in exact):
            # An identity's number is not the primitive's text over rounded arguments (1/(1−1) at p = σ(40)).
            result[arg] = None
        else:
            result[arg] = _keep(texts[position])
    return result


def chain_product(factor: Formula | None, accumulated: Formula | None, value: Value) -> Formula | None:
    """Closed form of one chain-rule term, kept only when it stays readable (one factor a number)."""
    folded = _integer(value)
    if folded is not None:
        return folded
    if factor is None or accumulated is None:
        return None
    if fm.is_number(accumulated):
        return _keep(fm.times(accumulated, factor))
    if fm.is_number(factor):
        return _keep(fm.times(factor, accumulated))
    return None


# The closed-form algebra's view of the primitives whose forms the lecture simplifies is part of each
# primitive's declaration (`Primitive.value_rule`, `Primitive.partial_rules`, incl. the slides' ways of
# writing σ′ and ∂L/∂p: data, since the engine must not import this layer); it is interpreted here over
# monomials, naming no primitive. Every monomial built here is checked against the engine's number
# (`monomial.checked`) before it is shown. A primitive without a rule is taken whole (`monomial.opaque`).
MonoArgs = list[Monomial | None]


def prefer_number(form: Monomial | None, value: float) -> Monomial | None:
    """The number when `value` prints exactly (`0`, `0.25`, `-1`), unless `form` holds a base that is an
    integer only by rounding: −1/σ(40) is −1.0 in float64, and must not read `-1`."""
    if form is not None and any(float(base.value).is_integer() for base, _ in form.powers):
        return form
    return mono.number(value) or form


def _complement_base(a: Monomial | None, value: float | None = None) -> Monomial | None:
    """1 − a as one opaque base (`1−σ(-0.25)`), worth `value` when the rule knows it more exactly than 1 − a;
    a plain number stays a number (1 − 0.5 is 0.5)."""
    if a is None or (rendered := a.render()) is None:
        return None
    if not a.powers:
        return mono.number(1.0 - a.coefficient)
    value = 1.0 - a.value if value is None else value
    return mono.opaque(fm.minus(fm.number(1), rendered), value) if value != 0 and math.isfinite(value) else None


def _interpret_complement(rule: cr.OneMinus, args: MonoArgs, out: Monomial | None) -> Monomial | None:
    """A `one_minus` rule: 1 − a, worth the rule's stable function of its source's number when it has one."""
    if rule.worth is None or rule.source is None:
        return _complement_base(_interpret(rule.a, args, out))
    source = _interpret(rule.source, args, out)
    if source is None:
        return None
    return _complement_base(_interpret(rule.a, args, out), rule.worth(source.value))


def _interpret_by_number(rule: cr.ByNumber, args: MonoArgs, out: Monomial | None) -> Monomial | None:
    """A `by_number` rule: the case whose number `on` is; none when `on` is no plain number or no case."""
    on = _interpret(rule.on, args, out)
    if on is None or on.powers:
        return None
    for number, case in rule.cases:
        if on.coefficient == number:
            return _interpret(case, args, out)
    return None


def _interpret(rule: cr.Rule, args: MonoArgs, out: Monomial | None) -> Monomial | None:
    """The monomial a primitive's closed-form rule describes, given its arguments' and its own."""
    if isinstance(rule, cr.Arg):
        return args[rule.index]
    if isinstance(rule, cr.Out):
        return out
    if isinstance(rule, cr.Number):
        return mono.number(rule.value)
    if isinstance(rule, cr.Product):
        return mono.times(_interpret(rule.a, args, out), _interpret(rule.b, args, out))
    if isinstance(rule, cr.Power):
        return mono.power(_interpret(rule.a, args, out), rule.exponent)
    if isinstance(rule, cr.Negative):
        return mono.negate(_interpret(rule.a, args, out))
    if isinstance(rule, cr.OneMinus):
        return _interpret_complement(rule, args, out)
    if isinstance(rule, cr.ByNumber):
        return _interpret_by_number(rule, args, out)
    if isinstance(rule, cr.Whole):
        return None
    raise TypeError(f"not a closed-form rule: {rule!r}")


def _arg_monomials(graph: Graph, name: str, monomials: Mapping[str, Monomial | None]) -> MonoArgs:
    return [mono.number(arg.value) if isinstance(arg, Const) else monomials.get(arg)
            for arg in graph.node(name).args]


def value_monomials(graph: Graph, values: Mapping[str, Value],
                    forms: Mapping[str, Formula | None]) -> dict[str, Monomial | None]:
    """Every node's value as a monomial (`1/(1+e^-9)` as (1+e^-9)⁻¹), so products can cancel."""
    result: dict[str, Monomial | None] = {}
    for node in graph.nodes:
        value = float(values[node.name])
        folded = None if _rounded_end(node.op, value) else mono.number(value)
        if folded is not None or node.is_input:
            result[node.name] = folded
            continue
        rule = graph.prim(node.name).value_rule
        candidate = _interpret(rule, _arg_monomials(graph, node.name, result), None) if rule else None
        result[node.name] = (mono.checked(candidate, value)
                             or mono.checked(mono.opaque(forms.get(node.name), value), value))
    return result


def partial_monomials(graph: Graph, name: str, monomials: Mapping[str, Monomial | None],
                      forms: Mapping[str, Formula | None],
                      partial_values: Mapping[str, Value]) -> dict[str, Monomial | None]:
    """A node's local partials as monomials (`∂ξ4/∂ξ3 = −1/ξ3²` as −(1+e^-9)⁻²)."""
    node = graph.node(name)
    rules = graph.prim(name).partial_rules
    pieces = None
    if rules is not None:
        args = _arg_monomials(graph, name, monomials)
        pieces = [_interpret(rule, args, monomials.get(name)) for rule in rules]
    result: dict[str, Monomial | None] = {}
    for position, arg in enumerate(node.args):
        if not isinstance(arg, str) or arg in result:
            continue
        value = float(partial_values[arg])
        candidate = None
        if pieces is not None and node.args.count(arg) == 1:
            candidate = mono.checked(pieces[position], value)
        candidate = prefer_number(candidate, value)
        result[arg] = candidate or mono.checked(mono.opaque(forms.get(arg), value), value)
    return result
