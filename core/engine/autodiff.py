"""Forward mode and reverse mode over a graph, computed in one sweep each.

These are the engine: the steppers replay what they record one node at a time, and training calls
`gradient` directly. Both run the primitives' registered JVP/VJP rules, except where the graph
declares an identity (core/engine/identities.py): there the identity's exact number is used instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from .graph import Const, Graph, GraphError, Node
from .identities import Identity
from .numbers import Value
from .primitives import jvp_rule, vjp_rule


def unbroadcast(contribution: Value, like: Value) -> Value:
    """Sum a contribution over the axes that broadcasting added, so it has the shape of `like`.

    A scalar weight used on every row of a batch receives the sum of the rows' contributions.
    """
    if type(contribution) is np.float64 and type(like) is np.float64:
        return contribution  # the scalar case, without numpy's per-call `ndim`
    target_ndim = np.ndim(like)
    if target_ndim == 0 and type(contribution) is np.float64:
        return contribution
    result = np.asarray(contribution, dtype=float)
    if result.ndim < target_ndim:
        result = np.broadcast_to(result, np.shape(like))
    if result.ndim == 0 and target_ndim == 0:
        return np.float64(result)
    while result.ndim > target_ndim:
        result = result.sum(axis=0)
    if target_ndim:
        for axis, size in enumerate(np.shape(like)):
            if size == 1 and result.shape[axis] != 1:
                result = result.sum(axis=axis, keepdims=True)
        return result
    return np.float64(result)


def forward_tangents(graph: Graph, values: Mapping[str, Value], wrt: str, vector: bool = False) -> dict[str, Value]:
    """dξ/d(wrt) for every node, tangents flowing with the values (one sweep per input).

    With `vector`, a 1-D `wrt` is one vector (slide 14's W, not a batch): its tangent is the identity,
    so every node's tangent gains a last axis, dξ/dWᵢ in entry i: the k sweeps of forward mode, carried
    side by side."""
    graph.check_input(wrt)
    if np.ndim(values[wrt]) != 0 and not (vector and np.ndim(values[wrt]) == 1):
        raise GraphError(f"forward mode needs a scalar input; {wrt!r} is a vector")
    seed: Value = np.eye(np.size(values[wrt])) if np.ndim(values[wrt]) else 1.0
    tangents: dict[str, Value] = {}
    chain_tops = {identity.node: identity for identity in graph.chains.values()}
    with np.errstate(all="ignore"):
        for node in graph.nodes:
            if node.is_input:
                tangents[node.name] = seed if node.name == wrt else 0.0
                continue
            if node.name in graph.exact_partials or node.name in chain_tops:
                tangents[node.name] = _exact_tangent(graph, node.name, values, tangents, chain_tops.get(node.name))
                continue
            args = graph.arg_values(node, values)
            arg_tangents = [0.0 if isinstance(arg, Const) else tangents[arg] for arg in node.args]
            tangents[node.name] = jvp_rule(node.op)(args, values[node.name], arg_tangents)
    return tangents


def _exact_tangent(graph: Graph, name: str, values: Mapping[str, Value], tangents: Mapping[str, Value],
                   chain: Identity | None) -> Value:
    """Σ ∂node/∂parent · d parent, with the graph's identities: exact partials, and a chain's term
    (d node/d bottom · d bottom) in place of the one through its `via` node."""
    total: Value = 0.0
    for parent, partial in graph.local_partials(name, values).items():
        if chain is not None and parent == chain.via:
            total = total + graph.exact(chain, values) * tangents[chain.parent]
        else:
            total = total + partial * tangents[parent]
    return total


@dataclass(frozen=True)
class EdgeContribution:
    """What `child` sends back to `parent` in reverse mode: ∂out/∂child · ∂child/∂parent."""

    parent: str
    child: str
    value: Value

    def __init__(self, parent: str, child: str, value: Value) -> None:
        fields = self.__dict__  # straight in (a frozen dataclass's `__init__` is twice as slow): one per edge
        fields["parent"], fields["child"], fields["value"] = parent, child, value


def reverse_adjoints(graph: Graph, values: Mapping[str, Value],
                     seed: Value = 1.0) -> tuple[dict[str, Value], list[EdgeContribution]]:
    """∂out/∂ξ for every node, and every contribution in the order it is added (`+=` at fan-out).

    Nodes are visited in reverse topological order; a node's adjoint is final when it is reached,
    because all of its children come later in the order.
    """
    # The seed covers every row of a batched output: a scalar seed of 1 means "1 for each row".
    output_shape = np.shape(values[graph.output])
    adjoints: dict[str, Value] = {graph.output: np.broadcast_to(seed, output_shape).astype(float)
                                  if output_shape and np.ndim(seed) == 0 else seed}
    received: dict[str, list[tuple[str, Value]]] = {}
    with np.errstate(all="ignore"):
        for node in reversed(graph.nodes):
            if node.is_input or node.name not in adjoints:
                continue
            per_parent = _pieces(graph, node, values, adjoints)
            for parent, piece in per_parent.items():
                piece = unbroadcast(piece, values[parent])
                received.setdefault(parent, []).append((node.name, piece))
                adjoints[parent] = adjoints[parent] + piece if parent in adjoints else piece
    # Each node's pieces arrived from its children in reverse topological order (the loop above walks the
    # nodes backwards, a child sends once): reversed, they are in the graph's order, with no sort.
    contributions = [
        EdgeContribution(parent, child, piece)
        for node in reversed(graph.nodes)
        for child, piece in reversed(received.get(node.name, ()))
        for parent in (node.name,)
    ]
    return adjoints, contributions


def _pieces(graph: Graph, node: Node, values: Mapping[str, Value], adjoints: Mapping[str, Value]) -> dict[str, Value]:
    """What `node` sends each parent: its VJP rule's pieces, or adjoint · ∂node/∂parent where the graph
    gives exact partials, or (a chain's `via` node) the chain's d top/d parent times the top's adjoint."""
    adjoint = adjoints[node.name]
    chain = graph.chains.get(node.name)
    if chain is not None:
        return {chain.parent: adjoints[chain.node] * graph.exact(chain, values)}
    if node.name in graph.exact_partials:
        return {parent: adjoint * partial for parent, partial in graph.local_partials(node.name, values).items()}
    pieces = vjp_rule(node.op)(graph.arg_values(node, values), values[node.name], adjoint)
    per_parent: dict[str, Value] = {}
    for arg, piece in zip(node.args, pieces, strict=False):
        if isinstance(arg, str):
            per_parent[arg] = per_parent[arg] + piece if arg in per_parent else piece
    return per_parent


def gradient(graph: Graph, inputs: Mapping[str, Value], wrt: tuple[str, ...],
             seed: Value = 1.0) -> tuple[Value, dict[str, Value]]:
    """The output's value and its gradient with respect to `wrt` in one forward and one reverse sweep."""
    values = graph.evaluate(inputs)
    adjoints, _ = reverse_adjoints(graph, values, seed)
    zero = 0.0
    return values[graph.output], {name: adjoints.get(name, zero * np.asarray(values[name])) for name in wrt}
