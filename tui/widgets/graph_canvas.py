"""The computational graph drawn with box-drawing characters, lit where the current step is.

A Line API widget: `core.layout` decides where every box and line goes once per graph; each key
press only changes which boxes and edges are lit, and only the visible lines are painted.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Region, Size, Spacing
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from backprop_tui.core.graph import Graph
from backprop_tui.core.layout import ARROW, Box, GraphLayout, LineCell, glyph, layout_graph
from backprop_tui.core.numbers import format_value
from backprop_tui.core.snapshot import Row, Snapshot

from .trace_table import row_stage

DIGITS = 6
"""Significant digits in a box: enough to recognise the table's number, short enough to fit."""
MAX_TEXT = 18
"""Widest text inside a box; longer definitions end with an ellipsis."""

KINDS = ("pending", "computed", "derived", "current", "edge", "lit")
"""How a cell is painted: a box's state, or an edge lit or not; each a component class."""
LIGHT_BOX = "┌─┐│└┘"
HEAVY_BOX = "┏━┓┃┗┛"


def derivative_prefix(snapshot: Snapshot) -> str:
    """`∂L` before an adjoint (reverse mode), `d/dW` before a tangent (forward mode)."""
    return f"d/d{snapshot.wrt}" if snapshot.mode == "forward" else f"∂{snapshot.output}"


def box_texts(row: Row, snapshot: Snapshot) -> tuple[str, str, str]:
    """The three lines inside a node's box: what it is, its value, its derivative (blank until known)."""
    label = row.name if row.is_input else f"{row.name} = {row.definition}"
    value = "" if row.value is None else format_value(row.value, DIGITS)
    derivative = ("" if row.accumulated is None
                  else f"{derivative_prefix(snapshot)} {format_value(row.accumulated, DIGITS)}")
    return label, value, derivative


def lit_edges(snapshot: Snapshot, graph: Graph) -> frozenset[tuple[str, str]]:
    """The edges the current step uses: the adjoint's one edge, or every edge into a node being valued."""
    step = snapshot.step
    if step.kind == "adjoint" and step.edge is not None:
        return frozenset({step.edge})
    if step.kind == "value" and step.node is not None:
        return frozenset((parent, step.node) for parent in graph.node(step.node).parents)
    return frozenset()


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


class GraphCanvas(ScrollView, can_focus=False):
    """Boxes for nodes (operation, value, derivative) and arrows for edges, in topological order."""

    COMPONENT_CLASSES = {f"graph-canvas--{kind}" for kind in KINDS}

    DEFAULT_CSS = """
    GraphCanvas {
        background: $surface;
        & > .graph-canvas--pending { color: $text-disabled; }
        & > .graph-canvas--computed { color: $text; }
        & > .graph-canvas--derived { color: $text-success; }
        & > .graph-canvas--current { color: $text; background: $accent 40%; text-style: bold; }
        & > .graph-canvas--edge { color: $text-muted; }
        & > .graph-canvas--lit { color: $text-accent; text-style: bold; }
    }
    """

    snapshot: reactive[Snapshot | None] = reactive(None, always_update=True, layout=False)
    """The step to show; setting it relights boxes and edges and scrolls the current node into view."""

    class NodeClicked(Message):
        """A node's box was clicked: the screen jumps to that node's step."""

        def __init__(self, name: str) -> None:
            self.name = name
            super().__init__()

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.graph: Graph | None = None
        self.drawing = GraphLayout(0, 0, {}, {})
        self._cells_by_row: list[list[tuple[int, LineCell]]] = []
        self._boxes_by_row: list[list[Box]] = []
        self._texts: dict[str, tuple[str, str, str]] = {}
        self._states: dict[str, str] = {}
        self._lit: frozenset[tuple[str, str]] = frozenset()
        self._stages: dict[str, tuple[bool, bool, int]] = {}
        self._styles: dict[str | None, Style] = {}

    def load(self, graph: Graph, final: Snapshot) -> None:
        """Lay out a new graph; boxes are as wide as the widest text the final step will show."""
        widths = {row.name: min(max(len(text) for text in box_texts(row, final)), MAX_TEXT) + 4
                  for row in final.rows}
        self.graph = graph
        self.drawing = layout_graph(graph, widths)
        self._cells_by_row = [[] for _ in range(self.drawing.height)]
        for (x, y), cell in sorted(self.drawing.cells.items()):
            self._cells_by_row[y].append((x, cell))
        self._boxes_by_row = [[] for _ in range(self.drawing.height)]
        for box in self.drawing.boxes.values():
            for y in range(box.y, box.y + box.height):
                self._boxes_by_row[y].append(box)
        self._stages, self._texts = {}, {}
        self.virtual_size = Size(self.drawing.width, self.drawing.height)
        self.scroll_to(0, 0, animate=False)

    def watch_snapshot(self, snapshot: Snapshot | None) -> None:
        if snapshot is None or self.graph is None:
            return
        for row in snapshot.rows:
            stage = row_stage(row)
            if self._stages.get(row.name) != stage:
                self._stages[row.name] = stage
                self._texts[row.name] = box_texts(row, snapshot)
            self._states[row.name] = self._state(row, snapshot)
        self._lit = lit_edges(snapshot, self.graph)
        if snapshot.node is not None:
            self.show_node(snapshot.node)
        self.refresh()

    @staticmethod
    def _state(row: Row, snapshot: Snapshot) -> str:
        if row.name == snapshot.node:
            return "current"
        if row.value is None:
            return "pending"
        return "computed" if row.accumulated is None else "derived"

    def show_node(self, name: str) -> None:
        """Scroll so the node's box, with a margin, is in view."""
        box = self.drawing.boxes.get(name)
        if box is not None:
            self.scroll_to_region(Region(box.x, box.y, box.width, box.height), spacing=Spacing(1, 4, 1, 4),
                                  animate=False, immediate=True)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        row = y + scroll_y
        width = self.scrollable_content_region.width
        styles = self._paint_styles()
        base = styles[None]
        if not 0 <= row < self.drawing.height:
            return Strip.blank(width, base)
        chars = [" "] * self.drawing.width
        kinds: list[str | None] = [None] * self.drawing.width
        for x, cell in self._cells_by_row[row]:
            lit = bool(cell.edges & self._lit)
            chars[x] = ARROW if cell.arrow else glyph(cell.directions, lit)
            kinds[x] = "lit" if lit else "edge"
        for box in self._boxes_by_row[row]:
            self._paint_box(box, row - box.y, chars, kinds)
        segments: list[Segment] = []
        start = 0
        for x in range(1, len(chars) + 1):
            if x == len(chars) or kinds[x] != kinds[start]:
                kind = kinds[start]
                style = styles[kind]
                segments.append(Segment("".join(chars[start:x]), style))
                start = x
        return Strip(segments, self.drawing.width).crop_extend(scroll_x, scroll_x + width, base)

    def _paint_styles(self) -> dict[str | None, Style]:
        """The widget's style and its component styles, looked up once per theme or CSS change."""
        if not self._styles:
            self._styles = {kind: self.get_component_rich_style(f"graph-canvas--{kind}") for kind in KINDS}
            self._styles[None] = self.rich_style
        return self._styles

    def notify_style_update(self) -> None:
        self._styles = {}
        super().notify_style_update()

    def _paint_box(self, box: Box, line: int, chars: list[str], kinds: list[str | None]) -> None:
        state = self._states.get(box.name, "pending")
        corner = HEAVY_BOX if state == "current" else LIGHT_BOX
        inner = box.width - 2
        if line == 0:
            text = corner[0] + corner[1] * inner + corner[2]
        elif line == box.height - 1:
            text = corner[4] + corner[1] * inner + corner[5]
        else:
            content = self._texts.get(box.name, ("", "", ""))[line - 1]
            text = corner[3] + f" {_fit(content, inner - 2)} ".ljust(inner) + corner[3]
        chars[box.x:box.x + box.width] = text
        kinds[box.x:box.x + box.width] = [state] * box.width

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        name = self.drawing.node_at(offset.x + self.scroll_x, offset.y + self.scroll_y)
        if name is not None:
            self.post_message(self.NodeClicked(name))
