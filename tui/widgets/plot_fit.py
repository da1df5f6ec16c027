"""The data and the current fit: each row at y = 0 or 1 against its feature, and p = σ(β0 + β1·x).

The feature is drawn in the file's units (MaxHR in beats per minute), whatever units training
used. In mini-batch mode the rows of the iteration just taken are lit, so a student sees which
few rows that step's gradient came from.
"""

from __future__ import annotations

from textual.content import Content

from backprop_tui.core.training.landscape import fit_curve, thin

from .plot_base import BATCH_COLOR, DATA_COLOR, LOSS_COLOR, DescentPlot, key, legend

MAX_POINTS = 2000
"""A larger data set is drawn from this many evenly spaced rows (a cell holds only one dot anyway)."""


class FitPlot(DescentPlot):
    """Rows as dots at 0 and 1, the current batch lit, and the fitted probability curve."""

    lit = False
    """Whether the last iteration's mini-batch is lit."""

    def legend(self) -> Content:
        batch = [key("●", BATCH_COLOR, "this batch")] if self.lit else []
        return legend(key("⠉⠁", DATA_COLOR, "rows"), *batch, key("⠤⠤", LOSS_COLOR, "p, the fit"))

    def draw(self) -> None:
        run, plt = self.run, self.plt
        assert run is not None
        data = run.objective.data
        curve = fit_curve(run.objective, run.current.params)
        if data is None or curve is None:
            return
        shown = thin(len(data), MAX_POINTS)
        plt.scatter(data.raw[shown, 0].tolist(), data.y[shown].tolist(), marker="braille", color=DATA_COLOR)
        batch = self.batch_rows()
        self.lit = batch is not None
        if batch is not None:
            plt.scatter(data.raw[batch, 0].tolist(), data.y[batch].tolist(), marker="●", color=BATCH_COLOR)
        x, p = curve
        finite = [index for index, value in enumerate(p.tolist()) if value == value]
        plt.plot(x[finite].tolist(), p[finite].tolist(), marker="braille", color=LOSS_COLOR)
        plt.ylim(-0.1, 1.1)
        plt.yticks([0, 0.5, 1], [data.labels[0] if not self.compact else "0", "0.5",
                                 data.labels[1] if not self.compact else "1"])
        if not self.compact:
            plt.xlabel(data.features[0])

    def batch_rows(self):
        """The rows of the last iteration when it used a mini-batch (None for full batch or no step yet)."""
        run = self.run
        assert run is not None
        record = run.last
        if record is None or not 0 < record.batch_rows < run.objective.rows:
            return None
        return run.batch_indices(record.epoch, record.batch, record.batch_rows)
