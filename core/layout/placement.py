"""Where each node of a computational graph goes when it is drawn on a terminal grid.

Pure geometry, no Textual: columns are levels of the one topological order (inputs on the left of
the operations that use them, the loss on the right), an edge that skips columns passes through
them as a thin "dummy" lane, each column is ordered to keep crossings few (barycenter sweeps),
and rows keep chains straight.
The result lists every box and every line cell, with the graph edges that pass through the cell,
so a view can paint the drawing and light one edge without recomputing anything. Any DAG given as
names with their parents can be laid out the same way (`layout_dag`): a graph collapsed to layers is one.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..engine.graph import Graph
from .geometry import (
    DOWN,
    GAP,
    LEFT,
    NODE_HEIGHT,
    PORT,
    RIGHT,
    UP,
    Box,
    Dag,
    Edge,
    GraphLayout,
    Item,
    LineCell,
    item_height,
    port_offset,
    port_row,
)
from .routing import channel, hline

__all__ = ["DOWN", "GAP", "LEFT", "NODE_HEIGHT", "PORT", "RIGHT", "UP", "Box", "Dag", "Edge", "GraphLayout",
           "Item", "LineCell", "dag_levels", "graph_dag", "layout_dag", "layout_graph", "levels"]

def graph_dag(graph: Graph) -> list[tuple[str, tuple[str, ...]]]:
    """The graph's nodes in its one topological order, each with its parents."""
    return [(node.name, node.parents) for node in graph.nodes]


def levels(graph: Graph) -> dict[str, int]:
    """Column of each node of `graph` (see `dag_levels`)."""
    return dag_levels(graph_dag(graph))


def dag_levels(dag: Dag) -> dict[str, int]:
    """Column of each node: an operation one right of its rightmost parent, an input just left of its
    leftmost consumer (so `y`, used only by the loss, enters next to the loss rather than far away)."""
    level: dict[str, int] = {}
    consumers: dict[str, list[int]] = {}
    for name, parents in dag:
        level[name] = 1 + max((level[parent] for parent in parents), default=-1)
        for parent in parents:
            consumers.setdefault(parent, []).append(level[name])
    for name, parents in dag:
        if not parents:
            used = consumers.get(name)
            level[name] = max(min(used) - 1, 0) if used else 0
    return level


def layout_graph(graph: Graph, widths: Mapping[str, int]) -> GraphLayout:
    """Lay out `graph` left to right with each node's box `widths[name]` cells wide."""
    return layout_dag(graph_dag(graph), widths)


def layout_dag(dag: Dag, widths: Mapping[str, int], heights: Mapping[str, int] | None = None) -> GraphLayout:
    """Lay out a DAG left to right: box `name` is `widths[name]` cells wide and `heights[name]` rows
    high (NODE_HEIGHT when not given); edges meet every box on its row PORT."""
    heights = heights or {}
    level = dag_levels(dag)
    columns, preds, carried = _items(dag, level)
    _order(columns, preds)
    tops = _rows(columns, preds, heights)
    succs: dict[Item, list[Item]] = {item: [] for column in columns for item in column}
    for column in columns[1:]:
        for item in column:
            for pred in preds[item]:
                succs[pred].append(item)
    column_width = [max((widths[item] for item in column if isinstance(item, str)), default=1)
                    for column in columns]
    cells: dict[tuple[int, int], list] = {}
    boxes: dict[str, Box] = {}
    x = 0
    for k, column in enumerate(columns):
        right = x + column_width[k]
        for item in column:
            if isinstance(item, str):
                boxes[item] = Box(item, k, x, tops[item], widths[item], heights.get(item, NODE_HEIGHT))
                start = x + widths[item]
            else:
                start = x
            if succs[item]:
                edges = frozenset().union(*(carried[(item, b)] for b in succs[item]))
                hline(cells, start, right, port_row(item, tops), edges)
        if k + 1 < len(columns):
            x = channel(cells, right, columns[k], columns[k + 1], succs, tops, carried)
        else:
            x = right
    ordered = {name: boxes[name] for name, _ in dag}
    height = max(tops[item] + item_height(item, heights) for column in columns for item in column)
    make = tuple.__new__
    frozen = {key: make(LineCell, cell) for key, cell in cells.items()}
    return GraphLayout(x, height, ordered, frozen)


def _items(dag: Dag, level: dict[str, int]) -> tuple[list[list[Item]], dict[Item, list[Item]],
                                                     dict[tuple[Item, Item], frozenset[Edge]]]:
    """Columns of items, each item's predecessors in the previous column, and the graph edges per item link."""
    columns: list[list[Item]] = [[] for _ in range(max(level.values()) + 1)]
    preds: dict[Item, list[Item]] = {}
    carried: dict[tuple[Item, Item], set[Edge]] = {}
    for name, _ in dag:
        columns[level[name]].append(name)
        preds.setdefault(name, [])
    for name, parents in dag:
        for parent in parents:
            previous: Item = parent
            for lane in range(level[parent] + 1, level[name]):
                dummy = (parent, lane)
                if dummy not in preds:
                    preds[dummy] = [previous]
                    columns[lane].append(dummy)
                carried.setdefault((previous, dummy), set()).add((parent, name))
                previous = dummy
            preds[name].append(previous)
            carried.setdefault((previous, name), set()).add((parent, name))
    return columns, preds, {link: frozenset(edges) for link, edges in carried.items()}


def _order(columns: list[list[Item]], preds: dict[Item, list[Item]]) -> None:
    """Reorder each column by the mean position of its neighbours: down, up, then down again."""
    succs: dict[Item, list[Item]] = {item: [] for column in columns for item in column}
    for item, before in preds.items():
        for pred in before:
            succs[pred].append(item)

    def sort(column: list[Item], neighbours: dict[Item, list[Item]], reference: list[Item]) -> None:
        position = {item: index for index, item in enumerate(reference)}
        current = {item: index for index, item in enumerate(column)}
        scale = len(reference) / max(len(column), 1)

        def key(item: Item) -> tuple[float, bool, int]:
            near = [position[other] for other in neighbours[item]]
            if near:
                return sum(near) / len(near), False, current[item]
            return current[item] * scale, True, current[item]

        column.sort(key=key)

    for _ in range(2):
        for k in range(1, len(columns)):
            sort(columns[k], preds, columns[k - 1])
        for k in range(len(columns) - 2, -1, -1):
            sort(columns[k], succs, columns[k + 1])
    for k in range(1, len(columns)):
        sort(columns[k], preds, columns[k - 1])


def _rows(columns: list[list[Item]], preds: dict[Item, list[Item]], heights: Mapping[str, int]) -> dict[Item, int]:
    """Top row of each item: level with the median of its predecessors when there is room, else lower."""
    tops: dict[Item, int] = {}
    for column in columns:
        free = 0
        for item in column:
            ports = sorted(port_row(pred, tops) for pred in preds[item])
            wanted = ports[(len(ports) - 1) // 2] - port_offset(item) if ports else free
            tops[item] = max(wanted, free)
            free = tops[item] + item_height(item, heights) + GAP
    return tops
