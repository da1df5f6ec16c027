"""The descent screen: one gradient-descent run seen three ways, moving together on every key.

The loss curve, the fit through the data and the point on the landscape all show the same
iteration. The screen owns the run (a core `DescentRun`) and hands it down to the widgets; a long
run is stepped by a timer in small slices, so the screen keeps answering keys while it runs.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer

from backprop_tui.core.stepping.problem import build_problem
from backprop_tui.core.training import minima
from backprop_tui.core.training.landscape import Landscape, landscape, minima_curve, plain_descent_end
from backprop_tui.core.training.optimizers import KINDS, OptimizerError
from backprop_tui.core.training.setup import DescentSetup, build, resolve

from ..widgets.descent_header import DescentHeader, DescentStatus, diverged_text
from ..widgets.descent_table import DescentTable
from ..widgets.plot_base import DescentPlot
from ..widgets.plot_fit import FitPlot
from ..widgets.plot_landscape import LandscapePlot, SlicePlot
from ..widgets.plot_loss import LossPlot
from .descent_clock import SPEEDS, RunClock
from .descent_help import DescentHelpScreen
from .descent_stepper import BatchStepperScreen, batch_problem
from .stepper import StepperScreen
from .stepper_commands import StepperCommands

START_STEP = 0.05
"""How far `,` and `.` move the minima example's start."""
FUNCTION = "f(x) = cos(3πx)/x"


class DescentScreen(Screen[None]):
    """Gradient descent on a data set (or the minima function), one iteration or a whole run at a time."""

    CSS_PATH = "../styles/descent.tcss"
    BINDINGS = [
        Binding("space", "step", "Step", tooltip="One iteration: a batch's gradient g, then θ ← θ − η·g"),
        Binding("enter", "run", "Run/Pause", tooltip="Run (animated) up to the --iters limit, or pause"),
        Binding("left", "undo", "Undo", tooltip="Undo the last iteration, back to exactly the state before it"),
        Binding("plus,equals_sign", "scale_lr(2)", "η×2", tooltip="Double the learning rate η"),
        Binding("minus", "scale_lr(0.5)", "η÷2", tooltip="Halve the learning rate η"),
        Binding("b", "batch_mode", "Batch", tooltip="Cycle full batch → mini-batch → stochastic (one row)"),
        Binding("comma", "move_start(-1)", "Start←", tooltip="Move the start left (minima) and show where GD ends"),
        Binding("full_stop", "move_start(1)", "Start→", tooltip="Move the start right (minima) and show where GD ends"),
        Binding("r", "reset", "Reset", tooltip="Forget every iteration and start again"),
        Binding("s", "stepper", "Into backprop", tooltip="Open this iteration's batch in the stepper, node by node"),
        Binding("left_square_bracket", "speed(-1)", "Slower", show=False, tooltip="Run slower"),
        Binding("right_square_bracket", "speed(1)", "Faster", show=False, tooltip="Run faster"),
        Binding("t", "back", "Stepper", tooltip="Back to the stepper"),
        Binding("question_mark", "help", "Help", tooltip="Keys, the three batch modes and how to read the plots"),
        Binding("q", "quit", "Quit", tooltip="Quit backprop-tui"),
    ]
    COMMANDS = {StepperCommands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]

    def __init__(self, setup: DescentSetup | None = None) -> None:
        self.setup = setup if setup is not None else build(resolve())
        self.minima = self.setup.objective.data is None
        super().__init__(classes="-minima" if self.minima else None)
        self.run = self.setup.new_run()
        self.start = tuple(self.run.current.params)
        self.landscape: Landscape | None = None
        self.plain_end: float | None = None
        self.clock = RunClock()
        self._timer: Timer | None = None
        self.diverged_at: int | None = None
        """The iteration the run diverged at, until it is undone past it or reset."""

    @property
    def running(self) -> bool:
        return self._timer is not None

    def compose(self) -> ComposeResult:
        yield DescentHeader()
        with Grid(id="descent-plots"):
            yield LossPlot(id="loss-plot")
            yield FitPlot(id="fit-plot")
            yield SlicePlot(id="slice-plot")
            yield LandscapePlot(id="landscape-plot")
        table = DescentTable()
        model = FUNCTION if self.minima else self.setup.objective.model.title
        table.border_title = f"This iteration · {model}"
        yield table
        yield DescentStatus()
        yield Footer()

    def on_mount(self) -> None:
        for plot in self.query(DescentPlot):
            plot.run = self.run
        names = self.run.params
        self.query_one(LossPlot).border_title = "f(x) per iteration" if self.minima else "Loss per iteration"
        if self.minima:
            self.query_one(SlicePlot).curve = minima_curve(self.setup.objective)
            self.query_one(SlicePlot).border_title = f"{FUNCTION} on [{minima.DOMAIN[0]:g}, {minima.DOMAIN[1]:g}]"
            self._plain_end()
        else:
            data = self.setup.objective.data
            count = len(data.features)
            fit = f"{data.target} against {data.features[0]}" if count == 1 else f"one feature only, not {count}"
            self.query_one(FitPlot).border_title = f"Data and fit: {fit}"
            self.query_one(LandscapePlot).border_title = f"Landscape L({names[0]}, {names[1]}): computing…"
            self.query_one(SlicePlot).border_title = f"L({names[1]}): computing…"
            self.compute_landscape(self.start)
        self.show()
        self.call_after_refresh(self.fit_to_size)

    def on_resize(self) -> None:
        self.fit_to_size()

    def fit_to_size(self) -> None:
        """Fewer digits, labels and footer text in a small terminal (the breakpoint classes say which)."""
        compact = self.has_class("-narrow") or self.has_class("-short")
        self.query_one(Footer).compact = self.has_class("-narrow")
        table = self.query_one(DescentTable)
        if table.compact != self.has_class("-narrow"):
            table.compact = self.has_class("-narrow")
            table.show(self.run, self.plain_end)
        for plot in self.query(DescentPlot):
            if plot.compact != compact:
                plot.compact = compact
                plot.redraw()

    def on_screen_suspend(self) -> None:
        self.pause()

    @work(thread=True, exclusive=True, group="landscape", exit_on_error=False)
    def compute_landscape(self, start: tuple[float, ...]) -> None:
        """The loss grid, off the UI thread (a large data set takes a moment)."""
        try:
            found = landscape(self.setup.objective, start)
        except (ValueError, MemoryError) as error:
            self.app.call_from_thread(self.notify, str(error), title="No landscape", severity="warning")
            return
        self.app.call_from_thread(self._landscape_ready, found)

    def _landscape_ready(self, found: Landscape) -> None:
        self.landscape = found
        names = ", ".join(found.names)
        held = " (others at the start)" if len(self.run.params) > 2 else ""
        total = self.run.objective.rows
        rows = f" on {found.rows_used:,} of {total:,} rows" if found.rows_used < total else ""
        self.query_one(LandscapePlot).border_title = f"Landscape L({names}){held}{rows}"
        for plot in (self.query_one(LandscapePlot), self.query_one(SlicePlot)):
            plot.landscape = found
        self.show()

    def _plain_end(self) -> None:
        end = plain_descent_end(self.setup.objective, self.run.optimizer, self.start, self.setup.config.iters)
        self.plain_end = end[0]
        self.query_one(SlicePlot).end = self.plain_end

    def show(self) -> None:
        """Hand the run's current state to every region."""
        run = self.run
        title = f"{FUNCTION} from x = {self.start[0]:g}" if self.minima else self.setup.title
        self.query_one(DescentHeader).show(title, run)
        self.query_one(DescentTable).show(run, self.plain_end)
        for plot in self.query(DescentPlot):
            if plot.display:
                plot.show()
        slice_plot = self.query_one(SlicePlot)
        if not self.minima and self.landscape is not None and slice_plot.held is not None:
            first, second = self.landscape.names
            slice_plot.border_title = f"L({second}) at {first} = {slice_plot.held:.3g}"
        self.show_status()

    def show_status(self) -> None:
        self.query_one(DescentStatus).show_run(self.run, self.clock, self.running, self.diverged_at,
                                               self.setup.config.iters)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "move_start":
            return self.minima
        if action == "batch_mode":
            return not self.minima
        return True

    def blocked(self) -> bool:
        """A diverged run takes no more steps until it is undone or reset; a converged one does not run on."""
        if self.diverged_at is not None:
            self.notify(diverged_text(self.run, self.diverged_at), severity="warning")
            return True
        return False

    def note_divergence(self) -> None:
        """Remember where the run diverged: changing η clears the run's verdict, not the NaN it left."""
        if self.run.stopped == "diverged" and self.diverged_at is None:
            self.diverged_at = len(self.run.history)
        elif self.diverged_at is not None and len(self.run.history) < self.diverged_at:
            self.diverged_at = None

    def action_step(self) -> None:
        self.pause()
        if not self.blocked():
            self.run.step()
            self.note_divergence()
            self.show()

    def action_run(self) -> None:
        if self.running:
            self.pause()
            self.show_status()
            return
        if self.blocked():
            return
        if self.run.stopped == "converged":
            self.notify("converged: the gradient is (almost) zero; space still steps, r resets")
            return
        self.clock.start(len(self.run.history), self.setup.config.iters)
        self._timer = self.set_interval(self.clock.tick, self._tick)
        self.show_status()

    def _tick(self) -> None:
        stepped = self.clock.advance(self.run)
        self.note_divergence()
        if self.run.stopped is not None or len(self.run.history) >= self.clock.target:
            self.pause()
        if stepped or not self.running:
            self.show()

    def pause(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def action_undo(self) -> None:
        self.pause()
        if self.run.undo() is None:
            self.notify("nothing to undo: this is the start")
        self.note_divergence()
        self.show()

    def action_scale_lr(self, factor: float) -> None:
        try:
            self.run.set_optimizer(self.run.optimizer.with_changes(lr=self.run.optimizer.lr * factor))
        except OptimizerError as error:
            self.notify(str(error), severity="error")
            return
        if self.minima:
            self._plain_end()
        self.show()

    def action_batch_mode(self) -> None:
        if self.minima:
            self.notify("the minima example has no data to batch: it is plain gradient descent")
            return
        kind = KINDS[(KINDS.index(self.run.optimizer.kind) + 1) % len(KINDS)]
        self.run.set_optimizer(self.run.optimizer.with_changes(kind=kind))
        self.notify(f"{self.run.optimizer.label}: from the next iteration on", timeout=2)
        self.show()

    def action_move_start(self, direction: int) -> None:
        if not self.minima:
            self.notify("the start moves in the minima example (backprop-tui descent --tui --example minima)")
            return
        low, high = minima.DOMAIN
        self.pause()
        self.start = (round(min(high, max(low, self.start[0] + direction * START_STEP)), 10),)
        self.run.reset(self.start)
        self.diverged_at = None
        self._plain_end()
        self.show()

    def action_reset(self) -> None:
        self.pause()
        self.run.reset(self.start)
        self.diverged_at = None
        self.show()

    def action_speed(self, direction: int) -> None:
        self.clock.change_speed(direction)
        self.notify(f"{self.clock.speed:g} iterations per second (from {SPEEDS[0]:g} to {SPEEDS[-1]:g})",
                    timeout=1.5)
        self.show_status()

    def action_stepper(self) -> None:
        self.pause()
        problem, label = batch_problem(self.run)
        self.app.push_screen(BatchStepperScreen(problem, label))

    def action_back(self) -> None:
        """Back to the stepper under this screen (or a fresh one, if this screen is the only one)."""
        self.pause()
        if any(isinstance(screen, StepperScreen) for screen in self.app.screen_stack):
            self.dismiss()
        else:
            self.app.switch_screen(StepperScreen(build_problem()))

    def action_help(self) -> None:
        self.app.push_screen(DescentHelpScreen(self.BINDINGS))

    def action_quit(self) -> None:
        self.app.exit()
