"""Pilot tests of issue 20's keys on the descent screen: momentum (m), the batch's curve, several starts (a).

Each opens the lesson the way the lesson map does (`BackpropApp(lesson=...)`), presses the keys and
reads what the screen shows; the numbers themselves are checked against independent arithmetic in
test_batch_strategies.py.
"""

from __future__ import annotations

import pytest
from textual.widgets import Label
from textual.widgets._footer import FooterKey

from backprop_tui.tui.app import BackpropApp
from backprop_tui.tui.screens.descent import DescentScreen
from backprop_tui.tui.widgets.descent_header import DescentHeader
from backprop_tui.tui.widgets.plot_landscape import SlicePlot


async def opened(pilot, settle) -> DescentScreen:  # noqa: ANN001 (a Textual Pilot)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, DescentScreen)
    return screen


def scalars(screen: DescentScreen) -> str:
    return str(screen.query_one("#descent-scalars").render())


def header(screen: DescentScreen) -> str:
    return str(screen.query_one(DescentHeader).query_one("#descent-title", Label).render())


class TestMomentumKey:
    async def test_m_cycles_mu_and_the_screen_shows_it(self, size, settle):
        app = BackpropApp(lesson="descent")
        async with app.run_test(size=size) as pilot:
            screen = await opened(pilot, settle)
            assert "μ 0" in scalars(screen)
            for expected in (0.5, 0.9, 0.0):
                await pilot.press("m")
                await settle(pilot)
                assert screen.run.optimizer.momentum == expected
                assert f"μ {expected:g}" in scalars(screen)
                assert (f"μ = {expected:g}" in header(screen)) == bool(expected)
            await pilot.press("m", "space", "space")
            await settle(pilot)
            assert screen.run.last.momentum == 0.5
            assert "step μv−η·g" in str(screen.query_one("#descent-params").render())


class TestBatchCurveOnTheSlice:
    async def test_the_batches_lesson_draws_each_batch_curve(self, size, settle):
        app = BackpropApp(lesson="batches")
        async with app.run_test(size=size) as pilot:
            screen = await opened(pilot, settle)
            plot = screen.query_one(SlicePlot)
            assert screen.run.optimizer.kind == "minibatch"
            assert plot.view.batch_curve is None  # no batch yet
            await pilot.press("space")
            await settle(pilot)
            first = plot.view.batch_curve
            assert first is not None and first.rows == 32
            assert first.x.tolist() == screen.landscape.columns.tolist()  # the slice's own grid
            assert "batch L" in str(plot.border_subtitle)
            assert str(plot.border_title).startswith("L(β1) & batch's at β0 = ")
            await pilot.press("space")
            await settle(pilot)
            assert plot.view.batch_curve is not first and plot.view.batch_curve.loss.tolist() != first.loss.tolist()
            await pilot.press("b", "b", "space")  # stochastic, then full batch: no batch curve
            await settle(pilot)
            assert screen.run.optimizer.kind == "gd" and plot.view.batch_curve is None
            assert "batch L" not in str(plot.border_subtitle) and "batch" not in str(plot.border_title)


class TestSeveralStartsKey:
    async def test_a_draws_starts_in_the_minima_lesson(self, size, settle):
        app = BackpropApp(lesson="minima")
        async with app.run_test(size=size) as pilot:
            screen = await opened(pilot, settle)
            plot = screen.query_one(SlicePlot)
            await pilot.press("a")
            await settle(pilot)
            starts = screen.view.starts
            assert starts is not None and starts.seed == 1 and len(starts.ends) == 8
            assert starts.headline() in str(plot.border_title)
            assert starts.summary() in scalars(screen)
            assert "starts→ends" in str(plot.border_subtitle)
            await pilot.press("a")
            await settle(pilot)
            assert screen.view.starts.seed == 2

    async def test_a_does_nothing_with_data(self, size, settle):
        app = BackpropApp(lesson="descent")
        async with app.run_test(size=size) as pilot:
            screen = await opened(pilot, settle)
            await pilot.press("a")
            await settle(pilot)
            assert screen.view.starts is None


class TestFooter:
    @pytest.mark.parametrize("lesson", ["batches", "minima"])
    @pytest.mark.parametrize("terminal", [(80, 24), (120, 40)])
    async def test_help_quit_and_momentum_are_in_view(self, lesson, terminal, settle):
        app = BackpropApp(lesson=lesson)
        async with app.run_test(size=terminal) as pilot:
            screen = await opened(pilot, settle)
            await pilot.pause()
            keys = {key.key: key for key in screen.query(FooterKey)}
            for name in ("question_mark", "q", "m"):
                region = keys[name].region
                assert region.width > 0 and region.right <= terminal[0], name
