"""Every lesson of the map, and the stepper the app opens on, is a finished page at 80×24, 120×40 and 200×60:
no text cut, no box cut at the graph's edge, the current node in view, help and quit in the footer.

The checks (tests/support/clipping.py) compare what each widget holds with what the terminal shows of
it. One app per lesson, resized from one size to the next (the way a student resizes a window), and
the lessons come from the catalog, so a new lesson is checked without a line here.
"""

from __future__ import annotations

import pytest
from support.clipping import clipped, screen_lines

from backprop_tui.core.lessons.catalog import LESSON_IDS
from backprop_tui.tui.app import BackpropApp

SIZES = ((120, 40), (80, 24), (200, 60))
JOURNEYS = {
    "graph": ("y", "end"),
    "descent": ("s",),
    "classification": ("r", "r", "b"),
    "perceptron": ("end",),
    "backprop-table": ("end",),
    "minima": (",",) * 8,
    "practice": ("n",),
    "two-neurons": ("tab", "end"),
    "forward-backward": ("g", "end"),
}
"""Places inside a lesson where the issue found cuts, reached with the keys a student presses."""
STEPPER_DIALOGS = {"edit form": ("e",), "examples": ("x",), "wrt picker": ("m", "w"), "help": ("question_mark",),
                   "lesson map": ("l",), "basic functions": ("f",), "every basic function": ("f", "f")}
"""The stepper's dialogs, each opened by the keys a student presses."""


@pytest.fixture(autouse=True)
def fresh_state(tmp_path, monkeypatch):
    """No progress or state of the machine's own: every lesson opens as it does the first time."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))


async def check_sizes(app: BackpropApp, pilot, settle, where: str) -> list[str]:
    found = []
    for width, height in SIZES:
        await pilot.resize_terminal(width, height)
        await settle(pilot)
        await pilot.pause()
        cuts = clipped(app)
        if cuts:
            found.append(f"{where} at {width}×{height}:\n  " + "\n  ".join(cuts)
                         + "\n" + "\n".join(screen_lines(app)))
    return found


@pytest.mark.parametrize("lesson", ["stepper", *LESSON_IDS])
async def test_every_lesson_is_a_finished_page_at_three_sizes(lesson, settle):
    """The lesson's first screen, the places its journey reaches, and its help (`?`), in one app."""
    app = BackpropApp(lesson=None if lesson == "stepper" else lesson)
    async with app.run_test(size=SIZES[0]) as pilot:
        await settle(pilot)
        found = await check_sizes(app, pilot, settle, f"{lesson}, first screen")
        await pilot.press("question_mark")
        await settle(pilot)
        assert len(app.screen_stack) > 1, f"{lesson}: ? opened no help"
        found += await check_sizes(app, pilot, settle, f"{lesson}'s help")
        await pilot.press("escape")
        await settle(pilot)
        keys = JOURNEYS.get(lesson, ())
        if keys:
            await pilot.resize_terminal(*SIZES[0])
            for key in keys:
                await pilot.press(key)
                await settle(pilot)
            found += await check_sizes(app, pilot, settle, f"{lesson} after {' '.join(keys)}")
    assert not found, "\n\n".join(found)


@pytest.mark.parametrize("dialog", sorted(STEPPER_DIALOGS))
async def test_every_dialog_of_the_stepper_is_a_finished_page(dialog, settle):
    """A dialog keeps all it holds in view at every size, or scrolls to it (the edit form's buttons were below its
    border at 80×24)."""
    app = BackpropApp()
    async with app.run_test(size=SIZES[0]) as pilot:
        await settle(pilot)
        for key in STEPPER_DIALOGS[dialog]:
            await pilot.press(key)
            await settle(pilot)
        assert type(app.screen).__name__ != "StepperScreen", f"{dialog} did not open"
        found = await check_sizes(app, pilot, settle, dialog)
    assert not found, "\n\n".join(found)


async def test_the_check_sees_a_cut(settle, monkeypatch):
    """The check is not blind: with boxes capped at a few characters (as the perceptron's loss box was) and
    the footer's fitting turned off, it reports the cut box text and the lost footer keys."""
    from backprop_tui.tui.widgets import fitting_footer, graph_fit

    monkeypatch.setattr(graph_fit, "WIDE_TEXT", 6)
    monkeypatch.setattr(graph_fit, "MAX_TEXT", 6)
    monkeypatch.setattr(fitting_footer.FittingFooter, "fit_keys", lambda self: None)
    app = BackpropApp(lesson="perceptron")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        cuts = clipped(app)
    assert any("box" in cut for cut in cuts), cuts
    assert any("footer key" in cut for cut in cuts), cuts


async def test_the_check_sees_a_cropped_column_label(settle, monkeypatch):
    """DataTable crops a label wider than its column without a sign: the lecture's table said `local parti` at 80×24
    until its labels had short forms. With the labels left whole, the check reports it."""
    from backprop_tui.tui.widgets import trace_table

    monkeypatch.setattr(trace_table, "column_label", lambda header, width: header)
    app = BackpropApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        cuts = clipped(app)
    assert any("column label 'local partial'" in cut for cut in cuts), cuts


def test_a_column_label_fits_its_column_at_any_width():
    from rich.cells import cell_len

    from backprop_tui.tui.widgets.trace_table import HEADERS, MIN_WIDTHS, column_label

    for header, narrowest in zip(HEADERS, MIN_WIDTHS, strict=False):
        for width in range(1, len(header) + 3):
            label = column_label(header, width)
            assert cell_len(label) <= width, (header, width, label)
            assert label == header or width < len(header)
        assert "…" not in column_label(header, narrowest), header  # a short form fits the narrowest column
    assert column_label("dξ/dlearning_rate", 14) == "dξ/dlearning_…"


async def test_a_graph_of_thirty_inputs_keeps_its_header_whole_in_meaning(settle):
    """The header holds two lines: `a0*b0+…+a14*b14 · forward mode, d/da0 · a0=0 b0=1 …` took five at 80 columns,
    and the mode and the inputs were cut off without a sign. The long parts now end in `…`; the mode stays."""
    from backprop_tui.core.stepping.problem import build_problem

    expression = "+".join(f"a{i}*b{i}" for i in range(15))
    inputs = ",".join(f"a{i}={i},b{i}={i + 1}" for i in range(15))
    app = BackpropApp(build_problem(None, expression, inputs, mode="forward", wrt="a0"))
    async with app.run_test(size=SIZES[0]) as pilot:
        await settle(pilot)
        found = await check_sizes(app, pilot, settle, "thirty inputs")
        title = str(app.screen.query_one("#stepper-title").render())
    assert not found, "\n\n".join(found)
    assert "forward mode, d/da0" in title
