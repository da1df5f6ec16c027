"""Forward-mode and reverse-mode steppers: the lecture's table, filled one node at a time.

A stepper runs the engine once, then serves a snapshot for any step index. Everything the steps
show is built when it is first asked for: a step's text when that step is shown, a row when a
snapshot needs it. A snapshot next to the one shown last is that one with the rows of the steps
between them replaced, so a key press costs the same on a graph of ten thousand nodes as on the
lecture's six, and stepping back and forth lands on exactly the same (equal) snapshot every time.
The work and memory of building a stepper grow linearly with the graph (fan-out sums included:
a node's contributions are kept once, and each row shows a prefix of them).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from functools import lru_cache

import numpy as np

from ..engine.autodiff import forward_tangents, reverse_adjoints
from ..engine.finite_differences import FD_NODE_LIMIT, forward_checks, reverse_checks
from ..engine.graph import Graph, GraphError
from ..engine.numbers import Value, format_sum, format_value, is_finite, scalar_or_array
from . import closed_form
from .snapshot import Contribution, Mode, Row, Snapshot, Step, StepKind
from .step_store import Prefix, StepOutline, Steps, derived_row

SNAPSHOT_CACHE_ROWS = 2_000_000
"""Rows kept by a stepper's cache of recent snapshots (512 snapshots of a small graph, a few of a big one)."""
INCREMENTAL_SPAN = 256
"""A snapshot at most this many steps from the last one built is that one with the changed rows replaced."""


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
        self._blank: dict[str, Row] = {}
        self._valued: dict[str, Row] = {}
        self.outline: list[StepOutline] = [StepOutline("start", None, None)]
        self.steps: Sequence[Step] = Steps(self)
        self.value_step: dict[str, int] = {name: 0 for name in graph.inputs}
        self._last: Snapshot | None = None
        cached = max(4, min(512, SNAPSHOT_CACHE_ROWS // max(len(graph), 1)))
        self.snapshot = lru_cache(maxsize=cached)(self._snapshot)

    def __len__(self) -> int:
        return len(self.outline)

    @property
    def sweeps_for_full_gradient(self) -> int:
        """How many sweeps this mode needs for the gradient with respect to every input."""
        return len(self.graph.inputs) if self.mode == "forward" else 1

    def blank_row(self, name: str) -> Row:
        """The row before its node is computed (built once, then shared by every snapshot)."""
        row = self._blank.get(name)
        if row is None:
            row = self._blank[name] = self._blank_row(name)
        return row

    def valued_row(self, name: str) -> Row:
        """The row once its node's value and local partials are known (built once, then shared)."""
        row = self._valued.get(name)
        if row is None:
            row = self._valued[name] = self._valued_row(name)
        return row

    def _blank_row(self, name: str) -> Row:
        graph = self.graph
        formulas = graph.local_partial_formulas(name) if graph.node(name).op is not None else {}
        return Row(name=name, op=graph.node(name).op, definition=str(graph.definitions[name]),
                   expanded=str(graph.expanded[name]),
                   partial_formulas=tuple((parent, str(text)) for parent, text in formulas.items()))

    def _valued_row(self, name: str) -> Row:
        partials = self.partials.get(name, {})
        forms = self.partial_forms.get(name, {})
        return derived_row(
            self.blank_row(name), value=self.values[name], value_closed=_text(self.value_forms.get(name)),
            partial_values=tuple((parent, scalar_or_array(value)) for parent, value in partials.items()),
            partial_closed=tuple((parent, _text(forms.get(parent))) for parent in partials))

    def _start_step(self) -> Step:
        given = ", ".join(f"{name}={format_value(self.values[name])}" for name in self.graph.inputs)
        return Step("start", None, None, "", f"Inputs {given}. Nothing computed yet.")

    def _value_explanation(self, name: str) -> str:
        row = self.valued_row(name)
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

    def _build_step(self, index: int) -> Step:
        """The text of step `index` (called once per step, when the step is first shown)."""
        kind, node, edge = self.outline[index]
        if kind == "start":
            return self._start_step()
        assert node is not None
        return self._described_step(index, kind, node, edge)

    def _described_step(self, index: int, kind: StepKind, node: str, edge: tuple[str, str] | None) -> Step:
        raise NotImplementedError

    def _snapshot(self, index: int) -> Snapshot:
        if not 0 <= index < len(self.outline):
            raise IndexError(f"step {index} is outside 0..{len(self.outline) - 1}")
        rows = self._rows_at(index)
        following = self.steps[index + 1].formula if index + 1 < len(self.outline) else None
        snapshot = Snapshot(self.mode, self.wrt, self.graph.output, index, len(self.outline), self.steps[index],
                            rows, following or None)
        self._last = snapshot
        return snapshot

    def _rows_at(self, index: int) -> tuple[Row, ...]:
        """Every row at step `index`: from the last snapshot built when it is near (only the rows the
        steps between them changed are rebuilt, the others are the same objects), else from scratch."""
        last = self._last
        if last is None or abs(last.index - index) > INCREMENTAL_SPAN:
            return tuple(self._row_at(node.name, index) for node in self.graph.nodes)
        rows = list(last.rows)
        low, high = sorted((last.index, index))
        position = self.graph.index
        for step in range(low + 1, high + 1):
            name = self.outline[step].node
            if name is not None:
                rows[position[name]] = self._row_at(name, index)
        return tuple(rows)

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
            self.value_step[name] = len(self.outline)
            parents = graph.node(name).parents
            self.outline.append(StepOutline("value", name, (parents[0], name) if parents else None))

    def _described_step(self, index: int, kind: StepKind, node: str, edge: tuple[str, str] | None) -> Step:
        return self._tangent_step(node)

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
            return self.blank_row(name)
        return derived_row(self.valued_row(name), accumulated=self.tangents[name],
                       accumulated_closed=self.tangent_forms.get(name), fd_check=self.checks.get(name))


class ReverseStepper(Stepper):
    """Reverse mode: a forward pass that stores every value, then adjoints flow back from the output."""

    mode: Mode = "reverse"

    def __init__(self, graph: Graph, inputs: Mapping[str, Value], wrt: str | None = None) -> None:
        super().__init__(graph, inputs, wrt)
        for name in graph.operations:
            self.value_step[name] = len(self.outline)
            self.outline.append(StepOutline("value", name, None))
        out = graph.output
        rows = np.shape(self.values[out])
        # Over a batch the loss is the mean of the rows' losses (what training descends), so every
        # row's L is seeded with 1/n and a parameter's adjoint is the gradient of that mean.
        self.seed: Value = np.full(rows, 1.0 / rows[0]) if rows else np.float64(1.0)
        adjoints, edges = reverse_adjoints(graph, self.values, self.seed)
        self.adjoints = {name: scalar_or_array(value) for name, value in adjoints.items()}
        self.checks = (reverse_checks(graph, self.values, self.adjoints, self.seed)
                       if len(graph) <= FD_NODE_LIMIT else {})
        self.seed_step = len(self.outline)
        self.outline.append(StepOutline("seed", out, None))
        # Each node's contributions are kept once, in order, with the step that sends each; a row
        # at step i shows the prefix sent by then (found by bisection), never a copy per step.
        self.contributions: dict[str, list[Contribution]] = {}
        self.contribution_steps: dict[str, list[int]] = {}
        for edge in edges:
            done = self.contributions.setdefault(edge.parent, [])
            value = scalar_or_array(edge.value)
            total = value if not done else scalar_or_array(done[-1].total + value)
            done.append(Contribution(edge.child, value, total))
            self.contribution_steps.setdefault(edge.parent, []).append(len(self.outline))
            self.outline.append(StepOutline("adjoint", edge.parent, (edge.parent, edge.child)))

    def _described_step(self, index: int, kind: StepKind, node: str, edge: tuple[str, str] | None) -> Step:
        if kind == "value":
            return self._value_step(node)
        if kind == "seed":
            return self._seed_step(node)
        assert edge is not None
        count = bisect_right(self.contribution_steps[node], index)
        return self._adjoint_step(node, edge[1], Prefix(self.contributions[node], count))

    def _value_step(self, name: str) -> Step:
        row = self.valued_row(name)
        partial_text = "; ".join(f"∂{name}/∂{p} = {f} = {format_value(v)}"
                                 for (p, f), (_, v) in zip(row.partial_formulas, row.partial_values, strict=False))
        return Step("value", name, None, f"{name} = {row.definition}",
                    f"{self._value_explanation(name)}  (stored; {partial_text})")

    def _seed_step(self, out: str) -> Step:
        rows = np.shape(self.seed)
        if rows:
            return Step("seed", out, None, f"∂(mean {out})/∂{out} = 1/{rows[0]}",
                        f"∂(mean {out})/∂{out} = 1/{rows[0]} on each of the {rows[0]} rows: the batch's "
                        f"loss is the mean of its rows' losses, so the backward pass starts with seed 1/n")
        return Step("seed", out, None, f"∂{out}/∂{out} = 1",
                    f"∂{out}/∂{out} = 1: the backward pass starts from the output with seed 1")

    def _adjoint_step(self, parent: str, child: str, done: Sequence[Contribution]) -> Step:
        out = self.graph.output
        value = done[-1].value
        local = self.partials[child][parent]
        term = f"∂{out}/∂{child} · ∂{child}/∂{parent}"
        numbers = f"{_num(self.adjoints[child])} · {_num(local)} = {format_value(value)}"
        if len(done) == 1:
            formula = f"∂{out}/∂{parent} = {term}"
            return Step("adjoint", parent, (parent, child), formula, f"{formula} = {numbers}")
        formula = f"∂{out}/∂{parent} += {term}"
        running = format_sum(done, done[-1].total, lambda item: item.value)
        explanation = f"{formula} = {numbers};  ∂{out}/∂{parent} = {running}"
        return Step("adjoint", parent, (parent, child), formula, explanation)

    def _row_at(self, name: str, index: int) -> Row:
        if self.value_step[name] > index:
            return self.blank_row(name)
        row = self.valued_row(name)
        if name == self.graph.output:
            if index < self.seed_step:
                return row
            closed = "1" if np.ndim(self.seed) == 0 else f"1/{np.shape(self.seed)[0]}"
            return derived_row(row, accumulated=self.seed, accumulated_closed=closed, fd_check=self.checks.get(name))
        count = bisect_right(self.contribution_steps.get(name, ()), index)
        if not count:
            return row
        contributions = self.contributions[name]
        shown = tuple(contributions[:count])
        complete = count == len(contributions)
        closed = closed_form.chain_product(None, None, shown[-1].total)
        return derived_row(row, accumulated=shown[-1].total, contributions=shown,
                       accumulated_closed=_text(closed),
                       fd_check=self.checks.get(name) if complete else None)


def make_stepper(mode: Mode, graph: Graph, inputs: Mapping[str, Value], wrt: str | None = None) -> Stepper:
    """The stepper for `mode`; forward mode needs the input to differentiate with respect to."""
    if mode == "forward":
        if wrt is None:
            raise GraphError("forward mode needs an input to differentiate with respect to (--wrt)")
        return ForwardStepper(graph, inputs, wrt)
    if mode == "reverse":
        if wrt is not None and wrt not in graph.inputs:
            raise GraphError(f"cannot differentiate with respect to {wrt!r}: inputs are {', '.join(graph.inputs)}")
        return ReverseStepper(graph, inputs, wrt)
    raise GraphError(f"unknown mode {mode!r}: use forward or reverse")
