"""The record of a descent run, one row of floats per iteration, kept in fixed-size numpy blocks.

A hundred thousand iterations must fit in a few megabytes, so an iteration is not kept as an object:
it is one row of a float64 block (epoch, batch, sizes, η, μ, losses, and the parameters, gradient
and velocity before the step). Rows are turned into frozen `IterationRecord`s only when read, and
they hold every number needed to rebuild the state before that iteration exactly, which is what
undo does. Blocks are never copied to grow, so the peak memory is the data plus one block.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from .optimizers import momentum_step

BLOCK_ROWS = 4096
STAGED_ROWS = 256
SCALARS = ("epoch", "batch", "batch_rows", "lr", "momentum", "loss", "batch_loss", "grad_norm")
"""The per-iteration numbers; every field is a float64 (counts are exact far beyond any run's length)."""


@dataclass(frozen=True)
class IterationRecord:
    """Iteration `iteration` (1-based): where it started, what the batch's gradient was, and the step.

    `params`, `velocity` and `loss` are taken before the update; `batch` is the 0-based index of
    the batch within `epoch`, and `batch_rows` its nominal size (all rows for full batch, 0 without data).
    """

    iteration: int
    epoch: int
    batch: int
    batch_rows: int
    lr: float
    momentum: float
    loss: float
    batch_loss: float
    grad_norm: float
    params: tuple[float, ...]
    grad: tuple[float, ...]
    velocity: tuple[float, ...]

    @property
    def step(self) -> tuple[float, ...]:
        """The change this iteration made to each parameter: μ·v − η·g (−η·g without momentum)."""
        return momentum_step(self.velocity, self.grad, self.lr, self.momentum)

    @property
    def params_after(self) -> tuple[float, ...]:
        return tuple(p + s for p, s in zip(self.params, self.step, strict=True))


class History:
    """Iteration records of a run, appended one at a time and removed from the end by undo.

    New rows wait in a short list and are copied into the blocks `STAGED_ROWS` at a time: writing
    one numpy row per iteration would cost more than a small step's arithmetic.
    """

    def __init__(self, params: int) -> None:
        self.params = params
        self.width = len(SCALARS) + 3 * params
        self._blocks: list[np.ndarray] = []
        self._stored = 0
        self._pending: list[tuple[float, ...]] = []
        self._column = {name: index for index, name in enumerate(SCALARS)}

    def __len__(self) -> int:
        return self._stored + len(self._pending)

    def __iter__(self) -> Iterator[IterationRecord]:
        return (self[index] for index in range(len(self)))

    def __getitem__(self, index: int) -> IterationRecord:
        length = len(self)
        if index < 0:
            index += length
        if not 0 <= index < length:
            raise IndexError("no such iteration in the history")
        if index >= self._stored:
            row = list(self._pending[index - self._stored])
        else:
            row = self._blocks[index // BLOCK_ROWS][index % BLOCK_ROWS].tolist()
        count, first = self.params, len(SCALARS)
        epoch, batch, batch_rows, lr, momentum, loss, batch_loss, grad_norm = row[:first]
        return IterationRecord(
            index + 1, int(epoch), int(batch), int(batch_rows), lr, momentum, loss, batch_loss, grad_norm,
            tuple(row[first:first + count]), tuple(row[first + count:first + 2 * count]),
            tuple(row[first + 2 * count:]))

    def append(self, epoch: int, batch: int, batch_rows: int, lr: float, momentum: float, loss: float,
               batch_loss: float, grad_norm: float, params: Sequence[float], grad: Sequence[float],
               velocity: Sequence[float]) -> None:
        self._pending.append((epoch, batch, batch_rows, lr, momentum, loss, batch_loss, grad_norm,
                              *params, *grad, *velocity))
        if len(self._pending) == STAGED_ROWS:
            self._flush()

    def _flush(self) -> None:
        rows = np.array(self._pending, dtype=float).reshape(-1, self.width)
        self._pending.clear()
        while len(rows):
            block, row = divmod(self._stored, BLOCK_ROWS)
            if block == len(self._blocks):
                self._blocks.append(np.empty((BLOCK_ROWS, self.width)))
            count = min(len(rows), BLOCK_ROWS - row)
            self._blocks[block][row:row + count] = rows[:count]
            rows = rows[count:]
            self._stored += count

    def pop(self) -> IterationRecord:
        record = self[-1]
        if self._pending:
            self._pending.pop()
            return record
        self._stored -= 1
        if self._stored <= (len(self._blocks) - 1) * BLOCK_ROWS and len(self._blocks) > 1:
            self._blocks.pop()
        return record

    def clear(self) -> None:
        self._blocks.clear()
        self._pending.clear()
        self._stored = 0

    def value(self, index: int, name: str) -> float:
        """One number of one iteration (0-based index), without building its record."""
        if index >= self._stored:
            return float(self._pending[index - self._stored][self._column[name]])
        return float(self._blocks[index // BLOCK_ROWS][index % BLOCK_ROWS, self._column[name]])

    def column(self, name: str) -> np.ndarray:
        """One number per iteration as an array (a copy): `loss`, `batch_loss`, `grad_norm`, `epoch`, …"""
        return self._gather(slice(self._column[name], self._column[name] + 1))[:, 0]

    def params_array(self) -> np.ndarray:
        """The parameters before each iteration, one row per iteration (for paths on the landscape)."""
        first = len(SCALARS)
        return self._gather(slice(first, first + self.params))

    def grads_array(self) -> np.ndarray:
        first = len(SCALARS) + self.params
        return self._gather(slice(first, first + self.params))

    def _gather(self, columns: slice) -> np.ndarray:
        self._flush()
        if not self._stored:
            return np.empty((0, columns.stop - columns.start))
        full, rest = divmod(self._stored, BLOCK_ROWS)
        parts = [block[:, columns] for block in self._blocks[:full]]
        if rest:
            parts.append(self._blocks[full][:rest, columns])
        return np.concatenate(parts)

    @property
    def nbytes(self) -> int:
        """Memory held by the stored rows' blocks (the few staged rows aside)."""
        return sum(block.nbytes for block in self._blocks)
