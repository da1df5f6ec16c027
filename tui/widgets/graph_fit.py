"""How wide the graph canvas draws its boxes, and which drawing fits the width it has.

Text is not cut while there is room: a box is first as wide as its longest text (up to WIDE_TEXT),
and the drawing is wrapped into bands (`core.layout.wrapping`) when it is wider than the canvas.
Only when even a wrapped drawing does not fit are the texts capped at MAX_TEXT (an ellipsis), and
only when that does not fit either does the canvas scroll sideways.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from backprop_tui.core.layout.placement import Dag, GraphLayout, layout_dag
from backprop_tui.core.layout.wrapping import ref_label, wrap_dag
from backprop_tui.core.stepping.snapshot import Row, Snapshot

from .graph_boxes import MAX_TEXT, PADDING, box_texts

WIDE_TEXT = 60
"""Widest text a node's box shows whole when there is room (the perceptron's cross-entropy is 40)."""
WRAP_LIMIT = 120
"""Graphs with more nodes than this keep one row of columns and scroll: trying bands costs a layout per try,
and a network that big opens collapsed to layers anyway."""


def box_widths(rows: Iterable[Row], final: Snapshot, longest: int) -> dict[str, int]:
    """Each box as wide as the widest text the final step shows in it, up to `longest` characters of text."""
    return {row.name: min(max(len(text) for text in box_texts(row, final)), longest) + PADDING for row in rows}


def fitted_drawing(dag: Dag, rows: list[Row], final: Snapshot, limit: int | None) -> GraphLayout:
    """The first drawing that fits `limit` columns: whole texts in one band, whole texts wrapped, capped texts
    in one band, capped texts wrapped; else the capped drawing in one band (the canvas scrolls sideways).
    `limit` None (a graph too big to wrap, or a canvas not yet sized) gives the capped one-band drawing."""
    capped = box_widths(rows, final, MAX_TEXT)
    if limit is None or len(rows) > WRAP_LIMIT:
        return layout_dag(dag, capped)
    whole = box_widths(rows, final, WIDE_TEXT)
    tries = [whole, capped] if whole != capped else [capped]
    for widths in tries:
        drawing = layout_dag(dag, widths)
        if drawing.width <= limit:
            return drawing
        wrapped = wrap_dag(dag, widths, limit)
        if wrapped is not None:
            return wrapped
    return layout_dag(dag, capped)


def ref_texts(drawing: GraphLayout) -> Mapping[str, tuple[str, ...]]:
    """The text of each reference box of a wrapped drawing (`↳ ξ4`: continued from the band above)."""
    return {box: (ref_label(node),) for box, node in drawing.refs.items()}
