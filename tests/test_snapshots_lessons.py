"""Snapshot tests of the classification and loss lessons (slides 4-17) at 120×40 and 80×24.

Regenerate with `pytest tests/test_snapshots_lessons.py --snapshot-update` after looking at the change.
The lessons are pushed onto the provisional app with a fresh session, so they start from slides
15-16's bad computer (β0 = −15.15, β1 = 0.0867); every key press below says what it does.
"""

from __future__ import annotations

import pytest

from backprop_tui.core.lessons.classification import HandParams
from backprop_tui.core.lessons.session import Session
from backprop_tui.tui.app import BackpropApp
from backprop_tui.tui.screens.classification import ClassificationScreen
from backprop_tui.tui.screens.loss import LossScreen

FIT_ROUNDED = HandParams(6.3, -0.043)
"""Near the maximum-likelihood fit, as a student reaches it by hand."""


def app_at(params: HandParams | None = None) -> BackpropApp:
    app = BackpropApp()
    app.session = Session()  # type: ignore[attr-defined]
    if params is not None:
        app.session.hand = params  # type: ignore[attr-defined]
    return app


@pytest.fixture
def opening(settle):
    """A factory of `run_before`s: `opening(screen_class, *keys)` pushes the lesson's screen, lets it settle,
    presses `keys` and clears the toasts."""

    def make(screen_class, *keys: str):
        async def run_before(pilot) -> None:
            await pilot.app.push_screen(screen_class())
            await settle(pilot)
            for key in keys:
                await pilot.press(key)
            pilot.app.clear_notifications()
            await pilot.pause()

        return run_before

    return make


class TestClassification:
    def test_the_bad_computer_rises_where_the_data_falls(self, snap_compare, opening, size):
        assert snap_compare(app_at(), run_before=opening(ClassificationScreen), terminal_size=size)

    def test_near_the_fit_the_curve_falls_through_145(self, snap_compare, opening, size):
        assert snap_compare(app_at(FIT_ROUNDED), run_before=opening(ClassificationScreen), terminal_size=size)

    def test_random_weights_seed_3_after_three_draws(self, snap_compare, opening, size):
        keys = ["r", "r", "r"]  # three random draws: seeds 1, 2, 3
        assert snap_compare(app_at(), run_before=opening(ClassificationScreen, *keys), terminal_size=size)


class TestLoss:
    def test_the_bad_computers_worst_patients_first(self, snap_compare, opening, size):
        keys = ["s"]  # sort by loss, worst first
        assert snap_compare(app_at(), run_before=opening(LossScreen, *keys), terminal_size=size)


class TestSmallTerminal:
    def test_classification_80_by_24_near_the_fit(self, snap_compare, opening, small):
        assert snap_compare(app_at(FIT_ROUNDED), run_before=opening(ClassificationScreen), terminal_size=small)

    def test_loss_80_by_24_worst_first(self, snap_compare, opening, small):
        keys = ["s"]  # worst first
        assert snap_compare(app_at(), run_before=opening(LossScreen, *keys), terminal_size=small)
