"""Immutable snapshots of a differentiation in progress: what the lecture's table shows after each step.

A stepper computes everything once; a snapshot is a view of that computation at one step. Snapshots
are frozen dataclasses, so the same step always compares equal to itself however it was reached.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from ..engine.finite_differences import FiniteDifference
from ..engine.numbers import Value

Mode = Literal["forward", "reverse"]
MODES: tuple[Mode, ...] = ("reverse", "forward")


def unknown_mode(mode: object) -> str:
    """The one refusal of a mode that is neither forward nor reverse."""
    return f"unknown mode {mode!r}: choose forward or reverse"


StepKind = Literal["start", "value", "seed", "adjoint"]


@dataclass(frozen=True)
class Contribution:
    """One term of a sum: in reverse mode, what one child sent back to this node (`+=` at fan-out)."""

    source: str
    value: Value
    total: Value

    def __init__(self, source: str, value: Value, total: Value) -> None:
        """The fields stored straight into the instance: a frozen dataclass's own `__init__` sets each through
        `object.__setattr__`, twice as slow, and a ten-thousand-node sum makes twenty thousand of these."""
        fields = self.__dict__
        fields["source"], fields["value"], fields["total"] = source, value, total


@dataclass(frozen=True)
class Row:
    """One row of the lecture's table; fields not yet computed at this step are None or empty."""

    name: str
    op: str | None
    definition: str
    expanded: str
    partial_formulas: tuple[tuple[str, str], ...]
    value: Value | None = None
    value_closed: str | None = None
    partial_values: tuple[tuple[str, Value], ...] = ()
    partial_closed: tuple[tuple[str, str | None], ...] = ()
    accumulated: Value | None = None
    accumulated_closed: str | None = None
    contributions: tuple[Contribution, ...] = ()
    fd_check: FiniteDifference | None = None
    note: str | None = None
    """What a slide printed differently on this row and why the value shown is right (None almost always)."""

    @property
    def is_input(self) -> bool:
        return self.op is None

    @property
    def computed(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class Step:
    """What one key press does: the node it lights, the edge it follows, the chain rule it applies."""

    kind: StepKind
    node: str | None
    edge: tuple[str, str] | None
    formula: str
    explanation: str


@dataclass(frozen=True)
class Snapshot:
    """The whole state after `index` steps: the table so far and the step that produced it."""

    mode: Mode
    wrt: str | None
    output: str
    index: int
    total: int
    step: Step
    rows: tuple[Row, ...]
    next_formula: str | None

    @property
    def node(self) -> str | None:
        return self.step.node

    @property
    def is_first(self) -> bool:
        return self.index == 0

    @property
    def is_last(self) -> bool:
        return self.index == self.total - 1

    @property
    def phase(self) -> Literal["start", "forward", "backward"]:
        if self.step.kind == "start":
            return "start"
        if self.step.kind == "value":
            return "forward"
        return "backward"

    def row(self, name: str) -> Row:
        return self.rows[self._positions[name]]

    @cached_property
    def _positions(self) -> dict[str, int]:
        """Each row's position, found once per snapshot, so looking rows up costs O(1) (not a
        dataclass field: it takes no part in equality)."""
        return {row.name: position for position, row in enumerate(self.rows)}
