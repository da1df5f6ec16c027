"""Pilot tests of the two-neurons lesson: both parts train off the UI thread, the keys move through
the parts and their iterations with every region following, and `s` opens the stepper on the
network at that iteration, where X's adjoint is the sum of what the two hidden neurons send back."""

from __future__ import annotations

import numpy as np
import pytest
from textual.widgets import Label

from backprop_tui.core.lessons import two_neurons
from backprop_tui.core.stepping.examples import mlp_graph
from backprop_tui.core.training.models import MLP_START
from backprop_tui.tui.dialogs.two_neurons_help import TwoNeuronsHelpScreen
from backprop_tui.tui.screens.stepper import StepperScreen
from backprop_tui.tui.screens.two_neurons import TwoNeuronsScreen
from backprop_tui.tui.widgets.neurons_panel import IterationSlider, RecipePanel
from backprop_tui.tui.widgets.plot_neurons import NeuronsPlot, RunLossPlot


@pytest.fixture
def ready(settle):
    """`await ready(pilot)`: the lesson once both parts are trained (the worker done and its messages handled)."""

    async def wait(pilot) -> TwoNeuronsScreen:
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, TwoNeuronsScreen)
        return screen

    return wait


def plotted(screen: TwoNeuronsScreen) -> two_neurons.IterationView:
    view = screen.query_one(NeuronsPlot).view
    assert view is not None
    assert screen.query_one(RunLossPlot).view == view
    return view


def panel(screen: TwoNeuronsScreen) -> str:
    return str(screen.query_one(RecipePanel).render())


def status(screen: TwoNeuronsScreen) -> str:
    return str(screen.query_one("#neurons-status", Label).render())


class TestOpening:
    async def test_it_opens_on_part_1_trained_as_its_lesson(self, two_neurons_app, size, ready):
        """Issue 10: the lesson is the two-neurons mode, no longer pushed over the stepper."""
        app = two_neurons_app()
        async with app.run_test(size=size) as pilot:
            screen = await ready(pilot)
            assert app.current_mode == "two-neurons" and app.screen_stack == [screen]
            assert set(screen.results) == {1, 2}
            view = plotted(screen)
            assert screen.part == 1 and view.iteration == screen.iteration == 148
            assert view.curves.h1 is None
            assert view.predicted_disease == 0
            text = panel(screen)
            assert "accuracy 65.5%" in text and 'always "no disease": 65.5%' in text
            assert "η = 0.5 · at most 1000 iterations" in text and "converged after 148 iterations" in text

    async def test_while_training_the_data_is_drawn_and_s_waits(self, monkeypatch, two_neurons_app, size):
        monkeypatch.setattr(TwoNeuronsScreen, "train", lambda self: None)
        app = two_neurons_app()
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            screen = app.screen
            assert screen.query_one(NeuronsPlot).data is not None
            assert screen.query_one(IterationSlider).total is None
            assert "training part 1" in status(screen)
            await pilot.press("s", "right")  # nothing to step into or move through yet
            assert app.screen is screen and screen.iteration == 0

    @pytest.mark.slow  # 2.5 s or more here: out of the quick loop
    async def test_t_opens_the_workbench_and_escape_comes_back(self, two_neurons_app, size, ready):
        """Issue 10: t opens the workbench stepper mode (the app's own problem, no longer the network);
        escape returns to the lesson where it was left."""
        app = two_neurons_app()
        async with app.run_test(size=size) as pilot:
            screen = await ready(pilot)
            await pilot.press("2", "left")
            await pilot.press("t")
            await pilot.pause()
            assert isinstance(app.screen, StepperScreen) and app.current_mode == "stepper"
            assert app.screen.problem is app.problem
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is screen and screen.part == 2 and plotted(screen).iteration == 1999


class TestParts:
    async def test_2_1_and_tab_switch_parts(self, two_neurons_app, size, ready):
        app = two_neurons_app()
        async with app.run_test(size=size) as pilot:
            screen = await ready(pilot)
            await pilot.press("2")  # the 1-2-1 network
            view = plotted(screen)
            assert screen.part == 2 and view.iteration == 2000
            assert view.curves.h1 is not None and view.accuracy > 0.85
            assert "accuracy 89.7%" in panel(screen) and "W32" in panel(screen)
            await pilot.press("1")  # back to the one neuron
            assert screen.part == 1 and plotted(screen).curves.h1 is None
            await pilot.press("tab")  # the other part
            assert screen.part == 2

    @pytest.mark.slow  # 2.5 s or more here: out of the quick loop
    async def test_each_part_keeps_its_own_iteration(self, two_neurons_app, size, ready):
        app = two_neurons_app()
        async with app.run_test(size=size) as pilot:
            screen = await ready(pilot)
            await pilot.press("left", "left")  # part 1 at 146
            await pilot.press("2", "home")  # part 2 at its start
            assert plotted(screen).iteration == 0
            await pilot.press("1")
            assert plotted(screen).iteration == 146
            await pilot.press("2")
            assert plotted(screen).iteration == 0

    async def test_the_network_has_h1_rising_and_h2_falling_at_the_end(self, two_neurons_app, size, ready):
        app = two_neurons_app()
        async with app.run_test(size=size) as pilot:
            screen = await ready(pilot)
            await pilot.press("2")
            curves = plotted(screen).curves
            assert curves.h1[0] < 0.1 < 0.9 < curves.h1[-1]
            assert curves.h2[0] > 0.9 > 0.1 > curves.h2[-1]
            assert "h1 steps up at MaxHR ≈ 107" in panel(screen)
            assert "h2 steps down at MaxHR ≈ 142" in panel(screen)


class TestIterations:
    @pytest.mark.slow  # 2.5 s or more here: out of the quick loop
    async def test_keys_change_the_plotted_iteration_and_its_parameters(self, two_neurons_app, size, ready):
        app = two_neurons_app()
        async with app.run_test(size=size) as pilot:
            screen = await ready(pilot)
            await pilot.press("2")
            run = screen.results[2].run
            await pilot.press("left")  # one back
            view = plotted(screen)
            assert view.iteration == 1999 and view.params == run.history[1999].params
            assert view.loss == run.history[1999].loss
            await pilot.press("home")  # the recipe's start
            view = plotted(screen)
            assert view.iteration == 0 and view.params == tuple(MLP_START.values())
            await pilot.press("left")  # nothing before the start
            assert plotted(screen).iteration == 0
            await pilot.press("right", "right", "pagedown")  # two on, then a twentieth of the run
            assert plotted(screen).iteration == 102
            assert screen.query_one(IterationSlider).iteration == 102
            await pilot.press("end")
            assert plotted(screen).params == run.current.params

    @pytest.mark.slow  # 2.5 s or more here: out of the quick loop
    async def test_the_curves_are_recomputed_from_the_iterations_parameters(self, two_neurons_app, size, ready):
        app = two_neurons_app()
        async with app.run_test(size=size) as pilot:
            screen = await ready(pilot)
            await pilot.press("2", "home", *["pagedown"] * 5)  # iteration 500
            result = screen.results[2]
            expected = two_neurons.curves(result.setup, result.run.history[500].params)
            np.testing.assert_array_equal(plotted(screen).curves.p, expected.p)
            np.testing.assert_array_equal(plotted(screen).curves.weighted_sum, expected.weighted_sum)

    async def test_a_click_on_the_bar_moves_there(self, two_neurons_app, size, ready):
        app = two_neurons_app()
        async with app.run_test(size=size) as pilot:
            screen = await ready(pilot)
            await pilot.press("2")
            slider = screen.query_one(IterationSlider)
            start = 1 + len(slider.label())
            await pilot.click(IterationSlider, offset=(start, 0))  # the bar's first cell
            assert plotted(screen).iteration == 0
            await pilot.click(IterationSlider, offset=(start + slider.bar_width() - 1, 0))  # its last
            assert plotted(screen).iteration == 2000


class TestStepIntoBackprop:
    async def test_s_opens_the_stepper_on_the_network_at_this_iteration(self, two_neurons_app, size, ready):
        app = two_neurons_app()
        async with app.run_test(size=size) as pilot:
            screen = await ready(pilot)
            await pilot.press("2", "left")  # the network after 1999 iterations
            result = screen.results[2]
            await pilot.press("s")  # into the stepper
            await pilot.pause()
            stepper = app.screen
            assert isinstance(stepper, StepperScreen) and stepper.pushed and app.current_mode == "two-neurons"
            problem = stepper.problem
            assert problem.graph is result.run.objective.model.graph
            assert set(problem.graph.inputs) == set(mlp_graph().inputs)
            params = result.run.history[1999].params
            assert tuple(problem.inputs[name] for name in result.run.params) == params
            row = 35  # the first row with AHD = 1, in the band
            assert problem.inputs["X"] == result.setup.data.X[row, 0]
            assert problem.inputs["y"] == 1.0
            assert "after 1999 of 2000 iterations" in stepper.note and "row 36 (in the band)" in stepper.note
            await pilot.press("escape")  # back to the same iteration (issue 10: t now opens the workbench)
            await pilot.pause()
            assert app.screen is screen and plotted(screen).iteration == 1999

    async def test_x_fans_out_and_its_adjoint_is_the_sum_of_both_hidden_neurons(self, two_neurons_app, size, ready):
        app = two_neurons_app()
        async with app.run_test(size=size) as pilot:
            await ready(pilot)
            await pilot.press("2", "s")
            await pilot.pause()
            final = {row.name: row for row in app.screen.stepper.final().rows}
            x = final["X"]
            assert {contribution.source for contribution in x.contributions} == {"z1", "z2"}
            inputs = app.screen.problem.inputs
            expected = inputs["W11"] * final["z1"].accumulated + inputs["W21"] * final["z2"].accumulated
            assert x.accumulated == pytest.approx(expected, rel=1e-12)

    async def test_x_cycles_the_row_and_then_every_row(self, two_neurons_app, size, ready):
        app = two_neurons_app()
        async with app.run_test(size=size) as pilot:
            screen = await ready(pilot)
            await pilot.press("x")  # below the band
            assert "row 1 (below the band)" in status(screen)
            assert screen.query_one(NeuronsPlot).row == 0
            await pilot.press("x", "x")  # above the band, then every row
            assert "every row (145 rows)" in status(screen)
            await pilot.press("s")
            await pilot.pause()
            stepper = app.screen
            assert isinstance(stepper, StepperScreen) and stepper.pushed
            assert stepper.problem.inputs["X"].shape == (145,)
            assert stepper.problem.graph is screen.results[1].run.objective.model.graph  # part 1: one neuron
            assert "batch means" in stepper.note
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is screen

    @pytest.mark.slow  # 2.5 s or more here: out of the quick loop
    async def test_on_every_row_the_adjoints_are_the_descents_gradient(self, two_neurons_app, size, ready):
        app = two_neurons_app()
        async with app.run_test(size=size) as pilot:
            screen = await ready(pilot)
            await pilot.press("2", "home", *["right"] * 10, "x", "x", "x")  # iteration 10, every row
            await pilot.press("s")
            await pilot.pause()
            final = {row.name: row.accumulated for row in app.screen.stepper.final().rows}
            record = screen.results[2].run.history[10]  # iteration 11 steps from these parameters
            names = screen.results[2].run.params
            assert [final[name] for name in names] == pytest.approx(record.grad, rel=1e-9)


class TestScreen:
    async def test_question_mark_opens_the_help(self, two_neurons_app, size, ready):
        app = two_neurons_app()
        async with app.run_test(size=size) as pilot:
            await ready(pilot)
            await pilot.press("question_mark")
            await pilot.pause()
            assert isinstance(app.screen, TwoNeuronsHelpScreen)

    async def test_it_works_at_80_by_24(self, two_neurons_app, small, ready):
        app = two_neurons_app()
        async with app.run_test(size=small) as pilot:
            screen = await ready(pilot)
            assert screen.has_class("-narrow") and screen.has_class("-short")
            assert not screen.query_one(RunLossPlot).display
            assert screen.query_one(RecipePanel).compact
            await pilot.press("2", "left", "left")
            assert plotted(screen).iteration == 1998
            assert screen.query_one(NeuronsPlot).size.width >= 38
