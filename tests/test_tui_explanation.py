"""The step's explanation under the graph: it grows once for a long explanation and stays that tall, so stepping on
does not make the graph and the table above it jump (and a snapshot does not depend on when events arrive)."""

from __future__ import annotations

from textual import events

from backprop_tui.core.stepping.problem import build_problem
from backprop_tui.tui.app import BackpropApp
from backprop_tui.tui.widgets import StepExplanation

TO_DL_DP = ["n"] * 5
"""Slide 61's neuron at dL/dp: an explanation of more than three lines at 80 columns."""


async def test_its_own_growth_arriving_late_does_not_shrink_it(small, settle):
    """Growing posts a Resize that the event queue may deliver after the next key: that Resize is no new width,
    so it must not refit the explanation to the next, shorter step (a race seen as flaky 80×24 snapshots)."""
    app = BackpropApp(build_problem("neuron"))
    async with app.run_test(size=small) as pilot:
        await pilot.press(*TO_DL_DP)
        await settle(pilot)
        explanation = app.screen.query_one(StepExplanation)
        grown = explanation.outer_size.height
        assert grown > StepExplanation.MIN_LINES
        await pilot.press("n")
        explanation.post_message(events.Resize(explanation.size, explanation.virtual_size))
        await settle(pilot)
        assert explanation.outer_size.height == grown


async def test_a_new_width_refits_it_to_the_step_shown(small, size, settle):
    """A wider terminal has room for the same text in fewer lines: a new width is the one time it may shrink."""
    app = BackpropApp(build_problem("neuron"))
    async with app.run_test(size=small) as pilot:
        await pilot.press(*TO_DL_DP, "n")
        await settle(pilot)
        explanation = app.screen.query_one(StepExplanation)
        assert explanation.outer_size.height > StepExplanation.MIN_LINES
        await pilot.resize_terminal(*size)
        await settle(pilot)
        assert explanation.outer_size.height == StepExplanation.MIN_LINES
