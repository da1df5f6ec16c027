"""Snapshots of slide 61's chain in the stepper (issue 20), at 120×40 and 80×24.

Regenerate with `pytest tests/test_snapshots_slide61.py --snapshot-update` after looking at the change.
"""

from __future__ import annotations

import pytest

from backprop_tui.core.stepping.problem import build_problem
from backprop_tui.tui.app import BackpropApp

TO_DL_DH = ["n"] * 6
"""h, p, L stored; the seed dL/dL = 1; dL/dp = dL/dL · ∂L/∂p; then dL/dh = dL/dp · ∂p/∂h."""

SATURATED = "X=0.8,β0=0,β1=50,y=0"
"""A patient at h = 40, where p = σ(h) is 1.0 in float64: dL/dh comes from the identity p − y."""


@pytest.fixture(params=["size", "small"])
def terminal(request) -> tuple[int, int]:
    return request.getfixturevalue(request.param)


def test_dL_dh_as_dL_dp_times_dp_dh(snap_compare, terminal):
    assert snap_compare(BackpropApp(build_problem("neuron")), press=TO_DL_DH, terminal_size=terminal)


def test_a_saturated_patient_says_which_identity_gave_dL_dh(snap_compare, terminal):
    app = BackpropApp(build_problem("neuron", at=SATURATED))
    assert snap_compare(app, press=TO_DL_DH, terminal_size=terminal)
