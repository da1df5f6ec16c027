"""`q` and then more keys typed in one breath: the keys that arrive once the app is quitting are dropped.

`q` then `e` opened the edit form while the app shut down; its fields were never composed, and the way out ended
in a traceback and exit code 1 (the same for `x`, `l`, `f`: every key that opens a dialog). The random-key
monkeys never press `q`, so this is tried here on every lesson with every key its first screen binds."""

from __future__ import annotations

import pytest
from support.keys import screen_keys
from textual import events

from backprop_tui.tui.app import BackpropApp
from backprop_tui.tui.lesson_screens import BUILDERS


@pytest.fixture(autouse=True)
def fresh_state(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))


@pytest.mark.parametrize("lesson", ["stepper", *BUILDERS])
async def test_keys_after_q_do_not_turn_quitting_into_a_crash(lesson, settle):
    app = BackpropApp(lesson=None if lesson == "stepper" else lesson)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        keys = screen_keys(app.screen)
        for key in ["q", *keys, "mouse"]:
            if key == "mouse":
                app.post_message(events.MouseDown(None, 10, 5, 0, 0, 1, False, False, False))
            else:
                app.post_message(events.Key(key, key if len(key) == 1 else None))
        await pilot.pause()
    assert app.return_code == 0 and app._exception is None
