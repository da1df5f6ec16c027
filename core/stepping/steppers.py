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
from . import monomial as mono
from .rounding import rounding_errors
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

    def __init__(self, graph: Graph, inputs: Mapping[str, Value], wrt: str | None = None,
                 notes: Mapping[str, str] | None = None) -> None:
        self.graph = graph
        self.notes = dict(notes or {})
        self.inputs = {name: scalar_or_array(np.asarray(inputs[name], dtype=float))
                       for name in graph.inputs if name in inputs}
        self.values = {name: scalar_or_array(value) for name, value in graph.evaluate(self.inputs).items()}
        self.wrt = wrt
        self.partials = {name: graph.local_partials(name, self.values) for name in graph.operations}
        scalar = all(np.ndim(value) == 0 for value in self.values.values())
        errors = rounding_errors(graph, self.values) if scalar else {}
        self.value_forms = closed_form.value_closed_forms(graph, self.values, errors) if scalar else {}
        self.partial_forms = {
            name: closed_form.partial_closed_forms(graph, name, self.value_forms, self.partials[name], errors)
            for name in graph.operations
        } if scalar else {}
        self.value_monomials = (closed_form.value_monomials(graph, self.values, self.value_forms)
                                if scalar else {})
        self.partial_monomials = {
            name: closed_form.partial_monomials(graph, name, self.value_monomials, self.partial_forms[name],
                                                self.partials[name])
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
        forms = {parent: mono.text(monomial) for parent, monomial in self.partial_monomials.get(name, {}).items()}
        return derived_row(
            self.blank_row(name), value=self.values[name], value_closed=_text(self.value_forms.get(name)),
            partial_values=tuple((parent, scalar_or_array(value)) for parent, value in partials.items()),
            partial_closed=tuple((parent, forms.get(parent)) for parent in partials))

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

    def _note(self, name: str) -> str:
        """What a slide printed differently on this row, and why the value shown is right."""
        note = self.notes.get(name)
        return f"  [{note}]" if note else ""

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

    def __init__(self, graph: Graph, inputs: Mapping[str, Value], wrt: str,
                 notes: Mapping[str, str] | None = None) -> None:
        super().__init__(graph, inputs, wrt, notes)
        self.tangents = {name: scalar_or_array(t) for name, t in forward_tangents(graph, self.values, wrt).items()}
        self.checks = forward_checks(graph, self.values, wrt, self.tangents)
        self.tangent_forms = closed_form.tangent_forms(graph, self.tangents, self.partial_monomials)
        self.depends = self._depends_on_wrt()
        self.terms = {name: self._terms(name) for name in graph.operations}
        for name in graph.operations:
            self.value_step[name] = len(self.outline)
            parents = graph.node(name).parents
            self.outline.append(StepOutline("value", name, (parents[0], name) if parents else None))

    def _described_step(self, index: int, kind: StepKind, node: str, edge: tuple[str, str] | None) -> Step:
        return self._tangent_step(node)

    def _depends_on_wrt(self) -> set[str]:
        """The nodes on some path from the input differentiated against (their tangent is not 0 by construction)."""
        reached = {self.wrt}
        for node in self.graph.nodes:
            if any(parent in reached for parent in node.parents):
                reached.add(node.name)
        return reached

    def _terms(self, name: str) -> tuple[Contribution, ...]:
        """One chain-rule term per parent on a path from wrt, ∂ξ/∂p · dp/d(wrt), with the running sum:
        `dL/dW = dLᴬ/dW + dLᴮ/dW` is shown as that sum even where one term happens to be 0."""
        terms: list[Contribution] = []
        for parent in self.graph.node(name).parents:
            if parent not in self.depends:
                continue
            value = scalar_or_array(self.partials[name][parent] * self.tangents[parent])
            total = value if not terms else scalar_or_array(terms[-1].total + value)
            terms.append(Contribution(parent, value, total))
        return tuple(terms)

    def _tangent_step(self, name: str) -> Step:
        parents = self.graph.node(name).parents
        wrt = self.wrt
        symbolic = " + ".join(f"∂{name}/∂{p} · d{p}/d{wrt}" for p in parents)
        numbers = " + ".join(f"{_num(self.partials[name][p])} · {_num(self.tangents[p])}" for p in parents)
        formula = f"d{name}/d{wrt} = {symbolic}"
        result = _with_closed(self.tangent_forms.get(name), self.tangents[name])
        explanation = f"{self._value_explanation(name)};  {formula} = {numbers} = {result}{self._note(name)}"
        return Step("value", name, (parents[0], name) if parents else None, formula, explanation)

    def _row_at(self, name: str, index: int) -> Row:
        if self.value_step[name] > index:
            return self.blank_row(name)
        terms = self.terms.get(name, ())
        return derived_row(self.valued_row(name), accumulated=self.tangents[name],
                           accumulated_closed=self.tangent_forms.get(name), fd_check=self.checks.get(name),
                           contributions=terms if len(terms) > 1 else (), note=self.notes.get(name))


class ReverseStepper(Stepper):
    """Reverse mode: a forward pass that stores every value, then adjoints flow back from the output."""

    mode: Mode = "reverse"

    def __init__(self, graph: Graph, inputs: Mapping[str, Value], wrt: str | None = None,
                 notes: Mapping[str, str] | None = None) -> None:
        super().__init__(graph, inputs, wrt, notes)
        for name in graph.operations:
            self.value_step[name] = len(self.outline)
            self.outline.append(StepOutline("value", name, None))
        out = graph.output
        rows = np.shape(self.values[out])
        # Over a batch the loss is the mean of the rows' losses (what training descends), so every
        # row's L is seeded with 1/n and a parameter's adjoint is the gradient of that mean.
        self.seed: Value = np.full(rows, 1.0 / rows[0]) if rows else np.float64(1.0)
        adjoints, edges = reverse_adjoints(graph, self.values, self.seed)
        # A constant node (the 1/3 of x**(1/3): no input among its ancestors) has dL/dξ = 0, a number like
        # any other, shown from the seed step on; a node beside the output keeps no adjoint (the JSON says why).
        self.constants = self._constants()
        self.adjoints = {name: scalar_or_array(value) for name, value in adjoints.items()}
        self.adjoints.update({name: scalar_or_array(0.0 * np.asarray(self.values[name]))
                              for name in self.constants if name not in adjoints})
        self.checks = (reverse_checks(graph, self.values, self.adjoints, self.seed)
                       if len(graph) <= FD_NODE_LIMIT else {})
        self.seed_step = len(self.outline)
        self.outline.append(StepOutline("seed", out, None))
        # Each node's contributions are kept once, in order, with the step that sends each; a row
        # at step i shows the prefix sent by then (found by bisection), never a copy per step.
        forms = closed_form.AdjointForms(out, self.partial_monomials)
        self.contributions: dict[str, list[Contribution]] = {}
        self.contribution_steps: dict[str, list[int]] = {}
        self.running_forms: dict[str, list[str | None]] = {}
        """The closed form of each node's running sum after each contribution (None past a readable length)."""
        for edge in edges:
            done = self.contributions.setdefault(edge.parent, [])
            value = scalar_or_array(edge.value)
            total = value if not done else scalar_or_array(done[-1].total + value)
            done.append(Contribution(edge.child, value, total))
            self.running_forms.setdefault(edge.parent, []).append(forms.add(edge.parent, edge.child, total))
            self.contribution_steps.setdefault(edge.parent, []).append(len(self.outline))
            self.outline.append(StepOutline("adjoint", edge.parent, (edge.parent, edge.child)))

    def _constants(self) -> set[str]:
        """The operations no input reaches: numbers the expression computes from its constants alone."""
        reached = set(self.graph.inputs)
        for node in self.graph.nodes:
            if any(parent in reached for parent in node.parents):
                reached.add(node.name)
        return {name for name in self.graph.operations if name not in reached}

    def _described_step(self, index: int, kind: StepKind, node: str, edge: tuple[str, str] | None) -> Step:
        if kind == "value":
            return self._value_step(node)
        if kind == "seed":
            return self._seed_step(node)
        assert edge is not None
        count = bisect_right(self.contribution_steps[node], index)
        return self._adjoint_step(node, edge[1], Prefix(self.contributions[node], count))

    def _value_step(self, name: str) -> Step:
        return Step("value", name, None, f"{name} = {self.valued_row(name).definition}",
                    f"{self._value_explanation(name)}  (stored; {self._stored_partials(name)})")

    def _stored_partials(self, name: str) -> str:
        """`∂ξ4/∂ξ3 = −1/ξ3² = −1/(1+e^-9)² = -0.999753226`, each text once (`∂ξ3/∂ξ2 = 1`)."""
        row = self.valued_row(name)
        closed = dict(row.partial_closed)
        parts = []
        for (parent, formula), (_, value) in zip(row.partial_formulas, row.partial_values, strict=False):
            texts = [formula]
            for text in (closed.get(parent), format_value(value)):
                if text and text not in texts:
                    texts.append(text)
            parts.append(f"∂{name}/∂{parent} = {' = '.join(texts)}")
        return "; ".join(parts)

    def _seed_step(self, out: str) -> Step:
        rows = np.shape(self.seed)
        if rows:
            return Step("seed", out, None, f"d(mean {out})/d{out} = 1/{rows[0]}",
                        f"d(mean {out})/d{out} = 1/{rows[0]} on each of the {rows[0]} rows: the batch's "
                        f"loss is the mean of its rows' losses, so the backward pass starts with seed 1/n")
        return Step("seed", out, None, f"d{out}/d{out} = 1",
                    f"d{out}/d{out} = 1: the backward pass starts from the output with seed 1")

    def _adjoint_step(self, parent: str, child: str, done: Sequence[Contribution]) -> Step:
        """`dL/dξ3 = dL/dξ4 · ∂ξ4/∂ξ3`: `d` for the totals, `∂` for the one local partial."""
        out = self.graph.output
        value = done[-1].value
        local = self.partials[child][parent]
        term = f"d{out}/d{child} · ∂{child}/∂{parent}"
        closed = self.running_forms[parent][len(done) - 1]
        note = self._note(parent) if len(done) == len(self.contributions[parent]) else ""
        if len(done) == 1:
            formula = f"d{out}/d{parent} = {term}"
            numbers = f"{_num(self.adjoints[child])} · {_num(local)} = {_with_closed(closed, value)}"
            return Step("adjoint", parent, (parent, child), formula, f"{formula} = {numbers}{note}")
        formula = f"d{out}/d{parent} += {term}"
        numbers = f"{_num(self.adjoints[child])} · {_num(local)} = {format_value(value)}"
        total = done[-1].total
        running = format_sum(done, total, lambda item: item.value)
        running = running[:len(running) - len(format_value(total))] + _with_closed(closed, total)
        explanation = f"{formula} = {numbers};  d{out}/d{parent} = {running}{note}"
        return Step("adjoint", parent, (parent, child), formula, explanation)

    def _row_at(self, name: str, index: int) -> Row:
        if self.value_step[name] > index:
            return self.blank_row(name)
        row = self.valued_row(name)
        if name == self.graph.output:
            if index < self.seed_step:
                return row
            closed = "1" if np.ndim(self.seed) == 0 else f"1/{np.shape(self.seed)[0]}"
            return derived_row(row, accumulated=self.seed, accumulated_closed=closed, fd_check=self.checks.get(name),
                               note=self.notes.get(name))
        count = bisect_right(self.contribution_steps.get(name, ()), index)
        if not count:
            if name in self.constants and name not in self.contributions and index >= self.seed_step:
                return derived_row(row, accumulated=self.adjoints[name], accumulated_closed="0",
                                   fd_check=self.checks.get(name), note=self.notes.get(name))
            return row
        contributions = self.contributions[name]
        shown = tuple(contributions[:count])
        complete = count == len(contributions)
        return derived_row(row, accumulated=shown[-1].total, contributions=shown,
                           accumulated_closed=self.running_forms[name][count - 1],
                           fd_check=self.checks.get(name) if complete else None,
                           note=self.notes.get(name) if complete else None)


def _with_closed(closed: str | None, value: Value) -> str:
    """`3e^-9/(1+e^-9)² = 0.000370138049`, or the number alone when there is no closed form."""
    number = format_value(value)
    return f"{closed} = {number}" if closed and closed != number else number


def make_stepper(mode: Mode, graph: Graph, inputs: Mapping[str, Value], wrt: str | None = None,
                 notes: Mapping[str, str] | None = None) -> Stepper:
    """The stepper for `mode`; forward mode needs the input to differentiate with respect to.

    Built with numpy's warnings off: an overflow (1e308·10) or a 0/0 is shown in the table as inf or
    NaN with the node that produced it, never printed on stderr as a RuntimeWarning."""
    if mode == "forward":
        if wrt is None:
            raise GraphError("forward mode needs an input to differentiate with respect to (--wrt)")
        with np.errstate(all="ignore"):
            return ForwardStepper(graph, inputs, wrt, notes)
    if mode == "reverse":
        if wrt is not None and wrt not in graph.inputs:
            raise GraphError(f"cannot differentiate with respect to {wrt!r}: inputs are {', '.join(graph.inputs)}")
        with np.errstate(all="ignore"):
            return ReverseStepper(graph, inputs, wrt, notes)
    raise GraphError(f"unknown mode {mode!r}: use forward or reverse")
