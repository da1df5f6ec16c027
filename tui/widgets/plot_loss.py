"""The loss against the iteration: the full loss as a line, each mini-batch's own loss as a dot.

In full-batch descent the two are the same number; with mini-batches or one row at a time the
batch losses scatter around the full-loss line (slides 40-49), and the scatter is the noise in
the gradient that the smaller batch buys speed with.
"""

from __future__ import annotations

import numpy as np
from textual.content import Content

from backprop_tui.core.training.landscape import thin

from .plot_base import BATCH_COLOR, CURRENT_COLOR, LOSS_COLOR, DescentPlot, finite_pairs, key, legend


class LossPlot(DescentPlot):
    """Full loss L(θ_k) for k = 0 … now, and the batch losses of the mini-batch iterations."""

    batches = False
    """Whether the run so far has mini-batch iterations (whose batch losses are drawn as dots)."""

    def legend(self) -> Content:
        if self.run is not None and self.run.objective.data is None:
            return legend(key("⠤⠤", LOSS_COLOR, "f(x)"), key("●", CURRENT_COLOR, "now"))
        batches = [key("•", BATCH_COLOR, "batch loss")] if self.batches else []
        return legend(key("⠤⠤", LOSS_COLOR, "full loss"), *batches, key("●", CURRENT_COLOR, "now"))

    def draw(self) -> None:
        run, plt = self.run, self.plt
        assert run is not None
        history = run.history
        count = len(history)
        chosen = thin(count, self.columns)
        x = [*chosen.tolist(), count]
        y = [*history.column("loss")[chosen].tolist(), run.loss()]
        x, y = finite_pairs(x, y)
        batch_rows = history.column("batch_rows")
        partial = np.flatnonzero((batch_rows > 0) & (batch_rows < run.objective.rows))
        self.batches = bool(len(partial))
        if len(partial):
            picked = partial[thin(len(partial), self.columns)]
            bx, by = finite_pairs(picked.tolist(), history.column("batch_loss")[picked].tolist())
            plt.scatter(bx, by, marker="dot", color=BATCH_COLOR)
        plt.plot(x, y, marker="braille", color=LOSS_COLOR)
        if x:
            plt.scatter([x[-1]], [y[-1]], marker="●", color=CURRENT_COLOR)
        plt.xlim(0, max(1, count))
        if not self.compact:
            plt.xlabel("iteration")
