"""The footer (tui/widgets/fitting_footer.py) rebuilds its keys only when the keys it shows change.

Textual's footer rebuilt every key after nearly every key press, since the screen says its bindings may have
changed; the rebuild took a third of a key press's time in the monkeys. A press that changes no key must leave
the same key widgets; a press that does (a graph with layers offers `c`) must still reach the footer.
"""

from __future__ import annotations

from collections import Counter

import pytest
from textual.css.stylesheet import Stylesheet
from textual.widgets._footer import FooterKey

from backprop_tui.core.stepping.problem import build_problem
from backprop_tui.tui.app import BackpropApp
from backprop_tui.tui.widgets.fitting_footer import FittingFooter


def footer_keys(app: BackpropApp) -> list[FooterKey]:
    return list(app.screen.query_one(FittingFooter).query(FooterKey))


async def test_a_step_changes_no_key_and_rebuilds_none(size, settle):
    app = BackpropApp(build_problem("lecture"))
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        keys = footer_keys(app)
        assert {key.key for key in keys} >= {"question_mark", "q", "m"}
        for key in ("n", "n", "p", "end", "home", "m", "m"):
            await pilot.press(key)
            await settle(pilot)
            assert footer_keys(app) == keys, f"the footer was rebuilt after {key}"


async def test_a_key_that_appears_reaches_the_footer(size, settle):
    app = BackpropApp(build_problem("lecture"))
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        assert "c" not in {key.key for key in footer_keys(app)}
        app.screen.load(build_problem("mlp"))
        await settle(pilot)
        keys = {key.key: key for key in footer_keys(app)}
        assert "c" in keys and keys["c"].region.width > 0
        app.screen.load(build_problem("lecture"))
        await settle(pilot)
        assert "c" not in {key.key for key in footer_keys(app)}


@pytest.mark.parametrize("terminal", [(120, 40), (80, 24)])
async def test_each_key_is_styled_once_and_compact_as_its_footer(terminal, settle, monkeypatch):
    """A Textual key starts compact and learns its footer's `compact` once mounted: at 120 columns each was
    styled three times (mounted, `-compact` added, removed). Born with the footer's value, once; the palette's
    key, which Textual leaves compact, keeps its own."""
    applied: Counter[str] = Counter()
    apply = Stylesheet.apply

    def counting(stylesheet, node, *args, **kwargs):  # noqa: ANN001, ANN202 (Textual's own signature)
        if isinstance(node, FooterKey):
            applied[node.key] += 1
        return apply(stylesheet, node, *args, **kwargs)

    monkeypatch.setattr(Stylesheet, "apply", counting)
    app = BackpropApp(build_problem("lecture"))
    async with app.run_test(size=terminal) as pilot:
        await settle(pilot)
        footer = app.screen.query_one(FittingFooter)
        keys = [key for key in footer_keys(app) if not key.has_class("-command-palette")]
        assert len(keys) >= 8
        for key in keys:
            assert key.compact == footer.compact == key.has_class("-compact"), key.key
            assert applied[key.key] == 1, f"{key.key} was styled {applied[key.key]} times"
