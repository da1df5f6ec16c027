"""The argparse types of the commands' number options, so every option reads a typed number the same way.

A float option is read by `typed_number` (core's one reading of a typed number: `−` for a minus, no
infinity, no 1e-400 silently become 0), a whole-number option by `int` with the same minus sign; each
refusal is one line naming the option, `argument --lr: must be a number, got 'fast'`.
"""

from __future__ import annotations

import argparse

from backprop_tui.core.engine.literals import NumberRefused, too_small, typed_number
from backprop_tui.core.engine.quoting import quoted


def finite_number(text: str) -> float:
    """A finite double (`−` accepted for a minus), else `must be a number` / `must be a finite number` /
    the smallest double it would round under."""
    try:
        return typed_number(text)
    except NumberRefused as refused:
        if refused.rule == "not a number":
            raise argparse.ArgumentTypeError(f"must be a number, got {quoted(text)}") from None
        if refused.rule == "not finite":
            raise argparse.ArgumentTypeError(f"must be a finite number, got {quoted(text)}") from None
        raise argparse.ArgumentTypeError(too_small(text)) from None


def typed_whole(text: str) -> int:
    """`text` as the integer it writes in digits (`−` accepted for a minus), else ValueError: `1e3` and `2.0`
    are refused, not rounded, as a count or a seed must be what was typed."""
    return int(text.replace("−", "-"))


def whole_number(text: str) -> int:
    """An argparse type: a whole number (`typed_whole`), else `must be a whole number`."""
    try:
        return typed_whole(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, got {quoted(text)}") from None
