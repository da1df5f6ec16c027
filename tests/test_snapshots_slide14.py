"""Snapshots of slide 14 (issue 20): the neuron over four Heart columns, h = WᵀX, at 120×40 and 80×24.

Regenerate with `pytest tests/test_snapshots_slide14.py --snapshot-update` after looking at the change.
"""

from __future__ import annotations

import pytest

from backprop_tui.tui.app import BackpropApp

FOUR_COLUMNS = ["v", "down", "down", "down", "enter"]
"""The perceptron lesson's `v`, then the fourth set: MaxHR, Age, RestBP, Chol (slide 14)."""
TO_DL_DW = ["n"] * 7
"""h, p, L stored; the seed; dL/dp; dL/dh; then dL/dW = dL/dh · ∂h/∂W = dL/dh · X, one vector."""


@pytest.fixture(params=["size", "small"])
def terminal(request) -> tuple[int, int]:
    return request.getfixturevalue(request.param)


def test_dL_dW_is_one_vector(snap_compare, terminal):
    app = BackpropApp(lesson="perceptron")
    assert snap_compare(app, press=[*FOUR_COLUMNS, *TO_DL_DW], terminal_size=terminal)


def test_the_column_choice(snap_compare, terminal):
    app = BackpropApp(lesson="perceptron")
    assert snap_compare(app, press=FOUR_COLUMNS[:-1], terminal_size=terminal)
