"""What the graph canvas writes inside its boxes, and its drawings indexed by row for painting.

Text only: the numbers come formatted from core, the counts are of rows core already filled.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping
from operator import itemgetter

from backprop_tui.core.engine.graph import Graph
from backprop_tui.core.engine.numbers import format_value
from backprop_tui.core.layout.grouping import Group
from backprop_tui.core.layout.placement import NODE_HEIGHT, Box, GraphLayout, LineCell
from backprop_tui.core.stepping.snapshot import Row, Snapshot
from backprop_tui.core.stepping.table import batch_seed_text

DIGITS = 6
"""Significant digits in a box: enough to recognise the table's number, short enough to fit."""
MAX_TEXT = 18
"""Widest text inside a node's box; longer definitions end with an ellipsis."""
MAX_GROUP_TEXT = 26
"""Widest text inside a layer's box."""
GROUP_HEIGHT = NODE_HEIGHT + 1
"""A layer's box has one line more than a node's: its title, its progress, then one member's value and derivative."""
PADDING = 4
"""Border and one space on either side of a box's text."""


def derivative_prefix(snapshot: Snapshot) -> str:
    """`dL` before an adjoint in reverse mode (a total: `d`, not `∂`), `d/dW` before a tangent (forward mode)."""
    return f"d/d{snapshot.wrt}" if snapshot.mode == "forward" else f"d{snapshot.output}"


def derivative_value(row: Row, snapshot: Snapshot) -> str:
    """The derivative's number, or for a batch's loss the 1/n seed it is (`seed 1/300 each`)."""
    return batch_seed_text(row, snapshot) or format_value(row.accumulated, DIGITS)


def box_texts(row: Row, snapshot: Snapshot) -> tuple[str, str, str]:
    """The three lines inside a node's box: what it is, its value, its derivative (blank until known)."""
    label = row.name if row.is_input else f"{row.name} = {row.definition}"
    value = "" if row.value is None else format_value(row.value, DIGITS)
    derivative = "" if row.accumulated is None else f"{derivative_prefix(snapshot)} {derivative_value(row, snapshot)}"
    return label, value, derivative


def member_texts(row: Row | None, snapshot: Snapshot, terms: int) -> tuple[str, str]:
    """One member of a layer: `h1[7] = 0.42` and `dL 0.013`, with `(3/16 terms)` while a fan-out sum grows."""
    if row is None:
        return "", ""
    value = row.name if row.value is None else f"{row.name} = {format_value(row.value, DIGITS)}"
    if row.accumulated is None:
        return value, ""
    derivative = f"{derivative_prefix(snapshot)} {derivative_value(row, snapshot)}"
    if snapshot.mode == "reverse" and terms > 1 and len(row.contributions) < terms:
        derivative += f" ({len(row.contributions)}/{terms} terms)"
    return value, derivative


def group_texts(group: Group, rows: Mapping[str, Row], focus: str | None, snapshot: Snapshot,
                graph: Graph) -> tuple[str, str, str, str]:
    """A layer's box: its title, how many of its nodes have values (then, in the backward pass, adjoints),
    and one member."""
    count = len(group.members)
    derived = sum(rows[name].accumulated is not None for name in group.members)
    if snapshot.mode == "reverse" and derived:
        progress = f"{derivative_prefix(snapshot)} {derived}/{count}"
    else:
        progress = f"values {sum(rows[name].value is not None for name in group.members)}/{count}"
    terms = len(graph.children[focus]) if focus is not None else 0
    return (group.title, progress, *member_texts(rows.get(focus) if focus else None, snapshot, terms))


def group_state(group: Group, rows: Mapping[str, Row], current: str | None) -> str:
    """How a layer's box is painted: current when the step's node is inside it, else by its least-filled member."""
    if current in group.members:
        return "current"
    states = {"pending" if rows[name].value is None else "computed" if rows[name].accumulated is None
              else "derived" for name in group.members}
    for state in ("pending", "computed"):
        if state in states:
            return state
    return "derived"


def group_width(group: Group, final: Snapshot, rows: Mapping[str, Row], graph: Graph) -> int:
    """Wide enough for the longest line the box can show, up to MAX_GROUP_TEXT."""
    longest = max(len(group.title), len(group_texts(group, rows, None, final, graph)[1]))
    for name in group.members:
        terms = len(graph.children[name])
        value, derivative = member_texts(rows[name], final, terms)
        longest = max(longest, len(value), len(derivative) + (len(f" ({terms}/{terms} terms)") if terms > 1 else 0))
    return min(longest, MAX_GROUP_TEXT) + PADDING


class DrawingIndex:
    """A layout's line cells and boxes sorted by row and column, so painting a line visits only what it shows."""

    def __init__(self, layout: GraphLayout) -> None:
        self.layout = layout
        self.cells: list[list[tuple[int, LineCell]]] = [[] for _ in range(layout.height)]
        for (x, y), cell in layout.cells.items():
            self.cells[y].append((x, cell))
        for row in self.cells:
            row.sort(key=itemgetter(0))
        self.cell_xs = [[x for x, _ in row] for row in self.cells]
        self.boxes: list[list[Box]] = [[] for _ in range(layout.height)]
        for box in sorted(layout.boxes.values(), key=lambda box: box.x):
            for y in range(box.y, box.y + box.height):
                self.boxes[y].append(box)

    def cells_between(self, y: int, start: int, end: int) -> list[tuple[int, LineCell]]:
        """The line cells of row `y` with start <= x < end."""
        xs = self.cell_xs[y]
        return self.cells[y][bisect_left(xs, start):bisect_left(xs, end)]
