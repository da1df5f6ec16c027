"""The edit form on a graph of thousands of nodes: a keystroke never waits for the graph to be built.

Building a 9,000-term sum takes about half a second; the form checked every keystroke on the UI thread, so each
key typed in any field of such a graph froze the app that long. A long expression is now checked in a thread
once typing pauses, a short one still on every keystroke, and Apply checks what is typed, as always."""

from __future__ import annotations

import threading

from backprop_tui.core.stepping.problem import build_problem
from backprop_tui.tui.app import BackpropApp
from backprop_tui.tui.dialogs import edit

TERMS = 3_000


async def wait_for_message(pilot, text: str) -> str:  # noqa: ANN001 (a Pilot)
    """The form's message once it starts with `text` (the thread's check has landed), or as it is after 10 s."""
    screen = pilot.app.screen
    for _ in range(400):
        shown = str(screen.query_one(f"#{edit.EditScreen.MESSAGE_ID}").render())
        if shown.startswith(text):
            return shown
        await pilot.pause(0.025)
    return shown


async def test_a_long_expression_is_checked_off_the_ui_thread_and_applied(monkeypatch, settle):
    threads: list[str] = []

    def counted(*arguments, **options):
        threads.append(threading.current_thread().name)
        return build_problem(*arguments, **options)

    expression = "+".join(["X"] * TERMS)
    nodes = len(build_problem(None, expression + "+Y", "X=1,Y=2").graph)
    app = BackpropApp(build_problem(None, expression, "X=1"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        monkeypatch.setattr(edit, "build_problem", counted)
        await pilot.press("end", "+", "Y", "tab", "end", ",", "Y", "=", "2")  # a term, then its value
        assert not any(name == threading.main_thread().name for name in threads), threads
        assert (await wait_for_message(pilot, "✓")).startswith(f"✓ {nodes} nodes · inputs X, Y")
        await pilot.press("enter")
        await settle(pilot)
        assert threads[-1] == threading.main_thread().name  # Apply checks what is typed, on the spot
        assert app.screen.problem.inputs == {"X": 1.0, "Y": 2.0} and len(app.screen.problem.graph) == nodes


async def test_a_short_expression_is_still_checked_on_every_keystroke(settle):
    app = BackpropApp(build_problem("lecture"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("e", "x", "*")
        shown = str(app.screen.query_one(f"#{edit.EditScreen.MESSAGE_ID}").render())
        assert shown.startswith("✗ cannot parse the expression")


async def test_a_form_closed_while_its_check_waits_is_closed_for_good(settle):
    """Cancel right after a keystroke on a long expression: the pending check, when its pause ends or its thread
    returns, finds the form gone and does nothing (no error, the old graph kept)."""
    app = BackpropApp(build_problem(None, "+".join(["X"] * TERMS), "X=1"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        before = app.screen.problem
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("end", "+", "Y", "escape")
        await pilot.pause(edit.PAUSE_SECONDS * 2)  # past the pause, so the check would have started
        await settle(pilot)
        assert app.is_running and app._exception is None
        assert app.screen.problem is before
