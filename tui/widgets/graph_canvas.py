"""The computational graph drawn with box-drawing characters, lit where the current step is.

A Line API widget: `core.layout` decides where every box and line goes once per graph (and
`core.grouping` which nodes a layer's box holds, when the graph is collapsed to layers); each key
press only changes which boxes and edges are lit and what the boxes say, and only the visible part
of the visible lines is painted. A graph too big to draw whole (`core.layout.window`) is drawn as a
window of nodes around the current step, laid out again only when the step nears its edge; a key
press then touches the window's boxes, not the graph's.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Region, Size, Spacing
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from backprop_tui.core.engine.graph import Graph
from backprop_tui.core.layout.grouping import GroupFocus, Grouping, StepLike, collapsed_layout, group_layers
from backprop_tui.core.layout.placement import Box, GraphLayout, layout_dag, layout_graph
from backprop_tui.core.layout.window import Window, focus_node, graph_window, needs_window
from backprop_tui.core.stepping.snapshot import Row, Snapshot

from .graph_boxes import (
    GROUP_HEIGHT,
    MAX_TEXT,
    PADDING,
    DrawingIndex,
    box_texts,
    fit,
    group_state,
    group_texts,
    group_width,
)
from .graph_glyphs import ARROW, HEAVY_BOX, LIGHT_BOX, glyph
from .trace_table import row_stage

KINDS = ("pending", "computed", "derived", "current", "edge", "lit")
"""How a cell is painted: a box's state, or an edge lit or not; each a component class."""


WINDOW_MARGIN = 3
"""The window is laid out again when the step's node comes this close to its edge."""


def lit_edges(snapshot: Snapshot, graph: Graph) -> frozenset[tuple[str, str]]:
    """The edges the current step uses: the adjoint's one edge, or every edge into a node being valued."""
    step = snapshot.step
    if step.kind == "adjoint" and step.edge is not None:
        return frozenset({step.edge})
    if step.kind == "value" and step.node is not None:
        return frozenset((parent, step.node) for parent in graph.node(step.node).parents)
    return frozenset()


class GraphCanvas(ScrollView, can_focus=False):
    """Boxes for nodes (operation, value, derivative) and arrows for edges, in topological order;
    collapsed, one box per layer of a network and one for its parameters."""

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
    collapsed: reactive[bool] = reactive(False, layout=True)
    """Whether a network is drawn one box per layer (and per layer's parameters) instead of one per node."""

    class NodeClicked(Message):
        """A node's box (or a layer's box, for the member it shows) was clicked: the screen jumps to its step."""

        def __init__(self, name: str) -> None:
            self.name = name
            super().__init__()

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.graph: Graph | None = None
        self.grouping: Grouping | None = None
        self.drawing = GraphLayout(0, 0, {}, {})
        self._final: Snapshot | None = None
        self._focus: GroupFocus | None = None
        self._drawings: dict[bool, DrawingIndex] = {}
        self._index = DrawingIndex(self.drawing)
        self._rows: dict[str, Row] = {}
        self._texts: dict[str, tuple[str, ...]] = {}
        self._states: dict[str, str] = {}
        self._lit: frozenset[tuple[str, str]] = frozenset()
        self._stages: dict[str, tuple[bool, bool, int]] = {}
        self._styles: dict[str | None, Style] = {}
        self._window: Window | None = None
        self._seen: tuple[Row, ...] | None = None
        self._current: str | None = None

    def load(self, graph: Graph, final: Snapshot, grouping: Grouping | None = None,
             steps: Sequence[StepLike] = ()) -> None:
        """Take a new graph (its layouts are made when first shown); a different graph starts collapsed
        when `grouping` says it is big enough, the same graph in another mode keeps the reader's choice."""
        same = graph is self.graph
        self.graph, self._final = graph, final
        self.grouping = grouping if grouping is not None else group_layers(graph)
        self._focus = GroupFocus(self.grouping, steps)
        self._drawings, self._stages, self._texts, self._states = {}, {}, {}, {}
        self._rows = {row.name: row for row in final.rows}
        self._window, self._seen, self._current = None, None, None
        self.set_reactive(GraphCanvas.snapshot, None)
        collapsed = (self.collapsed if same else self.grouping.collapsed_by_default) and self.grouping.collapsible
        self.set_reactive(GraphCanvas.collapsed, collapsed)
        self._show_drawing()
        self.scroll_to(0, 0, animate=False)

    def watch_collapsed(self) -> None:
        if self.graph is None:
            return
        self._show_drawing()
        if self.snapshot is not None:
            self.watch_snapshot(self.snapshot)

    def _show_drawing(self, center: str | None = None) -> None:
        """Switch to the collapsed or the full drawing, laying it out the first time it is shown; a
        graph too big to draw whole gets the window around `center` (or the current step's node)."""
        if self.graph is None or self._final is None or self.grouping is None:
            return
        collapsed = self.is_collapsed
        if not collapsed and needs_window(self.graph):
            center = center or (focus_node(self.snapshot) if self.snapshot is not None else None)
            self._window = graph_window(self.graph, center or self.graph.nodes[0].name)
            self._index = DrawingIndex(self._window_layout(self._window))
        else:
            self._window = None
            if collapsed not in self._drawings:
                self._drawings[collapsed] = DrawingIndex(self._layout(collapsed))
            self._index = self._drawings[collapsed]
        self.drawing = self._index.layout
        if self._window is not None:
            self.border_subtitle = self._window.caption + (" · c collapses to layers"
                                                           if self.grouping.collapsible else "")
        else:
            self.border_subtitle = "" if not self.grouping.collapsible else (
                "one box per layer · c expands" if collapsed else "every node · c collapses to layers")
        self.virtual_size = Size(self.drawing.width, self.drawing.height)
        self.refresh()

    def _layout(self, collapsed: bool) -> GraphLayout:
        """Every box as wide as the widest text the final step will show in it."""
        assert self.graph is not None and self._final is not None and self.grouping is not None
        final = self._final
        rows = {row.name: row for row in final.rows}
        widths = {row.name: min(max(len(text) for text in box_texts(row, final)), MAX_TEXT) + PADDING
                  for row in final.rows if not collapsed or self.grouping.group_of[row.name] == row.name}
        if not collapsed:
            return layout_graph(self.graph, widths)
        groups = [group for group in self.grouping.groups if group.kind != "node"]
        widest = {kind: max((group_width(group, final, rows, self.graph) for group in groups if group.kind == kind),
                            default=0) for kind in ("layer", "parameters")}
        widths.update({group.key: widest[group.kind] for group in groups})
        return collapsed_layout(self.grouping, widths, {group.key: GROUP_HEIGHT for group in groups})

    def _window_layout(self, window: Window) -> GraphLayout:
        """The window's nodes, each box as wide as the widest text the final step shows in it."""
        assert self._final is not None and self.graph is not None
        final, index = self._final, self.graph.index
        widths = {name: min(max(len(text) for text in box_texts(final.rows[index[name]], final)), MAX_TEXT)
                  + PADDING for name in window.names}
        return layout_dag(window.dag, widths)

    @property
    def is_collapsed(self) -> bool:
        """Whether the drawing shown is the collapsed one."""
        return self.collapsed and self.grouping is not None and self.grouping.collapsible

    def box_of(self, name: str) -> Box | None:
        """The box showing node `name` in the drawing shown: its own, or its layer's."""
        key = self.grouping.group_of.get(name, name) if self.is_collapsed and self.grouping else name
        return self.drawing.boxes.get(key)

    def watch_snapshot(self, snapshot: Snapshot | None) -> None:
        if snapshot is None or self.graph is None or self.grouping is None:
            return
        if self._window is not None:
            focus = focus_node(snapshot)
            if focus is not None and not self._window.around(self.graph.index[focus], WINDOW_MARGIN):
                self._show_drawing(focus)
        for row in self._rows_to_update(snapshot):
            self._rows[row.name] = row
            stage = row_stage(row)
            if self._stages.get(row.name) != stage:
                self._stages[row.name] = stage
                self._texts[row.name] = box_texts(row, snapshot)
            self._states[row.name] = self._state(row, snapshot)
        self._seen, self._current = snapshot.rows, snapshot.node
        lit = lit_edges(snapshot, self.graph)
        if self.is_collapsed:
            self._relight_groups(snapshot)
            lit = frozenset(filter(None, map(self.grouping.edge, lit)))
        self._lit = lit
        if snapshot.node is not None:
            self.show_node(snapshot.node)
        self.refresh()

    def _rows_to_update(self, snapshot: Snapshot) -> list[Row]:
        """The rows whose box may look different now: a window's boxes; otherwise the rows that are
        not the very objects seen last time (a stepper shares unchanged rows between snapshots) and
        the current node's before and now."""
        assert self.graph is not None
        rows, index = snapshot.rows, self.graph.index
        if self._window is not None:
            return [rows[index[name]] for name in self._window.names]
        seen = self._seen
        if seen is None or len(seen) != len(rows):
            return list(rows)
        changed = {row.name: row for row, old in zip(rows, seen, strict=True) if row is not old}
        for name in (self._current, snapshot.node):
            if name is not None:
                changed.setdefault(name, rows[index[name]])
        return list(changed.values())

    def _relight_groups(self, snapshot: Snapshot) -> None:
        """New text and state for every layer's box: the member it shows follows the steps."""
        assert self.graph is not None and self.grouping is not None and self._focus is not None
        for group in self.grouping.groups:
            if group.kind != "node":
                focus = self._focus.member(group.key, snapshot.index)
                self._texts[group.key] = group_texts(group, self._rows, focus, snapshot, self.graph)
                self._states[group.key] = group_state(group, self._rows, snapshot.node)

    @staticmethod
    def _state(row: Row, snapshot: Snapshot) -> str:
        if row.name == snapshot.node:
            return "current"
        if row.value is None:
            return "pending"
        return "computed" if row.accumulated is None else "derived"

    def show_node(self, name: str) -> None:
        """Scroll so the node's box (or its layer's), with a margin, is in view."""
        box = self.box_of(name)
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
        end = min(scroll_x + width, self.drawing.width)
        chars = [" "] * (end - scroll_x)
        kinds: list[str | None] = [None] * len(chars)
        for x, cell in self._index.cells_between(row, scroll_x, end):
            lit = bool(cell.edges & self._lit)
            chars[x - scroll_x] = ARROW if cell.arrow else glyph(cell.directions, lit)
            kinds[x - scroll_x] = "lit" if lit else "edge"
        for box in self._index.boxes[row]:
            if box.x < end and box.x + box.width > scroll_x:
                self._paint_box(box, row - box.y, chars, kinds, scroll_x)
        segments: list[Segment] = []
        start = 0
        for x in range(1, len(chars) + 1):
            if x == len(chars) or kinds[x] != kinds[start]:
                segments.append(Segment("".join(chars[start:x]), styles[kinds[start]]))
                start = x
        return Strip(segments, len(chars)).extend_cell_length(width, base)

    def _paint_styles(self) -> dict[str | None, Style]:
        """The widget's style and its component styles, looked up once per theme or CSS change."""
        if not self._styles:
            self._styles = {kind: self.get_component_rich_style(f"graph-canvas--{kind}") for kind in KINDS}
            self._styles[None] = self.rich_style
        return self._styles

    def notify_style_update(self) -> None:
        self._styles = {}
        super().notify_style_update()

    def _paint_box(self, box: Box, line: int, chars: list[str], kinds: list[str | None], offset: int) -> None:
        """Write one line of a box into the visible part of the line, `offset` cells from the drawing's left."""
        state = self._states.get(box.name, "pending")
        corner = HEAVY_BOX if state == "current" else LIGHT_BOX
        inner = box.width - 2
        if line == 0:
            text = corner[0] + corner[1] * inner + corner[2]
        elif line == box.height - 1:
            text = corner[4] + corner[1] * inner + corner[5]
        else:
            lines = self._texts.get(box.name, ())
            content = lines[line - 1] if line - 1 < len(lines) else ""
            text = corner[3] + f" {fit(content, inner - 2)} ".ljust(inner) + corner[3]
        start, stop = max(box.x, offset), min(box.x + box.width, offset + len(chars))
        chars[start - offset:stop - offset] = text[start - box.x:stop - box.x]
        kinds[start - offset:stop - offset] = [state] * (stop - start)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        name = self.drawing.node_at(offset.x + self.scroll_x, offset.y + self.scroll_y)
        if name is None:
            return
        if self.is_collapsed and self.grouping is not None and self._focus is not None:
            group = next(group for group in self.grouping.groups if group.key == name)
            index = self.snapshot.index if self.snapshot is not None else 0
            name = self._focus.member(name, index) or group.members[0]
        self.post_message(self.NodeClicked(name))

