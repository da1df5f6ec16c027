"""The `loss` lesson (slides 14-17): a bad computer's prediction for every patient, and the loss as their average.

The β0, β1 are the classification lesson's (`app.session.hand`). The table shows each patient's p̂,
predicted and actual class and loss Lᵢ, in file order or worst first (`s`); the side explains the
patient under the cursor and says L is the mean of the Lᵢ column. Enter on a patient opens the
stepper on the `neuron` graph with that patient's MaxHR and class and the current β, built in core.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import DataTable, Footer, Label, Static

from backprop_tui.core.engine.numbers import format_scalar
from backprop_tui.core.lessons.classification import (
    Predictions,
    predict,
)
from backprop_tui.core.lessons.formulas import LOSS_FORMULA, LOSS_IF_ONE, LOSS_IF_ZERO, logistic_formula
from backprop_tui.core.lessons.patients import explain_loss, patient_problem

from .. import navigation
from ..widgets.fitting_footer import FittingFooter
from ..widgets.hand_panel import params_line, seed_line
from ..widgets.patient_table import PatientTable
from .hand_lesson import HandLessonScreen, lesson_header

SLIDE_17 = ("Slide 17: the loss function takes all these results and averages them, and tells us how bad or "
            "good these weights are. Telling is not enough: descent (g) says how to change them.")


class LossScreen(HandLessonScreen):
    """Every patient's p̂ and Lᵢ at the shared β, sortable worst first; L as the column's mean; enter steps in."""

    CSS_PATH = "../styles/loss.tcss"
    BINDINGS = [
        Binding("s", "sort(True)", "Worst first", tooltip="Sort by loss, the worst predictions first"),
        Binding("s", "sort(False)", "File order", tooltip="Back to the file's order"),
        Binding("r", "random", "Random", tooltip="Random weights (slide 15's bad computer): the next seed, shown"),
        Binding("c", "curve", "Curve", tooltip="The classification lesson: move β0, β1 over the plotted data"),
        Binding("g", "descent", "Descend", tooltip="Gradient descent from these β0, β1 (the descent lesson)"),
        Binding("l", "app.lessons", "Lessons", tooltip="The lesson map: the lecture chapter by chapter"),
        Binding("question_mark", "help", "Help", tooltip="Keys, the sigmoid's two parameters and the loss"),
        Binding("q", "quit", "Quit", tooltip="Quit backprop-tui"),
    ]
    def __init__(self) -> None:
        super().__init__()
        self.worst_first = False
        self.predictions: Predictions | None = None

    def compose(self) -> ComposeResult:
        yield lesson_header("loss", "a bad computer, patient by patient")
        yield Label(id="loss-params")
        with Horizontal(id="loss-body"):
            with Vertical(id="loss-main"):
                yield PatientTable(id="loss-table")
                yield Label(id="loss-mean")
                yield Label(id="loss-patient")
            yield Static(id="loss-side")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.query_one("#loss-side").border_title = "Lᵢ, patient by patient"
        self.query_one(PatientTable).border_title = "Every patient at these β"
        self.fit_to_size()

    def fit_to_size(self) -> None:
        footer = self.query_one(Footer)
        footer.compact = self.has_class("-narrow")
        footer.show_command_palette = not self.has_class("-narrow")
        self.show()

    def show(self) -> None:
        seen = predict(self.data, self.session.hand)
        self.predictions = seen
        narrow = self.has_class("-narrow")
        formula = Content(f"    p̂ = {logistic_formula(seen.feature)}")
        self.query_one("#loss-params", Label).update(Content.assemble(
            params_line(seen), formula, "\n" if narrow else "    ", seed_line(seen, self.session.hand_seed)))
        table = self.query_one(PatientTable)
        table.show(seen, self.worst_first)
        table.border_subtitle = Content("worst first (s: file order)" if self.worst_first
                                        else "in the file's order (s: worst first)")
        wrong = len(seen) - seen.correct
        self.query_one("#loss-mean", Label).update(Content.assemble(
            (f"L = (1/{len(seen)}) Σ Lᵢ", "bold"), f" = {format_scalar(seen.loss, 6)}",
            ":", (" the mean of the Lᵢ column", "dim"), f" · {wrong} wrong"))
        self.show_patient()

    def show_patient(self) -> None:
        seen, index = self.predictions, self.query_one(PatientTable).patient_index()
        if seen is None:
            return
        explained = explain_loss(seen, index) if index is not None else ""
        self.query_one("#loss-patient", Label).update(Content(explained))
        no, yes = seen.labels
        lines = [Content(LOSS_FORMULA),
                 Content(f"  {yes} (y = 1): {LOSS_IF_ONE}"),
                 Content(f"  {no} (y = 0):  {LOSS_IF_ZERO}"),
                 Content("A confident wrong p̂ costs the most."), Content("")]
        if explained:
            lines += [Content.styled(explained, "bold"), Content("")]
        lines += [Content.styled(SLIDE_17, "dim")]
        self.query_one("#loss-side", Static).update(Content("\n").join(lines))

    @on(DataTable.RowHighlighted)
    def row_highlighted(self) -> None:
        self.show_patient()

    @on(DataTable.HeaderSelected)
    def header_selected(self, event: DataTable.HeaderSelected) -> None:
        """A click on the Lᵢ header sorts worst first; on the # header, back to the file's order."""
        order = {"loss": True, "row": False}.get(str(event.column_key.value))
        if order is not None and order != self.worst_first:
            self.action_sort(order)

    @on(DataTable.RowSelected)
    def row_selected(self) -> None:
        self.action_stepper()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`s` is one key with two meanings: only the sort that is not the current one is offered."""
        if action == "sort":
            return parameters[0] != self.worst_first
        return True

    def action_sort(self, worst_first: bool) -> None:
        self.worst_first = worst_first
        self.refresh_bindings()
        self.show()

    def action_stepper(self) -> None:
        index = self.query_one(PatientTable).patient_index()
        if self.predictions is None or index is None:
            return
        problem, note = patient_problem(self.predictions, index)
        navigation.open_stepper(self.app, problem, note)

    def action_curve(self) -> None:
        navigation.open_lesson(self.app, "classification")
