"""The loss against the iteration: the full loss as a line, each mini-batch's own loss as a dot.

In full-batch descent the two are the same number; with mini-batches or one row at a time the
batch losses scatter around the full-loss line (slides 40-49), and the scatter is the noise in
the gradient that the smaller batch buys speed with.
"""

from __future__ import annotations

from textual.content import Content

from .plot_base import BATCH_COLOR, CURRENT_COLOR, LOSS_COLOR, DescentPlot, finite_pairs, key, legend


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
        x, y = finite_pairs(steps[chosen], losses[chosen])
        batch_x, batch_y = view.batch_series
        if len(batch_x):
            picked = self.thinned(len(batch_x))
            plt.scatter(*finite_pairs(batch_x[picked], batch_y[picked]), marker="dot", color=BATCH_COLOR)
        plt.plot(x, y, marker="braille", color=LOSS_COLOR)
        if x:
            plt.scatter([x[-1]], [y[-1]], marker="●", color=CURRENT_COLOR)
        plt.xlim(0, max(1, view.iteration))
        if not self.compact:
            plt.xlabel("iteration")
