"""Forward-mode and reverse-mode steppers: the lecture's table, filled one node at a time.

A stepper runs the engine once, then serves a snapshot for any step index. Building a snapshot
costs one pass over the rows, whatever the index, so stepping back and forth is cheap and lands on
exactly the same (equal) snapshot every time.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import replace
from functools import lru_cache

import numpy as np

from ..engine.autodiff import forward_tangents, reverse_adjoints
from ..engine.finite_differences import FD_NODE_LIMIT, forward_checks, reverse_checks
from ..engine.graph import Graph, GraphError
from ..engine.numbers import Value, format_sum, format_value, is_finite, scalar_or_array
from . import closed_form
from . import monomial as mono
from .snapshot import Contribution, Mode, Row, Snapshot, Step


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
        self.value_forms = closed_form.value_closed_forms(graph, self.values) if scalar else {}
        self.partial_forms = {
            name: closed_form.partial_closed_forms(graph, name, self.value_forms, self.partials[name])
            for name in graph.operations
        } if scalar else {}
        self.value_monomials = (closed_form.value_monomials(graph, self.values, self.value_forms)
                                if scalar else {})
        self.partial_monomials = {
            name: closed_form.partial_monomials(graph, name, self.value_monomials, self.partial_forms[name],
                                                self.partials[name])
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
        forms = {parent: mono.text(monomial) for parent, monomial in self.partial_monomials.get(name, {}).items()}
        return replace(
            self._blank[name], value=self.values[name], value_closed=_text(self.value_forms.get(name)),
            partial_values=tuple((parent, scalar_or_array(value)) for parent, value in partials.items()),
            partial_closed=tuple((parent, forms.get(parent)) for parent in partials))

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

    def _note(self, name: str) -> str:
        """What a slide printed differently on this row, and why the value shown is right."""
        note = self.notes.get(name)
        return f"  [{note}]" if note else ""

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

    def __init__(self, graph: Graph, inputs: Mapping[str, Value], wrt: str,
                 notes: Mapping[str, str] | None = None) -> None:
        super().__init__(graph, inputs, wrt, notes)
        self.tangents = {name: scalar_or_array(t) for name, t in forward_tangents(graph, self.values, wrt).items()}
        self.checks = forward_checks(graph, self.values, wrt, self.tangents)
        self.tangent_forms = closed_form.tangent_forms(graph, self.tangents, self.partial_monomials)
        self.depends = self._depends_on_wrt()
        self.terms = {name: self._terms(name) for name in graph.operations}
        for name in graph.operations:
            self.value_step[name] = len(self.steps)
            self.steps.append(self._tangent_step(name))

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
            return self._blank[name]
        terms = self.terms.get(name, ())
        return replace(self._valued[name], accumulated=self.tangents[name],
                       accumulated_closed=self.tangent_forms.get(name), fd_check=self.checks.get(name),
                       contributions=terms if len(terms) > 1 else (), note=self.notes.get(name))


class ReverseStepper(Stepper):
    """Reverse mode: a forward pass that stores every value, then adjoints flow back from the output."""

    mode: Mode = "reverse"

    def __init__(self, graph: Graph, inputs: Mapping[str, Value], wrt: str | None = None,
                 notes: Mapping[str, str] | None = None) -> None:
        super().__init__(graph, inputs, wrt, notes)
        for name in graph.operations:
            self.value_step[name] = len(self.steps)
            self.steps.append(Step("value", name, None, f"{name} = {self._valued[name].definition}",
                                   f"{self._value_explanation(name)}  (stored; {self._stored_partials(name)})"))
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
            self.steps.append(Step("seed", out, None, f"d(mean {out})/d{out} = 1/{rows[0]}",
                                   f"d(mean {out})/d{out} = 1/{rows[0]} on each of the {rows[0]} rows: the batch's "
                                   f"loss is the mean of its rows' losses, so the backward pass starts with seed 1/n"))
        else:
            self.steps.append(Step("seed", out, None, f"d{out}/d{out} = 1",
                                   f"d{out}/d{out} = 1: the backward pass starts from the output with seed 1"))
        forms = closed_form.AdjointForms(out, self.partial_monomials)
        self.contributions: dict[str, list[tuple[int, Contribution]]] = {}
        self.running_forms: dict[str, list[str | None]] = {}
        self._expected = Counter(edge.parent for edge in edges)
        for edge in edges:
            done = self.contributions.setdefault(edge.parent, [])
            value = scalar_or_array(edge.value)
            total = value if not done else scalar_or_array(done[-1][1].total + value)
            done.append((len(self.steps), Contribution(edge.child, value, total)))
            self.running_forms.setdefault(edge.parent, []).append(forms.add(edge.parent, edge.child, total))
            self.steps.append(self._adjoint_step(edge.parent, edge.child, value, done))

    def _stored_partials(self, name: str) -> str:
        """`∂ξ4/∂ξ3 = −1/ξ3² = −1/(1+e^-9)² = -0.999753226`, each text once (`∂ξ3/∂ξ2 = 1`)."""
        row = self._valued[name]
        closed = dict(row.partial_closed)
        parts = []
        for (parent, formula), (_, value) in zip(row.partial_formulas, row.partial_values, strict=False):
            texts = [formula]
            for text in (closed.get(parent), format_value(value)):
                if text and text not in texts:
                    texts.append(text)
            parts.append(f"∂{name}/∂{parent} = {' = '.join(texts)}")
        return "; ".join(parts)

    def _adjoint_step(self, parent: str, child: str, value: Value, done: list[tuple[int, Contribution]]) -> Step:
        """`dL/dξ3 = dL/dξ4 · ∂ξ4/∂ξ3`: `d` for the totals, `∂` for the one local partial."""
        out = self.graph.output
        local = self.partials[child][parent]
        term = f"d{out}/d{child} · ∂{child}/∂{parent}"
        closed = self.running_forms[parent][-1]
        note = self._note(parent) if len(done) == self._expected[parent] else ""
        if len(done) == 1:
            formula = f"d{out}/d{parent} = {term}"
            numbers = f"{_num(self.adjoints[child])} · {_num(local)} = {_with_closed(closed, value)}"
            return Step("adjoint", parent, (parent, child), formula, f"{formula} = {numbers}{note}")
        formula = f"d{out}/d{parent} += {term}"
        numbers = f"{_num(self.adjoints[child])} · {_num(local)} = {format_value(value)}"
        total = done[-1][1].total
        running = format_sum(done, total, lambda item: item[1].value)
        running = running[:len(running) - len(format_value(total))] + _with_closed(closed, total)
        explanation = f"{formula} = {numbers};  d{out}/d{parent} = {running}{note}"
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
        received = self.contributions.get(name, [])
        shown = tuple(contribution for step, contribution in received if step <= index)
        if not shown:
            return row
        complete = len(shown) == len(received)
        return replace(row, accumulated=shown[-1].total, contributions=shown,
                       accumulated_closed=self.running_forms[name][len(shown) - 1],
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
