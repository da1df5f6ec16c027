"""The descent screen: one gradient-descent run seen three ways, moving together on every key.

The loss curve, the fit through the data and the point on the landscape all show the same
iteration, rendered from one immutable `IterationView` that core computes. The run itself lives in
a core `DescentDriver`; every change to it (a step, a run, undo, η, the batch mode) happens in a
worker thread and comes back as a new view, so the screen keeps answering keys whatever the data.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace

from textual import work
from textual.app import ComposeResult
from textual.binding import ActiveBinding
from textual.containers import Grid
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Label

from backprop_tui.core.training import minima
from backprop_tui.core.training.driver import DescentDriver
from backprop_tui.core.training.landscape import Landscape, landscape, minima_curve
from backprop_tui.core.training.optimizers import OptimizerError
from backprop_tui.core.training.setup import DescentSetup, build, resolve
from backprop_tui.core.training.view import IterationView

from .. import navigation
from ..widgets.descent_header import DescentHeader, DescentStatus, diverged_text
from ..widgets.descent_table import DescentTable
from ..widgets.fitting_footer import FittingFooter
from ..widgets.plot_base import DescentPlot
from ..widgets.plot_fit import FitPlot
from ..widgets.plot_landscape import LandscapePlot, SlicePlot
from ..widgets.plot_loss import LossPlot
from .descent_clock import SPEEDS, RunClock
from .descent_keys import DESCENT_BINDINGS, NARROW_HIDDEN
from .descent_run import RunLoop
from .fit import fit_screen
from .stepper_commands import StepperCommands

FUNCTION = f"f(x) = {minima.DISPLAY}"
DOMAIN_TITLE = f"{FUNCTION} on [{minima.DOMAIN[0]:g}, {minima.DOMAIN[1]:g}]"
CHANGE_GROUP = "descent-change"
NOTE_ID = "descent-note"


class DescentScreen(RunLoop, Screen[None]):
    """Gradient descent on a data set (or the minima function), one iteration or a whole run at a time."""

    CSS_PATH = "../styles/descent.tcss"
    BINDINGS = DESCENT_BINDINGS
    COMMANDS = {StepperCommands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]

    def __init__(self, setup: DescentSetup | None = None, *, note: str | None = None) -> None:
        self.driver = DescentDriver(setup if setup is not None else build(resolve()))
        self.setup = self.driver.setup
        self.minima = self.driver.minima
        super().__init__(classes="-minima" if self.minima else None)
        self.note = note
        self.landscape: Landscape | None = None
        self.clock = RunClock()
        self.running = False
        self.view = self.driver.view()
        self.shown_version = -1

    @property
    def run(self):  # noqa: ANN201 (the run, for tests and the stepper's questions)
        return self.driver.run

    def compose(self) -> ComposeResult:
        yield DescentHeader()
        if self.note:
            yield Label(Content(self.note), id=NOTE_ID)
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
        yield FittingFooter()

    def on_mount(self) -> None:
        names = self.view.names
        self.query_one(LossPlot).border_title = "f(x) per iteration" if self.minima else "Loss per iteration"
        if self.minima:
            slice_plot = self.query_one(SlicePlot)
            slice_plot.curve = minima_curve(self.setup.objective)
            slice_plot.border_title = DOMAIN_TITLE
        else:
            data = self.setup.objective.data
            assert data is not None
            self.query_one(FitPlot).data = data
            count = len(data.features)
            fit = f"{data.target} against {data.features[0]}" if count == 1 else f"one feature only, not {count}"
            self.query_one(FitPlot).border_title = f"Data and fit: {fit}"
            self.query_one(LandscapePlot).border_title = f"Landscape L({names[0]}, {names[1]}): computing…"
            self.query_one(SlicePlot).border_title = f"L({names[1]}): computing…"
            self.compute_landscape(self.driver.start)
        self.show_view(self.view, force=True)
        self.call_after_refresh(self.fit_to_size)

    def on_resize(self) -> None:
        self.fit_to_size()

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """The keys as Textual finds them, with NARROW_HIDDEN left out of an 80-column footer (they still work)."""
        found = super().active_bindings
        if not self.has_class("-narrow"):
            return found
        return {key: active._replace(binding=replace(active.binding, show=False))
                if active.binding.action in NARROW_HIDDEN else active for key, active in found.items()}

    def fit_to_size(self) -> None:
        """Fewer digits, labels and footer text in a small terminal (the breakpoint classes say which)."""
        fit = fit_screen(self, self.query(DescentPlot))
        table = self.query_one(DescentTable)
        if table.compact != fit.narrow:
            table.compact = fit.narrow
            table.show(self.view)

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
        held = " (others at the start)" if len(self.view.names) > 2 else ""
        total = self.view.rows
        rows = f" on {found.rows_used:,} of {total:,} rows" if found.rows_used < total else ""
        self.query_one(LandscapePlot).border_title = f"Landscape L({names}){held}{rows}"
        for plot in (self.query_one(LandscapePlot), self.query_one(SlicePlot)):
            plot.landscape = found
        self.show_view(self.view, force=True)
        self.change(lambda: self.driver.follow_slice(found.indices[1], found.columns))

    def show_view(self, view: IterationView, force: bool = False) -> None:
        """Hand a view to every region, unless a newer one is already shown (workers may finish out of order)."""
        if not force and view.version < self.shown_version:
            return
        self.shown_version, self.view = view.version, view
        title = f"{FUNCTION} from x = {view.start[0]:g}" if self.minima else self.setup.title
        self.query_one(DescentHeader).show(title, view)
        self.query_one(DescentTable).show(view)
        slice_plot = self.query_one(SlicePlot)
        slice_plot.end = view.plain_end
        for plot in self.query(DescentPlot):
            plot.view = view
            if plot.display:
                plot.show()
        if self.minima and view.starts is not None:
            function = "f(x)" if self.has_class("-narrow") else FUNCTION
            slice_plot.border_title = f"{function} · {view.starts.headline()}"
        if not self.minima and self.landscape is not None and slice_plot.held is not None:
            first, second = self.landscape.names
            batch = " & batch's" if view.batch_curve is not None else ""  # the slides' two curves (41-49)
            slice_plot.border_title = f"L({second}){batch} at {first} = {slice_plot.held:.3g}"
        self.show_status()

    def show_status(self) -> None:
        self.query_one(DescentStatus).show_run(self.view, self.clock, self.running, self.setup.config.iters)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("move_start", "starts"):
            return self.minima
        if action == "batch_mode":
            return not self.minima
        return True

    @work(thread=True, group=CHANGE_GROUP, exit_on_error=False)
    def change(self, operation: Callable[[], IterationView | None], refused: str | None = None,
               announce: Callable[[IterationView], str] | None = None) -> None:
        """Apply one change to the run off the UI thread; the view it returns is shown (or `refused` said),
        and `announce` says what changed."""
        try:
            view = operation()
        except OptimizerError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error")
            return
        if view is None:
            if refused:
                self.app.call_from_thread(self.notify, refused)
            return
        self.app.call_from_thread(self.show_view, view)
        if announce is not None:
            self.app.call_from_thread(self.notify, announce(view), timeout=2)

    def blocked(self) -> bool:
        """A diverged run takes no more steps until it is undone or reset."""
        if self.driver.blocked:
            self.notify(diverged_text(self.view), severity="warning")
            return True
        return False

    def action_step(self) -> None:
        self.pause()
        if not self.blocked():
            self.change(self.driver.step)

    def action_undo(self) -> None:
        self.pause()
        self.change(self.driver.undo, "nothing to undo: this is the start")

    def action_scale_lr(self, factor: float) -> None:
        self.change(lambda: self.driver.scale_lr(factor))

    def action_batch_mode(self) -> None:
        if self.minima:
            self.notify("the minima example has no data to batch: it is plain gradient descent")
            return
        self.change(self.driver.next_batch_mode, announce=lambda view: f"{view.optimizer}: from the next iteration on")

    def action_momentum(self) -> None:
        self.change(self.driver.next_momentum, announce=lambda view: (
            f"momentum μ = {view.momentum:g} from the next iteration on: v ← μv − η·g, θ ← θ + v"
            if view.momentum else "momentum off (μ = 0): plain steps θ ← θ − η·g"))

    def action_starts(self) -> None:
        if self.minima:
            self.change(self.driver.draw_starts)

    def action_move_start(self, direction: int) -> None:
        if not self.minima:
            self.notify("the start moves in the minima lesson (l, then minima)")
            return
        self.pause()
        self.change(lambda: self.driver.move_start(direction))

    def action_reset(self) -> None:
        self.pause()
        self.change(self.driver.reset)

    def restart_from(self, start: Mapping[str, float]) -> None:
        """Start the run again from parameters in the data's own units (handed over by another lesson)."""
        self.pause()
        try:
            self.view = self.driver.restart_from(start)
        except ValueError as error:
            self.notify(str(error), severity="error")
            return
        self.compute_landscape(self.driver.start)
        named = ", ".join(f"{name} = {value:.4g}" for name, value in start.items())
        self.notify(f"gradient descent starts from your {named}", timeout=4)
        self.show_view(self.view, force=True)

    def action_speed(self, direction: int) -> None:
        self.clock.change_speed(direction)
        self.notify(f"{self.clock.speed:g} iterations per second (from {SPEEDS[0]:g} to {SPEEDS[-1]:g})",
                    timeout=1.5)
        self.show_status()

    def action_stepper(self) -> None:
        self.pause()
        problem, note = self.driver.stepper_problem()
        navigation.open_stepper(self.app, problem, note)  # type: ignore[arg-type]

    def action_workbench(self) -> None:
        self.pause()
        navigation.open_workbench(self.app)

    def action_help(self) -> None:
        from ..dialogs.descent_help import DescentHelpScreen

        self.app.push_screen(DescentHelpScreen(self.BINDINGS))

    def action_quit(self) -> None:
        self.app.exit()
