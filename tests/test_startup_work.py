"""Start-up does each piece of work once: the CSS parsed once, the lecture's table filled once.

Both were done twice before the first frame: Textual refreshed the whole CSS (every source parsed again)
when it started the first lesson's mode, and the table was filled with the last step's text, then
rewritten cell by cell to the step shown, after scrolling to the last step's row. No timing here (the
time is `tests/benchmarks/first_paint.py`'s): the work itself is counted.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from textual.css.stylesheet import Stylesheet

from backprop_tui.tui.app import BackpropApp
from backprop_tui.tui.widgets import TraceTable

SIZE = (120, 40)


@pytest.fixture(autouse=True)
def fresh_state(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))


def counting(monkeypatch, cls: type, name: str) -> list[int]:
    """Count the calls of `cls.name` (the method still runs)."""
    calls: list[int] = []
    original = getattr(cls, name)

    def counted(self, *args, **kwargs):
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(cls, name, counted)
    return calls


def start(lesson: str | None = None) -> dict[str, float]:
    """Run the app to its first frame; what the table shows then."""
    seen: dict[str, float] = {}

    async def look(pilot) -> None:
        await pilot.pause()
        table = pilot.app.screen.query_one(TraceTable)
        seen.update(scroll_y=table.scroll_y, rows=table.row_count)
        pilot.app.exit()

    BackpropApp(lesson=lesson).run(headless=True, size=SIZE, auto_pilot=look)
    return seen


@pytest.mark.parametrize("lesson", [None, "perceptron", "backprop-table"])
def test_the_css_is_parsed_once(monkeypatch, lesson):
    reparses = counting(monkeypatch, Stylesheet, "reparse")
    start(lesson)
    assert reparses == []


@pytest.mark.parametrize("lesson", [None, "backprop-table"])
def test_the_table_is_filled_once_with_the_step_shown(monkeypatch, lesson):
    rewrites = counting(monkeypatch, TraceTable, "update_cell")
    seen = start(lesson)
    assert rewrites == []
    assert seen["rows"] > 0
    # Step 0 shows the inputs, the table's first rows: it used to open scrolled to the last step's row
    # (L, in the forward-mode lesson).
    assert seen["scroll_y"] == 0


@pytest.mark.parametrize("lesson", ["graph", "perceptron"])
def test_opening_a_graph_lesson_imports_no_classification_and_no_training(tmp_path, lesson):
    """The app makes its session as it opens a lesson; the session's β0, β1 (the classification lesson's) are
    made when first read, so a lesson on a graph no longer imports that lesson, the Heart data's loader and the
    training stack behind it (eight classes and their modules, about 12 ms)."""
    code = ("import sys\n"
            "from backprop_tui.tui.cli.main import launch\n"
            "async def look(pilot):\n"
            "    await pilot.pause()\n"
            "    pilot.app.exit()\n"
            f"launch(['--lesson', {lesson!r}], headless=True, auto_pilot=look, size=(120, 40))\n"
            "print(sorted(m for m in sys.modules if '.training' in m or m.endswith('.classification')))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True,
                            env={**os.environ, "XDG_STATE_HOME": str(tmp_path)})
    assert result.stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize("lesson", ["loss", "descent", "backprop-table"])
def test_a_lesson_opened_at_start_is_the_only_screen_built(monkeypatch, lesson):
    """`--lesson`, or a student back where they left off: Textual started in its default mode, the stepper, so the
    stepper's screen was built, composed and drawn, then left for the lesson's (about 120 ms of CPU before the
    lesson's first frame). Now the lesson's mode is the one started; the stepper is built when first opened."""
    from backprop_tui.tui import lesson_screens

    built: list[str] = []
    for mode, builder in list(lesson_screens.BUILDERS.items()):
        def counted(app, mode_id, builder=builder):
            built.append(mode_id)
            return builder(app, mode_id)

        monkeypatch.setitem(lesson_screens.BUILDERS, mode, counted)
    seen: dict[str, object] = {}

    async def look(pilot) -> None:
        await pilot.pause()
        seen["first"] = (pilot.app.current_mode, list(built))
        pilot.app.open_workbench()
        await pilot.pause()
        seen["then"] = (pilot.app.current_mode, list(built), type(pilot.app.screen).__name__)
        await pilot.press("escape")
        await pilot.pause()
        seen["back"] = pilot.app.current_mode
        pilot.app.exit()

    BackpropApp(lesson=lesson).run(headless=True, size=SIZE, auto_pilot=look)
    assert seen["first"] == (lesson, [lesson])
    assert seen["then"] == ("stepper", [lesson, "stepper"], "StepperScreen")
    assert seen["back"] == lesson
