"""The data and the current fit: each row at y = 0 or 1 against its feature, and p = σ(β0 + β1·x).

The feature is drawn in the file's units (MaxHR in beats per minute), whatever units training
used. In mini-batch mode the rows of the iteration just taken are lit, so a student sees which
few rows that step's gradient came from.
"""

from __future__ import annotations

from textual.content import Content

from backprop_tui.core.training.data import Dataset
from backprop_tui.core.training.landscape import thin

from .plot_base import BATCH_COLOR, DATA_COLOR, LOSS_COLOR, DescentPlot, finite_pairs, key, legend

MAX_POINTS = 2000
"""A larger data set is drawn from this many evenly spaced rows (a cell holds only one dot anyway)."""


class FitPlot(DescentPlot):
    """Rows as dots at 0 and 1, the current batch lit, and the fitted probability curve."""

    data: Dataset | None = None
    """The rows drawn (the run's data, set once by the screen)."""

    def lit(self) -> bool:
        """Whether the last iteration's mini-batch is lit."""
        return self.view is not None and self.view.batch is not None and self.view.batch.partial

    def legend(self) -> Content:
        batch = [key("●", BATCH_COLOR, "this batch")] if self.lit() else []
        return legend(key("⠉⠁", DATA_COLOR, "rows"), *batch, key("⠤⠤", LOSS_COLOR, "p, the fit"))

    def draw(self) -> None:
        view, data, plt = self.view, self.data, self.plt
        assert view is not None
        if data is None or view.fit is None:
            return
        shown = thin(len(data), MAX_POINTS)
        plt.scatter(data.raw[shown, 0].tolist(), data.y[shown].tolist(), marker="braille", color=DATA_COLOR)
        if view.batch is not None and view.batch.rows is not None:
            rows = view.batch.rows
            plt.scatter(data.raw[rows, 0].tolist(), data.y[rows].tolist(), marker="●", color=BATCH_COLOR)
        x, p = view.fit
        plt.plot(*finite_pairs(x, p), marker="braille", color=LOSS_COLOR)
        plt.ylim(-0.1, 1.1)
        plt.yticks([0, 0.5, 1], [data.labels[0] if not self.compact else "0", "0.5",
                                 data.labels[1] if not self.compact else "1"])
        if not self.compact:
            plt.xlabel(data.features[0])
