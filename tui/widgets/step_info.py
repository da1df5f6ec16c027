"""The text around the stepper: the header line, the chain rule of the current step, the sweep counter.

Each renders what core already wrote (titles, `step.explanation`, `snapshot.next_formula`); none
computes anything. Text is set as `Content`, never markup: formulas contain brackets.
"""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from backprop_tui.core.engine.numbers import format_value
from backprop_tui.core.stepping.problem import Problem
from backprop_tui.core.stepping.snapshot import Snapshot
from backprop_tui.core.stepping.steppers import Stepper

from .screen_header import ScreenHeader


def problem_text(problem: Problem) -> str:
    """`lecture (slides 65-72) · reverse mode · X=3 y=1 W=3`: what is being differentiated, and how."""
    mode = f"forward mode, d/d{problem.wrt}" if problem.mode == "forward" else "reverse mode"
    inputs = " ".join(f"{name}={format_value(value)}" for name, value in problem.inputs.items())
    return f"{problem.title} · {mode} · {inputs}"


def progress_text(snapshot: Snapshot) -> str:
    """`backward · step 14/29`."""
    return f"{snapshot.phase} · step {snapshot.index}/{snapshot.total - 1}"


def sweeps_text(stepper: Stepper) -> str:
    """How many passes this mode needs for the whole gradient, and why."""
    sweeps = stepper.sweeps_for_full_gradient
    count = f"full gradient: {sweeps} sweep{'s' if sweeps != 1 else ''}"
    if stepper.mode == "reverse":
        inputs = len(stepper.graph.inputs)
        served = "its one input" if inputs == 1 else f"all {inputs} inputs"
        return f"{count} (reverse mode: one backward sweep serves {served})"
    carried = stepper.wrt_components
    if carried > 1:
        return (f"{count} (forward mode: one per input number; this one carries {carried} side by side, "
                f"d{stepper.graph.output}/d{stepper.wrt})")
    return f"{count} (forward mode: one per input; this one gives d{stepper.graph.output}/d{stepper.wrt})"


class StepperHeader(ScreenHeader):
    """The first line: the example, the mode and the inputs on the left, the progress on the right."""

    problem: reactive[Problem | None] = reactive(None)
    """The problem shown; the title follows it."""
    snapshot: reactive[Snapshot | None] = reactive(None, always_update=True)
    """The current step; the progress follows it."""

    def __init__(self) -> None:
        super().__init__("backprop-tui ·", "stepper", status="progress")

    def watch_problem(self, problem: Problem | None) -> None:
        if problem is not None:
            self.show_title(problem_text(problem))

    def watch_snapshot(self, snapshot: Snapshot | None) -> None:
        if snapshot is not None:
            self.show_status(progress_text(snapshot))


class StepExplanation(Static):
    """The chain rule as applied at this step, with its numbers, and the formula of the next step.

    Three lines high, so a key press repaints it without a new layout; a step whose explanation needs more (a
    slide's note at the end of the lecture's table) makes it taller, once, and it stays so (never cut)."""

    DEFAULT_CSS = """
    StepExplanation {
        height: 3;
        padding: 0 1;
    }
    """
    MIN_LINES = 3
    MAX_LINES = 8

    def __init__(self) -> None:
        super().__init__()
        self._fitted_width = -1

    snapshot: reactive[Snapshot | None] = reactive(None, always_update=True)
    """The current step."""

    def watch_snapshot(self, snapshot: Snapshot | None) -> None:
        if snapshot is None:
            return
        following = (f"next: {snapshot.next_formula}" if snapshot.next_formula
                     else "last step: press home to start again, m to switch mode")
        self.update(Content.assemble((snapshot.step.explanation, "bold"), "\n", (following, "dim")), layout=False)
        self.fit_height(grow_only=True)

    def fit_height(self, grow_only: bool = False) -> None:
        """As many lines as the text needs at this width (at least MIN_LINES); `grow_only` never shrinks it, so
        stepping back and forth does not make the regions above jump."""
        width = self.content_region.width
        if width <= 0:
            return
        self._fitted_width = width
        needed = max(self.MIN_LINES, min(self.MAX_LINES, self.get_content_height(self.content_region.size,
                                                                                   self.app.size, width)))
        current = self.styles.height.value if self.styles.height is not None else self.MIN_LINES
        if needed > current or (not grow_only and needed != current):
            self.styles.height = needed

    def on_resize(self) -> None:
        """Refit to a new width only. A change of height is this widget's own growth, whose Resize event can
        arrive a step later: refitting then would shrink it to that step's text, the jump `grow_only` prevents."""
        if self.content_region.width != self._fitted_width:
            self.fit_height()


class SweepCounter(Static):
    """What reverse mode saves: one sweep for the whole gradient, against one per input in forward mode.

    One line for the lecture's graphs; a second when the names are long (`this one gives dξ29/da0` ran past 80
    columns and was cut). It changes with the mode and the input only, never on a step."""

    DEFAULT_CSS = """
    SweepCounter {
        height: auto;
        padding: 0 1;
        color: $text-muted;
    }
    """

    stepper: reactive[Stepper | None] = reactive(None)
    """The stepper whose mode is counted."""

    def watch_stepper(self, stepper: Stepper | None) -> None:
        if stepper is not None:
            self.update(Content(sweeps_text(stepper)))
