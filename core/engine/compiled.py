"""A lean evaluation and reverse-mode plan for running one graph many times (training).

`Graph.evaluate` and `autodiff.reverse_adjoints` look nodes up by name, record every edge's
contribution for the stepper and unbroadcast at every edge: right for showing one pass, too slow
for thousands of iterations. `CompiledGraph` resolves all of that once: values live in a list
indexed by slot (constants are pre-filled slots), the reverse plan visits only nodes that lie between
the wanted inputs and the output, and contributions are summed over the batch only where a batch
node feeds a node that does not depend on the data. It calls the same registered primitives and
VJP rules in the same order, so its gradient equals `reverse_adjoints` bit for bit; each VJP rule is
told which of its arguments need a piece (`needs`), so nothing is computed for the data inputs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from operator import itemgetter
from typing import NamedTuple

import numpy as np

from .autodiff import unbroadcast
from .graph import Const, Graph, GraphError
from .numbers import Value
from .primitives import VjpRule, primitive, vjp_rule


class _ForwardStep(NamedTuple):
    out: int
    evaluate: Callable[..., Value]
    args: tuple[int, ...]
    fetch: Callable[[list[Value | None]], tuple[Value, ...]]
    """The argument values out of the slot list, as a tuple (one C call)."""


def _fetcher(slots: tuple[int, ...]) -> Callable[[list[Value | None]], tuple[Value, ...]]:
    if len(slots) == 1:
        slot = slots[0]
        return lambda values: (values[slot],)
    return itemgetter(*slots)  # type: ignore[return-value]


class _Send(NamedTuple):
    """What one node's VJP passes to one parent: the pieces at `first` and `rest` (a parent used twice)."""

    parent: int
    first: int
    rest: tuple[int, ...]
    summed: bool


class _BackwardStep(NamedTuple):
    out: int
    rule: VjpRule
    fetch: Callable[[list[Value | None]], tuple[Value, ...]]
    sends: tuple[_Send, ...]
    needs: tuple[bool, ...]
    """Which arguments lie on a path from `wrt`: the rule computes pieces for those only."""


_add_rows = np.add.reduce


def _sum_rows(piece: Value, like: Value) -> Value:
    """`unbroadcast`, with its common case (a batch sent to a scalar) done in one call (`sum(axis=0)`)."""
    if type(piece) is np.ndarray and piece.ndim == 1 and isinstance(like, float):
        return _add_rows(piece, 0)
    return unbroadcast(piece, like)


class CompiledGraph:
    """`graph` compiled for repeated value-and-gradient calls with respect to `wrt`.

    `data` names the inputs that carry one value per row (X, y); every other input is a scalar
    parameter. Nodes that depend on no data input hold scalars, and what a batch node sends them
    is summed over the rows, exactly where `reverse_adjoints` would unbroadcast it.
    """

    def __init__(self, graph: Graph, wrt: Sequence[str], data: Sequence[str] = ()) -> None:
        for name in (*wrt, *data):
            if name not in graph.inputs:
                raise GraphError(f"{name!r} is not an input of the graph: inputs are {', '.join(graph.inputs)}")
        graph = graph.fused()  # identities' primitives (L = bce_logit(h, y)): the same numbers the stepper shows
        self.graph = graph
        self.wrt = tuple(wrt)
        self.inputs = graph.inputs
        self.size = len(graph.nodes)
        self._slot = {node.name: position for position, node in enumerate(graph.nodes)}
        self._template: list[Value | None] = [None] * self.size
        self._input_slots = tuple(self._slot[name] for name in graph.inputs)
        self.output = self._slot[graph.output]
        batch = self._depends_on(set(data))
        self._forward = tuple(
            _ForwardStep(self._slot[node.name], primitive(node.op).evaluate, slots, _fetcher(slots))
            for node in graph.nodes if not node.is_input for slots in (self._arg_slots(node.args),))
        self._backward = self._plan_backward(batch)
        # value_and_grad needs only the output's ancestors: a node shown beside the loss (a classifier's
        # p = σ(h), while L is computed from the logit h) is not computed on every training step.
        feeding = self._feeding_output()
        self._loss_forward = tuple(step for step in self._forward if step.out in feeding)
        self._wrt_slots = tuple(self._slot[name] for name in self.wrt)
        self._input_pairs = tuple(zip(self.inputs, self._input_slots, strict=True))

    def _arg_slots(self, args: Sequence[str | Const]) -> tuple[int, ...]:
        slots = []
        for arg in args:
            if isinstance(arg, Const):
                self._template.append(np.float64(arg.value))
                slots.append(len(self._template) - 1)
            else:
                slots.append(self._slot[arg])
        return tuple(slots)

    def _depends_on(self, sources: set[str]) -> set[str]:
        """Every node that has one of `sources` among its ancestors (or is one)."""
        return self.graph.downstream_of(sources)

    def _ancestors_of_output(self) -> set[str]:
        """The output and every node it depends on."""
        to_output = {self.graph.output}
        for node in reversed(self.graph.nodes):
            if node.name in to_output:
                to_output.update(node.parents)
        return to_output

    def _feeding_output(self) -> set[int]:
        return {self._slot[name] for name in self._ancestors_of_output()}

    def _plan_backward(self, batch: set[str]) -> tuple[_BackwardStep, ...]:
        from_wrt = self._depends_on(set(self.wrt))
        relevant = from_wrt & self._ancestors_of_output()
        steps = []
        forward_by_slot = {step.out: step for step in self._forward}
        for node in reversed(self.graph.nodes):
            if node.is_input or node.name not in relevant:
                continue
            sends = []
            for parent in node.parents:
                if parent in relevant:
                    positions = [position for position, arg in enumerate(node.args) if arg == parent]
                    summed = node.name in batch and parent not in batch
                    sends.append(_Send(self._slot[parent], positions[0], tuple(positions[1:]), summed))
            needs = tuple(isinstance(arg, str) and arg in relevant for arg in node.args)
            out = self._slot[node.name]
            steps.append(_BackwardStep(out, vjp_rule(node.op), forward_by_slot[out].fetch, tuple(sends), needs))
        return tuple(steps)

    def slot(self, name: str) -> int:
        """Where node `name`'s value sits in the list `evaluate` returns."""
        try:
            return self._slot[name]
        except KeyError:
            raise GraphError(f"no node named {name!r}") from None

    def evaluate(self, inputs: Mapping[str, Value]) -> list[Value | None]:
        """Every node's value by slot (the order of `graph.nodes`), constants after them."""
        with np.errstate(all="ignore"):
            return self._evaluate(inputs, self._forward)

    def _evaluate(self, inputs: Mapping[str, Value], forward: tuple[_ForwardStep, ...]) -> list[Value | None]:
        values = list(self._template)
        try:
            for name, slot in self._input_pairs:
                values[slot] = inputs[name]
        except KeyError as error:
            raise GraphError(f"no value given for {error.args[0]}") from None
        for out, evaluate, _, fetch in forward:
            values[out] = evaluate(*fetch(values))
        return values

    def value_and_grad(self, inputs: Mapping[str, Value], seed: Value = 1.0) -> tuple[Value, tuple[Value, ...]]:
        """The output's value (per row over a batch) and the seeded gradient with respect to `wrt`.

        With a batch of n rows and `seed = 1/n`, the gradient is that of the mean loss.
        """
        adjoints: list[Value | None] = [None] * self.size
        adjoints[self.output] = seed
        with np.errstate(all="ignore"):
            values = self._evaluate(inputs, self._loss_forward)
            for out, rule, fetch, sends, needs in self._backward:
                adjoint = adjoints[out]
                if adjoint is None:
                    continue
                adjoints[out] = None  # an inner node's adjoint is spent: free its array for the next piece
                pieces = rule(fetch(values), values[out], adjoint, needs)
                del adjoint
                for parent, first, rest, summed in sends:
                    piece = pieces[first]
                    for position in rest:
                        piece = piece + pieces[position]
                    if summed:
                        piece = _sum_rows(piece, values[parent])
                    held = adjoints[parent]
                    adjoints[parent] = piece if held is None else held + piece
        grads = [adjoints[slot] for slot in self._wrt_slots]
        for index, grad in enumerate(grads):
            if grad is None:  # an input the output does not depend on: a zero of its shape
                value = values[self._wrt_slots[index]]
                grads[index] = unbroadcast(0.0 * np.asarray(value), value)
        return values[self.output], tuple(grads)
