"""Snapshot tests of the two-neurons lesson (slides 54-59) at fixed sizes, both parts trained.

Regenerate with `pytest tests/test_snapshots_two_neurons.py --snapshot-update` after looking at the
change; every key press below says what it does. Each test waits for the training worker and the
messages it posted before pressing anything, and clears the notifications, so nothing in a snapshot
depends on timing. The recipe is deterministic, so the runs are the same every time.
"""

from __future__ import annotations


class TestPartOne:
    def test_one_neuron_converged_is_no_better_than_the_majority_class(self, snap_compare, pressing, two_neurons_app,
                                                                       size):
        assert snap_compare(two_neurons_app(), run_before=pressing(), terminal_size=size)


class TestPartTwo:
    def test_two_hidden_neurons_keep_the_band_after_2000_iterations(self, snap_compare, pressing, two_neurons_app,
                                                                    size):
        keys = ["2"]  # part 2: the trained 1-2-1 network, at its last iteration
        assert snap_compare(two_neurons_app(), run_before=pressing(*keys), terminal_size=size)

    def test_at_the_start_h1_rises_and_h2_falls_but_p_says_disease_everywhere(self, snap_compare, pressing,
                                                                              two_neurons_app, size):
        keys = [
            "2",  # part 2
            "home",  # iteration 0: the recipe's starting weights
        ]
        assert snap_compare(two_neurons_app(), run_before=pressing(*keys), terminal_size=size)

    def test_the_row_below_the_band_lit_after_300_iterations(self, snap_compare, pressing, two_neurons_app, size):
        keys = [
            "2",  # part 2
            "home",  # the start
            *["pagedown"] * 3,  # three twentieths of the run: iteration 300
            "x",  # the stepper's row: the first row below the band
        ]
        assert snap_compare(two_neurons_app(), run_before=pressing(*keys), terminal_size=size)


class TestSmallTerminal:
    def test_80_by_24_part_two(self, snap_compare, pressing, two_neurons_app, small):
        keys = ["2"]  # part 2, compact: no loss plot, fewer digits, short titles
        assert snap_compare(two_neurons_app(), run_before=pressing(*keys), terminal_size=small)


class TestHelp:
    def test_help_screen(self, snap_compare, pressing, two_neurons_app, size):
        assert snap_compare(two_neurons_app(), run_before=pressing("question_mark"), terminal_size=size)
