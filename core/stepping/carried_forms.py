"""Closed forms carried along the chain rule: forward mode's tangents and reverse mode's running sums.

Built on the local partials' monomials (closed_form.py); each carried form is checked against the
engine's number before it is kept, like every monomial.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..engine.graph import Graph
from ..engine.numbers import Value
from . import monomial as mono
from .closed_form import prefer_number
from .monomial import Monomial


def tangent_forms(graph: Graph, tangents: Mapping[str, Value],
                  partials: Mapping[str, Mapping[str, Monomial | None]]) -> dict[str, str | None]:
    """Forward mode: dξ/dW as text, carried through products and sums (`3e^-9/(1+e^-9)²`); scalar graphs only."""
    if not partials:
        return {}
    forms: dict[str, Monomial | None] = {}
    for node in graph.nodes:
        tangent = float(tangents[node.name])
        folded = mono.number(tangent)
        if folded is not None or node.is_input:
            forms[node.name] = folded
            continue
        terms = [mono.times(partials[node.name].get(parent), forms[parent])
                 for parent in node.parents if tangents[parent] != 0]
        forms[node.name] = mono.checked(mono.total(terms), tangent)
    return {name: mono.text(form) for name, form in forms.items()}


class AdjointForms:
    """Reverse mode: dL/dξ as text, the closed form of each running sum as the contributions arrive.

    Each contribution is dL/d(child) · ∂child/∂ξ; it is added to the sum so far, one piece at a
    time, so a node with k children costs k additions. Empty for batches (no partial forms)."""

    def __init__(self, output: str, partials: Mapping[str, Mapping[str, Monomial | None]]) -> None:
        self.partials = partials
        self.forms: dict[str, Monomial | None] = {output: mono.number(1.0)} if partials else {}

    def add(self, parent: str, child: str, running: Value) -> Monomial | None:
        """The closed form of dL/d(parent) once `child`'s piece is added (the sum now `running`), as a
        monomial: its text (`monomial.text`) is written only for the sums a row or a step shows (a node
        with ten thousand children shows one sum in the final table, not ten thousand)."""
        if not self.partials:
            return None
        forms = self.forms
        carried, local = forms.get(child), self.partials[child].get(parent)
        before = forms.get(parent, _ZERO)
        running = float(running)
        exact = mono.number(running)
        if exact is not None and not ((before is not None and before.powers) or (carried is not None and carried.powers)
                                      or (local is not None and local.powers)):
            # Numbers alone (a wide sum's 1 + 1 + …): the piece has no base either, so whatever the sum
            # of the two, `prefer_number` keeps the printed number; the sum's monomial and its check are skipped.
            form = exact
        else:
            form = prefer_number(mono.checked(mono.total([before, mono.times(carried, local)]), running), running)
        self.forms[parent] = form
        return form


_ZERO = Monomial(0.0)
"""The sum before any contribution (a frozen monomial, shared)."""
