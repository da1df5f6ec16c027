"""The stepper screen: the graph, the lecture's table and the chain rule, moving together on every key.

The screen owns the state (the problem, its stepper, the step index); widgets get the current
snapshot as an attribute and report clicks as messages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.geometry import Size
from textual.reactive import var
from textual.widgets import Footer, Label

from backprop_tui.core.stepping.examples import GRAPH_EXAMPLES
from backprop_tui.core.stepping.problem import Problem, ProblemError, build_problem
from backprop_tui.core.stepping.step_store import step_of
from backprop_tui.core.stepping.steppers import Stepper

from .. import navigation
from ..widgets import GraphCanvas, StepExplanation, StepperHeader, SweepCounter, TraceTable
from ..widgets.startup_footer import StartupFooter
from .stepper_commands import StepperCommands
from .stepper_loading import Built, LoadsInBackground

GRAPH_TITLE = "Computational graph"
TABLE_TITLE = "The lecture's table"
NOTE_ID = "stepper-note"
"""The line under the header that says where this graph came from (a lesson, an iteration, a patient)."""


def breakpoint_classes(size: Size, horizontal: Sequence[tuple[int, str]],
                       vertical: Sequence[tuple[int, str]]) -> list[str]:
    """The breakpoint classes Textual gives a screen of `size` (the widest and tallest threshold reached).

    Set before the screen is first styled, Textual's own pass on the first resize finds nothing to
    change: otherwise it restyles every widget and lays the screen out again before the first frame."""
    classes = []
    for dimension, breakpoints in ((size.width, horizontal), (size.height, vertical)):
        reached = [(threshold, name) for threshold, name in breakpoints if dimension >= threshold]
        if reached:
            classes.append(max(reached)[1])
    return classes


class StepperScreen(LoadsInBackground):
    """Walk the forward and backward pass node by node."""

    BINDINGS = [
        Binding("right,n", "next", "Next", tooltip="Next step: compute the next node, or send the next adjoint back"),
        Binding("left,p", "previous", "Prev", tooltip="Previous step"),
        Binding("home", "first", "First", show=False, tooltip="First step: only the inputs are known"),
        Binding("end", "last", "Last", show=False, tooltip="Last step: the table complete"),
        Binding("m", "mode", "Mode", tooltip="Switch between forward and reverse mode (keeps the inputs)"),
        Binding("c", "collapse", "Layers",
                tooltip="Collapse a network's graph to one box per layer, or expand it to every node"),
        Binding("w", "wrt", "Wrt", tooltip="Choose the input to differentiate with respect to (forward mode)"),
        Binding("e", "edit", "Edit", tooltip="Edit the expression and the input values"),
        Binding("x", "examples", "Examples", tooltip="Open one of the lecture's examples"),
        Binding("g", "descent", "Descent", tooltip="Gradient descent on a data set (where you left it)"),
        Binding("l", "app.lessons", "Lessons", tooltip="The lesson map: the lecture chapter by chapter"),
        Binding("escape", "back", "Back", tooltip="Back to where this graph was opened from"),
        Binding("k", "practise", "Practise", show=False,
                tooltip="Practise this graph: type each cell before it is revealed"),
        Binding("question_mark", "help", "Help", tooltip="Keys, and forward against reverse mode"),
        Binding("f", "basic_functions", "Functions", show=False,
                tooltip="The basic functions (slide 67): this graph's own beside their derivatives; f again: all"),
        Binding("y", "flip_y", "Flip y", show=False,
                tooltip="Flip the input y between 1 and 0 (with y = 1 the Lᴮ branch is all zeros)"),
        Binding("v", "predictors", "Predictors", show=False,
                tooltip="Slide 14: the neuron over several Heart columns, h = WᵀX with W and X vectors"),
        Binding("q", "quit", "Quit", tooltip="Quit backprop-tui"),
    ]
    COMMANDS = {StepperCommands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]

    index: var[int] = var(0)
    """The step shown, 0 (inputs only) to len(stepper) - 1 (table complete)."""

    def __init__(self, problem: Problem, *, note: str | None = None, pushed: bool = False,
                 short_note: str | None = None) -> None:
        super().__init__()
        self.problem = problem
        self.note = note
        self.short_note = short_note
        """A complete shorter note for a short terminal (the whole one would push the explanation off the screen)."""
        self.pushed = pushed
        """Whether this stepper was opened over another screen (escape goes back to it)."""
        self.stepper: Stepper | None = None
        try:
            size = self.app.size
        except RuntimeError:  # built outside a running app: Textual sets the classes on the first resize
            return
        self.set_class(True, *breakpoint_classes(size, self.HORIZONTAL_BREAKPOINTS, self.VERTICAL_BREAKPOINTS),
                       update=False)

    def compose(self) -> ComposeResult:
        yield StepperHeader()
        if self.note:
            yield Label(Content(self.note), id=NOTE_ID)
        canvas = GraphCanvas()
        canvas.border_title = GRAPH_TITLE
        yield canvas
        table = TraceTable()
        table.border_title = TABLE_TITLE
        yield table
        yield StepExplanation()
        yield SweepCounter()
        yield StartupFooter()

    def on_mount(self) -> None:
        if not self.load(self.problem):
            self.app.exit(message="backprop-tui: cannot step through this graph")

    def on_resize(self) -> None:
        self.query_one(Footer).compact = self.has_class("-narrow")
        if self.note and self.short_note:
            self.call_after_refresh(self._fit_note)

    def _fit_note(self) -> None:
        """The short note in a short terminal, the whole one otherwise (after the breakpoint classes are set)."""
        chosen = self.short_note if self.has_class("-short") else self.note
        self.query_one(f"#{NOTE_ID}", Label).update(Content(chosen or ""))

    def show_built(self, built: Built, index: int) -> None:
        """Hand a problem stepped through (`load`, stepper_loading.py) to the widgets, from step `index`."""
        problem, stepper, final = built.problem, built.stepper, built.final
        first = self.stepper is None
        self.problem, self.stepper = problem, stepper
        self.query_one(GraphCanvas).load(problem.graph, final, built.groups, stepper.outline)
        if not first:
            # The first load is before the footer shows any key: it asks for the bindings once Textual has
            # published them, and a second publication would compose it twice before the first frame.
            self.refresh_bindings()
        self.set_reactive(StepperScreen.index, self.validate_index(index))
        self.query_one(TraceTable).load(final, stepper.snapshot(self.index))
        self.query_one(StepperHeader).problem = problem
        self.query_one(SweepCounter).stepper = stepper
        self.show_step()

    def validate_index(self, index: int) -> int:
        total = len(self.stepper) if self.stepper is not None else 1
        return max(0, min(index, total - 1))

    def watch_index(self) -> None:
        self.show_step()

    def show_step(self) -> None:
        """Hand the current snapshot to every widget."""
        if self.stepper is None:
            return
        snapshot = self.stepper.snapshot(self.index)
        self.query_one(StepperHeader).snapshot = snapshot
        self.query_one(GraphCanvas).snapshot = snapshot
        self.query_one(TraceTable).snapshot = snapshot
        self.query_one(StepExplanation).snapshot = snapshot

    def jump_to(self, name: str) -> None:
        """Go to the step of node `name` in the pass being shown."""
        if self.stepper is None:
            return
        backward = self.stepper.snapshot(self.index).phase == "backward"
        self.index = step_of(self.stepper, name, backward)

    @on(GraphCanvas.NodeClicked)
    def node_clicked(self, message: GraphCanvas.NodeClicked) -> None:
        self.jump_to(message.name)

    @on(TraceTable.RowClicked)
    def row_clicked(self, message: TraceTable.RowClicked) -> None:
        self.jump_to(message.name)

    def action_next(self) -> None:
        self.index += 1

    def action_previous(self) -> None:
        self.index -= 1

    def action_first(self) -> None:
        self.index = 0

    def action_last(self) -> None:
        self.index = len(self.stepper) - 1 if self.stepper is not None else 0

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`c` is offered only for a graph with layers to collapse, escape only where there is a way back."""
        if action == "back":
            return self.pushed or bool(getattr(self.app, "came_from", ()))
        if action == "collapse":
            groupings = [canvas.grouping for canvas in self.query(GraphCanvas)]
            return any(grouping is not None and grouping.collapsible for grouping in groupings)
        return True

    def action_collapse(self) -> None:
        canvas = self.query_one(GraphCanvas)
        canvas.collapsed = not canvas.is_collapsed

    def action_mode(self) -> None:
        """Switch mode, staying on the node shown where the other mode has a step for it."""
        mode = "forward" if self.problem.mode == "reverse" else "reverse"
        node = self.stepper.snapshot(self.index).node if self.stepper is not None else None

        def stay_on_node() -> None:
            if node is not None and self.stepper is not None:
                self.index = step_of(self.stepper, node, backward=False)

        self.load(self.problem.with_mode(mode), then=stay_on_node)

    def action_wrt(self) -> None:
        from ..dialogs.choice import ChoiceScreen

        options = [(name, name) for name in self.problem.graph.inputs]
        self.app.push_screen(ChoiceScreen("Differentiate with respect to", options, self.problem.wrt), self._chose_wrt)

    def _chose_wrt(self, name: str | None) -> None:
        if name is None:
            return
        problem = self.problem.with_wrt(name)
        if problem.mode == "reverse":
            problem = problem.with_mode("forward")
            self.notify(f"forward mode with respect to {name}: reverse mode already gives every input at once",
                        timeout=4)
        self.load(problem)

    def action_edit(self) -> None:
        from ..dialogs.edit import EditScreen

        self.app.push_screen(EditScreen(self.problem), self._edited)

    def _edited(self, problem: Problem | None) -> None:
        if problem is not None:
            self.load(problem)

    def action_examples(self) -> None:
        from ..dialogs.choice import ChoiceScreen

        options = [(name, f"{name} · {item.title} ({item.slides})") for name, item in GRAPH_EXAMPLES.items()]
        current = self.problem.source.text if self.problem.source.kind == "example" else None
        self.app.push_screen(ChoiceScreen("Open an example", options, current), self._chose_example)

    def _chose_example(self, name: str | None) -> None:
        if name is None:
            return
        try:
            self.load(build_problem(name, mode=self.problem.mode))
        except ProblemError as error:
            self.notify(str(error), title="Cannot open the example", severity="error")

    def action_basic_functions(self) -> None:
        from ..dialogs.primitives import PrimitivesScreen

        self.app.push_screen(PrimitivesScreen(self.problem.graph, self.problem.title))

    def action_flip_y(self) -> None:
        """y = 1 ↔ y = 0 on a graph with an input y, staying on the same step (the header shows the new y)."""
        y = self.problem.inputs.get("y")
        if not isinstance(y, float | int):
            reason = "this graph has no input y" if y is None else "y here is a batch's labels, not one number"
            self.notify(reason, severity="warning", timeout=3)
            return
        flipped = 0.0 if y == 1.0 else 1.0
        self.load(replace(self.problem, inputs={**self.problem.inputs, "y": flipped}), self.index)

    def action_predictors(self) -> None:
        from .predictors import choose_predictors

        choose_predictors(self)

    def action_help(self) -> None:
        from ..dialogs.help import HelpScreen

        self.app.push_screen(HelpScreen(self.BINDINGS))

    def action_descent(self) -> None:
        navigation.open_lesson(self.app, "descent")

    def action_back(self) -> None:
        self.app.action_back()  # type: ignore[attr-defined]

    def action_practise(self) -> None:
        from .practice_exercise import practise_graph

        practise_graph(self.app, self.problem)

    def action_quit(self) -> None:
        self.app.exit()
