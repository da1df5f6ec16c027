"""One line on each row whose number a graph identity gave, where the slide's own formula would have lost it.

The neuron's numbers come from h wherever p = σ(h) rounds (core/engine/identities.py). The student
should not have to take that on trust: where the formula the row shows, computed from the stored
(rounded) p, gives a different number (log 0, 0 · ∞, or lost digits), the row says which identity
gave its number and what the formula from p would have printed. Elsewhere the identity and the
formula agree to the digits shown, and nothing is said.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ..engine.graph import Graph
from ..engine.identities import Identity
from ..engine.numbers import Value, format_value
from ..engine.primitives import primitive
from .snapshot import Mode

AGREEMENT = 1e-9
"""Relative difference below which the formula from p and the identity print the same 9 digits."""


def _lost(plain: Value, exact: Value) -> tuple[int, int]:
    """How many entries the plain number gets wrong (beyond the digits shown), and how many there are."""
    with np.errstate(all="ignore"):
        plain, exact = np.asarray(plain, dtype=float), np.asarray(exact, dtype=float)
        close = np.isclose(plain, exact, rtol=AGREEMENT, atol=0.0, equal_nan=True)
    plain, close = np.broadcast_arrays(plain, close)
    return int(np.size(close) - np.count_nonzero(close)), int(np.size(close))


def _said(lost: int, rows: int, plain: Value) -> str:
    if rows == 1:
        return format_value(float(np.reshape(plain, -1)[0]))
    return f"off on {lost} of {rows} rows"


def _rounded(graph: Graph, identity: Identity) -> str:
    """The node(s) the slide's formula reads and the identity does not: `p`."""
    node = graph.node(identity.node)
    names = [parent for parent in node.parents if parent not in identity.args] or [identity.node]
    return ", ".join(names)


Item = tuple[str, str, str, str]
"""What was computed by identity, from which nodes, which stored node the formula reads, what it would give."""


def _value_item(graph: Graph, identity: Identity, values: Mapping[str, Value]) -> Item | None:
    node = graph.node(identity.node)
    with np.errstate(all="ignore"):
        plain = primitive(node.op).evaluate(*graph.arg_values(node, values))
    lost, rows = _lost(plain, values[identity.node])
    if not lost:
        return None
    return identity.node, ", ".join(identity.args), _rounded(graph, identity), _said(lost, rows, plain)


def _partial_item(graph: Graph, identity: Identity, values: Mapping[str, Value]) -> Item | None:
    parent = identity.parent or ""
    plain = graph.local_partials(identity.node, values, exact=False)[parent]
    lost, rows = _lost(plain, graph.exact(identity, values))
    if not lost:
        return None
    return f"∂{identity.node}/∂{parent}", ", ".join(identity.args), _rounded(graph, identity), _said(lost, rows, plain)


def _items_line(items: list[Item]) -> str:
    """`L, ∂L/∂p computed from h, y (p rounds): from the stored p they would be inf, inf`."""
    names = ", ".join(item[0] for item in items)
    sources = ", ".join(dict.fromkeys(source for item in items for source in item[1].split(", ")))
    stored = ", ".join(dict.fromkeys(item[2] for item in items))
    plains = ", ".join(item[3] for item in items)
    pronoun = "it" if len(items) == 1 else "they"
    return f"{names} computed from {sources}: from the stored {stored} {pronoun} would be {plains}"


def _chain_note(graph: Graph, identity: Identity, values: Mapping[str, Value]) -> str | None:
    top, via, bottom = identity.node, identity.via or "", identity.parent or ""
    with np.errstate(all="ignore"):
        outer = graph.local_partials(top, values, exact=False)[via]
        inner = graph.local_partials(via, values, exact=False)[bottom]
        plain = outer * inner
    lost, rows = _lost(plain, graph.exact(identity, values))
    if not lost:
        return None
    product = f"d{top}/d{via} · ∂{via}/∂{bottom}"
    if rows == 1:
        said = (f"from the stored {via} = {format_value(values[via])} the product is "
                f"({format_value(outer)}) · ({format_value(inner)}) = {format_value(plain)}")
    else:
        said = f"from the stored {via} the product loses digits (or is 0·∞) on {lost} of {rows} rows"
    return f"d{top}/d{bottom} = {identity.text} from {bottom}, the identity {product} equals: {said}"


def identity_notes(graph: Graph, values: Mapping[str, Value], mode: Mode) -> dict[str, str]:
    """Row name → one line saying which of its numbers identities gave (and what the formula from the
    stored, rounded node would have printed). A chain identity's number is dL/dh in reverse mode (h's
    row) and dL/dβ in forward mode (L's row)."""
    items: dict[str, list[Item]] = {}
    lines: dict[str, list[str]] = {}
    for identity in graph.identities:
        if identity.kind == "chain":
            note = _chain_note(graph, identity, values)
            row = identity.parent if mode == "reverse" else identity.node
            if note and row:
                lines.setdefault(row, []).append(note)
            continue
        maker = _value_item if identity.kind == "value" else _partial_item
        item = maker(graph, identity, values)
        if item:
            items.setdefault(identity.node, []).append(item)
    for row, found in items.items():
        lines.setdefault(row, []).insert(0, _items_line(found))
    return {row: "; ".join(found) for row, found in lines.items()}


def merged(first: Mapping[str, str], second: Mapping[str, str]) -> dict[str, str]:
    """Both sets of row notes, a row with two notes showing both."""
    result = dict(first)
    for row, note in second.items():
        result[row] = f"{result[row]}; {note}" if row in result else note
    return result
