"""The lines between two adjacent columns of a graph drawing: straight where rows agree, else along tracks.

Each line cell records which way its lines go and which graph edges pass through it, so a view can
light one edge without recomputing anything.
"""

from __future__ import annotations

from .geometry import DOWN, LEFT, RIGHT, UP, Edge, Item, port_row


def add(cells: dict[tuple[int, int], list], x: int, y: int, directions: int, edges: frozenset[Edge],
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


def hline(cells: dict, start: int, end: int, y: int, edges: frozenset[Edge]) -> None:
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
                add(cells, x, y, toward | (0 if index == 0 and y == end_row else away), carried)


def channel(cells: dict, x0: int, left: list[Item], right: list[Item], succs: dict[Item, list[Item]],
             tops: dict[Item, int], carried: dict[tuple[Item, Item], frozenset[Edge]]) -> int:
    """Draw the links between two adjacent columns; return where the right column starts."""
    targets = {source: succs[source] for source in left}
    bent = [source for source in left
            if targets[source] and {port_row(t, tops) for t in targets[source]} != {port_row(source, tops)}]
    tracks = _tracks(bent, targets, right, tops)
    width = len(tracks) + 3 if tracks else 2
    arrow_x = x0 + width - 1
    track_x = {source: x0 + 1 + index for index, track in enumerate(tracks) for source in track}
    for source in left:
        row = port_row(source, tops)
        links = {target: carried[(source, target)] for target in targets[source]}
        if not links:
            continue
        every = frozenset().union(*links.values())
        if source not in track_x:
            hline(cells, x0, arrow_x, row, every)
            _end(cells, arrow_x, row, next(iter(links)), every)
            continue
        tx = track_x[source]
        hline(cells, x0, tx, row, every)
        ends = [(port_row(target, tops), edges) for target, edges in links.items()]
        up, down = any(end < row for end, _ in ends), any(end > row for end, _ in ends)
        add(cells, tx, row, LEFT | (UP if up else 0) | (DOWN if down else 0), every)
        _track(cells, tx, row, ends)
        for target, edges in links.items():
            target_row = port_row(target, tops)
            add(cells, tx, target_row, RIGHT, edges)
            hline(cells, tx + 1, arrow_x, target_row, edges)
            _end(cells, arrow_x, target_row, target, edges)
    return x0 + width


def _end(cells: dict, x: int, y: int, target: Item, edges: frozenset[Edge]) -> None:
    """An arrowhead into a node, or the line continuing into a dummy lane."""
    add(cells, x, y, LEFT | RIGHT, edges, arrow=isinstance(target, str))


def _tracks(bent: list[Item], targets: dict[Item, list[Item]], right: list[Item],
            tops: dict[Item, int]) -> list[list[Item]]:
    """The vertical tracks of a channel, left to right, each shared by sources whose rows do not meet.

    Source A's stub (row a, from the left edge to A's track) would overlap source B's branch to a
    target on row a that A does not feed if B's track were left of A's; so A's track comes first
    there. Within that order each track takes, top to bottom, every source whose span of rows
    starts a blank row below the previous one's (the left-edge channel router): a layer's many
    weights, each feeding one neuron, share a few tracks instead of taking one each.
    """
    at_row = {port_row(item, tops): item for item in right}
    fed_by: dict[Item, list[Item]] = {}
    for source in bent:
        for target in targets[source]:
            fed_by.setdefault(target, []).append(source)
    before: dict[Item, set[Item]] = {source: set() for source in bent}
    for a in bent:
        foreign = at_row.get(port_row(a, tops))
        if foreign is not None and foreign not in targets[a]:
            for b in fed_by.get(foreign, []):
                before[b].add(a)
    span = {}
    for source in bent:
        rows = [port_row(source, tops), *(port_row(target, tops) for target in targets[source])]
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
