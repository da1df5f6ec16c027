"""How the graph canvas paints its drawing, one visible line at a time (Textual's Line API).

Only the visible part of a line is painted: the line cells between the scroll offset and the right
edge, then the boxes crossing it, each cell styled by a box's state or an edge lit or not.
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from backprop_tui.core.layout.placement import Box, GraphLayout

from .cell_fit import ellipsized
from .graph_boxes import DrawingIndex
from .graph_glyphs import ARROW, HEAVY_BOX, LIGHT_BOX, glyph

KINDS = ("pending", "computed", "derived", "current", "edge", "lit")
"""How a cell is painted: a box's state, or an edge lit or not; each a component class."""


class GraphPainter:
    """The canvas's painting, as a mixin: it reads the drawing, the lit edges and each box's text and state."""

    drawing: GraphLayout
    _index: DrawingIndex
    _lit: frozenset[tuple[str, str]]
    _states: dict[str, str]
    _texts: dict[str, tuple[str, ...]]
    _ref_texts: Mapping[str, tuple[str, ...]]
    _styles: dict[str | None, Style]

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
        """Write one line of a box into the visible part of the line, `offset` cells from the drawing's left.

        A reference box of a wrapped drawing (`↳ ξ4`) takes the state of the node it stands for, never lit
        as current: the current node is lit where it is drawn."""
        target = self.drawing.refs.get(box.name)
        if target is None:
            state = self._states.get(box.name, "pending")
        else:
            state = self._states.get(target, "pending")
            state = "computed" if state == "current" else state
        corner = HEAVY_BOX if state == "current" else LIGHT_BOX
        inner = box.width - 2
        if line == 0:
            text = corner[0] + corner[1] * inner + corner[2]
        elif line == box.height - 1:
            text = corner[4] + corner[1] * inner + corner[5]
        else:
            lines = self._texts.get(box.name, ()) if target is None else self._ref_texts.get(box.name, ())
            content = lines[line - 1] if line - 1 < len(lines) else ""
            text = corner[3] + f" {ellipsized(content, inner - 2)} ".ljust(inner) + corner[3]
        start, stop = max(box.x, offset), min(box.x + box.width, offset + len(chars))
        chars[start - offset:stop - offset] = text[start - box.x:stop - box.x]
        kinds[start - offset:stop - offset] = [state] * (stop - start)

