"""The guided example of slides 54-59: one neuron cannot fit the altered heart data, two hidden neurons can.

Both parts are trained with the documented recipe (`core.two_neurons`) in a worker as soon as the
screen opens, part 1 first; progress and the finished runs are handed to the screen on the UI thread
(`call_from_thread`, the one way every worker of the app reports). Once a part is
trained the student moves through its iterations and the curves are recomputed from that
iteration's parameters, and `s` opens the stepper on the network at that iteration.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Label
from textual.worker import get_current_worker

from backprop_tui.core.lessons import two_neurons

from .. import navigation
from ..widgets.fitting_footer import FittingFooter
from ..widgets.neurons_panel import PART_TITLES, IterationSlider, NeuronsHeader, RecipePanel
from ..widgets.plot_neurons import LessonPlot, NeuronsPlot, RunLossPlot
from .fit import fit_screen

PARTS = {1: two_neurons.ONE_NEURON, 2: two_neurons.TWO_NEURONS}
PROGRESS_EVERY = 100
"""Iterations between progress messages from the training worker."""
JUMP = 20
"""page up / page down move a twentieth of the run."""
STATUS_ID = "neurons-status"
PLOT_TITLES = {1: "Part 1 · one neuron: p = σ(β0 + β1·MaxHR) over the data",
               2: "Part 2 · 1-2-1 network: h1, h2, their weighted sum q and p = σ(q)"}
COMPACT_PLOT_TITLES = {1: "Part 1: p = σ(β0 + β1·MaxHR)", 2: "Part 2: h1, h2, q and p = σ(q)"}


class TwoNeuronsScreen(Screen[None]):
    """Part 1 (one neuron fails) and part 2 (two hidden neurons fit), at any iteration of their runs."""

    CSS_PATH = "../styles/two_neurons.tcss"
    BINDINGS = [
        Binding("1", "part(1)", "One neuron", show=False,
                tooltip="Part 1: one neuron trained to convergence, and why it fails"),
        Binding("2", "part(2)", "Two neurons", show=False,
                tooltip="Part 2: the 1-2-1 network, h1 stepping up and h2 stepping down"),
        Binding("tab", "other_part", "Part 1/2", tooltip="Switch between part 1 and part 2"),
        Binding("left", "move(-1)", "Iter−", tooltip="One iteration back: the curves at the earlier parameters"),
        Binding("right", "move(1)", "Iter+", tooltip="One iteration on"),
        Binding("pageup", "jump(-1)", "Back 5%", show=False, tooltip="A twentieth of the run back"),
        Binding("pagedown", "jump(1)", "On 5%", show=False, tooltip="A twentieth of the run on"),
        Binding("home", "first", "Start", show=False, tooltip="The start: the recipe's starting weights"),
        Binding("end", "last", "End", show=False, tooltip="The end of the run"),
        Binding("x", "sample", "Row", tooltip="The row the stepper opens on: in, below or above the band, or all"),
        Binding("s", "stepper", "Into backprop", tooltip="Open the stepper on this iteration's network and row"),
        Binding("t", "workbench", "Stepper", show=False, tooltip="The stepper (escape comes back here)"),
        Binding("l", "app.lessons", "Lessons", tooltip="The lesson map: the lecture chapter by chapter"),
        Binding("question_mark", "help", "Help", tooltip="Keys, the lesson and how to read the plot"),
        Binding("q", "quit", "Quit", tooltip="Quit backprop-tui"),
    ]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]

    part: var[int] = var(1)
    """The part shown: 1 (one neuron) or 2 (the 1-2-1 network)."""
    iteration: var[int] = var(0)
    """The iteration of the shown part's run whose curves are drawn (0 is the start)."""
    sample: var[int] = var(0)
    """Which of `two_neurons.samples()` the stepper opens on."""

    def __init__(self, seed: int = two_neurons.SEED) -> None:
        super().__init__()
        self.seed = seed
        self.setup = two_neurons.setup_for(two_neurons.ONE_NEURON, seed)
        """The data of both parts (the same file), drawn while they train."""
        self.majority = two_neurons.majority_accuracy(self.setup)
        self.samples = two_neurons.samples(self.setup)
        self.results: dict[int, two_neurons.PartResult] = {}
        self.progress: dict[int, tuple[int, int]] = {}
        self.remembered: dict[int, int] = {}
        """The iteration each part was left at, to come back to it."""

    def compose(self) -> ComposeResult:
        yield NeuronsHeader()
        with Horizontal(id="neurons-body"):
            yield NeuronsPlot(id="neurons-plot")
            with Vertical(id="neurons-side"):
                yield RecipePanel(id="neurons-recipe")
                yield RunLossPlot(id="neurons-loss")
        yield IterationSlider()
        yield Label(id=STATUS_ID)
        yield FittingFooter()

    def on_mount(self) -> None:
        self.query_one("#neurons-loss").border_title = "Loss per iteration"
        self.query_one(RecipePanel).border_title = "Recipe and numbers"
        self.train()
        self.show()
        self.call_after_refresh(self.fit_to_size)

    def on_resize(self) -> None:
        self.fit_to_size()

    def fit_to_size(self) -> None:
        """Fewer digits and labels in a small terminal (the breakpoint classes say which)."""
        fit = fit_screen(self, self.query(LessonPlot))
        panel = self.query_one(RecipePanel)
        if panel.compact != fit.compact:
            panel.compact = fit.compact
            self.show()

    @work(thread=True, exclusive=True, group="two-neurons", exit_on_error=False)
    def train(self) -> None:
        """Both parts with their recipe, off the UI thread; progress and each result are handed to the screen
        on the UI thread (`call_from_thread`), as the descent screen's workers do."""
        worker = get_current_worker()
        for part, recipe in PARTS.items():
            def progress(done: int, total: int, part: int = part) -> bool:
                if done % PROGRESS_EVERY == 0:
                    self.app.call_from_thread(self.training_progress, part, done, total)
                return not worker.is_cancelled

            result = two_neurons.train(recipe, self.seed, progress)
            if worker.is_cancelled:
                return
            self.app.call_from_thread(self.part_trained, part, result)

    def training_progress(self, part: int, done: int, total: int) -> None:
        """The worker has taken `done` of the part's `total` iterations."""
        self.progress[part] = (done, total)
        if part == self.part:
            self.show_status()

    def part_trained(self, part: int, result: two_neurons.PartResult) -> None:
        """The worker has finished a part."""
        self.results[part] = result
        self.remembered.setdefault(part, result.iterations)
        if part == self.part:
            self.set_reactive(TwoNeuronsScreen.iteration, self.remembered[part])
            self.show()

    @on(IterationSlider.Moved)
    def slider_moved(self, message: IterationSlider.Moved) -> None:
        self.iteration = message.iteration

    @property
    def data_title(self) -> str:
        """The data's file name (the plot's axes say AHD against MaxHR)."""
        data = self.setup.data
        assert data is not None
        return data.name

    @property
    def result(self) -> two_neurons.PartResult | None:
        return self.results.get(self.part)

    def validate_iteration(self, iteration: int) -> int:
        result = self.results.get(self.part)
        return max(0, min(iteration, result.iterations if result is not None else 0))

    def watch_iteration(self, iteration: int) -> None:
        self.remembered[self.part] = iteration
        self.show()

    def watch_part(self) -> None:
        result = self.result
        self.set_reactive(TwoNeuronsScreen.iteration, self.remembered.get(
            self.part, result.iterations if result is not None else 0))
        self.show()

    def watch_sample(self) -> None:
        self.show()

    def show(self) -> None:
        """Hand the shown part at the shown iteration to every region."""
        result = self.result
        view = two_neurons.view(result, self.iteration) if result is not None else None
        total = result.iterations if result is not None else None
        row = self.samples[self.sample].row
        self.query_one(NeuronsHeader).show(self.part, self.data_title, view, total)
        plot = self.query_one(NeuronsPlot)
        plot.border_title = (COMPACT_PLOT_TITLES if plot.compact else PLOT_TITLES)[self.part]
        plot.show(self.setup.data, view, row)
        self.query_one(RunLossPlot).show(view)
        self.query_one(RecipePanel).show(result, view, self.majority)
        slider = self.query_one(IterationSlider)
        slider.total, slider.iteration = total, self.iteration
        self.show_status()

    def show_status(self) -> None:
        status = self.query_one(f"#{STATUS_ID}", Label)
        result = self.result
        if result is None:
            done, total = self.progress.get(self.part, (0, PARTS[self.part]["iters"]))
            status.update(Content(f"training part {self.part} ({PART_TITLES[self.part]}): "
                                  f"iteration {done} of at most {total}…"))
            return
        sample = two_neurons.describe_sample(self.setup, self.samples[self.sample])
        status.update(Content(f"s opens the stepper on {sample} · x another row"))

    def action_part(self, part: int) -> None:
        self.part = part

    def action_other_part(self) -> None:
        self.part = 3 - self.part

    def action_move(self, step: int) -> None:
        if self.result is None:
            self.notify(f"part {self.part} is still training", timeout=2)
            return
        self.iteration += step

    def action_jump(self, direction: int) -> None:
        if self.result is not None:
            self.iteration += direction * max(1, self.result.iterations // JUMP)

    def action_first(self) -> None:
        self.iteration = 0

    def action_last(self) -> None:
        if self.result is not None:
            self.iteration = self.result.iterations

    def action_sample(self) -> None:
        self.sample = (self.sample + 1) % len(self.samples)

    def action_stepper(self) -> None:
        result = self.result
        if result is None:
            self.notify(f"part {self.part} is still training: the stepper opens once it is done", timeout=3)
            return
        problem, note = two_neurons.stepper_problem(self.part, result, self.iteration, self.samples[self.sample])
        navigation.open_stepper(self.app, problem, note)

    def action_workbench(self) -> None:
        navigation.open_workbench(self.app)

    def action_help(self) -> None:
        from ..dialogs.two_neurons_help import TwoNeuronsHelpScreen

        self.app.push_screen(TwoNeuronsHelpScreen(self.BINDINGS))

    def action_quit(self) -> None:
        self.app.exit()
