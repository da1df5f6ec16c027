"""The computational graph as a Wengert list: nodes in one fixed topological order.

That single order serves evaluation, both differentiation modes, the lecture's table and the
graph drawing. It is deterministic (nodes and their inputs are kept in lists, never sets) and
computed iteratively, so a graph of any depth sorts without touching Python's recursion limit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from . import formula as fm
from .formula import Formula
from .identities import Identity
from .numbers import Value, scalar_or_array
from .primitives import PRIMITIVES, Primitive, primitive
from .topological import GraphError


@dataclass(frozen=True)
class Const:
    """A number written into a node's formula (the `1` of `1+ξ2`): not a node, so it has no row."""

    value: float


Arg = str | Const


@dataclass(frozen=True)
class Node:
    """One row of the lecture's table: a name, the primitive that computes it, and its arguments."""

    name: str
    op: str | None
    args: tuple[Arg, ...] = ()

    def __init__(self, name: str, op: str | None, args: tuple[Arg, ...] = ()) -> None:
        """The dataclass's fields, stored straight into the instance (a frozen dataclass's own `__init__`
        sets each through `object.__setattr__`: twice as slow, on every node of a ten-thousand-node graph)."""
        fields = self.__dict__
        fields["name"], fields["op"], fields["args"] = name, op, args
        fields["parents"] = tuple(dict.fromkeys(arg for arg in args if isinstance(arg, str)))

    parents: ClassVar[tuple[str, ...]]
    """Distinct node arguments in argument order (`x*x` has one parent used twice), set by `__init__`."""

    @property
    def is_input(self) -> bool:
        return self.op is None


class Graph:
    """An immutable computational graph with one output (the loss, or whatever is differentiated)."""

    def __init__(self, nodes: Sequence[Node], output: str | None = None,
                 identities: Sequence[Identity] = ()) -> None:
        self.nodes: tuple[Node, ...] = tuple(nodes)
        if not self.nodes:
            raise GraphError("a graph needs at least one node")
        self.index: dict[str, int] = {}
        for position, node in enumerate(self.nodes):
            if node.name in self.index:
                raise GraphError(f"two nodes are named {node.name!r}")
            for parent in node.parents:
                if parent not in self.index:
                    raise GraphError(f"node {node.name!r} uses {parent!r} before it is defined")
            if node.op is not None:
                prim = primitive(node.op)
                if prim.arity is not None and len(node.args) != prim.arity:
                    raise GraphError(f"{node.op} takes {prim.arity} arguments, {node.name!r} has {len(node.args)}")
            self.index[node.name] = position
        self.output: str = output if output is not None else self.nodes[-1].name
        if self.output not in self.index:
            raise GraphError(f"unknown output {self.output!r}")
        self.inputs: tuple[str, ...] = tuple(node.name for node in self.nodes if node.is_input)
        self.operations: tuple[str, ...] = tuple(node.name for node in self.nodes if not node.is_input)
        children: dict[str, list[str]] = {node.name: [] for node in self.nodes}
        for node in self.nodes:
            for parent in node.parents:
                children[parent].append(node.name)
        self.children: dict[str, tuple[str, ...]] = {name: tuple(kids) for name, kids in children.items()}
        self.definitions: dict[str, Formula] = {}
        self.expanded: dict[str, Formula] = {}
        self._render_all()
        self.identities = tuple(identities)
        self.exact_values: dict[str, Identity] = {}
        self.exact_partials: dict[str, dict[str, Identity]] = {}
        self.chains: dict[str, Identity] = {}
        """Chain identities by the node they pass through (`via`): reverse mode replaces what it sends."""
        for identity in self.identities:
            self._check_identity(identity)

    def _check_identity(self, identity: Identity) -> None:
        node = self.node(identity.node)
        for name in identity.args:
            self.node(name)
        if identity.kind == "value":
            self.exact_values[identity.node] = identity
        elif identity.kind == "partial" and identity.parent in node.parents:
            self.exact_partials.setdefault(identity.node, {})[identity.parent] = identity
        elif (identity.kind == "chain" and identity.via in node.parents
              and self.node(identity.via).parents == (identity.parent,)
              and self.children[identity.via] == (identity.node,)):
            self.chains[identity.via] = identity
        else:
            raise GraphError(f"identity {identity.kind} on {identity.node!r} does not match the graph")

    def exact(self, identity: Identity, values: Mapping[str, Value]) -> Value:
        """The number `identity` gives at `values` (numpy warnings silenced, as every evaluation)."""
        with np.errstate(all="ignore"):
            return identity.fn(*(values[name] for name in identity.args))

    def fused(self) -> Graph:
        """The graph training compiles: each node with a value identity computed as that primitive of
        its arguments (L = bce_logit(h, y), so p = σ(h) no longer feeds the loss and is not computed)."""
        if not self.exact_values:
            return self
        nodes = [Node(node.name, self.exact_values[node.name].op, self.exact_values[node.name].args)
                 if node.name in self.exact_values else node for node in self.nodes]
        return Graph(nodes, self.output)

    def __len__(self) -> int:
        return len(self.nodes)

    def node(self, name: str) -> Node:
        try:
            return self.nodes[self.index[name]]
        except KeyError:
            raise GraphError(f"no node named {name!r}") from None

    def downstream_of(self, sources: set[str] | frozenset[str]) -> set[str]:
        """Every node with one of `sources` among its ancestors, and the sources: one pass in graph order."""
        reached = set(sources)
        for node in self.nodes:
            if any(parent in reached for parent in node.parents):
                reached.add(node.name)
        return reached

    def check_input(self, name: str) -> None:
        """The one refusal of a derivative with respect to something that is not one of the graph's inputs."""
        if name not in self.inputs:
            raise GraphError(f"cannot differentiate with respect to {name!r}: the graph's inputs are "
                             f"{', '.join(self.inputs)}")

    def prim(self, name: str) -> Primitive:
        op = self.node(name).op
        if op is None:
            raise GraphError(f"{name!r} is an input, not an operation")
        return primitive(op)

    def _render_all(self) -> None:
        """Each node's definition (`ξ2+X`) and expansion (`X+X+X`): `_render` twice, inlined (once per node
        of a ten-thousand-node graph, its calls cost as much as the formulas)."""
        atom, exact_number, definitions, expanded = fm.atom, fm.exact_number, self.definitions, self.expanded
        for node in self.nodes:
            name = node.name
            if node.op is None:
                definitions[name] = expanded[name] = atom(name)
                continue
            render = PRIMITIVES[node.op].render
            definitions[name] = render([exact_number(arg.value) if isinstance(arg, Const) else atom(arg)
                                        for arg in node.args])
            expanded[name] = render([exact_number(arg.value) if isinstance(arg, Const) else expanded[arg]
                                     for arg in node.args])

    @staticmethod
    def _arg_formulas(node: Node, formula_of: Callable[[str], Formula]) -> list[Formula]:
        return [fm.exact_number(arg.value) if isinstance(arg, Const) else formula_of(arg) for arg in node.args]

    def arg_values(self, node: Node, values: Mapping[str, Value]) -> list[Value]:
        return [np.float64(arg.value) if isinstance(arg, Const) else values[arg] for arg in node.args]

    def compute(self, node: Node, values: Mapping[str, Value], exact: bool = False) -> Value:
        """The node's value from its arguments' values (numpy warnings silenced: NaN/inf are shown, not warned);
        with `exact`, from its value identity where it has one."""
        with np.errstate(all="ignore"):
            return self.compute_silenced(node, values, exact)

    def compute_silenced(self, node: Node, values: Mapping[str, Value], exact: bool = False) -> Value:
        """`compute` for a caller that has silenced numpy's warnings around a loop over many nodes (the finite
        differences recompute a node's whole downstream per nudge: entering `errstate` per node was a quarter
        of their time)."""
        if exact and node.name in self.exact_values:
            return self.exact(self.exact_values[node.name], values)
        return primitive(node.op).evaluate(*self.arg_values(node, values))

    def evaluate(self, inputs: Mapping[str, Value], overrides: Mapping[str, Value] | None = None) -> dict[str, Value]:
        """Every node's value; `overrides` pins chosen nodes to given values (for finite differences)."""
        missing = [name for name in self.inputs if name not in inputs and name not in (overrides or {})]
        if missing:
            raise GraphError(f"no value given for {', '.join(missing)}")
        values: dict[str, Value] = {}
        with np.errstate(all="ignore"):
            for node in self.nodes:
                if overrides and node.name in overrides:
                    values[node.name] = overrides[node.name]
                elif node.op is None:
                    values[node.name] = scalar_or_array(inputs[node.name])
                else:  # a value identity holds only where no node is pinned
                    values[node.name] = self.compute_silenced(node, values, exact=not overrides)
        return values

    def local_partials(self, name: str, values: Mapping[str, Value], exact: bool = True) -> dict[str, Value]:
        """∂node/∂parent for each distinct parent; a parent used twice gets the sum of both partials.
        Where an identity gives a partial, its number (unless `exact` is False: the primitive's own)."""
        with np.errstate(all="ignore"):
            return self._local_partials(self.node(name), values, exact)

    def every_local_partials(self, values: Mapping[str, Value]) -> dict[str, dict[str, Value]]:
        """`local_partials` of every operation, under one `np.errstate` (entering it costs as much as a node)."""
        nodes, index = self.nodes, self.index
        with np.errstate(all="ignore"):
            return {name: self._local_partials(nodes[index[name]], values, True) for name in self.operations}

    def _local_partials(self, node: Node, values: Mapping[str, Value], exact: bool) -> dict[str, Value]:
        name = node.name
        partials = PRIMITIVES[node.op].partials(self.arg_values(node, values), values[name])
        combined: dict[str, Value] = {}
        for arg, partial in zip(node.args, partials, strict=False):
            if isinstance(arg, str):
                combined[arg] = combined[arg] + partial if arg in combined else partial
        for parent, identity in self.exact_partials.get(name, {}).items() if exact else ():
            combined[parent] = self.exact(identity, values)
        return combined

    def local_partial_formulas(self, name: str) -> dict[str, Formula]:
        """The local partials as text in terms of the node's own arguments (`∂ξ4/∂ξ3 = −1/ξ3²`)."""
        node = self.node(name)
        args = self._arg_formulas(node, fm.atom)
        texts = primitive(node.op).partial_texts(args, fm.atom(name))
        combined: dict[str, Formula] = {}
        for arg, text in zip(node.args, texts, strict=False):
            if isinstance(arg, str):
                combined[arg] = fm.plus(combined[arg], text) if arg in combined else text
        for parent, identity in self.exact_partials.get(name, {}).items():
            combined[parent] = fm.Formula(identity.text, fm.ADD)
        return combined


class GraphBuilder:
    """Builds a graph node by node; unnamed operations are numbered ξ1, ξ2, … in creation order."""

    def __init__(self) -> None:
        self._nodes: list[Node] = []
        self._names: set[str] = set()
        self._counter = 0

    def input(self, name: str) -> str:
        return self._add(Node(name, None))

    def op(self, op: str, *args: str | float, name: str | None = None) -> str:
        primitive(op)
        if name is None:
            self._counter += 1
            name = f"ξ{self._counter}"
        converted = tuple(arg if isinstance(arg, str) else Const(float(arg)) for arg in args)
        return self._add(Node(name, op, converted))

    def _add(self, node: Node) -> str:
        if node.name in self._names:
            raise GraphError(f"two nodes are named {node.name!r}")
        self._names.add(node.name)
        self._nodes.append(node)
        return node.name

    def build(self, output: str | None = None, identities: Sequence[Identity] = ()) -> Graph:
        return Graph(self._nodes, output, identities)
