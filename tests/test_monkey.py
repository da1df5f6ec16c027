"""A monkey presses random keys (seeded) on every lesson, with resizes down to 20×5 and back, the dialogs,
the command palette (and a quick second Enter in it) and pasted text in between.

Each lesson's run is reproducible: its keys come from `random.Random(f"{SEED}-{lesson}")`, and a failure
names the lesson, the press and the last actions, so it can be replayed. The short run is in the default
set; the long one (`LONG_PRESSES` per lesson) and the keys from the stepper (`KEYS`) are in the slow set. The
stepper's keys are pressed by four monkeys, each in its own app with its own seed, so the test runner's
workers share them. The README's `pytest` runs a fifth of the full soak (80 presses per lesson, 4 × 125
keys), so the whole suite stays within minutes; CI runs the full soak once more (`BACKPROP_TUI_SOAK=1`:
400 presses per lesson, 2,000 keys), as `.ci/run` shows.

Nothing may raise, and after every key what the screen displays is the core's state: the stepper's
widgets all show the snapshot of the step the screen is on, and the descent screen's header shows
the run's current iteration (once the worker the key started has reported: every descent change runs in
a worker; while a run is running, the run is ahead, so the header must show the view it was last handed).
"""

from __future__ import annotations

import os
import random

import pytest
from support.keys import screen_keys
from textual import events
from textual.screen import Screen
from textual.widgets import Label

from backprop_tui.core.stepping.problem import build_problem
from backprop_tui.tui.app import BackpropApp
from backprop_tui.tui.lesson_screens import BUILDERS
from backprop_tui.tui.screens.stepper import StepperScreen
from backprop_tui.tui.widgets import GraphCanvas, StepExplanation, StepperHeader, TraceTable

SOAK = os.environ.get("BACKPROP_TUI_SOAK") == "1"
"""The full soak (CI's second run of the slow monkeys), or the everyday fifth of it."""
KEYS = 2_000 if SOAK else 500
MONKEYS = 4
"""`KEYS` are shared by this many independent sessions (seeds SEED, SEED + 1, …)."""
SEED = 20261128
SIZES = [(120, 40), (80, 24), (100, 30), (60, 20), (160, 50)]


async def check_display(pilot, settle) -> None:  # noqa: ANN001 (a Pilot, the settle fixture)
    screen: Screen = pilot.app.screen
    if isinstance(screen, StepperScreen) and screen.stepper is not None:
        expected = screen.stepper.snapshot(screen.index)
        for widget_type in (StepperHeader, GraphCanvas, TraceTable, StepExplanation):
            shown = screen.query_one(widget_type).snapshot
            assert shown == expected, f"{widget_type.__name__} shows step {shown.index}, core is at {expected.index}"
    elif type(screen).__name__ == "DescentScreen":
        label = screen.query_one("#descent-iteration", Label)
        if screen.running:
            assert str(label.render()).strip() == f"iter {screen.view.iteration}"
            return
        await settle(pilot)
        assert str(label.render()).strip() == f"iter {screen.run.current.iteration}"


@pytest.mark.slow
@pytest.mark.parametrize("monkey", range(MONKEYS))
async def test_two_thousand_random_keys_across_all_screens(settle, monkey):
    rng = random.Random(SEED + monkey)
    app = BackpropApp(build_problem("lecture-full"))
    async with app.run_test(size=SIZES[0]) as pilot:
        await pilot.pause()
        for press in range(KEYS // MONKEYS):
            if press % 97 == 96 or (press % 7 == 0 and type(app.screen).__name__ == "TooSmallScreen"):
                await pilot.resize_terminal(*rng.choice(SIZES))
            key = rng.choice(screen_keys(app.screen))
            await pilot.press(key)  # waits until the app has handled the key
            await check_display(pilot, settle)
        assert app.is_running


LESSON_SIZES = [(120, 40), (80, 24), (20, 5), (40, 10), (60, 20), (200, 60), (3, 1)]
"""Down to 20×5 (and a few columns) and back: a too-small terminal is covered, then uncovered."""
PASTES = ["1e400", "-9", "((((((((((", "é ξ ∂ 💥", "9" * 3000, "[bold]x[/bold]", "\x1b[31mred", "\t\n\r",
          "e^-2 + 1/(1+exp(-1))", "__import__('os')", "?", ""]
"""What a student pastes by accident or on purpose: never evaluated, never a crash."""
SHORT_PRESSES = 20
LONG_PRESSES = 400 if SOAK else 80


@pytest.fixture
def state_home(tmp_path, monkeypatch):
    """Practice progress and the place go to a folder of the test's own."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))


async def one_action(pilot, rng: random.Random) -> str:  # noqa: ANN001 (a Pilot)
    """A resize, the palette, a paste or a key, chosen by `rng`; returns what it did, for the failure message."""
    app = pilot.app
    roll = rng.random()
    if roll < 0.08:
        size = rng.choice(LESSON_SIZES)
        await pilot.resize_terminal(*size)
        return f"resize {size[0]}x{size[1]}"
    if roll < 0.12:
        await pilot.press("ctrl+p")
        follow = rng.choice([("escape",), ("enter", "enter"), ("down", "escape")])
        if follow == ("enter", "enter"):  # queued at once, as typed quickly in a terminal
            for _ in range(2):
                app.post_message(events.Key("enter", "\r"))
            await pilot.pause()
        else:
            await pilot.press(*follow)
        return f"palette {follow}"
    if roll < 0.17:
        text = rng.choice(PASTES)
        app.post_message(events.Paste(text))
        await pilot.pause()
        return f"paste {text[:20]!r}"
    key = rng.choice(screen_keys(app.screen))
    await pilot.press(key)
    return key


async def run_monkey(lesson: str, presses: int, settle) -> None:  # noqa: ANN001 (the settle fixture)
    rng = random.Random(f"{SEED}-{lesson}")
    app = BackpropApp(build_problem("lecture"), lesson=lesson)
    done: list[str] = []
    async with app.run_test(size=LESSON_SIZES[0]) as pilot:
        await settle(pilot)
        for press in range(presses):
            try:
                done.append(await one_action(pilot, rng))
                await check_display(pilot, settle)
            except Exception as error:
                raise AssertionError(f"{lesson}, press {press}, after {done[-6:]}: {error!r}") from error
            assert app.is_running, f"{lesson}: the app ended at press {press}, after {done[-6:]}"
        await pilot.resize_terminal(*LESSON_SIZES[0])
        await settle(pilot)
        assert app.is_running and app.return_code is None
        assert not isinstance(app.screen, type(None))


@pytest.mark.parametrize("lesson", list(BUILDERS))
async def test_a_short_monkey_on_every_lesson(lesson, settle, state_home):
    await run_monkey(lesson, SHORT_PRESSES, settle)


@pytest.mark.slow
@pytest.mark.parametrize("lesson", list(BUILDERS))
async def test_a_long_monkey_on_every_lesson(lesson, settle, state_home):
    await run_monkey(lesson, LONG_PRESSES, settle)


async def test_ctrl_c_quits_from_any_screen():
    app = BackpropApp(build_problem("lecture"))
    async with app.run_test(size=SIZES[0]) as pilot:
        await pilot.press("question_mark")
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert not app.is_running
