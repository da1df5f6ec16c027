"""Snapshot of every lesson's first screen (and of the stepper the app opens on) at 120×40 and 80×24.

The lessons come from the catalog, so a new lesson gets its snapshots on the first `--snapshot-update`.
Regenerate with `pytest tests/test_snapshots_first_screens.py --snapshot-update` after looking at the change.
"""

from __future__ import annotations

import pytest

from backprop_tui.core.lessons.catalog import LESSON_IDS
from backprop_tui.tui.app import BackpropApp

SIZES = {"120x40": (120, 40), "80x24": (80, 24)}


@pytest.fixture(autouse=True)
def fresh_state(tmp_path, monkeypatch):
    """No progress of the machine's own: the practice list opens as it does the first time."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lesson", ["stepper", *LESSON_IDS])
def test_first_screen(snap_compare, pressing, lesson, size):
    app = BackpropApp(lesson=None if lesson == "stepper" else lesson)
    assert snap_compare(app, run_before=pressing(), terminal_size=SIZES[size])
