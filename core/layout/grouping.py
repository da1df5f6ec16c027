"""A network's graph collapsed to layers: which nodes share a box, and the DAG those boxes form.

Pure structure, no drawing. A neuron is an `affine` node with the activation that reads only it;
a layer is every neuron at the same depth (counted in neurons from the inputs); a layer's
parameters are the inputs that enter its affine nodes only as a bias or a weight. Everything else
(the features, the target, the loss) keeps a box of its own. The layers are inferred from the
graph, so a network typed as an expression collapses too, or taken from `core.mlp`'s `Layer`s.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from ..engine.graph import Graph, GraphError
from ..engine.mlp import ACTIVATIONS, Layer
from ..engine.topological import topological_order
from .placement import Dag, Edge, GraphLayout, layout_dag

COLLAPSE_ABOVE = 40
"""A graph with more nodes than this opens collapsed to layers (when it has layers)."""
MAX_STEMS = 4
"""Parameter names listed in a parameter box's title before they are shortened."""

GroupKind = Literal["node", "layer", "parameters"]


class StepLike(Protocol):
    """What GroupFocus reads of a step: its node (a Step, or a stepper's outline entry)."""

    @property
    def node(self) -> str | None: ...


@dataclass(frozen=True)
class Group:
    """One box of the collapsed graph: a single node, a layer of neurons, or a layer's parameters."""

    key: str
    kind: GroupKind
    title: str
    members: tuple[str, ...]


@dataclass(frozen=True)
class Grouping:
    """The groups in a topological order, the group of every node, and each group's parent groups."""

    groups: tuple[Group, ...]
    group_of: Mapping[str, str]
    parents: Mapping[str, tuple[str, ...]]

    @property
    def collapsible(self) -> bool:
        """Whether collapsing changes anything: some box holds more than one node."""
        return any(group.kind != "node" for group in self.groups)

    @property
    def collapsed_by_default(self) -> bool:
        return self.collapsible and len(self.group_of) > COLLAPSE_ABOVE

    def dag(self) -> Dag:
        return [(group.key, self.parents[group.key]) for group in self.groups]

    def edge(self, edge: Edge) -> Edge | None:
        """The edge between two boxes that a graph edge is drawn as (None inside one box)."""
        parent, child = self.group_of[edge[0]], self.group_of[edge[1]]
        return None if parent == child else (parent, child)


def infer_layers(graph: Graph) -> tuple[Layer, ...]:
    """The layers of the network in `graph`, found from its affine nodes (none in a graph without)."""
    depth: dict[str, int] = {}
    for node in graph.nodes:
        depth[node.name] = max((depth[parent] for parent in node.parents), default=0) + (node.op == "affine")
    affine_at: dict[int, list[str]] = {}
    for name in graph.operations:
        if graph.node(name).op == "affine":
            affine_at.setdefault(depth[name], []).append(name)
    roles = _input_roles(graph, depth)
    layers = []
    for index, affine in sorted(affine_at.items()):
        activations = tuple(filter(None, (_activation(graph, name) for name in affine)))
        weights = tuple(name for name, (role, at) in roles.items() if role == "weight" and at == index)
        biases = tuple(name for name, (role, at) in roles.items() if role == "bias" and at == index)
        layers.append(Layer(index, tuple(affine), activations, weights, biases))
    return tuple(layers)


def _activation(graph: Graph, affine: str) -> str | None:
    """The activation node reading only `affine`, if `affine` feeds exactly that one node.

    An output neuron's affine node may also feed the loss read from the logit (`bce_logit(q, y)`,
    exact where σ rounds), beside its activation p = σ(q) that the student sees: it is still a neuron."""
    children = [child for child in graph.children[affine] if graph.node(child).op != "bce_logit"]
    if len(children) != 1:
        return None
    child = graph.node(children[0])
    return child.name if child.op in ACTIVATIONS and child.parents == (affine,) else None


def _input_roles(graph: Graph, depth: Mapping[str, int]) -> dict[str, tuple[str, int]]:
    """Inputs used only as a bias or only as a weight of affine nodes of one layer: (role, layer)."""
    uses: dict[str, set[tuple[str, int]]] = {name: set() for name in graph.inputs}
    for node in graph.nodes:
        for position, arg in enumerate(node.args):
            if not isinstance(arg, str) or arg not in uses:
                continue
            if node.op != "affine" or (position >= 2 and position % 2 == 0):
                uses[arg].add(("feature", 0))
            else:
                uses[arg].add(("bias" if position == 0 else "weight", depth[node.name]))
    return {name: next(iter(used)) for name, used in uses.items()
            if len(used) == 1 and next(iter(used))[0] != "feature"}


def group_layers(graph: Graph, layers: Sequence[Layer] | None = None) -> Grouping:
    """Group `graph` by `layers` (inferred when not given); every other node is a group of its own."""
    layers = infer_layers(graph) if layers is None else tuple(layers)
    taken = set(graph.index)
    named: list[Group] = []
    for layer in layers:
        members = {*layer.affine, *layer.activation}
        neurons = tuple(name for name in graph.index if name in members)
        if neurons:
            named.append(Group(_fresh(f"layer {layer.index}", taken), "layer", _layer_title(graph, layer), neurons))
        held = {*layer.weights, *layer.biases}
        parameters = tuple(name for name in graph.index if name in held)
        if len(parameters) > 1:
            named.append(Group(_fresh(f"parameters {layer.index}", taken), "parameters",
                               _parameters_title(layer, parameters), parameters))
    group_of = {member: group.key for group in named for member in group.members}
    by_key = {group.key: group for group in named}
    for node in graph.nodes:
        if node.name not in group_of:
            group_of[node.name] = node.name
            by_key[node.name] = Group(node.name, "node", node.name, (node.name,))
    parents: dict[str, list[str]] = {key: [] for key in by_key}
    for node in graph.nodes:
        own = group_of[node.name]
        for parent in node.parents:
            other = group_of[parent]
            if other != own and other not in parents[own]:
                parents[own].append(other)
    first_seen = list(dict.fromkeys(group_of[node.name] for node in graph.nodes))
    try:
        order = topological_order(first_seen, parents.__getitem__)
    except GraphError:
        return group_layers(graph, ()) if layers else _ungrouped(graph)
    return Grouping(tuple(by_key[key] for key in order), group_of,
                    {key: tuple(found) for key, found in parents.items()})


def _ungrouped(graph: Graph) -> Grouping:
    groups = tuple(Group(node.name, "node", node.name, (node.name,)) for node in graph.nodes)
    return Grouping(groups, {node.name: node.name for node in graph.nodes},
                    {node.name: node.parents for node in graph.nodes})


def _fresh(key: str, taken: set[str]) -> str:
    """`key`, primed until no node or earlier group has that name."""
    while key in taken:
        key += "′"
    taken.add(key)
    return key


def _layer_title(graph: Graph, layer: Layer) -> str:
    """`layer 1: 16 tanh neurons`; without one activation shared by all, just `neurons`."""
    count = len(layer.affine)
    kinds = {graph.node(name).op for name in layer.activation}
    kind = f"{kinds.pop()} " if len(kinds) == 1 and len(layer.activation) == count else ""
    return f"layer {layer.index}: {count} {kind}neuron{'s' if count != 1 else ''}"


def _stems(names: Sequence[str]) -> list[str]:
    """`W1[3,2]` → `W1`; unique, in order."""
    return list(dict.fromkeys(name.split("[", 1)[0] for name in names))


def _parameters_title(layer: Layer, parameters: Sequence[str]) -> str:
    """`W1, b1 (32 params)`: the weights' and biases' names without their indices, or the names
    themselves in the graph's order when each is one parameter (`W10, W11, W20, W21`)."""
    count = len(parameters)
    stems = _stems([*layer.weights, *layer.biases])
    if len(stems) == count:
        stems = list(parameters)
    if len(stems) > MAX_STEMS:
        stems = list(dict.fromkeys(re.sub(r"\d+$", "", stem) or stem for stem in stems))
    if len(stems) > MAX_STEMS:
        stems = [*stems[:MAX_STEMS - 1], "…"]
    return f"{', '.join(stems)} ({count} params)"


def collapsed_layout(grouping: Grouping, widths: Mapping[str, int], heights: Mapping[str, int]) -> GraphLayout:
    """The collapsed drawing: one box per group, keyed by group key, edges between groups."""
    return layout_dag(grouping.dag(), widths, heights)


class GroupFocus:
    """Which member each group shows at a step: the node of its latest step so far, current or past.

    Looked up by bisection in each group's own steps, so the cost of a step does not depend on how
    many steps came before it, and a step looks the same however it was reached."""

    def __init__(self, grouping: Grouping, steps: Sequence[StepLike]) -> None:
        self._indices: dict[str, list[int]] = {}
        self._nodes: dict[str, list[str]] = {}
        for index, step in enumerate(steps):
            if step.node is not None:
                key = grouping.group_of[step.node]
                self._indices.setdefault(key, []).append(index)
                self._nodes.setdefault(key, []).append(step.node)

    def member(self, key: str, index: int) -> str | None:
        """The member of group `key` that step `index` or the latest step before it was about."""
        indices = self._indices.get(key, [])
        position = bisect_right(indices, index)
        return self._nodes[key][position - 1] if position else None
