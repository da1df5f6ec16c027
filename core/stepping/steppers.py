"""Forward-mode and reverse-mode steppers: the lecture's table, filled one node at a time.

A stepper runs the engine once, then serves a snapshot for any step index. Building a snapshot
costs one pass over the rows, whatever the index, so stepping back and forth is cheap and lands on
exactly the same (equal) snapshot every time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from functools import lru_cache

import numpy as np

from ..engine.autodiff import forward_tangents, reverse_adjoints
from ..engine.finite_differences import FD_NODE_LIMIT, forward_checks, reverse_checks
from ..engine.graph import Graph, GraphError
from ..engine.numbers import Value, format_sum, format_value, is_finite, scalar_or_array
from . import closed_form
from .snapshot import Contribution, Mode, Row, Snapshot, Step


def _num(value: Value) -> str:
    return f"({format_value(value)})"


def _text(formula: object | None) -> str | None:
    return None if formula is None else str(formula)


class Stepper:
    """Common machinery: values, local partials, static rows and the list of steps."""

    mode: Mode

    def __init__(self, graph: Graph, inputs: Mapping[str, Value], wrt: str | None = None) -> None:
        self.graph = graph
        self.inputs = {name: scalar_or_array(np.asarray(inputs[name], dtype=float))
                       for name in graph.inputs if name in inputs}
        self.values = {name: scalar_or_array(value) for name, value in graph.evaluate(self.inputs).items()}
        self.wrt = wrt
        self.partials = {name: graph.local_partials(name, self.values) for name in graph.operations}
        scalar = all(np.ndim(value) == 0 for value in self.values.values())
        self.value_forms = closed_form.value_closed_forms(graph, self.values) if scalar else {}
        self.partial_forms = {
            name: closed_form.partial_closed_forms(graph, name, self.value_forms, self.partials[name])
            for name in graph.operations
        } if scalar else {}
        self._blank = {node.name: self._blank_row(node.name) for node in graph.nodes}
        self._valued = {node.name: self._valued_row(node.name) for node in graph.nodes}
        self.steps: list[Step] = [self._start_step()]
        self.value_step: dict[str, int] = {name: 0 for name in graph.inputs}
        self.snapshot = lru_cache(maxsize=512)(self._snapshot)

    def __len__(self) -> int:
        return len(self.steps)

    @property
    def sweeps_for_full_gradient(self) -> int:
        """How many sweeps this mode needs for the gradient with respect to every input."""
        return len(self.graph.inputs) if self.mode == "forward" else 1

    def _blank_row(self, name: str) -> Row:
        graph = self.graph
        formulas = graph.local_partial_formulas(name) if name in graph.operations else {}
        return Row(name=name, op=graph.node(name).op, definition=str(graph.definitions[name]),
                   expanded=str(graph.expanded[name]),
                   partial_formulas=tuple((parent, str(text)) for parent, text in formulas.items()))

    def _valued_row(self, name: str) -> Row:
        partials = self.partials.get(name, {})
        forms = self.partial_forms.get(name, {})
        return replace(
            self._blank[name], value=self.values[name], value_closed=_text(self.value_forms.get(name)),
            partial_values=tuple((parent, scalar_or_array(value)) for parent, value in partials.items()),
            partial_closed=tuple((parent, _text(forms.get(parent))) for parent in partials))

    def _start_step(self) -> Step:
        given = ", ".join(f"{name}={format_value(self.values[name])}" for name in self.graph.inputs)
        return Step("start", None, None, "", f"Inputs {given}. Nothing computed yet.")

    def _value_explanation(self, name: str) -> str:
        row = self._valued[name]
        return f"{name} = {row.definition} = {format_value(row.value)}{self._non_finite_note(name)}"

    def _non_finite_note(self, name: str) -> str:
        """Which operation produced a NaN or an infinity, or which argument carried it in."""
        if is_finite(self.values[name]):
            return ""
        node = self.graph.node(name)
        carried = [parent for parent in node.parents if not is_finite(self.values[parent])]
        if carried:
            return f" (non-finite: carried in from {', '.join(carried)})"
        args = ", ".join(format_value(value) for value in self.graph.arg_values(node, self.values))
        return f" (non-finite: {node.op}({args}) produced it here)"

    def _snapshot(self, index: int) -> Snapshot:
        if not 0 <= index < len(self.steps):
            raise IndexError(f"step {index} is outside 0..{len(self.steps) - 1}")
        rows = tuple(self._row_at(node.name, index) for node in self.graph.nodes)
        following = self.steps[index + 1].formula if index + 1 < len(self.steps) else None
        return Snapshot(self.mode, self.wrt, self.graph.output, index, len(self.steps), self.steps[index],
                        rows, following or None)

    def _row_at(self, name: str, index: int) -> Row:
        raise NotImplementedError

    def final(self) -> Snapshot:
        return self.snapshot(len(self.steps) - 1)


class ForwardStepper(Stepper):
    """Forward mode: each step computes one node's value and its tangent dξ/d(wrt) together."""

    mode: Mode = "forward"

    def __init__(self, graph: Graph, inputs: Mapping[str, Value], wrt: str) -> None:
        super().__init__(graph, inputs, wrt)
        self.tangents = {name: scalar_or_array(t) for name, t in forward_tangents(graph, self.values, wrt).items()}
        self.checks = forward_checks(graph, self.values, wrt, self.tangents)
        self.tangent_forms = self._tangent_forms()
        for name in graph.operations:
            self.value_step[name] = len(self.steps)
            self.steps.append(self._tangent_step(name))

    def _tangent_forms(self) -> dict[str, str | None]:
        """Closed forms of the tangents (`-3e^-9`), for scalar graphs only."""
        if not self.partial_forms:
            return {}
        forms: dict[str, object | None] = {}
        for node in self.graph.nodes:
            if node.is_input:
                forms[node.name] = closed_form.fm.number(self.tangents[node.name])
                continue
            folded = closed_form.chain_product(None, None, self.tangents[node.name])
            terms = [closed_form.chain_product(self.partial_forms.get(node.name, {}).get(parent), forms[parent],
                                               self.partials[node.name][parent] * self.tangents[parent])
                     for parent in node.parents if self.tangents[parent] != 0]
            if folded is not None or None in terms or not terms:
                forms[node.name] = folded
                continue
            total = terms[0]
            for term in terms[1:]:
                total = closed_form.fm.plus(total, term)
            forms[node.name] = closed_form._keep(total)
        return {name: _text(form) for name, form in forms.items()}

    def _tangent_step(self, name: str) -> Step:
        parents = self.graph.node(name).parents
        wrt = self.wrt
        symbolic = " + ".join(f"∂{name}/∂{p} · d{p}/d{wrt}" for p in parents)
        numbers = " + ".join(f"{_num(self.partials[name][p])} · {_num(self.tangents[p])}" for p in parents)
        formula = f"d{name}/d{wrt} = {symbolic}"
        explanation = (f"{self._value_explanation(name)};  {formula} = {numbers} = "
                       f"{format_value(self.tangents[name])}")
        return Step("value", name, (parents[0], name) if parents else None, formula, explanation)

    def _row_at(self, name: str, index: int) -> Row:
        if self.value_step[name] > index:
            return self._blank[name]
        return replace(self._valued[name], accumulated=self.tangents[name],
                       accumulated_closed=self.tangent_forms.get(name), fd_check=self.checks.get(name))


class ReverseStepper(Stepper):
    """Reverse mode: a forward pass that stores every value, then adjoints flow back from the output."""

    mode: Mode = "reverse"

    def __init__(self, graph: Graph, inputs: Mapping[str, Value], wrt: str | None = None) -> None:
        super().__init__(graph, inputs, wrt)
        for name in graph.operations:
            self.value_step[name] = len(self.steps)
            row = self._valued[name]
            partial_text = "; ".join(f"∂{name}/∂{p} = {f} = {format_value(v)}"
                                     for (p, f), (_, v) in zip(row.partial_formulas, row.partial_values, strict=False))
            self.steps.append(Step("value", name, None, f"{name} = {row.definition}",
                                   f"{self._value_explanation(name)}  (stored; {partial_text})"))
        out = graph.output
        rows = np.shape(self.values[out])
        # Over a batch the loss is the mean of the rows' losses (what training descends), so every
        # row's L is seeded with 1/n and a parameter's adjoint is the gradient of that mean.
        self.seed: Value = np.full(rows, 1.0 / rows[0]) if rows else np.float64(1.0)
        adjoints, edges = reverse_adjoints(graph, self.values, self.seed)
        self.adjoints = {name: scalar_or_array(value) for name, value in adjoints.items()}
        self.checks = (reverse_checks(graph, self.values, self.adjoints, self.seed)
                       if len(graph) <= FD_NODE_LIMIT else {})
        self.seed_step = len(self.steps)
        if rows:
            self.steps.append(Step("seed", out, None, f"∂(mean {out})/∂{out} = 1/{rows[0]}",
                                   f"∂(mean {out})/∂{out} = 1/{rows[0]} on each of the {rows[0]} rows: the batch's "
                                   f"loss is the mean of its rows' losses, so the backward pass starts with seed 1/n"))
        else:
            self.steps.append(Step("seed", out, None, f"∂{out}/∂{out} = 1",
                                   f"∂{out}/∂{out} = 1: the backward pass starts from the output with seed 1"))
        self.contributions: dict[str, list[tuple[int, Contribution]]] = {}
        for edge in edges:
            done = self.contributions.setdefault(edge.parent, [])
            value = scalar_or_array(edge.value)
            total = value if not done else scalar_or_array(done[-1][1].total + value)
            done.append((len(self.steps), Contribution(edge.child, value, total)))
            self.steps.append(self._adjoint_step(edge.parent, edge.child, value, done))

    def _adjoint_step(self, parent: str, child: str, value: Value, done: list[tuple[int, Contribution]]) -> Step:
        out = self.graph.output
        local = self.partials[child][parent]
        term = f"∂{out}/∂{child} · ∂{child}/∂{parent}"
        numbers = f"{_num(self.adjoints[child])} · {_num(local)} = {format_value(value)}"
        if len(done) == 1:
            formula = f"∂{out}/∂{parent} = {term}"
            return Step("adjoint", parent, (parent, child), formula, f"{formula} = {numbers}")
        formula = f"∂{out}/∂{parent} += {term}"
        running = format_sum(done, done[-1][1].total, lambda item: item[1].value)
        explanation = f"{formula} = {numbers};  ∂{out}/∂{parent} = {running}"
        return Step("adjoint", parent, (parent, child), formula, explanation)

    def _row_at(self, name: str, index: int) -> Row:
        if self.value_step[name] > index:
            return self._blank[name]
        row = self._valued[name]
        if name == self.graph.output:
            if index < self.seed_step:
                return row
            closed = "1" if np.ndim(self.seed) == 0 else f"1/{np.shape(self.seed)[0]}"
            return replace(row, accumulated=self.seed, accumulated_closed=closed, fd_check=self.checks.get(name))
        shown = tuple(contribution for step, contribution in self.contributions.get(name, []) if step <= index)
        if not shown:
            return row
        complete = len(shown) == len(self.contributions[name])
        closed = closed_form.chain_product(None, None, shown[-1].total)
        return replace(row, accumulated=shown[-1].total, contributions=shown,
                       accumulated_closed=_text(closed),
                       fd_check=self.checks.get(name) if complete else None)


def make_stepper(mode: Mode, graph: Graph, inputs: Mapping[str, Value], wrt: str | None = None) -> Stepper:
    """The stepper for `mode`; forward mode needs the input to differentiate with respect to.

    Built with numpy's warnings off: an overflow (1e308·10) or a 0/0 is shown in the table as inf or
    NaN with the node that produced it, never printed on stderr as a RuntimeWarning."""
    if mode == "forward":
        if wrt is None:
            raise GraphError("forward mode needs an input to differentiate with respect to (--wrt)")
        with np.errstate(all="ignore"):
            return ForwardStepper(graph, inputs, wrt)
    if mode == "reverse":
        if wrt is not None and wrt not in graph.inputs:
            raise GraphError(f"cannot differentiate with respect to {wrt!r}: inputs are {', '.join(graph.inputs)}")
        with np.errstate(all="ignore"):
            return ReverseStepper(graph, inputs, wrt)
    raise GraphError(f"unknown mode {mode!r}: use forward or reverse")
