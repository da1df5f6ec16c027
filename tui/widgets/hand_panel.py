"""The text beside the classification plot and above the loss table: β0, β1, the curve's shape and the loss.

Handed a `Predictions` from core on every change; it only lays the numbers out (`Content`, never markup).
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from backprop_tui.core.engine.numbers import format_scalar
from backprop_tui.core.lessons.classification import (
    WIDTH_PROBABILITIES,
    HandParams,
    Predictions,
    Shape,
    direction,
    plot_range,
    random_params,
    reach_probabilities,
)

BOLD = "bold"
MUTED = "dim"


def params_line(seen: Predictions) -> Content:
    params = seen.params
    return Content.assemble(("β0", BOLD), f" = {params.beta0:g}    ", ("β1", BOLD), f" = {params.beta1:g}")


def seed_line(seen: Predictions, seed: int | None, compact: bool = False) -> Content:
    """Slide 15's random weights: which draw these are, slides 15-16's bad computer (`b`), or that they were
    moved by hand since the last draw."""
    if seen.params == HandParams.bad_computer():
        return Content.assemble(("slides 15-16's bad computer", BOLD),
                                ("  (r: random weights)", MUTED))
    if seed is None:
        return Content.styled("r: random weights" if compact else "r draws random weights (seed 1 first)", MUTED)
    if random_params(seed) == seen.params:
        return Content.assemble("random weights, ", ("seed " + str(seed), BOLD), ("  (r: next seed)", MUTED))
    return Content.styled(f"last random draw: seed {seed}, since moved by hand", MUTED)


def reach_lines(shape: Shape, feature: str, compact: bool) -> list[Content]:
    """Slides 9-10's measure beside the width: p goes from ½ to ~1 (or ~0) within 2/|β1| … 4/|β1|."""
    if shape.reach is None:
        return []
    near, far = shape.reach
    span = f"2/|β1|…4/|β1| = {near:.4g}…{far:.4g}"
    if compact:
        return [Content(f"½→~1: {span}")]
    low, high = reach_probabilities()
    return [Content.assemble("slide 9: ½ → ~1 ", (f"(p {low:.2f}…{high:.2f})", MUTED), " in"),
            Content(f"{span} {feature} units")]


class HandPanel(Static):
    """β0 and β1, where p = ½, the slope there, the width, the mean loss, the accuracy and the confusion counts."""

    DEFAULT_CSS = """
    HandPanel {
        height: auto;
        padding: 0 1;
    }
    """

    compact = False

    def show(self, seen: Predictions, seed: int | None) -> None:
        self.update(Content("\n").join(self.lines(seen, seed)))

    def lines(self, seen: Predictions, seed: int | None) -> list[Content]:
        feature, shape = seen.feature, seen.shape
        lines = [Content(f"P(Y=1) = 1/(1+e^−(β0+β1·{feature}))"), params_line(seen),
                 seed_line(seen, seed, self.compact),
                 Content("")]
        if shape.midpoint is None or shape.width is None:
            lines += [Content("p = ½ nowhere: β1 = 0 makes the curve flat"), Content("slope 0, no width")]
        else:
            low, high = WIDTH_PROBABILITIES
            low_x, high_x = plot_range(seen.x)
            where = "" if low_x <= shape.midpoint <= high_x else "  (off the plot)"
            lines += [Content.assemble("p = ½ at ", (f"{feature} = {shape.midpoint:.4g}", BOLD),
                                       (where or ("" if self.compact else "  (−β0/β1)"), MUTED)),
                      Content.assemble(f"slope there {shape.slope:.3g} per unit", ("  (β1/4)", MUTED)),
                      Content.assemble(f"width {shape.width:.4g} {feature} units",
                                       ("" if self.compact else f"  (p {low:g} → {high:g})", MUTED)),
                      *reach_lines(shape, feature, self.compact)]
        lines += [Content.styled(direction(seen.params, feature), "italic"), Content("")]
        counts = seen.confusion
        no, yes = seen.labels
        lines += [Content.assemble("mean loss", ("" if self.compact else " (−log-likelihood)", MUTED),
                                   " ", ("L = " + format_scalar(seen.loss, 4), BOLD)),
                  Content.assemble("accuracy ", (f"{100 * seen.accuracy:.2f}%", BOLD),
                                   f" ({seen.correct}/{len(seen)})" if self.compact
                                   else f" at p̂ ≥ ½ ({seen.correct} of {len(seen)})"),
                  Content(f"{'':>14}actual {yes:<4} actual {no}"),
                  Content(f"{'predicted ' + yes:<14}{counts.true_positive:>10} {counts.false_positive:>9}"),
                  Content(f"{'predicted ' + no:<14}{counts.false_negative:>10} {counts.true_negative:>9}")]
        return lines
