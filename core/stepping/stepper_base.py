"""What both steppers share: the values, local partials and closed forms computed once, the rows built
when first needed, and snapshots served from a small cache (see steppers.py for the two modes).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache

import numpy as np

from ..engine.graph import Graph
from ..engine.numbers import Value, format_value, is_finite, scalar_or_array
from . import monomial as mono
from .evaluation import evaluation
from .identity_notes import identity_notes, merged
from .snapshot import Mode, Row, Snapshot, Step, StepKind
from .step_store import StepOutline, Steps, derived_row

SNAPSHOT_CACHE_ROWS = 2_000_000
"""Rows kept by a stepper's cache of recent snapshots (512 snapshots of a small graph, a few of a big one)."""
INCREMENTAL_SPAN = 256
"""A snapshot at most this many steps from the last one built is that one with the changed rows replaced."""


_NO_ROW = Row(name="", op=None, definition="", expanded="", partial_formulas=())
"""Every field's default, copied into each blank row (`derived_row`): a third of the frozen dataclass's
`__init__`, paid once per node of a ten-thousand-node graph."""


def num(value: Value) -> str:
    return f"({format_value(value)})"


class Stepper:
    """Common machinery: values, local partials, static rows and the list of steps."""

    mode: Mode
    shown: Callable[[Value], Value]
    """A value as the table shows it (`evaluation.shown_value`: with vector inputs a 1-D array is a vector)."""

    def __init__(self, graph: Graph, inputs: Mapping[str, Value], wrt: str | None = None,
                 notes: Mapping[str, str] | None = None) -> None:
        self.graph = graph
        computed = evaluation(graph, inputs)
        self.vectors = computed.vectors
        self.shown = computed.shown
        self.inputs, self.values, self.partials = computed.inputs, computed.values, computed.partials
        self.notes = merged(notes or {}, identity_notes(graph, self.values, self.mode))
        self.wrt = wrt
        self.value_forms, self.partial_forms = computed.value_forms, computed.partial_forms
        self.value_monomials, self.partial_monomials = computed.value_monomials, computed.partial_monomials
        self._blank: dict[str, Row] = computed.blank_rows
        self._valued: dict[str, Row] = computed.valued_rows
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
        if self.mode != "forward":
            return 1
        if self.vectors:  # one sweep per component of a vector input
            return sum(max(1, int(np.size(self.values[name]))) for name in self.graph.inputs)
        return len(self.graph.inputs)

    @property
    def wrt_components(self) -> int:
        """How many numbers the input differentiated against holds (5 for slide 14's W, else 1): forward
        mode carries that many sweeps side by side."""
        if self.wrt is None or not self.vectors:
            return 1
        return max(1, int(np.size(self.values[self.wrt])))

    def blank_row(self, name: str) -> Row:
        """The row before its node is computed (built once, then shared by every snapshot and every stepper of
        the same graph and inputs)."""
        row = self._blank.get(name)
        if row is None:
            row = self._blank[name] = self._blank_row(name)
        return row

    def valued_row(self, name: str) -> Row:
        """The row once its node's value and local partials are known (built once, then shared like `blank_row`)."""
        row = self._valued.get(name)
        if row is None:
            row = self._valued[name] = self._valued_row(name)
        return row

    def _blank_row(self, name: str) -> Row:
        graph = self.graph
        op = graph.node(name).op
        formulas = graph.local_partial_formulas(name) if op is not None else {}
        # A Formula's str() is its text: read directly (three calls fewer a row).
        return derived_row(_NO_ROW, name=name, op=op, definition=graph.definitions[name].text,
                           expanded=graph.expanded[name].text,
                           partial_formulas=tuple([(parent, text.text) for parent, text in formulas.items()]))

    def _valued_row(self, name: str) -> Row:
        partials = self.partials.get(name, {})
        forms = {parent: mono.text(monomial) for parent, monomial in self.partial_monomials.get(name, {}).items()}
        value_form = self.value_forms.get(name)
        return derived_row(
            self.blank_row(name), value=self.values[name], value_closed=None if value_form is None else str(value_form),
            partial_values=tuple([(parent, scalar_or_array(value)) for parent, value in partials.items()]),
            partial_closed=tuple([(parent, forms.get(parent)) for parent in partials]))

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



def with_closed(closed: str | None, value: Value) -> str:
    """`3e^-9/(1+e^-9)² = 0.000370138049`, or the number alone when there is no closed form."""
    number = format_value(value)
    return f"{closed} = {number}" if closed and closed != number else number
