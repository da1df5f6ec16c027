"""A window on a graph too big to show whole: the nodes near the current one, and what they read.

Drawing every node of a ten-thousand-node graph would cost seconds and hundreds of megabytes to
show a screenful, and a table of ten thousand rows as much. Past `SHOW_WHOLE_LIMIT` nodes the views
show a window instead: a run of nodes of the one topological order around the step's node (plus the
parents those nodes read, wherever they are). A window costs the same whatever the graph's size,
and it moves only when the step's node comes near its edge, so most key presses reuse it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..engine.graph import Graph
from ..stepping.snapshot import Snapshot
from .placement import Dag

SHOW_WHOLE_LIMIT = 500
"""A graph with more nodes than this is drawn and tabled as a window around the current node."""
WINDOW_RADIUS = 12
"""Nodes of the topological order drawn either side of the current one."""
TABLE_RADIUS = 60
"""Rows of the table kept either side of the current one."""


@dataclass(frozen=True)
class Window:
    """Positions `first` to `last - 1` of the graph's topological order, and the DAG they draw."""

    first: int
    last: int
    total: int
    dag: Dag

    def around(self, position: int, margin: int) -> bool:
        """Whether `position` lies inside the window, `margin` nodes from its ends (or at the graph's own ends)."""
        low = self.first + margin if self.first > 0 else 0
        high = self.last - margin if self.last < self.total else self.total
        return low <= position < high

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.dag]

    @property
    def caption(self) -> str:
        return f"nodes {self.first + 1}–{self.last} of {self.total}, around the current step"


def focus_node(snapshot: Snapshot) -> str | None:
    """The node a window centres on: the step's node, or for an adjoint the child sending it (so a
    fan-out input, fed from every column, does not drag the window back and forth)."""
    step = snapshot.step
    if step.kind == "adjoint" and step.edge is not None:
        return step.edge[1]
    return step.node


def needs_window(graph: Graph) -> bool:
    return len(graph) > SHOW_WHOLE_LIMIT


def span_around(position: int, total: int, radius: int) -> tuple[int, int]:
    """`[first, last)` of at most 2·radius+1 positions centred on `position`, kept inside `[0, total)`."""
    first = max(0, min(position - radius, total - (2 * radius + 1)))
    return first, min(total, first + 2 * radius + 1)


def graph_window(graph: Graph, center: str, radius: int = WINDOW_RADIUS) -> Window:
    """The window centred on node `center`: its nodes in order, each with its parents; a parent
    outside the window comes first, as a source (its own parents are not drawn)."""
    first, last = span_around(graph.index[center], len(graph), radius)
    inside = graph.nodes[first:last]
    names = {node.name for node in inside}
    outside: dict[str, None] = {}
    for node in inside:
        for parent in node.parents:
            if parent not in names:
                outside[parent] = None
    ordered = sorted(outside, key=graph.index.__getitem__)
    dag: Dag = [*((name, ()) for name in ordered), *((node.name, node.parents) for node in inside)]
    return Window(first, last, len(graph), dag)
