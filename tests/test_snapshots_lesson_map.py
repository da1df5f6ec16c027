"""Snapshot tests of the lesson map (`l`) at 120×40 and 80×24.

Regenerate with `pytest tests/test_snapshots_lesson_map.py --snapshot-update` after looking at the change.
"""

from __future__ import annotations

from backprop_tui.tui.app import BackpropApp

SIZE = (120, 40)
SMALL = (80, 24)


async def visit_minima_then_open_the_map(pilot) -> None:
    await pilot.pause()
    pilot.app.open_lesson("minima")  # one lesson visited: its ✓ and "you are here" show on the map
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.press("l")
    await pilot.pause()
    pilot.app.clear_notifications()
    await pilot.pause()


class TestLessonMap:
    def test_the_map_over_the_stepper(self, snap_compare):
        assert snap_compare(BackpropApp(), press=["l"], terminal_size=SIZE)

    def test_a_visited_lesson_is_marked_and_highlighted(self, snap_compare):
        assert snap_compare(BackpropApp(), run_before=visit_minima_then_open_the_map, terminal_size=SIZE)

    def test_80_by_24(self, snap_compare):
        assert snap_compare(BackpropApp(), press=["l", "down", "down"], terminal_size=SMALL)
