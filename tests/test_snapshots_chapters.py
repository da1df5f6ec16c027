"""Snapshot tests of the chain-rule lesson (slides 26-29) and forward against backward (70-72), 120×40 and 80×24.

Regenerate with `pytest tests/test_snapshots_chapters.py --snapshot-update` after looking at the change; every
key press below says what it does. Both lessons compute everything when they open, so nothing depends on timing.
"""

from __future__ import annotations

from backprop_tui.tui.app import BackpropApp


def lesson_app(lesson: str) -> BackpropApp:
    return BackpropApp(lesson=lesson)  # type: ignore[arg-type]


class TestChainRule:
    def test_slide_27_the_closed_form_and_the_engine_s_check(self, snap_compare, pressing, size):
        keys = ["]", "end"]  # page 2 (slide 27), every line
        assert snap_compare(lesson_app("chain-rule"), run_before=pressing(*keys), terminal_size=size)

    def test_slide_29_the_vector_form_with_both_sums(self, snap_compare, pressing, size):
        keys = [*["]"] * 5, "end"]  # page 6 (slide 29's vector form), every step
        assert snap_compare(lesson_app("chain-rule"), run_before=pressing(*keys), terminal_size=size)

    def test_80_by_24_the_chain_at_dz_dy(self, snap_compare, pressing, small):
        keys = [*["]"] * 3, *["n"] * 4]  # page 4 (y = x², z = sin y), the backward pass at dz/dy
        assert snap_compare(lesson_app("chain-rule"), run_before=pressing(*keys), terminal_size=small)


class TestForwardBackward:
    def test_the_lecture_graph_mid_way_tangents_done_adjoints_coming_up(self, snap_compare, pressing, size):
        keys = ["n"] * 11  # forward mode has finished; the backward pass is at ξ2
        assert snap_compare(lesson_app("forward-backward"), run_before=pressing(*keys), terminal_size=size)

    def test_the_1_2_1_network_both_passes_done(self, snap_compare, pressing, size):
        keys = ["g", "end"]  # the 1-2-1 network; both passes to the end: every weight in both columns
        assert snap_compare(lesson_app("forward-backward"), run_before=pressing(*keys), terminal_size=size)

    def test_80_by_24_the_lecture_graph_mid_way(self, snap_compare, pressing, small):
        keys = ["n"] * 12  # the backward pass at ξ1
        assert snap_compare(lesson_app("forward-backward"), run_before=pressing(*keys), terminal_size=small)
