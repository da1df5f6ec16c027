"""Collapsing a network to layers: which nodes share a box, the boxes' DAG, their layout and focus."""

from __future__ import annotations

import pytest

from backprop_tui.core.engine.graph import GraphBuilder
from backprop_tui.core.engine.mlp import build_mlp
from backprop_tui.core.layout.grouping import (
    COLLAPSE_ABOVE,
    GroupFocus,
    collapsed_layout,
    group_layers,
    infer_layers,
)
from backprop_tui.core.layout.placement import NODE_HEIGHT
from backprop_tui.core.stepping.examples import GRAPH_EXAMPLES
from backprop_tui.core.stepping.problem import build_problem


def deep_grouping():
    return group_layers(GRAPH_EXAMPLES["mlp-16-16"].graph())


@pytest.mark.parametrize(("sizes", "activations"), [((1, 16, 16, 1), "tanh"), ((2, 3, 1), "sigmoid"),
                                                    ((3, 4, 2, 1), ("relu", "tanh"))])
def test_layers_inferred_from_the_graph_are_the_networks_own(sizes, activations):
    network = build_mlp(sizes, activations)
    assert infer_layers(network.graph) == network.layers
    assert group_layers(network.graph) == group_layers(network.graph, network.layers)


def test_a_1_16_16_1_network_collapses_to_three_layers_their_parameters_and_the_rest():
    grouping = deep_grouping()
    assert [(group.key, group.title, len(group.members)) for group in grouping.groups] == [
        ("X", "X", 1), ("y", "y", 1),
        ("parameters 1", "W1, b1 (32 params)", 32), ("layer 1", "layer 1: 16 tanh neurons", 32),
        ("parameters 2", "W2, b2 (272 params)", 272), ("layer 2", "layer 2: 16 tanh neurons", 32),
        ("parameters 3", "W3, b3 (17 params)", 17), ("layer 3", "layer 3: 1 sigmoid neuron", 2),
        ("L", "L", 1),
    ]
    assert grouping.parents["layer 2"] == ("parameters 2", "layer 1")
    assert grouping.parents["L"] == ("layer 3", "y")
    assert grouping.group_of["h1[7]"] == grouping.group_of["z1[7]"] == "layer 1"
    assert grouping.group_of["W2[3,5]"] == grouping.group_of["b2[3]"] == "parameters 2"
    assert (grouping.group_of["q"], grouping.group_of["p"]) == ("layer 3", "layer 3")
    assert grouping.collapsible and grouping.collapsed_by_default


def test_the_slides_network_names_its_parameters_one_by_one_and_opens_expanded():
    grouping = group_layers(GRAPH_EXAMPLES["mlp"].graph())
    titles = {group.key: group.title for group in grouping.groups}
    assert titles["parameters 1"] == "W10, W11, W20, W21 (4 params)"
    assert titles["parameters 2"] == "W30, W31, W32 (3 params)"
    assert titles["layer 1"] == "layer 1: 2 sigmoid neurons"
    assert grouping.group_of["X"] == "X"
    assert grouping.collapsible and not grouping.collapsed_by_default
    assert len(grouping.group_of) <= COLLAPSE_ABOVE


@pytest.mark.parametrize("name", ["lecture", "lecture-full"])
def test_graphs_without_neurons_have_nothing_to_collapse(name):
    graph = GRAPH_EXAMPLES[name].graph()
    grouping = group_layers(graph)
    assert not grouping.collapsible and not grouping.collapsed_by_default
    assert [group.key for group in grouping.groups] == [node.name for node in graph.nodes]


def test_graph_edges_map_to_edges_between_boxes_and_vanish_inside_one():
    grouping = deep_grouping()
    assert grouping.edge(("h1[3]", "z2[5]")) == ("layer 1", "layer 2")
    assert grouping.edge(("W3[1,4]", "q")) == ("parameters 3", "layer 3")
    assert grouping.edge(("z2[5]", "h2[5]")) is None
    assert grouping.edge(("q", "L")) == ("layer 3", "L")  # the loss reads the logit q (exact), beside p = σ(q)


def test_a_network_built_by_hand_collapses_too_and_constant_weights_make_no_parameter_box():
    b = GraphBuilder()
    x = b.input("x")
    hidden = [b.op("relu", b.op("affine", b.input(f"c{i}"), b.input(f"w{i}"), x)) for i in range(3)]
    b.op("affine", 0.5, *[term for h in hidden for term in (0.1, h)], name="out")
    grouping = group_layers(b.build("out"))
    kinds = [(group.kind, group.title) for group in grouping.groups if group.kind != "node"]
    assert kinds == [("parameters", "c, w (6 params)"), ("layer", "layer 1: 3 relu neurons"),
                     ("layer", "layer 2: 1 neuron")]


def test_an_input_used_as_a_feature_is_never_a_parameter_and_keys_avoid_node_names():
    b = GraphBuilder()
    x, w, c = b.input("layer 1"), b.input("w"), b.input("c")
    first = b.op("sigmoid", b.op("affine", c, w, x))
    b.op("affine", 0.0, w, first, name="out")
    grouping = group_layers(b.build("out"))
    assert grouping.group_of["layer 1"] == "layer 1"
    assert grouping.group_of["w"] == "w"
    assert grouping.group_of[first] == "layer 1′"


def test_collapsed_layout_has_one_box_per_group_with_its_height_and_an_arrow_per_edge():
    grouping = deep_grouping()
    tall = {group.key: 6 for group in grouping.groups if group.kind != "node"}
    drawing = collapsed_layout(grouping, {group.key: 12 for group in grouping.groups}, tall)
    assert list(drawing.boxes) == [group.key for group in grouping.groups]
    assert drawing.boxes["layer 2"].height == 6 and drawing.boxes["X"].height == NODE_HEIGHT
    for child, parents in grouping.parents.items():
        box = drawing.boxes[child]
        for parent in parents:
            assert (parent, child) in drawing.cells[(box.x - 1, box.port)].edges
    xs = [drawing.boxes[key].x for key in ("layer 1", "layer 2", "layer 3", "L")]
    assert xs == sorted(xs) and len(set(xs)) == 4
    assert drawing.width < 120 and drawing.height < 20


def test_focus_is_the_member_of_the_latest_step_in_the_group():
    stepper = build_problem("mlp-16-16").stepper()
    grouping = group_layers(stepper.graph)
    focus = GroupFocus(grouping, stepper.steps)
    step_of = {(step.kind, step.node): index for index, step in enumerate(stepper.steps)}
    h1_7 = step_of[("value", "h1[7]")]
    assert focus.member("layer 1", 0) is None
    assert focus.member("layer 1", h1_7) == "h1[7]"
    assert focus.member("layer 1", h1_7 + 1) == "z1[8]"
    assert focus.member("layer 1", step_of[("value", "z2[1]")]) == "h1[16]"
    assert focus.member("layer 2", h1_7) is None
    assert focus.member("L", stepper.seed_step) == "L"
    assert focus.member("parameters 2", len(stepper) - 1) is not None
