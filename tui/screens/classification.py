"""The `classification` lesson (slides 4-13): move β0 and β1 by hand and watch the sigmoid over the Heart data.

The parameters live in the app's session (`app.session.hand`), shared with the `loss` lesson, so
leaving and coming back, or looking at the loss table, keeps them. Every key makes a new `HandParams`
in core and the screen hands core's `Predictions` to the plot and the panel.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer

from backprop_tui.core.lessons.classification import (
    COARSE_STEP,
    FINE_STEP,
    HandParams,
    Parameter,
    predict,
)

from .. import navigation
from ..widgets.fitting_footer import FittingFooter
from ..widgets.hand_panel import HandPanel
from ..widgets.plot_sigmoid import SigmoidPlot, plot_title
from .hand_lesson import HandLessonScreen, lesson_header

B0 = Binding.Group(f"β0 ±{FINE_STEP['β0']:g} ⇧±{COARSE_STEP['β0']:g}", compact=True)
B1 = Binding.Group(f"β1 ±{FINE_STEP['β1']:g} ⇧±{COARSE_STEP['β1']:g}", compact=True)
"""The footer shows the fine keys with both steps; the shifted (coarse) keys are in the group's text."""


class ClassificationScreen(HandLessonScreen):
    """AHD against MaxHR with the student's curve; β0, β1 on keys; the loss, accuracy and counts beside it."""

    CSS_PATH = "../styles/classification.tcss"
    BINDINGS = [
        Binding("left", "move('β0', -1)", "β0 down", group=B0, key_display="←", tooltip="β0 down by a fine step"),
        Binding("right", "move('β0', 1)", "β0 up", group=B0, key_display="→",
                tooltip="β0 up by a fine step: the curve shifts (left when β1 > 0, right when β1 < 0)"),
        Binding("shift+left", "move('β0', -1, True)", "β0 down more", show=False, key_display="⇧←",
                tooltip="β0 down by a coarse step"),
        Binding("shift+right", "move('β0', 1, True)", "β0 up more", show=False, key_display="⇧→",
                tooltip="β0 up by a coarse step"),
        Binding("down", "move('β1', -1)", "β1 down", group=B1, key_display="↓", tooltip="β1 down by a fine step"),
        Binding("up", "move('β1', 1)", "β1 up", group=B1, key_display="↑",
                tooltip="β1 up by a fine step: steeper rising, or less steep falling"),
        Binding("shift+down", "move('β1', -1, True)", "β1 down more", show=False, key_display="⇧↓",
                tooltip="β1 down by a coarse step"),
        Binding("shift+up", "move('β1', 1, True)", "β1 up more", show=False, key_display="⇧↑",
                tooltip="β1 up by a coarse step"),
        Binding("r", "random", "Random", tooltip="Random weights (slide 15's bad computer): the next seed, shown"),
        Binding("b", "bad_computer", "Slide 15", show=False,
                tooltip="Back to slides 15-16's bad computer: p̂ = 0.9 at MaxHR 200, 0.4 at 170"),
        Binding("p", "loss", "Patients", tooltip="Every patient's p̂ and loss at these β (the loss lesson)"),
        Binding("g", "descent", "Descend", tooltip="Gradient descent from these β0, β1 (the descent lesson)"),
        Binding("l", "app.lessons", "Lessons", tooltip="The lesson map: the lecture chapter by chapter"),
        Binding("question_mark", "help", "Help", tooltip="Keys, the sigmoid's two parameters and the loss"),
        Binding("q", "quit", "Quit", tooltip="Quit backprop-tui"),
    ]
    def compose(self) -> ComposeResult:
        yield lesson_header("classification", "the sigmoid's two parameters, moved by hand over the Heart data")
        with Horizontal(id="classification-body"):
            yield SigmoidPlot(id="classification-plot")
            with Vertical(id="classification-side"):
                yield HandPanel(id="classification-panel")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.query_one(HandPanel).border_title = "Your β and what they do"
        self.fit_to_size()

    def fit_to_size(self) -> None:
        compact = self.has_class("-narrow") or self.has_class("-short")
        footer = self.query_one(Footer)
        footer.compact = self.has_class("-narrow")
        footer.show_command_palette = not self.has_class("-narrow")
        self.query_one(SigmoidPlot).compact = compact
        self.query_one(HandPanel).compact = compact
        self.query_one(SigmoidPlot).border_title = plot_title(self.data.features[0], compact)
        self.show()

    def show(self) -> None:
        seen = predict(self.data, self.session.hand)
        self.query_one(SigmoidPlot).show(seen)
        self.query_one(HandPanel).show(seen, self.session.hand_seed)

    def set_params(self, params: HandParams) -> None:
        self.session.hand = params
        self.show()

    def action_move(self, name: Parameter, steps: int, coarse: bool = False) -> None:
        self.set_params(self.session.hand.moved(name, steps, coarse))

    def action_bad_computer(self) -> None:
        self.set_params(HandParams.bad_computer())

    def action_loss(self) -> None:
        navigation.open_lesson(self.app, "loss")
