"""The loss lesson's table: one row per patient (MaxHR, p̂, predicted, actual, Lᵢ), in file order or worst first.

Rows are keyed by the patient's index in the data, so a picked row names the patient whatever the
order; wrong predictions are marked, and the loss column is what the lesson's L averages.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.content import Content
from textual.widgets import DataTable

from backprop_tui.core.engine.numbers import format_scalar
from backprop_tui.core.lessons.classification import Predictions

WRONG_STYLE = "bold $error"


class PatientTable(DataTable[Content]):
    """Every patient at the current β0, β1; `show` rebuilds the rows in the order asked for."""

    BINDINGS = [
        Binding("enter", "select_cursor", "Into backprop",
                tooltip="Open the stepper on this patient: X = their MaxHR, y = their class, the current β"),
    ]
    """DataTable's own enter (pick the row), shown in the footer under the name of what picking does."""
    DEFAULT_CSS = """
    PatientTable {
        height: 1fr;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.predictions: Predictions | None = None
        self.shown: tuple[object, ...] | None = None

    def show(self, seen: Predictions, worst_first: bool) -> None:
        """Fill the table in the order asked for, the cursor on the first row; the same β and order change nothing
        (coming back from the stepper finds the cursor on the patient it left)."""
        shown = (seen.params, seen.threshold, worst_first)
        if shown == self.shown:
            return
        self.shown = shown
        self.predictions = seen
        if not self.columns:
            for label, key, width in (("   #", "row", 4), (seen.feature.rjust(6), "x", max(6, len(seen.feature))),
                                      ("p̂".rjust(9), "p", 9), ("predicted", "predicted", 9),
                                      ("actual", "actual", 6), ("Lᵢ".rjust(9), "loss", 9)):
                self.add_column(Content(label), key=key, width=width)
        self.clear()
        order = seen.worst_first() if worst_first else None
        x_width = max(6, len(seen.feature))
        for patient in seen.patients(order):
            wrong = patient.predicted != patient.actual
            predicted = Content.styled(seen.label(patient.predicted) + (" ✗" if wrong else ""),
                                       WRONG_STYLE if wrong else "")
            self.add_row(Content(f"{patient.row:>4}"), Content(f"{patient.x:>{x_width}g}"),
                         Content(f"{patient.p:>9.4g}"), predicted, Content(seen.label(patient.actual)),
                         Content(f"{format_scalar(patient.loss, 4):>9}"), key=str(patient.row - 1))
        self.move_cursor(row=0, scroll=True)

    def patient_index(self) -> int | None:
        """The data index of the patient under the cursor (None before the table is filled)."""
        if self.predictions is None or not self.row_count:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        return int(key.value) if key.value is not None else None
