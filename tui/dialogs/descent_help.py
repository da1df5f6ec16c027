"""The descent screen's help: its keys, the three batch modes, and how to read the plots."""

from __future__ import annotations

from .help import HelpScreen

MODES_TEXT = (
    "Full batch: every iteration's gradient is the mean over all rows, so the loss goes down smoothly. "
    "Mini-batch: each iteration uses the next few rows of a shuffled epoch; the step is cheaper but noisy, "
    "and the batch loss (dots) scatters around the full loss (line). Stochastic: one row per iteration, "
    "the noisiest of the three.\n\n"
    "Too large a learning rate overshoots the valley: the loss grows and the run diverges. "
    "The minima example shows the other risk: plain gradient descent stops in the minimum whose basin "
    "it starts in, which need not be the lowest one."
)

STRATEGY_TEXT = (
    "Momentum (m, slide 34): each step keeps a share μ of the last one, v ← μv − η·g, θ ← θ + v; "
    "m cycles μ through 0, 0.5 and 0.9 (μ is shown beside η). "
    "Several starts (a, minima, slide 38's \"what would be a good strategy?\"): descend from eight random "
    "starts with the same η and μ, see where each ends (○ start, ◆ end), and keep the lowest end; "
    "a again draws eight new starts."
)

PLOTS_TEXT = (
    "Loss per iteration: the full loss at the parameters before each step. Data and fit: the rows at 0 and 1, "
    "the rows of the last mini-batch lit, and the fitted probability. L along one parameter: the loss with "
    "the other parameter held where it is now, the path at the loss each iteration had; with mini-batches "
    "also the last batch's own loss along the same line (slides 41-49), which moves with every batch, "
    "and that step on it (○ before, ◆ after). Landscape: the loss "
    "over two parameters (darker is lower), the path across it and the grid's lowest cell (✕)."
)

EXTRA_KEYS = (("^p", "Command palette: the same commands"), ("escape", "Close this help"))


class DescentHelpScreen(HelpScreen):
    """Keys and the ideas behind the descent screen; escape, q or ? closes it."""

    EXTRA_KEYS = EXTRA_KEYS
    SECTIONS = (("Full batch, mini-batch, stochastic", MODES_TEXT), ("Momentum and several starts", STRATEGY_TEXT),
                ("The plots", PLOTS_TEXT))
