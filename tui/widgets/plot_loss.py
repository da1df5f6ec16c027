"""The loss against the iteration: the full loss as a line, each mini-batch's own loss as a dot.

In full-batch descent the two are the same number; with mini-batches or one row at a time the
batch losses scatter around the full-loss line (slides 40-49), and the scatter is the noise in
the gradient that the smaller batch buys speed with.
"""

from __future__ import annotations

from textual.content import Content

from backprop_tui.core.training import minima

from .plot_base import BATCH_COLOR, CURRENT_COLOR, LOSS_COLOR, DescentPlot, finite_pairs, key, legend


def iteration_ticks(last: int, count: int = 5) -> list[int]:
    """Whole iterations to mark on the axis from 0 to `last` (at least 0 and 1): an iteration is a count, so
    the axis must not read 0.25 (plotext's own ticks did, before any step)."""
    last = max(1, last)
    return sorted({round(last * index / (count - 1)) for index in range(count)})


class LossPlot(DescentPlot):
    """Full loss L(θ_k) for k = 0 … now, and the batch losses of the mini-batch iterations."""

    def legend(self) -> Content:
        view = self.view
        if view is not None and not view.has_data:
            return legend(key("⠤⠤", LOSS_COLOR, "f(x)"), key("●", CURRENT_COLOR, "now"))
        batches = [key("•", BATCH_COLOR, "batch loss")] if view is not None and len(view.batch_series[0]) else []
        return legend(key("⠤⠤", LOSS_COLOR, "full loss"), *batches, key("●", CURRENT_COLOR, "now"))

    def draw(self) -> None:
        view, plt = self.view, self.plt
        assert view is not None
        steps, losses = view.loss_series
        chosen = self.thinned(len(steps))
        shown = losses[chosen] if view.has_data else [minima.shown_value(float(f)) for f in losses[chosen]]
        x, y = finite_pairs(steps[chosen], shown)
        batch_x, batch_y = view.batch_series
        if len(batch_x):
            picked = self.thinned(len(batch_x))
            plt.scatter(*finite_pairs(batch_x[picked], batch_y[picked]), marker="dot", color=BATCH_COLOR)
        plt.plot(x, y, marker="braille", color=LOSS_COLOR)
        if x:
            plt.scatter([x[-1]], [y[-1]], marker="●", color=CURRENT_COLOR)
        plt.xlim(0, max(1, view.iteration))
        ticks = iteration_ticks(view.iteration)
        plt.xticks(ticks, [str(tick) for tick in ticks])
        if not self.compact:
            plt.xlabel("iteration")
