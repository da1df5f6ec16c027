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
from dataclasses import replace

import numpy as np

from ..engine.autodiff import forward_tangents, reverse_adjoints
from ..engine.finite_differences import FD_NODE_LIMIT, forward_checks, reverse_checks
from ..engine.graph import Graph, GraphError
from ..engine.numbers import Value, format_sum, format_value
from . import carried_forms
from . import monomial as mono
from .monomial import Monomial
from .snapshot import Contribution, FiniteDifference, Mode, Row, Step, StepKind, unknown_mode
from .step_store import Prefix, StepOutline, derived_row
from .stepper_base import Stepper, num, with_closed

__all__ = ["ForwardStepper", "ReverseStepper", "Stepper", "make_stepper"]


class ForwardStepper(Stepper):
    """Forward mode: each step computes one node's value and its tangent dξ/d(wrt) together."""

    mode: Mode = "forward"

    def __init__(self, graph: Graph, inputs: Mapping[str, Value], wrt: str,
                 notes: Mapping[str, str] | None = None) -> None:
        super().__init__(graph, inputs, wrt, notes)
        tangents = forward_tangents(graph, self.values, wrt, self.vectors)
        self.tangents = {name: self.shown(t) for name, t in tangents.items()}
        self.checks = shown_checks(self, forward_checks(graph, self.values, wrt, self.tangents))
        self.tangent_forms = carried_forms.tangent_forms(graph, self.tangents, self.partial_monomials)
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
        return self.graph.downstream_of({self.wrt})

    def _terms(self, name: str) -> tuple[Contribution, ...]:
        """One chain-rule term per parent on a path from wrt, ∂ξ/∂p · dp/d(wrt), with the running sum:
        `dL/dW = dLᴬ/dW + dLᴮ/dW` is shown as that sum even where one term happens to be 0."""
        terms: list[Contribution] = []
        for parent in self.graph.node(name).parents:
            if parent not in self.depends:
                continue
            value = self.shown(chain_term(self.partials[name][parent], self.tangents[parent]))
            total = value if not terms else self.shown(terms[-1].total + value)
            terms.append(Contribution(parent, value, total))
        return tuple(terms)

    def _tangent_step(self, name: str) -> Step:
        parents = self.graph.node(name).parents
        wrt = self.wrt
        symbolic = " + ".join(f"∂{name}/∂{p} · d{p}/d{wrt}" for p in parents)
        numbers = " + ".join(f"{num(self.partials[name][p])} · {num(self.tangents[p])}" for p in parents)
        formula = f"d{name}/d{wrt} = {symbolic}"
        result = with_closed(self.tangent_forms.get(name), self.tangents[name])
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
        self.adjoints = {name: self.shown(value) for name, value in adjoints.items()}
        self.adjoints.update({name: self.shown(0.0 * np.asarray(self.values[name]))
                              for name in self.constants if name not in adjoints})
        self.checks = shown_checks(self, reverse_checks(graph, self.values, self.adjoints, self.seed)
                                   if len(graph) <= FD_NODE_LIMIT else {})
        self.seed_step = len(self.outline)
        self.outline.append(StepOutline("seed", out, None))
        # Each node's contributions are kept once, in order, with the step that sends each; a row
        # at step i shows the prefix sent by then (found by bisection), never a copy per step.
        forms = carried_forms.AdjointForms(out, self.partial_monomials)
        self.contributions: dict[str, list[Contribution]] = {}
        self.contribution_steps: dict[str, list[int]] = {}
        self.running_forms: dict[str, list[Monomial | None]] = {}
        """The closed form of each node's running sum after each contribution (see `running_form`)."""
        shown, add_form, outline = self.shown, forms.add, self.outline
        done: list[Contribution] = []
        running: list[Monomial | None] = []
        steps: list[int] = []
        current = None
        for edge in edges:  # grouped by parent: a node's contributions come one after another
            parent, child = edge.parent, edge.child
            if parent != current:
                current = parent
                done = self.contributions.setdefault(parent, [])
                running = self.running_forms.setdefault(parent, [])
                steps = self.contribution_steps.setdefault(parent, [])
            value = shown(edge.value)
            total = value if not done else shown(done[-1].total + value)
            done.append(Contribution(child, value, total))
            running.append(add_form(parent, child, total))
            steps.append(len(outline))
            outline.append(StepOutline("adjoint", parent, (parent, child)))

    def running_form(self, name: str, count: int) -> str | None:
        """The text of `name`'s running sum after its first `count` contributions (None past a readable length)."""
        return mono.text(self.running_forms[name][count - 1])

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
        closed = self.running_form(parent, len(done))
        note = self._note(parent) if len(done) == len(self.contributions[parent]) else ""
        if len(done) == 1:
            formula = f"d{out}/d{parent} = {term}"
            numbers = f"{num(self.adjoints[child])} · {num(local)} = {with_closed(closed, value)}"
            return Step("adjoint", parent, (parent, child), formula, f"{formula} = {numbers}{note}")
        formula = f"d{out}/d{parent} += {term}"
        numbers = f"{num(self.adjoints[child])} · {num(local)} = {format_value(value)}"
        total = done[-1].total
        running = format_sum(done, total, lambda item: item.value)
        running = running[:len(running) - len(format_value(total))] + with_closed(closed, total)
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
                           accumulated_closed=self.running_form(name, count),
                           fd_check=self.checks.get(name) if complete else None,
                           note=self.notes.get(name) if complete else None)


def chain_term(partial: Value, tangent: Value) -> Value:
    """∂ξ/∂p · dp/d(wrt): a product, or for a vector parent (∂h/∂W = X beside dW/dW = I) the sum over its
    components, Σⱼ Xⱼ · dWⱼ/d(wrt), as the dot product's forward rule computes it."""
    with np.errstate(all="ignore"):  # 0 · inf is NaN in the table, never a warning on stderr
        if np.ndim(partial) == 1 and np.ndim(tangent) == 2:
            return np.asarray(partial) @ np.asarray(tangent)
        return partial * tangent


def shown_checks(stepper: Stepper, checks: dict[str, FiniteDifference]) -> dict[str, FiniteDifference]:
    """The finite differences with vector estimates marked as vectors (shown like the derivative they check)."""
    if not stepper.vectors:
        return checks
    return {name: replace(check, value=stepper.shown(check.value)) for name, check in checks.items()}


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
        if wrt is not None:
            graph.check_input(wrt)
        with np.errstate(all="ignore"):
            return ReverseStepper(graph, inputs, wrt, notes)
    raise GraphError(unknown_mode(mode))
