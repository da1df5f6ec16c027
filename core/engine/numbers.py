"""Number formatting shared by every view, so the CLI, the TUI and the exports agree digit for digit."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import TypeVar

import numpy as np

Value = float | np.ndarray
"""A node's value: a scalar, or an array over a batch of samples (one entry per row of the data)."""

SIGNIFICANT_DIGITS = 9


class Vector(np.ndarray):
    """A value that is one vector (slide 14's W = [β0, …, β4], X = [1, X1, …, X4]), not a batch of samples.

    A plain 1-D array is a batch, shown as its mean; a vector is shown component by component. The
    marker is a view (no copy) and survives the arithmetic the stepper does on it (sums, products)."""


def vector(values: object) -> Vector:
    """`values` as a float64 Vector."""
    return np.array(values, dtype=float).reshape(-1).view(Vector)


def is_finite(value: Value) -> bool:
    """True when every entry is a finite number; used to flag NaN/inf in tables and JSON."""
    if isinstance(value, float):  # np.float64 too: the scalar case, without numpy's per-call overhead
        return math.isfinite(value)
    return bool(np.all(np.isfinite(value)))


def format_scalar(value: float, digits: int = SIGNIFICANT_DIGITS) -> str:
    """A scalar with `digits` significant digits; NaN and infinities spelled the way the table marks them."""
    value = float(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    if value == 0:
        return "0"
    return f"{value:.{digits}g}"


def format_value(value: Value, digits: int = SIGNIFICANT_DIGITS) -> str:
    """A value as shown to the student: scalars plainly, vectors component by component, batches as their
    mean with the batch size."""
    if isinstance(value, float):
        return format_scalar(value, digits)
    if isinstance(value, Vector) and value.ndim == 2 and value.shape[0] == value.shape[1] \
            and np.array_equal(value, np.eye(value.shape[0])):
        return f"I ({value.shape[0]}×{value.shape[0]})"  # forward mode's seed dW/dW for a vector W
    if isinstance(value, Vector) and value.ndim in (1, 2):
        return "[" + ", ".join(format_value(item.view(Vector), digits) if value.ndim == 2
                               else format_scalar(float(item), digits) for item in np.asarray(value)) + "]"
    array = np.asarray(value)
    if array.ndim == 0:
        return format_scalar(float(array), digits)
    if array.size == 1:
        return format_scalar(float(array.reshape(-1)[0]), digits)
    return f"mean {format_scalar(batch_mean(array), digits)} (n={array.shape[0]})"


def mean(values: np.ndarray, axis: int | None = None) -> np.ndarray:
    """The mean of `values` (over `axis`, else all), finite whenever the true mean is.

    `np.mean` sums first: 303 losses of 1e307 overflow to an infinite sum, so a finite mean loss (a
    diverged descent's, predict at β1 = 1e305) read inf, with a RuntimeWarning on stderr. Where the sum
    overflows, the mean is the sum of each value divided by the count, which cannot exceed the largest
    value; an infinite or NaN value still gives an infinite or NaN mean (`[1e308, 1e308, −inf]` is −inf, not
    the NaN of inf − inf). Other means are numpy's, digit for digit (the lecture's numbers do not change)."""
    values = np.asarray(values, dtype=float)
    count = values.size if axis is None else values.shape[axis]
    with np.errstate(all="ignore"):
        average = np.add.reduce(values, axis) / max(count, 1)
        overflowed = ~np.isfinite(average)  # inf, or NaN from an inf the sum made meeting a −inf value
        if np.any(overflowed):
            average = np.where(overflowed, np.add.reduce(values / count, axis), average)
    return average


def spaced(low: float, high: float, count: int) -> np.ndarray:
    """`np.linspace(low, high, count)`, finite whenever the ends are: numpy steps by (high − low)/(count − 1),
    which is inf for a span wider than the largest double (a feature from −1.7e308 to 1.7e308), and every
    point past the first became inf or NaN. Such a span is spaced as low·(1 − t) + high·t instead; any
    other is numpy's, to the bit."""
    if math.isfinite(high - low):
        return np.linspace(low, high, count)
    shares = np.linspace(0.0, 1.0, count)
    return low * (1.0 - shares) + high * shares


def batch_mean(array: np.ndarray) -> float:
    """The mean of a batch, with a mean that is 0 within rounding shown as 0.

    A standardised column has mean 0 in exact arithmetic, but summing n floats leaves an error of up
    to about n · ε · mean|x| (ε the float64 machine epsilon), whatever the order of the additions:
    `-1.17e-16` would be that rounding, not a property of the data. So a mean within that bound is
    reported as exactly 0; any mean larger than the rounding could produce is shown as computed.
    """
    average = float(mean(array))
    scale = float(mean(np.abs(array)))
    if math.isfinite(average) and abs(average) <= array.size * np.finfo(float).eps * scale:
        return 0.0
    return average


def to_json_number(value: Value) -> float | list | None:
    """A plain JSON number (or list for a batch); NaN and infinities become null."""
    if isinstance(value, float):
        scalar = float(value)
        return scalar if math.isfinite(scalar) else None
    array = np.asarray(value, dtype=float)
    if array.ndim == 0:
        scalar = float(array)
        return scalar if math.isfinite(scalar) else None
    return [to_json_number(item) for item in array]


def scalar_or_array(value: Value) -> Value:
    """Scalars become numpy float64 (a float that gives inf/NaN for 1/0 instead of raising), arrays stay."""
    if isinstance(value, np.float64):
        return value
    if isinstance(value, Vector) and value.ndim in (1, 2):
        return value
    if type(value) is float or type(value) is int:
        return np.float64(value)
    array = np.asarray(value, dtype=float)
    if array.ndim == 0:
        return np.float64(array)
    return array


MAX_SUM_TERMS = 6
T = TypeVar("T")


def format_sum(terms: Sequence[T], total: Value, value_of: Callable[[T], Value] = lambda term: term) -> str:
    """`0.42 + 1.58 = 2`: the sum being built at a fan-out node.

    Long sums keep their ends and count the rest, so each step's text costs the same however many
    contributions came before it.
    """
    def joined(part: Sequence[T], first: bool = True) -> str:
        # `2 − 0.283662185`, not `2 + -0.283662185`: a negative term is subtracted.
        text = ""
        for position, term in enumerate(part):
            number = format_value(value_of(term))
            if position == 0 and first:
                text = number
            elif number.startswith("-"):
                text += f" − {number[1:]}"
            else:
                text += f" + {number}"
        return text

    if len(terms) <= MAX_SUM_TERMS:
        shown = joined(terms)
    else:
        shown = f"{joined(terms[:3])} + … ({len(terms) - 5} more){joined(terms[-2:], first=False)}"
    return f"{shown} = {format_value(total)}"
