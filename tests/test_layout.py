"""The graph layout as plain data: columns, rows, edges and the cells that draw them."""

from __future__ import annotations

import pytest

from backprop_tui.core.engine.graph import Graph, GraphBuilder, Node
from backprop_tui.core.engine.parser import graph_from_expression
from backprop_tui.core.layout.placement import (
    DOWN,
    LEFT,
    NODE_HEIGHT,
    RIGHT,
    UP,
    GraphLayout,
    dag_levels,
    graph_dag,
    layout_dag,
    layout_graph,
    levels,
)
from backprop_tui.core.stepping.examples import GRAPH_EXAMPLES
from backprop_tui.tui.widgets.graph_glyphs import ARROW, glyph

EXAMPLES = [pytest.param(name, marks=pytest.mark.slow) if name == "mlp-16-16" else name for name in GRAPH_EXAMPLES]
"""Every example; the 1-16-16-1 network's full drawing takes seconds to check cell by cell, so it is slow."""


def sketch(layout: GraphLayout) -> list[str]:
    """The drawing as plain text, boxes with their names only: for tests and debugging."""
    grid = [[" "] * layout.width for _ in range(layout.height)]
    for (x, y), cell in layout.cells.items():
        grid[y][x] = ARROW if cell.arrow else glyph(cell.directions)
    for box in layout.boxes.values():
        right, bottom = box.x + box.width - 1, box.y + box.height - 1
        for x in range(box.x, right + 1):
            grid[box.y][x] = grid[bottom][x] = "─"
        for y in range(box.y, bottom + 1):
            grid[y][box.x] = grid[y][right] = "│"
        grid[box.y][box.x], grid[box.y][right], grid[bottom][box.x], grid[bottom][right] = "┌", "┐", "└", "┘"
        for offset, char in enumerate(box.name[:box.width - 2]):
            grid[box.port][box.x + 1 + offset] = char
    return ["".join(row).rstrip() for row in grid]


def lay_out(graph, width=7):
    return layout_graph(graph, {node.name: width for node in graph.nodes})


def test_levels_put_operations_right_of_their_parents_and_inputs_next_to_their_first_use():
    graph = GRAPH_EXAMPLES["lecture"].graph()
    level = levels(graph)
    assert [level[name] for name in ("X", "W", "ξ1", "ξ2", "ξ3", "ξ4", "ξ5", "L")] == [0, 0, 1, 2, 3, 4, 5, 6]
    assert level["y"] == 5


def test_lecture_chain_is_one_straight_row_from_x_to_the_loss():
    drawing = lay_out(GRAPH_EXAMPLES["lecture"].graph())
    boxes = drawing.boxes
    chain = ["X", "ξ1", "ξ2", "ξ3", "ξ4", "ξ5", "L"]
    assert {boxes[name].port for name in chain} == {boxes["X"].port}
    xs = [boxes[name].x for name in chain]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)
    assert boxes["W"].port > boxes["X"].port


def test_sketch_of_the_lecture_graph():
    assert sketch(lay_out(GRAPH_EXAMPLES["lecture"].graph()))[:2] == [
        "┌─────┐    ┌─────┐  ┌─────┐  ┌─────┐  ┌─────┐  ┌─────┐    ┌─────┐",
        "│X    │─┬─▶│ξ1   │─▶│ξ2   │─▶│ξ3   │─▶│ξ4   │─▶│ξ5   │─┬─▶│L    │",
    ]


@pytest.mark.parametrize("name", EXAMPLES)
def test_boxes_never_overlap_and_lines_never_cross_a_box(name):
    drawing = lay_out(GRAPH_EXAMPLES[name].graph())
    boxes = list(drawing.boxes.values())
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not (a.x < b.x + b.width and b.x < a.x + a.width and a.y < b.y + b.height and b.y < a.y + a.height)
    for x, y in drawing.cells:
        assert drawing.node_at(x, y) is None
        assert 0 <= x < drawing.width and 0 <= y < drawing.height
    for box in boxes:  # and every cell of a box is that box's
        assert {drawing.node_at(x, y) for x in range(box.x, box.x + box.width)
                for y in range(box.y, box.y + box.height)} == {drawing.refs.get(box.name, box.name)}


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_edge_has_cells_and_ends_in_an_arrow_at_its_child(name):
    graph = GRAPH_EXAMPLES[name].graph()
    drawing = lay_out(graph)
    drawn = {edge for cell in drawing.cells.values() for edge in cell.edges}  # every edge some cell carries
    for node in graph.nodes:
        for parent in node.parents:
            edge = (parent, node.name)
            assert edge in drawn, edge
            child = drawing.boxes[node.name]
            arrow = drawing.cells[(child.x - 1, child.port)]
            assert arrow.arrow and edge in arrow.edges
            source = drawing.boxes[parent]
            assert edge in drawing.cells[(source.x + source.width, source.port)].edges


def test_fan_out_branches_from_one_track():
    drawing = lay_out(GRAPH_EXAMPLES["lecture-full"].graph())
    ξ4 = drawing.boxes["ξ4"]
    exit_x = ξ4.x + ξ4.width
    track = next(x for x in range(exit_x, drawing.width) if drawing.cells[(x, ξ4.port)].directions & (UP | DOWN))
    assert drawing.cells[(track, ξ4.port)].edges == {("ξ4", "ξ5"), ("ξ4", "ξ6")}
    ξ5 = drawing.boxes["ξ5"]
    assert drawing.cells[(track, ξ5.port)].directions == UP | RIGHT
    assert ("ξ4", "ξ5") in drawing.cells[(track, ξ5.port)].edges


def test_an_edge_that_skips_columns_passes_through_them():
    graph = graph_from_expression("a*b + a")
    drawing = lay_out(graph)
    long_edges = [(p, n.name) for n in graph.nodes for p in n.parents
                  if levels(graph)[n.name] - levels(graph)[p] > 1]
    for edge in long_edges:
        xs = {x for (x, _), cell in drawing.cells.items() if edge in cell.edges}
        assert max(xs) - min(xs) > 10


def test_node_at_finds_the_box_under_a_cell():
    drawing = lay_out(GRAPH_EXAMPLES["lecture"].graph())
    box = drawing.boxes["ξ3"]
    assert drawing.node_at(box.x + 1, box.y + 2) == "ξ3"
    assert drawing.node_at(box.x - 1, box.port) is None


def test_glyphs_join_the_directions_asked_for():
    assert glyph(LEFT | RIGHT) == "─"
    assert glyph(UP | DOWN | RIGHT) == "├"
    assert glyph(UP | DOWN | LEFT | RIGHT, heavy=True) == "╋"
    assert ARROW == "▶"


def test_layout_is_deterministic_and_fast_enough_for_a_hundred_nodes():
    b = GraphBuilder()
    x = b.input("X")
    hidden = [b.op("sigmoid", b.op("affine", b.input(f"b{i}"), b.input(f"w{i}"), x)) for i in range(16)]
    second = [b.op("sigmoid", b.op("affine", 0.1, *[t for h in hidden for t in (0.2, h)])) for _ in range(16)]
    b.op("affine", 0.0, *[t for g in second for t in (0.3, g)], name="L")
    graph = b.build("L")
    first, again = lay_out(graph), lay_out(graph)
    assert first == again
    assert len(first.boxes) == len(graph)


def test_single_input_graph():
    drawing = lay_out(Graph([Node("x", None)]))
    assert list(drawing.boxes) == ["x"] and not drawing.cells


@pytest.mark.parametrize("name", list(GRAPH_EXAMPLES))
def test_a_graph_laid_out_as_a_dag_is_the_same_drawing(name):
    graph = GRAPH_EXAMPLES[name].graph()
    assert dag_levels(graph_dag(graph)) == levels(graph)
    assert layout_dag(graph_dag(graph), {node.name: 7 for node in graph.nodes}) == lay_out(graph)


def test_taller_boxes_push_the_next_box_of_their_column_down_and_keep_their_port():
    dag = [("a", ()), ("b", ()), ("c", ("a", "b"))]
    widths = {name: 5 for name, _ in dag}
    plain, tall = layout_dag(dag, widths), layout_dag(dag, widths, {"a": 8})
    assert tall.boxes["a"].height == 8 and tall.boxes["b"].height == NODE_HEIGHT
    assert tall.boxes["b"].y - plain.boxes["b"].y == 8 - NODE_HEIGHT
    assert tall.height == plain.height + 8 - NODE_HEIGHT
    assert tall.boxes["a"].port == plain.boxes["a"].port
    assert tall.node_at(tall.boxes["a"].x, tall.boxes["a"].y + 7) == "a"


def test_sources_whose_rows_never_meet_share_a_track():
    drawing = lay_out(GRAPH_EXAMPLES["lecture-full"].graph())

    def track(name: str) -> int:
        box = drawing.boxes[name]
        return next(x for x in range(box.x + box.width, drawing.width)
                    if drawing.cells[(x, box.port)].directions & (UP | DOWN))

    assert track("W") == track("y")
    assert ("W", "ξ1") not in drawing.cells[(track("y"), drawing.boxes["y"].port)].edges


def test_a_layers_weights_share_tracks_so_the_big_network_stays_narrow():
    graph = GRAPH_EXAMPLES["mlp-16-16"].graph()
    drawing = lay_out(graph, width=20)
    assert len(drawing.boxes) == len(graph)
    assert drawing.width < 300
