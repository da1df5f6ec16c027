"""Start-up pauses Python's cycle collector until the first frame, and never leaves it off.

The collector ran some 135 times (about 35 ms) before the first frame of `backprop-tui`, freeing almost
nothing; `cli.main` pauses it for start-up and the app turns it back on once that frame is drawn. A
collector left off would let every cycle the app makes later pile up for the rest of the session.
"""

from __future__ import annotations

import gc

import pytest

from backprop_tui.tui.cli.main import launch_collector_paused
from backprop_tui.tui.screens.stepper import StepperScreen

SIZE = (120, 40)


@pytest.fixture(autouse=True)
def fresh_state(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))


def test_the_collector_is_off_during_start_up_and_on_after_the_first_frame():
    seen: list[tuple[str, bool]] = []

    async def look(pilot) -> None:
        seen.append(("started", gc.isenabled()))
        await pilot.pause()
        await pilot.pause()
        seen.append(("after the first frame", gc.isenabled()))
        pilot.app.exit()

    assert gc.isenabled()
    assert launch_collector_paused([], headless=True, size=SIZE, auto_pilot=look) == 0
    assert seen == [("started", False), ("after the first frame", True)]
    assert gc.isenabled()


def test_the_collector_is_on_again_when_start_up_fails(monkeypatch):
    def broken(self) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(StepperScreen, "on_mount", broken)

    async def wait(pilot) -> None:
        await pilot.pause()

    assert launch_collector_paused([], headless=True, size=SIZE, auto_pilot=wait) != 0
    assert gc.isenabled()


def test_the_table_command_gives_the_collector_back(capsys):
    """`table` pauses the collector for its one big table; a caller in the same process gets it back on."""
    from backprop_tui.tui.cli.main import main

    assert gc.isenabled()
    assert main(["table", "--expr", "x*y", "--at", "x=1,y=2"]) == 0
    assert "ξ1" in capsys.readouterr().out
    assert gc.isenabled()
