"""Keys typed in one breath (tui/keys_in_one_breath.py): several keys sent before the app has handled the first.

`q` then `e` opened the edit form while the app shut down; its fields were never composed, and the way out ended
in a traceback and exit code 1 (the same for `x`, `l`, `f`: every key that opens a dialog). `n`, `escape`, `enter`,
`escape` on the practice list closed an exercise before it had mounted, and its `on_mount` found its widgets gone.
`l`, `enter`, `→`: a key the old screen passed up reached the app once the lesson chosen was shown but not yet
composed, and its action found none of the lesson's widgets (the soak's monkey, in `classification`).
The random-key monkeys press one key at a time and never `q`: bursts are tried here, on every lesson."""

from __future__ import annotations

import random

import pytest
from support.keys import screen_keys
from textual import events

from backprop_tui.tui.app import BackpropApp
from backprop_tui.tui.lesson_screens import BUILDERS

LESSONS = ["stepper", *BUILDERS]


@pytest.fixture(autouse=True)
def fresh_state(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))


def send(app: BackpropApp, keys: list[str]) -> None:
    """Post every key at once, as a burst from the terminal arrives."""
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))


@pytest.mark.parametrize("lesson", LESSONS)
async def test_keys_after_q_do_not_turn_quitting_into_a_crash(lesson, settle):
    app = BackpropApp(lesson=None if lesson == "stepper" else lesson)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        send(app, ["q", *screen_keys(app.screen)])
        app.post_message(events.MouseDown(None, 10, 5, 0, 0, 1, False, False, False))
        await pilot.pause()
    assert app.return_code == 0 and app._exception is None


@pytest.mark.parametrize("keys", [["n", "escape", "enter", "escape"], ["enter", "escape", "n", "escape"],
                                  ["n", "n", "escape", "escape"], ["enter", "r", "escape", "n", "escape"]])
async def test_an_exercise_closed_before_it_has_mounted_is_closed_once_it_has(keys, settle):
    app = BackpropApp(lesson="practice")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        send(app, keys)
        await settle(pilot)
        assert app._exception is None
        assert all(screen.is_mounted for screen in app.screen_stack)


@pytest.mark.parametrize("lesson", LESSONS)
async def test_bursts_of_random_keys_on_every_lesson(lesson, settle):
    """Two bursts of 2 to 12 of the screen's own keys (seeded per lesson), each settled before the next."""
    rng = random.Random(f"20261207-{lesson}")
    app = BackpropApp(lesson=None if lesson == "stepper" else lesson)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for _ in range(2):
            send(app, [rng.choice(screen_keys(app.screen)) for _ in range(rng.randint(2, 12))])
            await settle(pilot)
            assert app._exception is None


@pytest.mark.parametrize("lesson", [mode for mode in BUILDERS if mode != "stepper"])  # the app opens on the stepper
async def test_a_key_passed_up_while_a_lesson_opens_waits_for_it_to_compose(lesson, settle):
    """The app looks a key that bubbled up from the old screen up in the bindings of the screen shown now. Here each
    of the new lesson's keys arrives that way right after the switch, before the lesson has composed."""
    app = BackpropApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_lesson(lesson)
        assert not app.screen.is_mounted  # the race: shown, not yet composed
        for key in screen_keys(app.screen):
            event = events.Key(key, key if len(key) == 1 else None)
            event._set_forwarded()  # as Textual marks a key the screen and its widgets passed up
            await app.on_event(event)
            if not app.is_running:
                break
        await settle(pilot)
        assert app.is_running and app.return_code is None, f"{lesson}: {app._exception!r}"
