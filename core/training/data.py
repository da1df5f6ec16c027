"""Loading a CSV into the arrays training needs: chosen feature columns and a binary target.

Students bring their own files, so every refusal names the column and the row (data rows count
from 1, after the header) and says what was expected, quoting at most a short prefix of the file.
A hostile path must not take the machine either: `csv_file` opens only a regular file and caps its
size and line length, and the number of rows is capped here, so a load's memory is bounded.

The csv module reads the text; whole columns are then converted by numpy at once, because per-cell
Python work would make a million-row file take far longer than the few seconds a student will wait.
The cyclic garbage collector is paused while reading: the millions of short-lived row lists create
no cycles, yet would trigger it again and again and double the load time.
"""

from __future__ import annotations

import csv
import gc
import io
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from itertools import chain
from operator import itemgetter
from typing import TextIO

import numpy as np

from ..engine.quoting import quoted, short
from .csv_file import DataError, Lines, Source, open_text
from .data_cells import classes, numbers

CHUNK_ROWS = 1 << 16
CHUNK_CHARS = 1 << 26
"""A chunk is also converted once this much text (64 Mi characters) was read for it, so a file of
long cells cannot pile up gigabytes of picked text before its first conversion."""
MAX_ROWS = 5_000_000
"""The most data rows kept: each costs a few dozen bytes once converted, so the arrays stay well
under a gigabyte even for a file of tiny rows at the size limit."""

SHOWN_COLUMNS = 12

BUNDLED: dict[str, str] = {"heart": "Heart.csv", "altered": "altered_heart_data.csv"}
"""The data sets shipped inside the package, by the short name the CLI uses."""


@dataclass(frozen=True)
class LoadProgress:
    """How far a load has come: rows read so far, and the fraction of the file when it is known."""

    rows: int
    fraction: float | None


LoadCallback = Callable[[LoadProgress], None]


@dataclass(frozen=True)
class Scaling:
    """The mean and standard deviation each feature was standardised with, to map back to raw units."""

    mean: tuple[float, ...]
    std: tuple[float, ...]


@dataclass(frozen=True, eq=False)
class Dataset:
    """Rows ready for training: `X` (n × k, standardised when `scaling` is set), `raw` in file units, `y` in {0, 1}."""

    name: str
    features: tuple[str, ...]
    target: str
    X: np.ndarray
    raw: np.ndarray
    y: np.ndarray
    dropped: int
    scaling: Scaling | None
    labels: tuple[str, str]

    def __len__(self) -> int:
        return int(self.y.shape[0])

    @property
    def positives(self) -> int:
        return int(self.y.sum())


def bundled(name: str) -> Traversable:
    """A shipped CSV, found through the installed package (works from a wheel, not only a checkout)."""
    try:
        filename = BUNDLED[name]
    except KeyError:
        raise DataError(f"unknown data set {name!r}: choose one of {', '.join(BUNDLED)}") from None
    return resources.files("backprop_tui.data") / filename


def load_csv(source: Source, features: Sequence[str], target: str, *, standardize: bool = False,
             progress: LoadCallback | None = None) -> Dataset:
    """Read `features` and the binary `target` from a CSV file; rows missing any of them are dropped."""
    features = tuple(features)
    if not features:
        raise DataError("choose at least one feature column")
    chosen = (*features, target)
    repeated = next((column for column in chosen if chosen.count(column) > 1), None)
    if repeated is not None:
        raise DataError(f"column {quoted(repeated)} is chosen twice (features and target must differ)")
    name = source.name if not isinstance(source, str) else os.path.basename(source)  # type: ignore[union-attr]
    table = _Table(name, features, target)
    collecting = gc.isenabled()
    gc.disable()
    try:
        handle, size = open_text(source, name)
        with handle:
            table.read(handle, size, progress)
    finally:
        if collecting:
            gc.enable()
    raw, y, missing = table.arrays()
    dropped = int(missing.sum())
    if dropped:
        raw, y = raw[~missing], y[~missing]
    if len(y) == 0:
        raise DataError(f"{name}: no rows left after dropping {dropped} with missing values")
    if np.all(y == y[0]):
        only = "1" if y[0] == 1.0 else "0"
        raise DataError(f"{name}: target column {quoted(target)} has one class only (every row is {only}); "
                        f"a classifier needs rows of both classes")
    zero = next((feature for feature, column in zip(features, raw.T, strict=True) if not column.any()), None)
    if zero is not None:
        raise DataError(f"{name}: column {quoted(zero)} is 0 in every row, so it tells the fit nothing")
    scaling, X = _standardised(raw, features, name) if standardize else (None, raw)
    return Dataset(name, features, target, X, raw, y, dropped, scaling, table.labels())


class _Table:
    """The chosen columns read chunk by chunk: each chunk's text is converted and freed before the next."""

    def __init__(self, name: str, features: tuple[str, ...], target: str) -> None:
        self.name, self.features, self.target = name, features, target
        self.rows = 0
        self.raw: list[np.ndarray] = []
        self.y: list[np.ndarray] = []
        self.missing: list[np.ndarray] = []
        self.meaning: dict[str, float] = {}

    def read(self, handle: TextIO, size: int | None, progress: LoadCallback | None) -> None:
        text = Lines(handle, self.name)
        reader = csv.reader(chain.from_iterable(text))
        position = _position(handle)
        try:
            header = next((row for row in reader if row), None)
            if header is None:
                raise DataError(f"{self.name} is empty")
            indices = [_column_index(header, column, self.name) for column in (*self.features, self.target)]
            pick = itemgetter(*indices) if len(indices) > 1 else (lambda row: (row[indices[0]],))
            width = len(header)
            picked: list[tuple[str, ...]] = []
            taken = text.chars
            for row in reader:
                if len(row) != width:
                    if not row:
                        continue
                    # `line_num` is exact here: the reader has just read this row, and no further.
                    raise DataError(f"{self.name}: row {self.rows + len(picked) + 1} (line {reader.line_num}) "
                                    f"has {len(row)} fields, the header has {width}")
                picked.append(pick(row))
                if len(picked) == CHUNK_ROWS or (len(picked) & 1023 == 0 and text.chars - taken > CHUNK_CHARS):
                    self._take(picked, position, size, progress)
                    picked, taken = [], text.chars
            if picked:
                self._take(picked, position, size, progress)
        except UnicodeDecodeError:
            raise DataError(f"{self.name} is not UTF-8 text") from None
        except csv.Error as error:
            raise DataError(f"{self.name}: line {reader.line_num}: {short(str(error), say_length=False)}") from None
        if not self.rows:
            raise DataError(f"{self.name} has a header but no data rows")
        if progress is not None:
            progress(LoadProgress(self.rows, 1.0))

    def _take(self, picked: list[tuple[str, ...]], position: Callable[[], int | None], size: int | None,
              progress: LoadCallback | None) -> None:
        """Convert one chunk of rows (its text is freed after), refusing a file past `MAX_ROWS`."""
        if self.rows + len(picked) > MAX_ROWS:
            raise DataError(f"{self.name} is too large: more than {MAX_ROWS:,} data rows (the limit)")
        self._convert(list(zip(*picked, strict=True)))
        if progress is not None:
            done = position()
            fraction = min(done / size, 1.0) if size and done is not None else None
            progress(LoadProgress(self.rows, fraction))

    def _convert(self, columns: list[tuple[str, ...]]) -> None:
        first = self.rows + 1
        chunk = np.empty((len(columns[0]), len(self.features)))
        missing = np.zeros(len(columns[0]), dtype=bool)
        for index, feature in enumerate(self.features):
            chunk[:, index] = numbers(columns[index], feature, self.name, first)
            missing |= np.isnan(chunk[:, index])
        y = classes(columns[-1], self.target, self.name, first, self.meaning)
        self.raw.append(chunk)
        self.y.append(y)
        self.missing.append(missing | np.isnan(y))
        self.rows += len(y)

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return np.concatenate(self.raw), np.concatenate(self.y), np.concatenate(self.missing)

    def labels(self) -> tuple[str, str]:
        """The target's texts for class 0 and class 1, as seen in the file (e.g. ('No', 'Yes'))."""
        negative = sorted({cell.strip() for cell, value in self.meaning.items() if value == 0.0})
        positive = sorted({cell.strip() for cell, value in self.meaning.items() if value == 1.0})
        return "/".join(negative) or "0", "/".join(positive) or "1"


def _position(handle: TextIO) -> Callable[[], int | None]:
    """Bytes read so far, from the binary buffer under the text file (text `tell` is off while iterating)."""
    buffer = getattr(handle, "buffer", None)

    def tell() -> int | None:
        try:
            return buffer.tell() if buffer is not None else None
        except (OSError, ValueError, io.UnsupportedOperation):
            return None

    return tell


def _column_index(header: list[str], column: str, name: str) -> int:
    stripped = [cell.strip() for cell in header]
    matches = [index for index, cell in enumerate(stripped) if cell == column.strip()]
    if len(matches) > 1:
        raise DataError(f"{name}: column {quoted(column)} appears {len(matches)} times in the header")
    if matches:
        return matches[0]
    hint = next((cell for cell in stripped if cell.lower() == column.strip().lower()), None)
    named = [short(cell, say_length=False) for cell in stripped if cell]  # the list says how many
    listed = ", ".join(named[:SHOWN_COLUMNS]) + (f", … ({len(named)} columns)" if len(named) > SHOWN_COLUMNS else "")
    suggestion = f"; did you mean {quoted(hint)}?" if hint else f"; the columns are {listed}"
    raise DataError(f"{name} has no column {quoted(column)}{suggestion}")


def _standardised(raw: np.ndarray, features: Sequence[str], name: str) -> tuple[Scaling, np.ndarray]:
    """The features as z = (x − mean)/std, and the mean and std to map back.

    Each column is first divided by a power of two near its largest magnitude: exact (the same bits as
    without it for ordinary data), and it keeps the sum and the squares finite, so a column near 1e300
    or spanning ±1.7e308 is standardised, not turned into zeros or NaN (nor called constant).
    """
    _, exponents = np.frexp(np.max(np.abs(raw), axis=0))
    scales = np.ldexp(1.0, exponents - 1)  # ≤ each column's largest magnitude: |raw / scales| < 2
    unit = raw / scales
    mean, std = unit.mean(axis=0), unit.std(axis=0)
    for feature, spread in zip(features, std, strict=True):
        if not spread > 0:
            raise DataError(f"{name}: column {quoted(feature)} has the same value in every row, so it cannot be "
                            "standardised")
    scaling = Scaling(tuple(float(m) for m in mean * scales), tuple(float(s) for s in std * scales))
    return scaling, (unit - mean) / std
