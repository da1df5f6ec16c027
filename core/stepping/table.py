"""The completed lecture table as plain data: what `backprop-tui table` prints in every format.

One place decides the columns and their text; the exporters only lay them out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..engine.numbers import format_sum, format_value, is_finite, to_json_number
from .snapshot import Row, Snapshot
from .steppers import Stepper


@dataclass(frozen=True)
class TableSource:
    """Where the graph came from: a named example or the user's expression."""

    kind: str
    text: str


def accumulated_header(snapshot: Snapshot) -> str:
    """`dξ/dW` in forward mode, `∂L/∂ξ` in reverse mode, as the lecture heads the last column."""
    if snapshot.mode == "forward":
        return f"dξ/d{snapshot.wrt}"
    return f"∂{snapshot.output}/∂ξ"


def partial_text(row: Row) -> str:
    return "; ".join(f"∂{row.name}/∂{parent} = {text}" for parent, text in row.partial_formulas)


def partial_value_text(row: Row) -> str:
    closed = dict(row.partial_closed)
    parts = []
    for parent, value in row.partial_values:
        number = format_value(value)
        form = closed.get(parent)
        parts.append(f"{form} = {number}" if form and form != number else number)
    return "; ".join(parts)


def value_text(row: Row) -> str:
    if row.value is None:
        return ""
    number = format_value(row.value)
    if row.value_closed and row.value_closed != number:
        return f"{row.value_closed} = {number}"
    return number


def accumulated_text(row: Row) -> str:
    """The accumulated derivative; at a fan-out node the sum of its contributions is spelled out."""
    if row.accumulated is None:
        return ""
    number = format_value(row.accumulated)
    if len(row.contributions) > 1:
        return format_sum(row.contributions, row.accumulated, lambda contribution: contribution.value)
    if row.accumulated_closed and row.accumulated_closed != number:
        return f"{row.accumulated_closed} = {number}"
    return number


def fd_text(row: Row) -> str:
    if row.fd_check is None:
        return ""
    if row.fd_check.ok is None:
        return "cannot check here"
    mark = "ok" if row.fd_check.ok else "MISMATCH"
    return f"{format_value(row.fd_check.value)} {mark}"


def text_columns(snapshot: Snapshot) -> tuple[list[str], list[list[str]]]:
    """Header and cells of the table for the text-like formats, one row per operation."""
    header = ["var", "definition", "expanded", "local partial", "value", "partial value",
              accumulated_header(snapshot), "finite difference"]
    rows = [[row.name, row.definition, row.expanded, partial_text(row), value_text(row),
             partial_value_text(row), accumulated_text(row), fd_text(row)]
            for row in snapshot.rows if not row.is_input]
    return header, rows


def _number_field(value: Any) -> Any:
    return to_json_number(value) if value is not None else None


def _non_finite(fields: dict[str, Any]) -> dict[str, str]:
    return {key: format_value(value) for key, value in fields.items() if value is not None and not is_finite(value)}


def table_json(stepper: Stepper, source: TableSource) -> dict[str, Any]:
    """The JSON document of the completed table (see the README for its fields)."""
    snapshot = stepper.final()
    derivative_key = "tangent" if snapshot.mode == "forward" else "adjoint"
    nodes = []
    for row in snapshot.rows:
        if row.is_input:
            continue
        node = stepper.graph.node(row.name)
        entry: dict[str, Any] = {
            "name": row.name,
            "op": row.op,
            "inputs": list(node.parents),
            "formula": row.definition,
            "expanded": row.expanded,
            "local_partials": dict(row.partial_formulas),
            "value": _number_field(row.value),
            "local_values": {parent: _number_field(value) for parent, value in row.partial_values},
            derivative_key: _number_field(row.accumulated),
            "fd_check": None if row.fd_check is None else {
                "value": _number_field(row.fd_check.value), "ok": row.fd_check.ok, "note": row.fd_check.note},
        }
        if row.value_closed:
            entry["value_closed_form"] = row.value_closed
        if row.contributions:
            entry["contributions"] = [{"from": c.source, "value": _number_field(c.value)} for c in row.contributions]
        flagged = _non_finite({"value": row.value, derivative_key: row.accumulated,
                               **{f"local_values.{p}": v for p, v in row.partial_values}})
        if flagged:
            entry["non_finite"] = flagged
        nodes.append(entry)
    output = snapshot.row(snapshot.output)
    if snapshot.mode == "forward":
        gradient = {snapshot.wrt: _number_field(output.accumulated)}
    else:
        gradient = {name: _number_field(snapshot.row(name).accumulated) for name in stepper.graph.inputs}
    document: dict[str, Any] = {source.kind: source.text, "mode": snapshot.mode, "wrt": snapshot.wrt,
                                "inputs": {name: _number_field(stepper.values[name]) for name in stepper.graph.inputs},
                                "nodes": nodes,
                                "output": {"name": snapshot.output, "value": _number_field(output.value)},
                                "gradient": gradient,
                                "sweeps_for_full_gradient": stepper.sweeps_for_full_gradient}
    flagged_gradient = _non_finite({name: snapshot.row(name).accumulated for name in gradient})
    if flagged_gradient:
        document["non_finite_gradient"] = flagged_gradient
    return document
