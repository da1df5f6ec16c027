"""How a stepper keeps its steps and rows cheaply: outlines now, text when asked, rows shared.

A ten-thousand-node graph has twenty thousand steps; describing each one, or copying a fan-out
node's growing list of contributions into every step, made building a stepper quadratic. Here a
step is first only its outline (kind, node, edge); its text is written the first time it is shown,
and a node's running sum at a step is a view of the prefix of its contributions sent by then.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import NamedTuple, Protocol

from .snapshot import Contribution, Row, Step, StepKind


class StepOutline(NamedTuple):
    """What a step is about, without its text: enough to find a node's steps in a big graph cheaply."""

    kind: StepKind
    node: str | None
    edge: tuple[str, str] | None


class StepBuilder(Protocol):
    """What Steps needs of a stepper: how many steps there are and how to describe one."""

    outline: list[StepOutline]

    def _build_step(self, index: int) -> Step: ...


class Steps(Sequence[Step]):
    """The stepper's steps, each built (and kept) the first time it is asked for."""

    def __init__(self, stepper: StepBuilder) -> None:
        self._stepper = stepper
        self._built: dict[int, Step] = {}

    def __len__(self) -> int:
        return len(self._stepper.outline)

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        step = self._built.get(index)
        if step is None:
            step = self._built[index] = self._stepper._build_step(index)
        return step

    def __iter__(self) -> Iterator[Step]:
        return (self[index] for index in range(len(self)))


def step_of(stepper: StepBuilder, name: str, backward: bool) -> int:
    """The step that computes `name`: its value, or in the backward pass its complete adjoint (where a click
    on a node or a row jumps)."""
    kinds = ("seed", "adjoint") if backward else ("value",)
    steps = [index for index, step in enumerate(stepper.outline) if step.node == name and step.kind in kinds]
    if not steps:
        return 0
    return steps[-1] if backward else steps[0]


def derived_row(row: Row, **changes: object) -> Row:
    """`dataclasses.replace` for a Row, without its per-call field introspection: a big graph's
    snapshot builds tens of thousands of rows. Row has no __post_init__, so nothing is skipped."""
    derived = object.__new__(Row)
    fields = derived.__dict__
    fields.update(row.__dict__)
    fields.update(changes)
    return derived


class Prefix(Sequence[Contribution]):
    """The first `count` contributions of a node, without copying them (a step's running sum shows
    only its first and last few terms, so a long fan-out's steps cost the same as a short one's)."""

    def __init__(self, items: list[Contribution], count: int) -> None:
        self._items, self._count = items, count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [self._items[i] for i in range(*index.indices(self._count))]
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError(index)
        return self._items[index]
