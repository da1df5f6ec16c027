"""The two-neurons lesson's text: the header with the two parts, the recipe and numbers, the iteration slider.

Each widget is handed a trained part from `core.two_neurons` (or None while it trains) and the
iteration being looked at; the slider reports clicks up to the screen as `IterationSlider.Moved`.
"""

from __future__ import annotations

import textwrap

from textual import events
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from backprop_tui.core.engine.numbers import format_scalar
from backprop_tui.core.lessons.two_neurons import CLASS_NAMES, IterationView, PartResult, explain

from .screen_header import ScreenHeader

PART_TITLES = {1: "one neuron", 2: "two hidden neurons"}
PANEL_TEXT_WIDTH = 34
"""The panel's lines are at most this wide, so nothing wraps again in the 80×24 layout."""
DIGITS = 6
COMPACT_DIGITS = 4


class NeuronsHeader(ScreenHeader):
    """The first line: the lesson, its two parts (the one shown lit), the data, the iteration."""

    def __init__(self) -> None:
        super().__init__("backprop-tui · two neurons ·", "neurons", status="iteration", parts=True, muted=True)

    def show(self, part: int, title: str, view: IterationView | None, total: int | None) -> None:
        parts = []
        for number, name in PART_TITLES.items():
            text = f" {number} {name} "
            parts.append((text, "reverse bold") if number == part else text)
        self.label("parts").update(Content.assemble(*parts))
        self.show_title(title)
        self.show_status("training…" if view is None or total is None else f"iter {view.iteration} of {total}")


def _percent(share: float) -> str:
    return f"{100 * share:.1f}%"


class RecipePanel(Static):
    """How the part was trained (start, η, iterations) and where it stands at the chosen iteration."""

    compact = False
    """Fewer digits, for an 80×24 terminal."""

    def show(self, result: PartResult | None, view: IterationView | None, majority: float | None) -> None:
        if result is None or view is None:
            self.update(Content("Training with the recipe below…"))
            return
        self.update(Content("\n").join(self.lines(result, view, majority)))

    def lines(self, result: PartResult, view: IterationView, majority: float | None) -> list[Content]:
        """Every line is at most 34 characters, so nothing wraps in the 80×24 layout; compact drops the gaps."""
        model = result.run.objective.model
        data = result.setup.data
        assert data is not None
        digits = COMPACT_DIGITS if self.compact else DIGITS
        gap = [] if self.compact else [Content("")]
        heading = lambda text: Content.styled(text, "bold $text-primary")  # noqa: E731
        config = result.setup.config
        stopped = {"converged": f"converged after {result.iterations} iterations",
                   "diverged": f"diverged at iteration {result.iterations}",
                   "iterations": f"ran all {result.iterations} iterations"}[result.stopped]
        # Compact, the recipe is one line (the stopped line says how many iterations ran): at 80×24 part 2's
        # last line, "p = σ(q) is the band", fell one row below the panel.
        recipe = ([Content(f"{result.run.optimizer.label} descent · η = {config.lr:g}")] if self.compact else
                  [Content(f"{result.run.optimizer.label} gradient descent"),
                   Content(f"η = {config.lr:g} · at most {config.iters} iterations")])
        lines = [*([] if self.compact else [heading("Recipe")]),
                 *recipe,
                 *([] if self.compact else [Content(f"{data.features[0]} standardised · start below")]),
                 Content(stopped),
                 *gap,
                 heading(f"After {view.iteration} of {result.iterations} iterations"),
                 Content(f"loss {format_scalar(view.loss, digits)} · accuracy {_percent(view.accuracy)}"),
                 Content(f"always \"{CLASS_NAMES[0]}\": {_percent(majority)}" if majority is not None else ""),
                 Content(f"predicts disease for {view.predicted_disease} of {len(data)} rows"),
                 *gap]
        width = max(len(name) for name in model.params) + 1
        cell = digits + 6
        columns = ("start", "now", "raw units" if self.compact else f"{data.features[0]} units")
        lines.append(heading("param".ljust(width) + "".join(name.rjust(cell) for name in columns)))
        for name, start, now, raw in zip(model.params, model.start, view.params, view.raw_params, strict=True):
            cells = (format_scalar(start, digits), format_scalar(now, digits), format_scalar(raw, digits))
            lines.append(Content(name.ljust(width) + "".join(text.rjust(cell) for text in cells)))
        said = [line for sentence in explain(result, view) for line in textwrap.wrap(sentence, PANEL_TEXT_WIDTH)]
        return [*lines, *gap, *(Content(line) for line in said)]


class IterationSlider(Widget):
    """`iteration k of n` and a bar with a knob at k; a click on the bar moves there."""

    DEFAULT_CSS = """
    IterationSlider {
        height: 1;
        padding: 0 1;
    }
    """

    iteration: reactive[int] = reactive(0)
    """The iteration shown (0 is the start)."""
    total: reactive[int | None] = reactive(None)
    """The run's length, or None while it trains."""

    class Moved(Message):
        """The student clicked the bar: show `iteration`."""

        def __init__(self, iteration: int) -> None:
            super().__init__()
            self.iteration = iteration

    def label(self) -> str:
        if self.total is None:
            return "iteration"
        width = len(str(self.total))
        return f"iteration {str(self.iteration).rjust(width)} of {self.total} "

    def bar_width(self) -> int:
        return max(2, self.content_size.width - len(self.label()))

    def render(self) -> Content:
        label = self.label()
        width = self.bar_width()
        if self.total is None:
            return Content.assemble(label, ("─" * width, "$text-muted"))
        knob = round(self.iteration / max(1, self.total) * (width - 1))
        return Content.assemble(label, ("━" * knob, "$accent"), ("●", "bold $text-error"),
                                ("─" * (width - knob - 1), "$text-muted"))

    def on_click(self, event: events.Click) -> None:
        if self.total is None:
            return
        offset = event.x - self.styles.padding.left - len(self.label())
        if 0 <= offset < self.bar_width():
            self.post_message(self.Moved(round(offset / max(1, self.bar_width() - 1) * self.total)))
