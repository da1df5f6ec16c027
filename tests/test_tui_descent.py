"""Pilot tests of the descent screen: every key changes the run the way it says, and every region follows."""

from __future__ import annotations

import re

import numpy as np
import pytest
from textual.widgets import Label

from backprop_tui.core.stepping.problem import build_problem
from backprop_tui.core.training.minima import GLOBAL_MINIMUM, LOCAL_MINIMUM
from backprop_tui.tui.app import BackpropApp
from backprop_tui.tui.cli import descent as descent_cli
from backprop_tui.tui.dialogs.descent_help import DescentHelpScreen
from backprop_tui.tui.screens.descent import DescentScreen
from backprop_tui.tui.screens.stepper import StepperScreen
from backprop_tui.tui.widgets.descent_header import DescentHeader
from backprop_tui.tui.widgets.descent_table import DescentTable
from backprop_tui.tui.widgets.plot_base import DescentPlot
from backprop_tui.tui.widgets.plot_fit import FitPlot
from backprop_tui.tui.widgets.plot_landscape import LandscapePlot, SlicePlot
from backprop_tui.tui.widgets.plot_loss import LossPlot


@pytest.fixture
def ready(settle):
    """`await ready(pilot)`: the descent screen once it is up, its landscape computed and every change shown."""

    async def wait(pilot) -> DescentScreen:
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, DescentScreen)
        return screen

    return wait


def status(screen: DescentScreen) -> str:
    return str(screen.query_one("#descent-message", Label).render())


def header(screen: DescentScreen) -> str:
    return str(screen.query_one(DescentHeader).query_one("#descent-title", Label).render())


class TestOpening:
    async def test_it_opens_on_heart_as_the_descent_lesson(self, descent_app, size, ready):
        """Issue 10: the descent screen is the descent lesson's mode, no longer pushed over the stepper."""
        app = descent_app()
        async with app.run_test(size=size) as pilot:
            screen = await ready(pilot)
            assert app.current_mode == "descent" and app.screen_stack == [screen]
            assert screen.run.current.iteration == 0
            assert screen.run.objective.data.name == "Heart.csv"
            assert "full batch · η = 0.5" in header(screen)
            assert screen.query_one(LandscapePlot).landscape is screen.landscape is not None

    async def test_g_from_the_stepper_opens_it_without_arguments_and_t_goes_back(self, size, ready):
        app = BackpropApp(build_problem("lecture"))
        async with app.run_test(size=size) as pilot:
            await pilot.press("g")  # the stepper's descent key
            screen = await ready(pilot)
            assert screen.setup.config.example == "heart"
            await pilot.press("t")  # back to the stepper
            await pilot.pause()
            assert isinstance(app.screen, StepperScreen) and app.current_mode == "stepper"
            await pilot.press("g")  # the same run again, never a fresh one
            assert await ready(pilot) is screen

    async def test_opened_from_the_stepper_at_80_by_24_it_is_compact(self, small, ready):
        app = BackpropApp(build_problem("lecture"))
        async with app.run_test(size=small) as pilot:
            await pilot.press("g")  # the descent screen, pushed onto an app already 80×24
            screen = await ready(pilot)
            assert screen.query_one(DescentTable).compact
            assert all(plot.compact for plot in screen.query(DescentPlot))

    async def test_it_works_at_80_by_24(self, descent_app, small, ready, settle):
        app = descent_app()
        async with app.run_test(size=small) as pilot:
            screen = await ready(pilot)
            for key in ("space", "b", "space"):
                await pilot.press(key)
                await settle(pilot)
            assert screen.has_class("-narrow") and screen.has_class("-short")
            assert screen.run.current.iteration == 2


class TestStepping:
    @pytest.mark.parametrize("presses", [1, 3, 12])
    async def test_space_takes_one_iteration_per_press(self, presses, descent_app, size, ready, settle):
        app = descent_app()
        async with app.run_test(size=size) as pilot:
            screen = await ready(pilot)
            await pilot.press(*["space"] * presses)
            await settle(pilot)
            assert screen.run.current.iteration == len(screen.run.history) == presses
            assert header(screen) and f"iter {presses}" in str(screen.query_one("#descent-iteration", Label).render())

    @pytest.mark.slow  # 2.5 s or more here: out of the quick loop
    async def test_left_undoes_to_exactly_the_earlier_state_across_an_epoch(self, descent_app, size, ready, settle):
        app = descent_app()
        async with app.run_test(size=size) as pilot:
            screen = await ready(pilot)
            await pilot.press("b")  # mini-batch 32: ten batches an epoch
            await settle(pilot)
            states = [screen.run.current]
            for _ in range(12):
                await pilot.press("space")
                await settle(pilot)
                states.append(screen.run.current)
            for expected in reversed(states[:-1]):
                await pilot.press("left")
                await settle(pilot)
                assert screen.run.current == expected
            await pilot.press(*["space"] * 12)  # the same batches again
            await settle(pilot)
            assert screen.run.current == states[-1]

    async def test_r_resets_to_the_start(self, descent_app, size, ready, settle):
        app = descent_app()
        async with app.run_test(size=size) as pilot:
            screen = await ready(pilot)
            await pilot.press("space", "space", "space")
            await settle(pilot)
            await pilot.press("r")
            await settle(pilot)
            assert screen.run.current.iteration == 0
            assert len(screen.run.history) == 0
            assert screen.run.current.params == (0.0, 0.0)


class TestTable:
    async def test_the_last_batch_of_an_epoch_shows_its_own_size(self, descent_app, size, ready, settle):
        app = descent_app(optimizer="minibatch")
        async with app.run_test(size=size) as pilot:
            screen = await ready(pilot)
            await pilot.press(*["space"] * 10)  # the tenth batch holds 303 − 9·32 = 15 rows
            await settle(pilot)
            scalars = str(screen.query_one("#descent-scalars").render())
            assert "epoch 1 · batch 10/10 (15 rows)" in scalars


class TestSettings:
    async def test_plus_and_minus_double_and_halve_the_learning_rate(self, descent_app, size, ready, settle):
        app = descent_app()
        async with app.run_test(size=size) as pilot:
            screen = await ready(pilot)
            await pilot.press("plus")
            await settle(pilot)
            assert screen.run.optimizer.lr == 1.0
            assert "η = 1 " in header(screen)
            await pilot.press("minus", "minus")
            await settle(pilot)
            assert screen.run.optimizer.lr == 0.25
            await pilot.press("space")
            await settle(pilot)
            assert screen.run.last.lr == 0.25

    async def test_b_cycles_full_mini_batch_and_stochastic(self, descent_app, size, ready, settle):
        app = descent_app()
        async with app.run_test(size=size) as pilot:
            screen = await ready(pilot)
            seen = []
            for _ in range(3):
                for key in ("b", "space"):
                    await pilot.press(key)
                    await settle(pilot)
                seen.append((screen.run.optimizer.label, screen.run.last.batch_rows))
            assert seen == [("mini-batch 32", 32), ("stochastic", 1), ("full batch", 303)]
            assert "full batch" in header(screen)

    async def test_brackets_change_the_speed(self, descent_app, size, ready):
        app = descent_app()
        async with app.run_test(size=size) as pilot:
            screen = await ready(pilot)
            speed = screen.clock.speed
            await pilot.press("right_square_bracket")
            assert screen.clock.speed > speed
            await pilot.press("left_square_bracket", "left_square_bracket")
            assert screen.clock.speed < speed


class TestRunning:
    async def test_enter_starts_and_stops_the_run(self, descent_app, size, ready):
        app = descent_app()
        async with app.run_test(size=size) as pilot:
            screen = await ready(pilot)
            await pilot.press("enter")  # run
            assert screen.running
            for _ in range(100):
                await pilot.pause(0.05)
                if screen.run.current.iteration >= 3:
                    break
            assert screen.run.current.iteration >= 3
            assert "running" in status(screen)
            await pilot.press("enter")  # pause
            assert not screen.running
            stopped_at = screen.run.current.iteration
            await pilot.pause(0.3)
            assert screen.run.current.iteration == stopped_at
            assert "paused at" in status(screen)

    async def test_a_large_learning_rate_oscillates_with_its_plots_drawn(self, descent_app, size, ready):
        """Issue 15: η = 50 overshoots and swings; it once stopped at iteration 5 with NaN (true loss 3.41)."""
        app = descent_app(lr=50.0, iters=30)
        async with app.run_test(size=size) as pilot:
            screen = await ready(pilot)
            await pilot.press("enter")  # run to the iterations limit
            for _ in range(100):
                await pilot.pause(0.05)
                if not screen.running:
                    break
            assert not screen.running and screen.run.stopped is None and len(screen.run.history) == 30
            assert "diverged" not in status(screen)
            assert screen.run.history[4].loss == pytest.approx(3.4095, abs=1e-4)
            assert all(np.isfinite(record.loss) for record in screen.run.history)
            for plot in screen.query(DescentPlot):  # the plots still draw every iteration's point
                assert max((len(series) for series in plot.plt.monitor.x), default=0) > 0, type(plot).__name__

    async def test_the_loss_slice_has_no_negative_tick(self, descent_app, size, ready):
        """A loss is never negative. The slice's margin below its lowest loss put a tick at -3.6 on the axis of
        MaxHR in raw units, where the loss spans 0.69 to 90: the axis now starts at 0."""
        app = descent_app(standardize=False)
        async with app.run_test(size=size) as pilot:
            screen = await ready(pilot)
            drawn = re.sub(r"\x1b\[[0-9;]*m", "", screen.query_one(SlicePlot).plt.build())
            ticks = [float(line.split("┤")[0]) for line in drawn.splitlines() if "┤" in line]
            assert len(ticks) >= 3 and min(ticks) == 0.0 and max(ticks) > 50, ticks

    async def test_a_loss_near_the_largest_double_is_plotted_with_readable_ticks(self, descent_app, size, ready,
                                                                               settle):
        """η = 1e308: the loss reaches 4.26e306 (finite). plotext spelled such ticks in full, wider than the plot,
        and drew nothing; the ticks are now short and the three points are drawn."""
        app = descent_app(lr=1e308)
        async with app.run_test(size=size) as pilot:
            screen = await ready(pilot)
            for _ in range(2):
                await pilot.press("space")
                await settle(pilot)
            assert screen.run.stopped == "diverged" and np.isfinite(screen.run.history[-1].loss)
            drawn = screen.query_one(LossPlot).plt.build()
            assert "4.26e+306┤" in drawn and "0.693┤" in drawn  # the top and the first loss, labelled short
            assert any(dot in drawn for dot in "⠁⠂⠄⡀⠈⠐⠠⢀●")

    async def test_a_feature_spanning_the_doubles_is_drawn_not_a_crash(self, descent_app, size, ready, settle,
                                                                       tmp_path):
        """A CSV feature from −1.7e308 to 1.7e308 (file units): its span is inf, so the fit curve's grid was inf
        and NaN, and plotext's (bins − 1)·(x − low)/(high − low) raised out of the fit plot's render."""
        rows = [f"{-1.7e308 * (1 - index / 40) + 0.85e308 * (index / 40)!r},{index % 2}" for index in range(40)]
        (tmp_path / "wide.csv").write_text("a,b\n" + "\n".join([*rows, "1.7e308,1"]) + "\n")
        app = descent_app(data=str(tmp_path / "wide.csv"), x="a", y="b")
        async with app.run_test(size=size) as pilot:
            screen = await ready(pilot)
            for _ in range(2):
                await pilot.press("space")
                await settle(pilot)
            assert app.is_running and screen.run.current.iteration == 2
            for plot in screen.query(DescentPlot):
                plot.render()  # what the compositor does: raised ValueError before
            drawn = screen.query_one(FitPlot).plt.build()
            assert "-1.7e+308" in drawn  # the axis names the feature's values, in short

    async def test_a_huge_learning_rate_diverges_and_stops_the_run(self, descent_app, size, ready, settle):
        app = descent_app(lr=1e6)
        async with app.run_test(size=size) as pilot:
            screen = await ready(pilot)
            await pilot.press("enter")  # run until it diverges
            for _ in range(100):
                await pilot.pause(0.05)
                if not screen.running:
                    break
            assert not screen.running
            assert screen.run.stopped == "diverged"
            assert status(screen).startswith("diverged at iteration 2: the loss ")
            assert "passed the bound" in status(screen)
            await pilot.press("minus")  # a smaller η does not hide the blow-up left behind
            await settle(pilot)
            assert status(screen).startswith("diverged at iteration 2:")
            await pilot.press("space")  # refused
            await settle(pilot)
            assert screen.run.current.iteration == 2
            await pilot.press("left")  # undo past it
            await settle(pilot)
            assert "diverged" not in status(screen)

    async def test_a_run_pauses_at_the_iterations_limit(self, descent_app, size, ready):
        app = descent_app(iters=20)
        async with app.run_test(size=size) as pilot:
            screen = await ready(pilot)
            await pilot.press(*["right_square_bracket"] * 4, "enter")  # faster, then run
            for _ in range(200):
                await pilot.pause(0.05)
                if not screen.running:
                    break
            assert screen.run.current.iteration == 20
            assert status(screen) == "paused at iteration 20 · enter runs to 40"

    async def test_keys_while_running_pause_first(self, descent_app, size, ready, settle):
        app = descent_app()
        async with app.run_test(size=size) as pilot:
            screen = await ready(pilot)
            await pilot.press("enter")
            await pilot.pause(0.2)
            await pilot.press("space")  # pauses, then one iteration
            await settle(pilot)
            assert not screen.running


@pytest.mark.slow
class TestLongRuns:
    """A run of 20,000 iterations: seconds to compute, so slow."""

    async def test_plots_draw_a_long_run_thinned_to_their_width(self, descent_app, size, ready):
        app = descent_app(optimizer="sgd")
        async with app.run_test(size=size) as pilot:
            screen = await ready(pilot)
            screen.run.run(20_000)  # as if run for a while
            screen.show_view(screen.driver.view(), force=True)
            await pilot.pause()
            for plot in screen.query(DescentPlot):
                drawn = max((len(series) for series in plot.plt.monitor.x), default=0)
                limit = max(screen.run.objective.rows, 2 * plot.size.width + 1, plot.size.width * plot.size.height)
                assert drawn <= limit, type(plot).__name__


class TestStepIntoBackprop:
    async def test_s_opens_the_stepper_on_the_iterations_batch(self, descent_app, size, ready, settle):
        app = descent_app()
        async with app.run_test(size=size) as pilot:
            screen = await ready(pilot)
            await pilot.press("b")
            await settle(pilot)
            await pilot.press("space", "space", "space")  # three mini-batch iterations
            await settle(pilot)
            record = screen.run.last
            rows = screen.run.batch_indices(record.epoch, record.batch, record.batch_rows)
            data = screen.run.objective.data
            await pilot.press("s")  # into the stepper, pushed on the lesson's own stack
            await pilot.pause()
            stepper = app.screen
            assert isinstance(stepper, StepperScreen) and stepper.pushed and app.current_mode == "descent"
            inputs = stepper.problem.inputs
            np.testing.assert_array_equal(inputs["X"], data.X[rows, 0])
            np.testing.assert_array_equal(inputs["y"], data.y[rows])
            assert (inputs["β0"], inputs["β1"]) == record.params
            assert stepper.problem.graph is screen.run.objective.model.graph
            assert "batch 3 of epoch 1 (32 rows)" in stepper.note
            await pilot.press("escape")  # back to the same run (issue 10: t now opens the workbench)
            await pilot.pause()
            assert app.screen is screen
            assert screen.run.current.iteration == 3

    async def test_the_stepper_gradient_is_the_descent_gradient(self, descent_app, size, ready, settle):
        app = descent_app(optimizer="minibatch")
        async with app.run_test(size=size) as pilot:
            screen = await ready(pilot)
            await pilot.press("space")
            await settle(pilot)
            await pilot.press("s")
            await pilot.pause()
            final = app.screen.stepper.final()
            adjoint = {row.name: row.accumulated for row in final.rows}
            grad = screen.run.last.grad
            assert adjoint["β1"] == pytest.approx(grad[1], rel=1e-12)
            assert adjoint["β0"] == pytest.approx(grad[0], rel=1e-12)

    async def test_before_the_first_step_it_opens_the_first_batch_at_the_start(self, descent_app, size, ready):
        app = descent_app()
        async with app.run_test(size=size) as pilot:
            await ready(pilot)
            await pilot.press("s")
            await pilot.pause()
            assert app.screen.problem.inputs["X"].shape == (303,)
            assert app.screen.problem.inputs["β1"] == 0.0


class TestMinima:
    @pytest.mark.slow  # 2.5 s or more here: out of the quick loop
    async def test_moving_the_start_shows_where_plain_descent_ends(self, descent_app, size, ready, settle):
        app = descent_app(example="minima")
        async with app.run_test(size=size) as pilot:
            screen = await ready(pilot)
            assert app.current_mode == "minima"
            assert screen.view.plain_end == pytest.approx(LOCAL_MINIMUM, abs=1e-3)
            await pilot.press(*["comma"] * 6)  # start 0.9 → 0.6, left of the ridge: six quick presses, six moves
            await settle(pilot)
            assert screen.view.start == (0.6,)
            assert screen.run.current.params == (0.6,)
            assert screen.view.plain_end == pytest.approx(GLOBAL_MINIMUM, abs=1e-3)
            assert screen.query_one(SlicePlot).end == screen.view.plain_end
            await pilot.press(*["full_stop"] * 20)  # stops at the domain's edge
            await settle(pilot)
            assert screen.view.start == (1.0,)

    async def test_the_start_keys_do_nothing_on_data(self, descent_app, size, ready, settle):
        app = descent_app()
        async with app.run_test(size=size) as pilot:
            screen = await ready(pilot)
            await screen.run_action("move_start(1)")  # as the command palette would
            await settle(pilot)
            assert screen.run.current.params == (0.0, 0.0)

    async def test_there_is_no_batch_mode_to_cycle(self, descent_app, size, ready, settle):
        app = descent_app(example="minima")
        async with app.run_test(size=size) as pilot:
            screen = await ready(pilot)
            await pilot.press("b")
            await settle(pilot)
            assert screen.run.optimizer.kind == "gd"


class TestHelp:
    async def test_question_mark_opens_the_help(self, descent_app, size, ready):
        app = descent_app()
        async with app.run_test(size=size) as pilot:
            await ready(pilot)
            await pilot.press("question_mark")
            await pilot.pause()
            assert isinstance(app.screen, DescentHelpScreen)
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, DescentScreen)


class TestCommandLine:
    def test_tui_opens_the_screen_with_the_same_options(self, monkeypatch):
        opened = []
        import backprop_tui.tui.cli.main as app_module

        monkeypatch.setattr(app_module, "run_app", lambda app, **options: opened.append(app) or 0)
        assert descent_cli.run_descent(["--tui", "--lr", "0.25", "--optimizer", "minibatch"]) == 0
        app = opened[0]
        assert app.first_lesson == "descent"
        config = app.descent_setup.config
        assert (config.lr, config.optimizer, config.batch_size) == (0.25, "minibatch", 32)

    def test_tui_is_in_the_help(self, capsys):
        with pytest.raises(SystemExit):
            descent_cli.descent_parser().parse_args(["--help"])
        assert "--tui" in capsys.readouterr().out

    def test_a_bad_option_is_refused_before_the_app_starts(self, capsys):
        with pytest.raises(SystemExit) as exit_info:
            descent_cli.run_descent(["--tui", "--lr", "-1"])
        assert exit_info.value.code == 2
        assert "--lr must be a positive number" in capsys.readouterr().err
