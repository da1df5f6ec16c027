"""The cells of the lecture's table a student computes, read off a stepper's steps, with a hint for each.

A stepper already knows every number and every local rule (Row.partial_formulas, value_closed); this
module only decides which of them become questions, in the order the stepper reveals them, and says
in the lecture's words what each one needs. It never parses explanation strings: it reads Row/Step data.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from typing import Literal

from ..engine.numbers import format_value
from ..stepping.snapshot import Row, Snapshot
from ..stepping.steppers import ReverseStepper, Stepper

CellKind = Literal["value", "partial", "accumulated"]
CELL_KINDS: tuple[CellKind, ...] = ("value", "partial", "accumulated")


@dataclass(frozen=True)
class Cell:
    """One cell of the table: what it is called, the step that reveals it and the number it holds."""

    node: str
    kind: CellKind
    step: int
    expected: float
    label: str
    """`ξ1`, `∂ξ4/∂ξ3`, `dξ1/dW`, `dL/dξ4`: how the lecture names the cell."""
    hint: str
    """The local rule and the numbers it needs, never the answer itself."""
    answer: str
    """The rule, its closed form and its number: what a reveal shows."""
    parent: str | None = None
    """For a local partial: the parent it is taken with respect to."""
    contribution: int = 0
    """For a reverse-mode derivative: which contribution this is (1 and up: the sum at a fan-out)."""


def _number(row: Row) -> str:
    """A row's value as the lecture writes it: the closed form (`1+e^-9`) when there is one, else the number."""
    number = format_value(row.value) if row.value is not None else "?"
    if row.value_closed and row.value_closed != number:
        return f"{row.value_closed} = {number}"
    return number


def _chain(*forms: str | None) -> str:
    """`−1/ξ3² = −1/(1+e^-9)² = -0.99975`: each form once, the ones that add nothing left out."""
    kept: list[str] = []
    for form in forms:
        if form and form not in kept:
            kept.append(form)
    return " = ".join(kept)


def _givens(final: Snapshot, names: Collection[str]) -> str:
    return ", ".join(f"{name} = {_number(final.row(name))}" for name in names)


def value_cell(stepper: Stepper, name: str, step: int) -> Cell:
    row = stepper.final().row(name)
    parents = stepper.graph.node(name).parents
    hint = f"{name} = {row.definition}, and {_givens(stepper.final(), parents)}" if parents else row.definition
    return Cell(name, "value", step, float(row.value), name, hint,  # type: ignore[arg-type]
                f"{name} = {row.definition} = {_number(row)}")


def partial_cell(stepper: Stepper, name: str, parent: str, step: int) -> Cell:
    row = stepper.final().row(name)
    rule = dict(row.partial_formulas)[parent]
    value = dict(row.partial_values)[parent]
    closed = dict(row.partial_closed).get(parent)
    label = f"∂{name}/∂{parent}"
    parents = stepper.graph.node(name).parents
    hint = f"{label} = {rule}, and {_givens(stepper.final(), parents)}"
    answer = f"{label} = {_chain(rule, closed, format_value(value))}"
    return Cell(name, "partial", step, float(value), label, hint, answer, parent=parent)


def tangent_cell(stepper: Stepper, name: str, step: int) -> Cell:
    """Forward mode: dξ/dW = Σ ∂ξ/∂parent · dparent/dW, with the numbers of every term."""
    wrt = stepper.wrt
    final = stepper.final()
    parents = stepper.graph.node(name).parents
    terms = " + ".join(f"∂{name}/∂{p} · d{p}/d{wrt}" for p in parents)
    numbers = ", ".join(f"∂{name}/∂{p} = {format_value(dict(final.row(name).partial_values)[p])}, "
                        f"d{p}/d{wrt} = {format_value(final.row(p).accumulated)}" for p in parents)
    value = final.row(name).accumulated
    label = f"d{name}/d{wrt}"
    return Cell(name, "accumulated", step, float(value), label,  # type: ignore[arg-type]
                f"{label} = {terms}, with {numbers}", f"{label} = {terms} = {format_value(value)}")


def adjoint_cell(stepper: ReverseStepper, name: str, step: int, number: int) -> Cell:
    """Reverse mode: one child's contribution dL/dchild · ∂child/∂ξ; from the second on, added to the sum.

    `d` for the accumulated totals, `∂` for the one local partial, as the lecture writes them."""
    out = stepper.graph.output
    index = stepper.contribution_steps[name][number - 1]
    contribution = stepper.contributions[name][number - 1]
    child = contribution.source
    local = stepper.partials[child][name]
    label = f"d{out}/d{name}"
    term = f"d{out}/d{child} · ∂{child}/∂{name}"
    rule = dict(stepper.final().row(child).partial_formulas).get(name, "")
    numbers = (f"d{out}/d{child} = {format_value(stepper.adjoints[child])}, "
               f"∂{child}/∂{name} = {_chain(rule, format_value(local))}")
    total = contribution.total
    if number == 1:
        hint = f"{label} = {term}, with {numbers}"
        answer = f"{label} = {term} = {format_value(total)}"
    else:
        before = stepper.contributions[name][number - 2].total
        hint = (f"{label} += {term}: a fan-out, so add this term to what {name} already has ({format_value(before)}); "
                f"{numbers}")
        answer = f"{label} = {format_value(before)} + {format_value(contribution.value)} = {format_value(total)}"
        label = f"{label} (sum so far)"
    return Cell(name, "accumulated", index, float(total), label, hint, answer, contribution=number)


def table_cells(stepper: Stepper, kinds: Collection[CellKind], asked_inputs: Collection[str] = ()) -> tuple[Cell, ...]:
    """The cells of `kinds`, in the order the stepper reveals them.

    Operations' cells are all asked, every local partial too (the table lists them in order, so one left
    shown would stand in another's place); an input's derivative only when it is in `asked_inputs`
    (dL/dX is rarely the point).
    """
    graph = stepper.graph
    cells: list[Cell] = []
    wanted = set(graph.operations) | set(asked_inputs)
    for index, step in enumerate(stepper.outline):
        name = step.node
        if name is None or name not in wanted:
            continue
        if step.kind == "value":
            if "value" in kinds:
                cells.append(value_cell(stepper, name, index))
            if "partial" in kinds:
                cells.extend(partial_cell(stepper, name, parent, index) for parent in graph.node(name).parents)
            if "accumulated" in kinds and stepper.mode == "forward":
                cells.append(tangent_cell(stepper, name, index))
        elif step.kind == "adjoint" and "accumulated" in kinds and isinstance(stepper, ReverseStepper):
            number = stepper.contribution_steps[name].index(index) + 1
            cells.append(adjoint_cell(stepper, name, index, number))
    return tuple(cells)


def _hide(row: Row, cell: Cell) -> Row:
    """`row` without `cell` (and, for a value, without the partials that follow it)."""
    if cell.kind == "value":
        return replace(row, value=None, value_closed=None, partial_values=(), partial_closed=(),
                       accumulated=None, accumulated_closed=None, contributions=(), fd_check=None)
    if cell.kind == "partial":
        return replace(row, partial_values=tuple(item for item in row.partial_values if item[0] != cell.parent),
                       partial_closed=tuple(item for item in row.partial_closed if item[0] != cell.parent))
    kept = row.contributions[:cell.contribution - 1] if cell.contribution else ()
    return replace(row, accumulated=kept[-1].total if kept else None, accumulated_closed=None,
                   contributions=kept, fd_check=None)


def masked_snapshot(stepper: Stepper, cells: tuple[Cell, ...], position: int) -> Snapshot:
    """What the table shows while the student works on `cells[position]`: everything before it, nothing after.

    The step's own explanation (which holds the numbers) is replaced by its formula until the step is done.
    """
    if position >= len(cells):
        return stepper.final()
    cell = cells[position]
    snapshot = stepper.snapshot(cell.step)
    hidden = [later for later in cells[position:] if later.step == cell.step]
    rows = list(snapshot.rows)
    for later in reversed(hidden):
        index = next(i for i, row in enumerate(rows) if row.name == later.node)
        rows[index] = _hide(rows[index], later)
    step = replace(snapshot.step, explanation=snapshot.step.formula or f"{cell.label} = ?")
    return replace(snapshot, rows=tuple(rows), step=step)
