"""A graph too wide for the terminal, wrapped into bands stacked top to bottom, each as wide as there is room.

The lecture's full loss has nine columns of boxes: about 175 cells, wider than a 120-column
terminal, so its right end (ξ7, the loss) was off screen or cut in half. Wrapped, the columns are
cut into consecutive runs ("bands") that each fit the width; a band is laid out like any drawing
(`layout_dag`), and a node of an earlier band that feeds this one enters it as a small reference box
(`↳ ξ4`) at its left, so every edge is still drawn, into its real target. The bands are stacked with
a blank row between them; a view scrolls them vertically with the step, never sideways.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from .geometry import Box, Dag, GraphLayout, LineCell
from .placement import dag_levels, layout_dag

REF_PREFIX = "\x00ref:"
"""Starts the box name of a reference (a name no graph node can have: the parser's names are identifiers)."""
REF_HEIGHT = 3
"""A reference box: its border, the node's name, its border."""
BAND_GAP = 1
"""Blank rows between two bands."""


def ref_name(node: str, band: int) -> str:
    """A reference's box name, one per band: a node can feed several bands below its own."""
    return f"{REF_PREFIX}{band}:{node}"


def ref_label(node: str) -> str:
    """What a reference box says: the node it continues from, drawn in an earlier band above."""
    return f"↳ {node}"


def ref_width(node: str) -> int:
    return len(ref_label(node)) + 4


def band_levels(dag: Dag) -> dict[str, int]:
    """The level that decides a node's band: its column, except that an input goes with its first consumer
    (in the band above it would stand alone, joined to its consumer only through a reference)."""
    level = dag_levels(dag)
    first_use: dict[str, int] = {}
    for name, parents in dag:
        for parent in parents:
            first_use[parent] = min(first_use.get(parent, level[name]), level[name])
    return {name: first_use.get(name, level[name]) if not parents else level[name] for name, parents in dag}


def band_dag(dag: Dag, level: Mapping[str, int], low: int, high: int, band: int = 0) -> tuple[Dag, dict[str, str]]:
    """The nodes of levels low..high, their parents from earlier levels replaced by reference boxes."""
    refs: dict[str, str] = {}
    body: list[tuple[str, tuple[str, ...]]] = []
    for name, parents in dag:
        if not low <= level[name] <= high:
            continue
        renamed = []
        for parent in parents:
            if level[parent] < low:
                refs.setdefault(ref_name(parent, band), parent)
                renamed.append(ref_name(parent, band))
            else:
                renamed.append(parent)
        body.append((name, tuple(renamed)))
    return [*((ref, ()) for ref in refs), *body], refs


def _band(dag: Dag, level: Mapping[str, int], low: int, high: int, widths: Mapping[str, int],
          heights: Mapping[str, int], band: int) -> GraphLayout | None:
    """Levels low..high laid out as one band (None when no node falls in them)."""
    sub, refs = band_dag(dag, level, low, high, band)
    if not sub:
        return None
    band_widths = {**widths, **{ref: ref_width(node) for ref, node in refs.items()}}
    band_heights = {**heights, **dict.fromkeys(refs, REF_HEIGHT)}
    return replace(layout_dag(sub, band_widths, band_heights), refs=refs)


def wrap_dag(dag: Dag, widths: Mapping[str, int], limit: int,
             heights: Mapping[str, int] | None = None) -> GraphLayout | None:
    """The DAG in as few bands as fit `limit` columns (each band as many levels as fit), or None when a
    single level is wider than `limit` (then only scrolling sideways can show it)."""
    heights = heights or {}
    level = band_levels(dag)
    last = max(level.values(), default=0)
    bands: list[GraphLayout] = []
    low = 0
    while low <= last:
        best: tuple[int, GraphLayout] | None = None
        for high in range(low, last + 1):
            band = _band(dag, level, low, high, widths, heights, len(bands))
            if band is None:
                continue
            if band.width > limit:
                break
            best = (high, band)
        if best is None:
            return None
        bands.append(best[1])
        low = best[0] + 1
    return stack(bands)


def stack(bands: list[GraphLayout]) -> GraphLayout:
    """Bands one under the other; edges from a reference box are renamed to the edge of the node it stands for,
    so lighting an edge lights its part in every band."""
    if len(bands) == 1:
        return bands[0]
    boxes: dict[str, Box] = {}
    cells: dict[tuple[int, int], LineCell] = {}
    refs: dict[str, str] = {}
    top = 0
    for band in bands:
        for name, box in band.boxes.items():
            boxes[name] = Box(box.name, box.column, box.x, box.y + top, box.width, box.height)
        for (x, y), cell in band.cells.items():
            edges = frozenset((band.refs.get(source, source), target) for source, target in cell.edges)
            cells[(x, y + top)] = LineCell(cell.directions, edges, cell.arrow)
        refs.update(band.refs)
        top += band.height + BAND_GAP
    return GraphLayout(max(band.width for band in bands), top - BAND_GAP, boxes, cells, refs)
