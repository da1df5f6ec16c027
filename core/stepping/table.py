"""The completed lecture table as plain data: what `backprop-tui table` prints in every format.

One place decides the columns and their text; the exporters only lay them out.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import isfinite
from typing import Any

import numpy as np

from ..engine.finite_differences import FD_NODE_LIMIT
from ..engine.numbers import format_sum, format_value, is_finite, to_json_number
from .snapshot import Row, Snapshot
from .steppers import Stepper


@dataclass(frozen=True)
class TableSource:
    """Where the graph came from: a named example or the user's expression."""

    kind: str
    text: str
    title: str | None = None
    """How to show the source when its text is not for reading (`cos(3πx)/x` for the parsed π)."""


def accumulated_header(snapshot: Snapshot) -> str:
    """`dξ/dW` in forward mode, `dL/dξ` in reverse mode, as the lecture heads the last column.

    `d`, not `∂`: the column holds totals accumulated along every path; `∂` is kept for a node's
    local partial with respect to one of its own arguments."""
    if snapshot.mode == "forward":
        return f"dξ/d{snapshot.wrt}"
    return f"d{snapshot.output}/dξ"


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
    """The accumulated derivative (closed form first when there is one); where several terms add
    up (fan-out in reverse mode, several parents in forward mode) the sum is spelled out: `6 + 1 = 7`."""
    if row.accumulated is None:
        return ""
    number = format_value(row.accumulated)
    closed = f"{row.accumulated_closed} = {number}" if row.accumulated_closed and row.accumulated_closed != number \
        else number
    if len(row.contributions) > 1:
        terms = format_sum(row.contributions, row.accumulated, lambda contribution: contribution.value)
        return terms[:len(terms) - len(number)] + closed
    return closed


def batch_seed_text(row: Row, snapshot: Snapshot) -> str | None:
    """`seed 1/300 each` for a batch's loss in reverse mode: its `dL` is not a derivative the pass
    computed but the 1/n it starts from (the loss is the mean of the rows'). None for any other row."""
    if snapshot.mode != "reverse" or row.name != snapshot.output or row.accumulated is None:
        return None
    if np.ndim(row.accumulated) == 0 or not row.accumulated_closed:
        return None
    return f"seed {row.accumulated_closed} each"


def fd_text(row: Row) -> str:
    if row.fd_check is None:
        return ""
    if row.fd_check.ok is None:
        return "cannot check here"
    mark = "ok" if row.fd_check.ok else "MISMATCH"
    return f"{format_value(row.fd_check.value)} {mark}"


def text_columns(snapshot: Snapshot) -> tuple[list[str], list[list[str]]]:
    """Header and cells of the table for the text-like formats, one row per node.

    Input rows come first, as in the TUI: in forward mode they hold the seeds (1 for the input
    differentiated against), in reverse mode the answers (dL/dW, with the contributions added).
    A `note` column appears only when a row carries one (where a slide printed another number)."""
    header = ["var", "definition", "expanded", "local partial", "value", "partial value",
              accumulated_header(snapshot), "finite difference"]
    rows = [[row.name, "input" if row.is_input else row.definition, "" if row.is_input else row.expanded,
             partial_text(row), value_text(row), partial_value_text(row), accumulated_text(row), fd_text(row)]
            for row in snapshot.rows]
    if any(row.note for row in snapshot.rows):
        header.append("note")
        for cells, row in zip(rows, snapshot.rows, strict=True):
            cells.append(row.note or "")
    return header, rows


def _number_field(value: Any) -> Any:
    if type(value) is np.float64:  # the scalar case (six a row), without `to_json_number`'s checks
        return float(value) if isfinite(value) else None
    return to_json_number(value) if value is not None else None


def _finite_or_none(value: Any) -> bool:
    return value is None or (isfinite(value) if type(value) is np.float64 else is_finite(value))


def _non_finite(fields: dict[str, Any]) -> dict[str, str]:
    return {key: format_value(value) for key, value in fields.items() if value is not None and not is_finite(value)}


NOT_CHECKED = f"not checked: graphs of more than {FD_NODE_LIMIT} nodes skip the finite differences (one pass per node)"


def _fd_field(row: Row) -> dict[str, Any]:
    """The check as JSON; a row without one says why, so no `fd_check` is a bare null."""
    if row.fd_check is None:
        note = "not checked: there is no derivative here to check" if row.accumulated is None else NOT_CHECKED
        return {"value": None, "ok": None, "note": note}
    return {"value": _number_field(row.fd_check.value), "ok": row.fd_check.ok, "note": row.fd_check.note}


def _flags(row: Row, derivative_key: str) -> dict[str, str]:
    """Every number of a row that is NaN or infinite (JSON null), by field: the reason for each null."""
    numbers = [row.value, row.accumulated, *(value for _, value in row.partial_values),
               *(c.value for c in row.contributions), row.fd_check.value if row.fd_check is not None else None]
    if all(map(_finite_or_none, numbers)):
        return {}  # almost every row: no field names written only to be dropped
    fields: dict[str, Any] = {"value": row.value, derivative_key: row.accumulated}
    fields.update({f"local_values.{parent}": value for parent, value in row.partial_values})
    fields.update({f"contributions.{c.source}": c.value for c in row.contributions})
    if row.fd_check is not None:
        fields["fd_check.value"] = row.fd_check.value
    return _non_finite(fields)


def _input_row(row: Row, derivative_key: str) -> dict[str, Any]:
    """An input's row: its value, its derivative, and (reverse mode) the contributions that add up to it."""
    entry: dict[str, Any] = {
        "name": row.name,
        "value": _number_field(row.value),
        derivative_key: _number_field(row.accumulated),
        "contributions": [{"from": c.source, "value": _number_field(c.value)} for c in row.contributions],
    }
    if row.accumulated_closed:
        entry[f"{derivative_key}_closed_form"] = row.accumulated_closed
    if row.fd_check is not None:
        entry["fd_check"] = {"value": _number_field(row.fd_check.value), "ok": row.fd_check.ok}
        if row.fd_check.note:
            entry["fd_check"]["note"] = row.fd_check.note
    if row.note:
        entry["note"] = row.note
    flagged = _flags(row, derivative_key)
    if flagged:
        entry["non_finite"] = flagged
    return entry


def _output_field(name: str, value: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": name, "value": _number_field(value)}
    flagged = _non_finite({"value": value})
    if flagged:
        entry["non_finite"] = flagged
    return entry


def table_json(stepper: Stepper, source: TableSource) -> dict[str, Any]:
    """The JSON document of the completed table (see the README for its fields)."""
    snapshot = stepper.final()
    derivative_key = "tangent" if snapshot.mode == "forward" else "adjoint"
    nodes = []
    graph_nodes, index = stepper.graph.nodes, stepper.graph.index  # `graph.node` without its call, per row
    for row in snapshot.rows:
        if row.op is None:  # an input's row (`is_input`)
            continue
        entry: dict[str, Any] = {
            "name": row.name,
            "op": row.op,
            "inputs": list(graph_nodes[index[row.name]].parents),
            "formula": row.definition,
            "expanded": row.expanded,
            "local_partials": dict(row.partial_formulas),
            "value": _number_field(row.value),
            "local_values": {parent: _number_field(value) for parent, value in row.partial_values},
            derivative_key: _number_field(row.accumulated),
            "fd_check": _fd_field(row),
        }
        if row.value_closed:
            entry["value_closed_form"] = row.value_closed
        if row.accumulated_closed:
            entry[f"{derivative_key}_closed_form"] = row.accumulated_closed
        if row.note:
            entry["note"] = row.note
        if row.contributions:
            entry["contributions"] = [{"from": c.source, "value": _number_field(c.value)} for c in row.contributions]
        flagged = _flags(row, derivative_key)
        if flagged:
            entry["non_finite"] = flagged
        if row.accumulated is None:
            entry["null_reasons"] = {derivative_key: f"the output {snapshot.output} does not depend on {row.name}: "
                                                     "no derivative flows back to it"}
        nodes.append(entry)
    output = snapshot.row(snapshot.output)
    if snapshot.mode == "forward":
        gradient = {snapshot.wrt: _number_field(output.accumulated)}
    else:
        gradient = {name: _number_field(snapshot.row(name).accumulated) for name in stepper.graph.inputs}
    document: dict[str, Any] = {source.kind: source.text, "mode": snapshot.mode, "wrt": snapshot.wrt,
                                "inputs": {name: _number_field(stepper.values[name]) for name in stepper.graph.inputs},
                                "input_rows": [_input_row(row, derivative_key) for row in snapshot.rows
                                               if row.is_input],
                                "nodes": nodes,
                                "output": _output_field(snapshot.output, output.value),
                                "gradient": gradient,
                                "sweeps_for_full_gradient": stepper.sweeps_for_full_gradient}
    # Forward mode's one entry is the output's tangent, reverse mode's the inputs' adjoints: flag those.
    flagged_gradient = _non_finite({name: output.accumulated if snapshot.mode == "forward"
                                    else snapshot.row(name).accumulated for name in gradient})
    if flagged_gradient:
        document["non_finite_gradient"] = flagged_gradient
    return document
