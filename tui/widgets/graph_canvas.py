"""The computational graph drawn with box-drawing characters, lit where the current step is.

A Line API widget: `core.layout` decides where every box and line goes once per graph (and
`core.grouping` which nodes a layer's box holds, when the graph is collapsed to layers); each key
press only changes which boxes and edges are lit and what the boxes say, and only the visible part
of the visible lines is painted. A graph too big to draw whole (`core.layout.window`) is drawn as a
window of nodes around the current step, laid out again only when the step nears its edge; a key
press then touches the window's boxes, not the graph's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.style import Style
from textual import events
from textual.dom import NoScreen
from textual.geometry import Region, Size, Spacing
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView

from backprop_tui.core.engine.graph import Graph
from backprop_tui.core.layout.grouping import GroupFocus, Grouping, StepLike, collapsed_layout, group_layers
from backprop_tui.core.layout.placement import Box, GraphLayout, graph_dag, layout_dag
from backprop_tui.core.layout.window import Window, focus_node, graph_window, needs_window
from backprop_tui.core.stepping.snapshot import Row, Snapshot

from .graph_boxes import (
    GROUP_HEIGHT,
    MAX_TEXT,
    DrawingIndex,
    box_texts,
    group_state,
    group_texts,
    group_width,
)
from .graph_fit import box_widths, fitted_drawing, ref_texts
from .graph_paint import KINDS, GraphPainter
from .trace_table import row_stage

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


class GraphCanvas(GraphPainter, ScrollView, can_focus=False):
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
        self._drawn_limit: int | None = None
        self._ref_texts: Mapping[str, tuple[str, ...]] = {}

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
        self._ref_texts = ref_texts(self.drawing)
        # Before its screen is first shown (stack_updates 0), the screen's first ScreenResume restyles every
        # widget anyway: restyling the canvas here too cost the first frame ~5 ms.
        self.set_class(bool(self.drawing.refs), "-wrapped", update=self._screen_shown())
        if self._window is not None:
            self.border_subtitle = self._window.caption + (" · c collapses to layers"
                                                           if self.grouping.collapsible else "")
        else:
            self.border_subtitle = "" if not self.grouping.collapsible else (
                "one box per layer · c expands" if collapsed else "every node · c collapses to layers")
        self.virtual_size = Size(self.drawing.width, self.drawing.height)
        self.refresh()

    def _screen_shown(self) -> bool:
        """Whether this canvas's screen has been shown (resumed) at least once."""
        try:
            return bool(self.screen.stack_updates)
        except NoScreen:  # not mounted yet: styled when it is
            return False

    def _layout(self, collapsed: bool) -> GraphLayout:
        """Every node's box as wide as its text, wrapped into bands when wider than the canvas (`graph_fit`)."""
        assert self.graph is not None and self._final is not None and self.grouping is not None
        final = self._final
        rows = {row.name: row for row in final.rows}
        if not collapsed:
            self._drawn_limit = self.fit_limit()
            return fitted_drawing(graph_dag(self.graph), list(final.rows), final, self._drawn_limit)
        widths = box_widths((row for row in final.rows if self.grouping.group_of[row.name] == row.name), final,
                            MAX_TEXT)
        groups = [group for group in self.grouping.groups if group.kind != "node"]
        widest = {kind: max((group_width(group, final, rows, self.graph) for group in groups if group.kind == kind),
                            default=0) for kind in ("layer", "parameters")}
        widths.update({group.key: widest[group.kind] for group in groups})
        return collapsed_layout(self.grouping, widths, {group.key: GROUP_HEIGHT for group in groups})

    def _window_layout(self, window: Window) -> GraphLayout:
        """The window's nodes, each box as wide as the widest text the final step shows in it."""
        assert self._final is not None and self.graph is not None
        final, index = self._final, self.graph.index
        return layout_dag(window.dag, box_widths((final.rows[index[name]] for name in window.names), final, MAX_TEXT))

    def fit_limit(self) -> int:
        """Columns a drawing may take without scrolling sideways: the canvas's width (the terminal's, before the
        canvas is laid out), less its borders and a vertical scrollbar (a wrapped drawing may need one)."""
        width = self.content_region.width or self.app.size.width - 2
        return max(1, width - self.styles.scrollbar_size_vertical)

    def on_resize(self) -> None:
        """A new width may fit another drawing: lay out again when the unwrapped, unwindowed one was fitted to
        another width."""
        if self.graph is None or self.is_collapsed or self._window is not None:
            return
        if self.fit_limit() != self._drawn_limit:
            self._drawings.pop(False, None)
            self._show_drawing()
            if self.snapshot is not None:
                self.watch_snapshot(self.snapshot)

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

