"""The record of a descent run, one row of floats per iteration, kept in fixed-size numpy blocks.

A hundred thousand iterations must fit in a few megabytes, so an iteration is not kept as an object:
it is one row of a float64 block (epoch, batch, sizes, η, μ, losses, and the parameters, gradient
and velocity before the step). Rows are turned into frozen `IterationRecord`s only when read, and
they hold every number needed to rebuild the state before that iteration exactly, which is what
undo does. Blocks are never copied to grow, so the peak memory is the data plus one block.

A history can also be bounded (`keep_recent`), so a run of any length fits a fixed memory budget:
the most recent iterations are kept exactly (undo returns to exactly the state before each of them)
and older ones are thinned to an evenly spaced sample, as the plots thin what they draw. Only the
headless CLI bounds its run's history: it prints every iteration as it is computed and reads back
only the last one. The descent screen keeps every iteration, because its plots index the columns by
iteration number and its undo may go back to the start; its runs are paced by the screen's clock
(at most ten thousand iterations a second, about a megabyte a second), not a machine's speed.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from .optimizers import momentum_step

BLOCK_ROWS = 4096
STAGED_ROWS = 256
RECENT_ROWS = 4 * BLOCK_ROWS
"""A bounded history keeps at least this many of the latest iterations exactly (sixteen thousand)."""
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
    one numpy row per iteration would cost more than a small step's arithmetic. Indices are always
    iteration numbers less one; in a bounded history (`keep_recent`) an old iteration that was
    thinned away is no longer there (`IndexError`), and `column`, `params_array` and `iterations`
    cover the kept iterations only.
    """

    def __init__(self, params: int) -> None:
        self.params = params
        self.width = len(SCALARS) + 3 * params
        self._blocks: list[np.ndarray] = []
        self._stored = 0
        self._pending: list[tuple[float, ...]] = []
        self._column = {name: index for index, name in enumerate(SCALARS)}
        self._recent: int | None = None
        self._dropped = 0
        self._sample = np.empty((0, self.width))
        self._sampled = np.empty(0, dtype=np.int64)
        self._stride = 1

    def keep_recent(self, rows: int | None = None) -> None:
        """Bound the history: keep the latest `rows` iterations (`RECENT_ROWS` by default; at least)
        exactly, and a thinned sample of at most `rows` older ones, so its memory stays fixed however
        long the run."""
        rows = RECENT_ROWS if rows is None else rows
        if rows < 1:
            raise ValueError("a bounded history keeps at least one iteration")
        self._recent = rows

    @property
    def bounded(self) -> bool:
        return self._recent is not None

    def __len__(self) -> int:
        return self._dropped + self._stored + len(self._pending)

    def __iter__(self) -> Iterator[IterationRecord]:
        return (self[int(index)] for index in self.iterations())

    def __getitem__(self, index: int) -> IterationRecord:
        length = len(self)
        if index < 0:
            index += length
        if not 0 <= index < length:
            raise IndexError("no such iteration in the history")
        row = self._row(index)
        count, first = self.params, len(SCALARS)
        epoch, batch, batch_rows, lr, momentum, loss, batch_loss, grad_norm = row[:first]
        return IterationRecord(
            index + 1, int(epoch), int(batch), int(batch_rows), lr, momentum, loss, batch_loss, grad_norm,
            tuple(row[first:first + count]), tuple(row[first + count:first + 2 * count]),
            tuple(row[first + 2 * count:]))

    def _row(self, index: int) -> list[float]:
        if index < self._dropped:
            at = int(np.searchsorted(self._sampled, index))
            if at == len(self._sampled) or self._sampled[at] != index:
                raise IndexError(f"iteration {index + 1} was thinned away (a bounded history keeps "
                                 f"the latest {self._recent} exactly)")
            return self._sample[at].tolist()
        index -= self._dropped
        if index >= self._stored:
            return list(self._pending[index - self._stored])
        return self._blocks[index // BLOCK_ROWS][index % BLOCK_ROWS].tolist()

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
        while self._recent is not None and self._stored - BLOCK_ROWS >= self._recent:
            self._retire_oldest_block()

    def _retire_oldest_block(self) -> None:
        """Move the oldest (full) block out of the exact rows: keep every `stride`-th iteration of it
        in the sample, and when the sample outgrows its budget, keep every other one and double the stride."""
        block = self._blocks.pop(0)
        numbers = np.arange(self._dropped, self._dropped + BLOCK_ROWS)
        kept = numbers % self._stride == 0
        self._sample = np.concatenate([self._sample, block[kept]])
        self._sampled = np.concatenate([self._sampled, numbers[kept]])
        self._dropped += BLOCK_ROWS
        self._stored -= BLOCK_ROWS
        while len(self._sampled) > (self._recent or 0):
            self._stride *= 2
            kept = self._sampled % self._stride == 0
            self._sample, self._sampled = self._sample[kept], self._sampled[kept]

    def pop(self) -> IterationRecord:
        """Remove and return the last iteration; a bounded history cannot go back past its exact rows."""
        if not self._stored and not self._pending and self._dropped:
            raise IndexError("the iterations before this one were thinned away: cannot undo further")
        record = self[-1]
        if self._pending:
            self._pending.pop()
            return record
        self._stored -= 1
        if self._stored <= (len(self._blocks) - 1) * BLOCK_ROWS and len(self._blocks) > 1:
            self._blocks.pop()
        return record

    def clear(self) -> None:
        """Forget every iteration (a bounded history stays bounded)."""
        self._blocks.clear()
        self._pending.clear()
        self._stored = 0
        self._dropped = 0
        self._sample = np.empty((0, self.width))
        self._sampled = np.empty(0, dtype=np.int64)
        self._stride = 1

    def value(self, index: int, name: str) -> float:
        """One number of one iteration (0-based index), without building its record."""
        relative = index - self._dropped
        if relative < 0:
            return float(self._row(index)[self._column[name]])
        if relative >= self._stored:
            return float(self._pending[relative - self._stored][self._column[name]])
        return float(self._blocks[relative // BLOCK_ROWS][relative % BLOCK_ROWS, self._column[name]])

    def iterations(self) -> np.ndarray:
        """The 0-based indices of the kept iterations, in order (all of them unless the history is bounded)."""
        self._flush()
        return np.concatenate([self._sampled, np.arange(self._dropped, self._dropped + self._stored)])

    def column(self, name: str) -> np.ndarray:
        """One number per kept iteration as an array (a copy): `loss`, `batch_loss`, `grad_norm`, `epoch`, …"""
        return self._gather(slice(self._column[name], self._column[name] + 1))[:, 0]

    def params_array(self) -> np.ndarray:
        """The parameters before each kept iteration, one row each (for paths on the landscape)."""
        first = len(SCALARS)
        return self._gather(slice(first, first + self.params))

    def grads_array(self) -> np.ndarray:
        first = len(SCALARS) + self.params
        return self._gather(slice(first, first + self.params))

    def _gather(self, columns: slice) -> np.ndarray:
        self._flush()
        full, rest = divmod(self._stored, BLOCK_ROWS)
        parts = [self._sample[:, columns]]
        parts += [block[:, columns] for block in self._blocks[:full]]
        if rest:
            parts.append(self._blocks[full][:rest, columns])
        return np.concatenate(parts)

    @property
    def nbytes(self) -> int:
        """Memory held by the stored rows' blocks and the thinned sample (the few staged rows aside)."""
        return sum(block.nbytes for block in self._blocks) + self._sample.nbytes + self._sampled.nbytes
