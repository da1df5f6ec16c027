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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from ..engine.graph import Graph

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

    def node_at(self, x: int, y: int) -> str | None:
        for box in self.boxes.values():
            if box.contains(x, y):
                return box.name
        return None


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
                _hline(cells, start, right, _port(item, tops), edges)
        if k + 1 < len(columns):
            x = _channel(cells, right, columns[k], columns[k + 1], succs, tops, carried)
        else:
            x = right
    ordered = {name: boxes[name] for name, _ in dag}
    height = max(tops[item] + _height(item, heights) for column in columns for item in column)
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


def _height(item: Item, heights: Mapping[str, int]) -> int:
    return heights.get(item, NODE_HEIGHT) if isinstance(item, str) else 1


def _port_offset(item: Item) -> int:
    return PORT if isinstance(item, str) else 0


def _port(item: Item, tops: dict[Item, int]) -> int:
    return tops[item] + _port_offset(item)


def _rows(columns: list[list[Item]], preds: dict[Item, list[Item]], heights: Mapping[str, int]) -> dict[Item, int]:
    """Top row of each item: level with the median of its predecessors when there is room, else lower."""
    tops: dict[Item, int] = {}
    for column in columns:
        free = 0
        for item in column:
            ports = sorted(_port(pred, tops) for pred in preds[item])
            wanted = ports[(len(ports) - 1) // 2] - _port_offset(item) if ports else free
            tops[item] = max(wanted, free)
            free = tops[item] + _height(item, heights) + GAP
    return tops


def _add(cells: dict[tuple[int, int], list], x: int, y: int, directions: int, edges: frozenset[Edge],
         arrow: bool = False) -> None:
    """Join lines into a cell; the edge sets are shared, and copied only when two really meet."""
    cell = cells.get((x, y))
    if cell is None:
        cells[(x, y)] = [directions, edges, arrow]
        return
    cell[0] |= directions
    if not edges <= cell[1]:
        cell[1] = cell[1] | edges
    cell[2] = cell[2] or arrow


def _hline(cells: dict, start: int, end: int, y: int, edges: frozenset[Edge]) -> None:
    """A horizontal line over columns start..end-1 (nothing when start >= end); `_add` inlined, for speed."""
    for x in range(start, end):
        cell = cells.get((x, y))
        if cell is None:
            cells[(x, y)] = [LEFT | RIGHT, edges, False]
        else:
            cell[0] |= LEFT | RIGHT
            if not edges <= cell[1]:
                cell[1] = cell[1] | edges


def _track(cells: dict, x: int, row: int, ends: list[tuple[int, frozenset[Edge]]]) -> None:
    """A source's vertical track from its row to every target row; each cell carries the edges of
    the targets beyond it, so lighting one edge lights only its own part of the track."""
    for sign, toward, away in ((1, UP, DOWN), (-1, DOWN, UP)):
        side = sorted((end for end in ends if (end[0] - row) * sign > 0), key=lambda end: -abs(end[0] - row))
        carried: frozenset[Edge] = frozenset()
        for index, (end_row, edges) in enumerate(side):
            carried = carried | edges
            nearer = side[index + 1][0] if index + 1 < len(side) else row
            for y in range(end_row, nearer, -sign):
                _add(cells, x, y, toward | (0 if index == 0 and y == end_row else away), carried)


def _channel(cells: dict, x0: int, left: list[Item], right: list[Item], succs: dict[Item, list[Item]],
             tops: dict[Item, int], carried: dict[tuple[Item, Item], frozenset[Edge]]) -> int:
    """Draw the links between two adjacent columns; return where the right column starts."""
    targets = {source: succs[source] for source in left}
    bent = [source for source in left
            if targets[source] and {_port(t, tops) for t in targets[source]} != {_port(source, tops)}]
    tracks = _tracks(bent, targets, right, tops)
    width = len(tracks) + 3 if tracks else 2
    arrow_x = x0 + width - 1
    track_x = {source: x0 + 1 + index for index, track in enumerate(tracks) for source in track}
    for source in left:
        row = _port(source, tops)
        links = {target: carried[(source, target)] for target in targets[source]}
        if not links:
            continue
        every = frozenset().union(*links.values())
        if source not in track_x:
            _hline(cells, x0, arrow_x, row, every)
            _end(cells, arrow_x, row, next(iter(links)), every)
            continue
        tx = track_x[source]
        _hline(cells, x0, tx, row, every)
        ends = [(_port(target, tops), edges) for target, edges in links.items()]
        up, down = any(end < row for end, _ in ends), any(end > row for end, _ in ends)
        _add(cells, tx, row, LEFT | (UP if up else 0) | (DOWN if down else 0), every)
        _track(cells, tx, row, ends)
        for target, edges in links.items():
            target_row = _port(target, tops)
            _add(cells, tx, target_row, RIGHT, edges)
            _hline(cells, tx + 1, arrow_x, target_row, edges)
            _end(cells, arrow_x, target_row, target, edges)
    return x0 + width


def _end(cells: dict, x: int, y: int, target: Item, edges: frozenset[Edge]) -> None:
    """An arrowhead into a node, or the line continuing into a dummy lane."""
    _add(cells, x, y, LEFT | RIGHT, edges, arrow=isinstance(target, str))


def _tracks(bent: list[Item], targets: dict[Item, list[Item]], right: list[Item],
            tops: dict[Item, int]) -> list[list[Item]]:
    """The vertical tracks of a channel, left to right, each shared by sources whose rows do not meet.

    Source A's stub (row a, from the left edge to A's track) would overlap source B's branch to a
    target on row a that A does not feed if B's track were left of A's; so A's track comes first
    there. Within that order each track takes, top to bottom, every source whose span of rows
    starts a blank row below the previous one's (the left-edge channel router): a layer's many
    weights, each feeding one neuron, share a few tracks instead of taking one each.
    """
    at_row = {_port(item, tops): item for item in right}
    fed_by: dict[Item, list[Item]] = {}
    for source in bent:
        for target in targets[source]:
            fed_by.setdefault(target, []).append(source)
    before: dict[Item, set[Item]] = {source: set() for source in bent}
    for a in bent:
        foreign = at_row.get(_port(a, tops))
        if foreign is not None and foreign not in targets[a]:
            for b in fed_by.get(foreign, []):
                before[b].add(a)
    span = {}
    for source in bent:
        rows = [_port(source, tops), *(_port(target, tops) for target in targets[source])]
        span[source] = (min(rows), max(rows))
    tracks: list[list[Item]] = []
    placed: set[Item] = set()
    pending = sorted(bent, key=lambda item: span[item])
    while pending:
        track: list[Item] = []
        bottom = -2
        for item in pending:
            top, end = span[item]
            if top > bottom + 1 and before[item] <= placed:
                track.append(item)
                placed.add(item)
                bottom = end
        if not track:
            track.append(pending[0])
            placed.add(pending[0])
        tracks.append(track)
        pending = [item for item in pending if item not in placed]
    return tracks
