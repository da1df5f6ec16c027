"""Slides 70-72 side by side: forward mode and backward mode on the same graph at the same time.

One key press advances both passes one step: the forward stepper fills the value column and the
dξ/dW column top-down (one tangent per node, for one chosen input W); the reverse stepper fills the
same values top-down, then the dL/dξ column bottom-up from the loss. Beside them, the sweeps each
mode needs for the whole gradient, input by input, and what that costs as the inputs grow.
Everything is read from the two steppers of core.stepping; this module only lines them up.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..engine.graph import Graph
from ..engine.numbers import format_value
from ..stepping.examples import example
from ..stepping.steppers import Stepper, make_stepper

COMPARED_EXAMPLES = ("lecture", "mlp")
"""The lecture's one-weight graph (slides 71-72) and the 1-2-1 network (slides 57-59), where modes differ."""
COST_EXAMPLES = ("lecture", "neuron", "mlp", "mlp-16-16")
"""The graphs of the cost table, in order of their number of weights."""
DATA_INPUTS = ("X", "y")
"""A graph's inputs that are data, not weights: training needs no derivative with respect to them."""


@dataclass(frozen=True)
class ComparedRow:
    """One node: its value and the two columns, each None until its pass has reached the node."""

    name: str
    definition: str
    value: str | None
    tangent: str | None
    adjoint: str | None


@dataclass(frozen=True)
class SweepRow:
    """One weight: which forward sweep gives dL/dw and its value, and the reverse pass's value (None until done)."""

    weight: str
    forward_sweep: int
    forward: str
    reverse: str | None
    shown: bool
    """Whether this is the weight the forward column is differentiating against now."""


@dataclass(frozen=True)
class CostRow:
    """What the full gradient costs in each mode on one graph: sweeps, and chain-rule products."""

    example: str
    weights: int
    nodes: int
    forward_sweeps: int
    reverse_sweeps: int
    forward_products: int
    reverse_products: int


@dataclass(frozen=True)
class Comparison:
    """Both passes after `index` key presses."""

    example: str
    wrt: str
    index: int
    total: int
    rows: tuple[ComparedRow, ...]
    forward_text: str
    reverse_text: str
    forward_done: bool
    reverse_done: bool
    sweeps: tuple[SweepRow, ...]
    forward_node: str | None = None
    """The node the forward pass computed at this step (None before the first, and once it is done)."""
    reverse_node: str | None = None


def weights_of(graph: Graph) -> tuple[str, ...]:
    """The inputs a training step needs the derivative for (every input but the data X and y)."""
    return tuple(name for name in graph.inputs if name not in DATA_INPUTS)


def forward_products(graph: Graph, wrt: str) -> int:
    """Chain-rule products in one forward sweep for `wrt`: one per edge out of a node that depends on it."""
    reached = {wrt}
    products = 0
    for node in graph.nodes:
        touched = [parent for parent in node.parents if parent in reached]
        if touched:
            reached.add(node.name)
            products += len(touched)
    return products


def reverse_products(graph: Graph) -> int:
    """Chain-rule products in the one backward sweep: one per edge into an operation the loss depends on
    (a node the loss does not read, like the drawn-only p of the networks, sends nothing back)."""
    reaches = {graph.output}
    products = 0
    for node in reversed(graph.nodes):
        if node.name in reaches:
            reaches.update(node.parents)
            products += len(node.parents)
    return products


@lru_cache(maxsize=8)
def cost_row(example_name: str) -> CostRow:
    """Counted from the graph's own structure, so it is what the steppers would do, not an estimate."""
    graph = example(example_name).graph()
    weights = weights_of(graph)
    return CostRow(example_name, len(weights), len(graph), len(weights), 1,
                   sum(forward_products(graph, weight) for weight in weights), reverse_products(graph))


def cost_table() -> tuple[CostRow, ...]:
    return tuple(cost_row(name) for name in COST_EXAMPLES)


class ModesCompared:
    """The forward stepper for `wrt` and the reverse stepper on one example, stepped together."""

    def __init__(self, example_name: str = "lecture", wrt: str | None = None) -> None:
        chosen = example(example_name)
        self.example = example_name
        self.graph = chosen.graph()
        self.inputs = chosen.defaults
        self.weights = weights_of(self.graph)
        self.wrt = wrt if wrt is not None else chosen.wrt
        self.forward: Stepper = make_stepper("forward", self.graph, self.inputs, self.wrt)
        self.reverse: Stepper = make_stepper("reverse", self.graph, self.inputs)
        self.total = max(len(self.forward), len(self.reverse))
        self._per_weight = {weight: self._forward_gradient(weight) for weight in self.weights}
        self.snapshot = lru_cache(maxsize=256)(self._snapshot)

    def _forward_gradient(self, weight: str) -> str:
        """dL/dw by its own forward sweep (the stepper of the one shown, a fresh one for the others)."""
        stepper = self.forward if weight == self.wrt else make_stepper("forward", self.graph, self.inputs, weight)
        return format_value(stepper.tangents[self.graph.output])  # type: ignore[attr-defined]

    def with_wrt(self, wrt: str) -> ModesCompared:
        return ModesCompared(self.example, wrt)

    def next_weight(self) -> str:
        """The weight after the one shown, round the list: the next forward sweep."""
        position = self.weights.index(self.wrt) if self.wrt in self.weights else -1
        return self.weights[(position + 1) % len(self.weights)]

    def _snapshot(self, index: int) -> Comparison:
        if not 0 <= index < self.total:
            raise IndexError(f"step {index} is outside 0..{self.total - 1}")
        forward = self.forward.snapshot(min(index, len(self.forward) - 1))
        reverse = self.reverse.snapshot(min(index, len(self.reverse) - 1))
        rows = []
        for forward_row, reverse_row in zip(forward.rows, reverse.rows, strict=True):
            value = reverse_row.value if reverse_row.value is not None else forward_row.value
            rows.append(ComparedRow(
                forward_row.name, forward_row.definition,
                None if value is None else format_value(value),
                None if forward_row.accumulated is None else format_value(forward_row.accumulated),
                None if reverse_row.accumulated is None else format_value(reverse_row.accumulated)))
        reverse_done = reverse.is_last
        sweeps = tuple(
            SweepRow(weight, number, self._per_weight[weight],
                     format_value(self.reverse.adjoints[weight]) if reverse_done else None,  # type: ignore[attr-defined]
                     weight == self.wrt)
            for number, weight in enumerate(self.weights, start=1))
        return Comparison(self.example, self.wrt, index, self.total, tuple(rows),
                          _pass_text("forward", forward.step.explanation, forward.is_last, index),
                          _pass_text("reverse", reverse.step.explanation, reverse.is_last, index),
                          forward.is_last, reverse_done, sweeps,
                          forward.step.node if index < len(self.forward) else None,
                          reverse.step.node if index < len(self.reverse) else None)


def _pass_text(mode: str, explanation: str, done: bool, index: int) -> str:
    """The pass's step as its stepper wrote it; once a pass has ended, what its one sweep gave."""
    if done and index > 0:
        if mode == "forward":
            return "done: this sweep gave one derivative; every other weight needs a sweep of its own (w)."
        return "done: this one backward sweep gave the derivative for every weight at once."
    return explanation
