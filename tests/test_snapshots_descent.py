"""Snapshot tests of the descent screen at fixed sizes on fixed runs (full batch, seed 0).

Regenerate with `pytest tests/test_snapshots_descent.py --snapshot-update` after looking at the
change; every key press below says what it does. Each test waits for the landscape (computed in a
worker) and, after each key, for the worker that key started, and clears the notifications, so nothing
in a snapshot depends on timing. The app opens on the descent lesson (the minima lesson for minima),
as `backprop-tui descent --tui` does.
"""

from __future__ import annotations

import pytest


class TestStart:
    def test_heart_ready_to_descend(self, snap_compare, pressing, descent_app, size):
        assert snap_compare(descent_app(), run_before=pressing(), terminal_size=size)


class TestIterations:
    def test_after_ten_full_batch_iterations(self, snap_compare, pressing, descent_app, size):
        keys = ["space"] * 10  # ten iterations: the loss falls, the fit tilts, the path heads for ✕
        assert snap_compare(descent_app(), run_before=pressing(*keys), terminal_size=size)

    @pytest.mark.slow  # 2.5 s or more here: out of the quick loop
    def test_mini_batch_lights_the_batch_and_scatters_the_batch_loss(self, snap_compare, pressing, descent_app, size):
        keys = [
            "b",  # mini-batch 32
            *["space"] * 25,  # two and a half epochs: batch losses scatter around the full loss
        ]
        assert snap_compare(descent_app(), run_before=pressing(*keys), terminal_size=size)


class TestDivergence:
    @pytest.mark.slow  # 2.5 s or more here: out of the quick loop
    def test_a_large_learning_rate_oscillates_and_keeps_its_plots(self, snap_compare, pressing, descent_app, size):
        keys = ["space"] * 8  # η = 50: the loss overshoots and swings (3.41 at iteration 5), every point drawn
        assert snap_compare(descent_app(lr=50.0), run_before=pressing(*keys), terminal_size=size)


class TestMinima:
    @pytest.mark.slow  # 2.5 s or more here: out of the quick loop
    def test_a_start_left_of_the_ridge_ends_in_the_global_minimum(self, snap_compare, pressing, descent_app, size):
        keys = [
            *["comma"] * 6,  # move the start from 0.9 to 0.6: plain GD now ends at the global minimum
            *["space"] * 8,  # eight iterations down the slope
        ]
        assert snap_compare(descent_app(example="minima"), run_before=pressing(*keys), terminal_size=size)


class TestStrategies:
    """Issue 20: slide 38's several starts (a) and slide 34's momentum (m), at both sizes."""

    @pytest.mark.parametrize("terminal", [(120, 40), (80, 24)])
    def test_several_random_starts_and_where_each_ends(self, snap_compare, pressing, descent_app, terminal):
        keys = ["a"]  # eight random starts (draw 1): ○ on f where each began, ◆ where it ended
        assert snap_compare(descent_app(example="minima"), run_before=pressing(*keys), terminal_size=terminal)

    @pytest.mark.parametrize("terminal", [(120, 40), (80, 24)])
    def test_momentum_0_9_after_ten_iterations(self, snap_compare, pressing, descent_app, terminal):
        keys = [
            "m", "m",  # μ = 0.5, then 0.9: shown in the header and beside η
            *["space"] * 10,  # ten steps v ← 0.9v − η·g: the path overshoots and curls back
        ]
        assert snap_compare(descent_app(), run_before=pressing(*keys), terminal_size=terminal)


class TestSmallTerminal:
    @pytest.mark.slow  # 2.5 s or more here: out of the quick loop
    def test_80_by_24_after_ten_mini_batch_iterations(self, snap_compare, pressing, descent_app, small):
        keys = [
            "b",  # mini-batch 32
            *["space"] * 10,  # one epoch
        ]
        assert snap_compare(descent_app(), run_before=pressing(*keys), terminal_size=small)


class TestHelp:
    def test_help_screen(self, snap_compare, pressing, descent_app, size):
        assert snap_compare(descent_app(), run_before=pressing("question_mark"), terminal_size=size)
