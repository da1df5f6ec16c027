"""Issue 24: each closed-form rule lives once, in its primitive's declaration.

core/stepping/closed_form.py interprets the rules (core/engine/primitives/closed_rules.py) and names no
primitive; a slide-written partial (slide 61's σ′ = σ(h)(1−σ(h)), ∂L/∂p by y) is declared with its primitive,
so a primitive declared here, in the test, gets its closed form without any change to the interpreter.
"""

from __future__ import annotations

import ast
import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from backprop_tui.core.engine import formula as fm
from backprop_tui.core.engine import logistic
from backprop_tui.core.engine.graph import Graph, GraphBuilder
from backprop_tui.core.engine.primitives import (
    FUNCTION_NAMES,
    JVP_RULES,
    PRIMITIVES,
    VJP_RULES,
    Primitive,
    PythonPair,
    primitive,
    register,
)
from backprop_tui.core.engine.primitives import closed_rules as cr
from backprop_tui.core.stepping import closed_form
from backprop_tui.core.stepping import monomial as mono
from backprop_tui.core.stepping.steppers import ReverseStepper
from backprop_tui.core.stepping.table import text_columns

CLOSED_FORM = Path(closed_form.__file__)
RULE_MODULES = {"closed_rules"}
"""The only module of core/engine/primitives the interpreter may import by name (besides the registry)."""


def primitive_names_in(source: str) -> set[str]:
    """Every primitive (or user-callable function) name `source` mentions in code: a string literal that is
    one (`"sigmoid"`), an identifier with one among its underscore-separated words (`_bce_slope`), or an
    import of a primitive family's module or of the logistic formulas."""
    names = {name.lower() for name in (*PRIMITIVES, *FUNCTION_NAMES)}
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.lower() in names:
            found.add(node.value)
        identifier = (node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute)
                      else node.name if isinstance(node, ast.FunctionDef | ast.ClassDef)
                      else node.arg if isinstance(node, ast.arg) else None)
        if identifier is not None:
            words = [word for word in identifier.lower().split("_") if word]
            runs = {"_".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1)}
            found |= {f"{identifier} ({run})" for run in runs & names}
        if isinstance(node, ast.ImportFrom):
            imported = [alias.name for alias in node.names]
            module = node.module or ""
            if re.search(r"(^|\.)(logistic|arithmetic|functions|neuron)$", module):
                found.add(f"import from {module}")
            found |= {f"import {name}" for name in imported
                      if name in {"logistic", "arithmetic", "functions", "neuron"} - RULE_MODULES}
    return found


def test_closed_form_interpreter_names_no_primitive() -> None:
    assert primitive_names_in(CLOSED_FORM.read_text(encoding="utf-8")) == set()


@pytest.mark.parametrize("code", [
    '_SPECIAL = {"sigmoid": None}',
    "def _bce_slope(a): return a",
    "x = node.op == 'tanh'",
    "from ..engine.primitives import functions",
    "from ..engine import logistic",
    "def f(one_minus_rule): pass",
])
def test_the_check_sees_a_named_primitive(code: str) -> None:
    """The check above can fail: each way closed_form.py could name a primitive is caught."""
    assert primitive_names_in(code)


# A primitive declared here, in the test: the logistic under another name (`s`), with slide 61's σ′.
def _squash_declaration(**rules: object) -> Primitive:
    return Primitive(
        "squash_test", 1, logistic.sigmoid_kernel, lambda args, out: (logistic.sigmoid_slope_kernel(args[0]),),
        lambda f: fm.call("s", f[0]),
        lambda f, o: (fm.times(fm.call("s", f[0]), fm.minus(fm.number(1), fm.call("s", f[0]))),),
        "a test-local logistic", PythonPair(("a",), "1 / (1 + np.exp(-a))", ("0.0",)), **rules)  # type: ignore[arg-type]


def _negative_h_logistic(h: float) -> float:
    """σ(−h) from h, the stable value of the base 1 − s(h)."""
    return float(logistic.sigmoid_kernel(-h))


SQUASH_RULES = {"partial_rules": (cr.times(cr.OUT, cr.one_minus(cr.OUT, _negative_h_logistic, cr.A)),),
                "rounded_values": (1.0,)}
XENT_RULES = {"partial_rules": (cr.by_number(cr.B, ((1.0, cr.negative(cr.power(cr.A, -1))),
                                                     (0.0, cr.power(cr.one_minus(cr.A), -1)))), cr.WHOLE)}


@pytest.fixture
def declare() -> Iterator:
    """Registers test-local primitives and takes them out of the registries afterwards."""
    declared: list[str] = []

    def declare_one(prim: Primitive) -> str:
        assert prim.name not in PRIMITIVES
        register(prim)
        declared.append(prim.name)
        return prim.name

    yield declare_one
    for name in declared:
        for registry in (PRIMITIVES, JVP_RULES, VJP_RULES):
            registry.pop(name, None)


def _chain(activation: str, loss: str | None = None) -> Graph:
    b = GraphBuilder()
    h, y = b.input("h"), b.input("y")
    p = b.op(activation, h, name="p")
    if loss is not None:
        b.op(loss, p, y, name="L")
    return b.build("L" if loss is not None else "p")


def _table(graph: Graph, h: float, y: float) -> list[list[str]]:
    """The table's text at the end of the backward pass, and each partial's closed form (the table's
    `local partial` cells keep a form taken whole, so the monomials show what the rule built)."""
    stepper = ReverseStepper(graph, {"h": h, "y": y} if "y" in graph.inputs else {"h": h})
    partials = [[node, arg, str(mono.text(form)), str(len(form.powers) if form else None)]
                for node, forms in stepper.partial_monomials.items() for arg, form in forms.items()]
    return text_columns(stepper.final())[1] + partials


H_VALUES = (-0.25, 0.5, 2.0, -9.0, 30.0, 36.0, 40.0, -40.0, 700.0, -700.0, 5e-324)


@pytest.mark.parametrize("y", [1.0, 0.0])
@pytest.mark.parametrize("h", H_VALUES)
def test_a_new_primitive_gets_slide_61s_sigma_prime_from_its_declaration(declare, h: float, y: float) -> None:
    """Declared with the rule, the test-local logistic's ∂p/∂h is written as σ's is (`s(40)·(1−s(40))` of
    two bases, exact in the tails), so dL/dh cancels to −(1−s(h)) for y = 1; declared without, the partial
    is one base taken whole and dL/dh has no closed form."""
    with_rule = declare(_squash_declaration(**SQUASH_RULES))
    without = declare(dataclasses.replace(_squash_declaration(), name="squash_plain_test"))
    sigma = [[cell.replace("σ", "s") for cell in row] for row in _table(_chain("sigmoid", "bce"), h, y)]
    assert _table(_chain(with_rule, "bce"), h, y) == sigma
    if (h, y) == (40.0, 1.0):
        assert ["p", "h", "s(40)·(1−s(40))", "2"] in sigma
        assert ["p", "h", "s(40)·(1−s(40))", "1"] in _table(_chain(without, "bce"), h, y)  # taken whole
    if (h, y) == (-0.25, 1.0):
        assert sigma[0][6] == "−(1−s(-0.25)) = -0.562176501"
        assert _table(_chain(without, "bce"), h, y)[0][6] == "-0.562176501"


@pytest.mark.parametrize("y", [1.0, 0.0, 0.5])
@pytest.mark.parametrize("h", H_VALUES)
def test_a_new_loss_gets_its_partial_by_y_from_its_declaration(declare, h: float, y: float) -> None:
    """A test-local cross-entropy declared with ∂L/∂p by y (−1/p for y = 1, 1/(1−p) for y = 0) reads as
    slide 61's bce does; without the rule, the partial is taken whole (no `−1/σ(-0.25)`)."""
    with_rule = declare(dataclasses.replace(primitive("bce"), name="xent_test", **XENT_RULES))
    without = declare(dataclasses.replace(primitive("bce"), name="xent_plain_test", partial_rules=None))
    bce = _table(_chain("sigmoid", "bce"), h, y)
    assert _table(_chain("sigmoid", with_rule), h, y) == bce
    if (h, y) == (-0.25, 1.0):
        assert ["L", "p", "−1/σ(-0.25)", "1"] in bce
        assert ["L", "p", "−1/σ(-0.25)", "1"] not in _table(_chain("sigmoid", without), h, y)
    if (h, y) == (-0.25, 0.0):
        assert ["L", "p", "1/(1−σ(-0.25))", "1"] in bce


def test_a_stable_value_comes_with_its_source() -> None:
    """`one_minus(a, worth)` without the number `worth` is computed from would have no value: refused."""
    with pytest.raises(ValueError, match="together"):
        cr.one_minus(cr.OUT, _negative_h_logistic)
    with pytest.raises(ValueError, match="together"):
        cr.one_minus(cr.OUT, source=cr.A)
