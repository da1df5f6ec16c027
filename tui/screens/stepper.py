"""The stepper screen: the graph, the lecture's table and the chain rule, moving together on every key.

The screen owns the state (the problem, its stepper, the step index); widgets get the current
snapshot as an attribute and report clicks as messages.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Footer

from backprop_tui.core.layout.grouping import group_layers
from backprop_tui.core.stepping.examples import GRAPH_EXAMPLES
from backprop_tui.core.stepping.problem import Problem, ProblemError, build_problem
from backprop_tui.core.stepping.steppers import Stepper

from ..widgets import GraphCanvas, StepExplanation, StepperHeader, SweepCounter, TraceTable
from .choice import ChoiceScreen
from .edit import EditScreen
from .help import HelpScreen
from .stepper_commands import StepperCommands

GRAPH_TITLE = "Computational graph"
TABLE_TITLE = "The lecture's table"


def step_of(stepper: Stepper, name: str, backward: bool) -> int:
    """The step that computes `name`: its value, or in the backward pass its complete adjoint."""
    kinds = ("seed", "adjoint") if backward else ("value",)
    steps = [index for index, step in enumerate(stepper.outline) if step.node == name and step.kind in kinds]
    if not steps:
        return 0
    return steps[-1] if backward else steps[0]


class StepperScreen(Screen[None]):
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
        Binding("g", "descent", "Descent", tooltip="Gradient descent on a data set"),
        Binding("question_mark", "help", "Help", tooltip="Keys, and forward against reverse mode"),
        Binding("q", "quit", "Quit", tooltip="Quit backprop-tui"),
    ]
    COMMANDS = {StepperCommands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]

    index: var[int] = var(0)
    """The step shown, 0 (inputs only) to len(stepper) - 1 (table complete)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__()
        self.problem = problem
        self.stepper: Stepper | None = None

    def compose(self) -> ComposeResult:
        yield StepperHeader()
        canvas = GraphCanvas()
        canvas.border_title = GRAPH_TITLE
        yield canvas
        table = TraceTable()
        table.border_title = TABLE_TITLE
        yield table
        yield StepExplanation()
        yield SweepCounter()
        yield Footer()

    def on_mount(self) -> None:
        if not self.load(self.problem):
            self.app.exit(message="backprop-tui: cannot step through this graph")

    def on_resize(self) -> None:
        self.query_one(Footer).compact = self.has_class("-narrow")

    def load(self, problem: Problem, index: int = 0) -> bool:
        """Show a new problem from step `index`; if its stepper cannot be built, keep the current one."""
        try:
            stepper = problem.stepper()
        except (ValueError, ArithmeticError) as error:
            self.notify(str(error), title="Cannot step through this graph", severity="error")
            return False
        self.problem, self.stepper = problem, stepper
        final = stepper.final()
        self.query_one(GraphCanvas).load(problem.graph, final, group_layers(problem.graph), stepper.outline)
        self.refresh_bindings()
        self.query_one(TraceTable).load(final)
        self.query_one(StepperHeader).problem = problem
        self.query_one(SweepCounter).stepper = stepper
        self.set_reactive(StepperScreen.index, self.validate_index(index))
        self.show_step()
        return True

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
        """`c` is offered only for a graph with layers to collapse."""
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
        if self.load(self.problem.with_mode(mode)) and node is not None and self.stepper is not None:
            self.index = step_of(self.stepper, node, backward=False)

    def action_wrt(self) -> None:
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
        self.app.push_screen(EditScreen(self.problem), self._edited)

    def _edited(self, problem: Problem | None) -> None:
        if problem is not None:
            self.load(problem)

    def action_examples(self) -> None:
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

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self.BINDINGS))

    def action_descent(self) -> None:
        try:
            from .descent import DescentScreen
        except ImportError:
            self.notify("gradient descent screen not available", severity="warning")
            return
        self.app.push_screen(DescentScreen())

    def action_quit(self) -> None:
        self.app.exit()
