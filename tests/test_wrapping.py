"""A graph too wide for the terminal is wrapped into bands that each fit, and still draws every edge."""

from __future__ import annotations

import pytest

from backprop_tui.core.layout.placement import graph_dag, layout_dag
from backprop_tui.core.layout.wrapping import wrap_dag
from backprop_tui.core.stepping.problem import build_problem
from backprop_tui.tui.widgets.graph_fit import fitted_drawing


def edges_drawn(drawing) -> set[tuple[str, str]]:
    return {edge for cell in drawing.cells.values() for edge in cell.edges}


@pytest.mark.parametrize("example", ["lecture", "lecture-full", "neuron", "mlp"])
@pytest.mark.parametrize("limit", [116, 76])
def test_every_band_fits_and_every_edge_is_drawn(example, limit):
    graph = build_problem(example).graph
    dag = graph_dag(graph)
    widths = {node.name: 16 for node in graph.nodes}
    assert layout_dag(dag, widths).width > 76 or example == "neuron"
    drawing = wrap_dag(dag, widths, limit)
    assert drawing is not None
    assert drawing.width <= limit
    assert {node.name for node in graph.nodes} <= set(drawing.boxes)
    every_edge = {(parent, node.name) for node in graph.nodes for parent in node.parents}
    assert edges_drawn(drawing) == every_edge
    boxes = list(drawing.boxes.values())
    for index, box in enumerate(boxes):  # no two boxes overlap
        for other in boxes[index + 1:]:
            assert (box.x + box.width <= other.x or other.x + other.width <= box.x
                    or box.y + box.height <= other.y or other.y + other.height <= box.y), (box, other)
    for ref, node in drawing.refs.items():  # a reference stands for a node drawn in a band above it
        assert drawing.boxes[node].y < drawing.boxes[ref].y
        assert drawing.node_at(drawing.boxes[ref].x, drawing.boxes[ref].y) == node


def test_a_level_wider_than_the_limit_cannot_be_wrapped():
    graph = build_problem("lecture").graph
    assert wrap_dag(graph_dag(graph), {node.name: 40 for node in graph.nodes}, 30) is None


def test_the_whole_text_is_kept_when_a_wrapped_drawing_fits():
    """The perceptron's loss box reads its whole cross-entropy (it was cut at 18 characters with room beside it)."""
    problem = build_problem("neuron")
    final = problem.stepper().final()
    drawing = fitted_drawing(graph_dag(problem.graph), list(final.rows), final, 116)
    loss = next(row for row in final.rows if row.name == problem.graph.nodes[-1].name)
    assert drawing.boxes[loss.name].width - 4 >= len(f"{loss.name} = {loss.definition}")
    assert drawing.width <= 116
