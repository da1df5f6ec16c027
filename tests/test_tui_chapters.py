"""The chain-rule and forward-backward lessons driven headless: their keys, the graph shown only where a page
has one, help and quit, and what reaches the screen being the core's numbers."""

from __future__ import annotations

import random

import pytest
from textual.widgets import Static

from backprop_tui.tui.app import BackpropApp
from backprop_tui.tui.dialogs.chapters_help import ChainRuleHelpScreen, ModesComparedHelpScreen
from backprop_tui.tui.screens.chain_rule import ChainRuleScreen
from backprop_tui.tui.screens.modes_compared import ModesComparedScreen
from backprop_tui.tui.widgets.graph_canvas import GraphCanvas

SIZE = (120, 40)


def shown(app: BackpropApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


class TestChainRuleKeys:
    async def test_steps_and_pages_move_with_their_keys_and_stop_at_the_ends(self, settle):
        app = BackpropApp(lesson="chain-rule")
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, ChainRuleScreen)
            assert (screen.page_index, screen.step_index) == (0, 0)
            await pilot.press("n", "right")
            assert screen.step_index == 2
            assert "d/dx e^x = e^x" in shown(app, "#chain-lines")
            await pilot.press("p", "left", "left")
            assert screen.step_index == 0
            await pilot.press("end")
            assert screen.step_index == len(screen.page.steps) - 1
            await pilot.press("right_square_bracket")
            assert (screen.page_index, screen.step_index) == (1, 0)  # a new page starts at its first step
            await pilot.press("left_square_bracket", "left_square_bracket")
            assert screen.page_index == 0
            await pilot.press(*["pagedown"] * 9)
            assert screen.page.id == "vector"

    async def test_the_graph_shows_only_on_slide_29s_pages_lit_at_the_step(self, settle):
        app = BackpropApp(lesson="chain-rule")
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            canvas = app.screen.query_one(GraphCanvas)
            assert not canvas.display
            await pilot.press("]", "]", "]")
            await pilot.pause()
            assert canvas.display and app.screen.page.id == "chain"
            await pilot.press("n", "n")
            await pilot.pause()
            assert canvas.snapshot is app.screen.page.steps[2].snapshot
            assert canvas.snapshot.step.node == "z"
            assert "z = sin y = 0.778073197" in shown(app, "#chain-lines")

    async def test_help_opens_and_closes_and_q_quits(self, settle):
        app = BackpropApp(lesson="chain-rule")
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("question_mark")
            await pilot.pause()
            assert isinstance(app.screen, ChainRuleHelpScreen)
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, ChainRuleScreen)
            await pilot.press("q")
            await pilot.pause()
        assert app.return_code == 0


class TestModesComparedKeys:
    async def test_one_key_steps_both_passes_and_end_fills_both_columns(self, settle):
        app = BackpropApp(lesson="forward-backward")
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, ModesComparedScreen)
            await pilot.press("n", "n")
            assert screen.index == 2
            table = shown(app, "#fb-table")
            assert "-3" in table and "-9" in table  # ξ1 = −WᵀX = −9 and its tangent −X = −3
            await pilot.press("end")
            assert screen.index == screen.compared.total - 1
            assert "-0.000370183728" in shown(app, "#fb-sweeps")
            assert "every weight" in shown(app, "#fb-reverse")
            await pilot.press("home")
            assert screen.index == 0

    async def test_g_switches_to_the_1_2_1_network_and_w_to_the_next_weight_s_sweep(self, settle):
        app = BackpropApp(lesson="forward-backward")
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = app.screen
            await pilot.press("g")
            assert screen.compared.example == "mlp" and screen.compared.wrt == "W11"
            await pilot.press("n", "w")
            assert screen.compared.wrt == "W20" and screen.index == 0
            assert "sweep 3 of 7" in str(app.screen.query_one("#fb-status").render())
            await pilot.press("g")
            assert screen.compared.example == "lecture"

    @pytest.mark.parametrize("size", [(80, 24), (200, 60)])
    async def test_help_and_quit_at_every_size(self, settle, size):
        app = BackpropApp(lesson="forward-backward")
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            await pilot.press("question_mark")
            await pilot.pause()
            assert isinstance(app.screen, ModesComparedHelpScreen)
            await pilot.press("q")
            await pilot.pause()
            assert isinstance(app.screen, ModesComparedScreen)
            await pilot.press("q")
            await pilot.pause()
        assert app.return_code == 0


class TestRandomKeys:
    @pytest.mark.slow
    @pytest.mark.parametrize("lesson", ["chain-rule", "forward-backward"])
    async def test_120_random_keys_and_resizes_the_screen_always_shows_the_core_s_step(self, settle, lesson):
        rng = random.Random(20261207)
        keys = ["n", "p", "right", "left", "home", "end", "]", "[", "pagedown", "pageup", "w", "g", "a", "down"]
        app = BackpropApp(lesson=lesson)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = app.screen
            for press in range(120):
                if press % 30 == 29:
                    await pilot.resize_terminal(*rng.choice([(80, 24), (120, 40), (200, 60), (60, 20)]))
                    await pilot.pause()
                await pilot.press(rng.choice(keys))
                if app.screen is not screen:
                    continue
                if isinstance(screen, ChainRuleScreen):
                    step = screen.page.steps[screen.step_index]
                    pages = str(screen.query_one("#chain-pages").render())
                    assert f"step {screen.step_index}/{len(screen.page.steps) - 1}" in pages
                    if step.lines:
                        assert step.lines[-1][:20] in shown(app, "#chain-lines")
                    if step.snapshot is not None:
                        assert screen.query_one(GraphCanvas).snapshot is step.snapshot
                else:
                    comparison = screen.compared.snapshot(screen.index)
                    assert f"step {comparison.index}/{comparison.total - 1}" in str(
                        screen.query_one("#fb-status").render())
            assert app.is_running
