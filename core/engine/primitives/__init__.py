"""The primitives: each declared once, with everything the engine and the views derive from it.

`base` says what a primitive is and keeps the registries; the declarations are grouped by family and
registered on import in the order the basic-functions list shows them: the arithmetic, the functions
a user may call, a neuron's pieces and losses.
"""

from __future__ import annotations

from . import arithmetic, functions, neuron  # noqa: F401 - importing registers the primitives, in this order
from .base import (
    JVP_RULES,
    PRIMITIVES,
    VJP_RULES,
    JvpRule,
    MissingRuleError,
    Needs,
    Partials,
    PartialTexts,
    Primitive,
    PythonPair,
    Render,
    VjpRule,
    derived_jvp_rule,
    derived_vjp_rule,
    jvp_rule,
    primitive,
    register,
    vjp_rule,
)

FUNCTION_NAMES: dict[str, str] = {
    "exp": "exp", "log": "log", "ln": "log", "sin": "sin", "cos": "cos", "tanh": "tanh",
    "sigmoid": "sigmoid", "σ": "sigmoid", "relu": "relu", "sqrt": "sqrt", "square": "square",
    "reciprocal": "reciprocal", "one_minus": "one_minus",
}
"""Names a user may call in an expression, mapped to the primitive they build."""

__all__ = [
    "FUNCTION_NAMES", "JVP_RULES", "PRIMITIVES", "VJP_RULES", "JvpRule", "MissingRuleError", "Needs",
    "PartialTexts", "Partials", "Primitive", "PythonPair", "Render", "VjpRule", "derived_jvp_rule",
    "derived_vjp_rule", "jvp_rule", "primitive", "register", "vjp_rule",
]
