"""Monkeys press 2,000 random keys (seeded) across every screen, with resizes in between.

The keys are pressed by four monkeys of 500 keys each, each in its own app with its own seed, so the
test runner's workers share them (one 2,000-key session alone took longer than the rest of the suite).

Nothing may raise, and after every key what the screen displays is the core's state: the stepper's
widgets all show the snapshot of the step the screen is on, and the descent screen's header shows
the run's current iteration (once the worker the key started has reported: every descent change runs in
a worker; while a run is running, the run is ahead, so the header must show the view it was last handed).
"""

from __future__ import annotations

import random

import pytest
from textual.screen import Screen
from textual.widgets import Label

from backprop_tui.core.stepping.problem import build_problem
from backprop_tui.tui.app import BackpropApp
from backprop_tui.tui.screens.stepper import StepperScreen
from backprop_tui.tui.widgets import GraphCanvas, StepExplanation, StepperHeader, TraceTable

KEYS = 2_000
MONKEYS = 4
"""`KEYS` are shared by this many independent sessions (seeds SEED, SEED + 1, …)."""
SEED = 20261128
SIZES = [(120, 40), (80, 24), (100, 30), (60, 20), (160, 50)]
NEVER = {"q", "ctrl+c", "ctrl+q"}
EXTRA_KEYS = ["escape", "enter", "tab", "space", "backspace", "a", "1", "-", "down", "up"]


def screen_keys(screen: Screen) -> list[str]:
    """Every key the active screen (and the app) binds, minus quitting, plus a few typed keys."""
    keys = []
    for holder in (screen, screen.app):
        for binding in getattr(holder, "BINDINGS", []):
            key = binding[0] if isinstance(binding, tuple) else binding.key
            keys.extend(part.strip() for part in key.split(","))
    return [key for key in keys + EXTRA_KEYS if key not in NEVER]


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


async def test_ctrl_c_quits_from_any_screen():
    app = BackpropApp(build_problem("lecture"))
    async with app.run_test(size=SIZES[0]) as pilot:
        await pilot.press("question_mark")
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert not app.is_running
