"""The shapes a graph drawing is made of: boxes, line cells, the layout holding them, and the row edges meet.

Shared by the placement of boxes (`placement`) and the routing of lines between them (`routing`).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

NODE_HEIGHT = 5
"""Rows of a node box: border, label, value, derivative, border."""
PORT = 1
"""Row of a box, from its top, where edges leave and enter (the label row)."""
GAP = 1
"""Blank rows between two items of a column."""

UP, DOWN, LEFT, RIGHT = 1, 2, 4, 8
"""Which way a line cell's lines go, as a bitmask: the TUI picks the glyph that joins them."""

Edge = tuple[str, str]
Item = str | tuple[str, int]
"""A node name, or a dummy lane `(source, level)` carrying the source's long edges through a column."""
Dag = Sequence[tuple[str, Sequence[str]]]
"""Names in a topological order, each with its parents: what `layout_dag` lays out."""


@dataclass(frozen=True)
class Box:
    """Where one node is drawn; edges meet it on row `port`."""

    name: str
    column: int
    x: int
    y: int
    width: int
    height: int = NODE_HEIGHT

    @property
    def port(self) -> int:
        return self.y + PORT

    def contains(self, x: int, y: int) -> bool:
        return self.x <= x < self.x + self.width and self.y <= y < self.y + self.height


class LineCell(NamedTuple):
    """One cell of the edge drawing: the directions its lines go, the graph edges passing through it.

    A named tuple, built straight from its fields' list: a big drawing has a hundred thousand."""

    directions: int
    edges: frozenset[Edge]
    arrow: bool = False


@dataclass(frozen=True)
class GraphLayout:
    """The whole drawing: its size, one box per node, and the line cells keyed by (x, y)."""

    width: int
    height: int
    boxes: Mapping[str, Box]
    cells: Mapping[tuple[int, int], LineCell]
    refs: Mapping[str, str] = field(default_factory=dict)
    """Boxes that stand for a node drawn in an earlier band of a wrapped drawing (`wrapping`): box name → node."""

    def node_at(self, x: int, y: int) -> str | None:
        """The node whose box (or a reference to it, in a wrapped drawing) covers the cell."""
        starts, boxes = self._boxes_by_row.get(y, ((), ()))
        index = bisect_right(starts, x) - 1
        if index >= 0 and boxes[index].contains(x, y):
            return self.refs.get(boxes[index].name, boxes[index].name)
        return None

    @cached_property
    def _boxes_by_row(self) -> dict[int, tuple[tuple[int, ...], tuple[Box, ...]]]:
        """Each row's boxes, left to right, with their left edges for bisection (boxes never overlap): a click, or
        a check of every line cell of a 390-node drawing, finds its box without trying every box."""
        rows: dict[int, list[Box]] = {}
        for box in self.boxes.values():
            for row in range(box.y, box.y + box.height):
                rows.setdefault(row, []).append(box)
        ordered = {row: sorted(found, key=lambda box: box.x) for row, found in rows.items()}
        return {row: (tuple(box.x for box in found), tuple(found)) for row, found in ordered.items()}


def item_height(item: Item, heights: Mapping[str, int]) -> int:
    return heights.get(item, NODE_HEIGHT) if isinstance(item, str) else 1


def port_offset(item: Item) -> int:
    return PORT if isinstance(item, str) else 0


def port_row(item: Item, tops: dict[Item, int]) -> int:
    return tops[item] + port_offset(item)
