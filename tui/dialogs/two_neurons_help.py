"""The two-neurons screen's help: its keys, the lesson of slides 54-59, and how to read the plot."""

from __future__ import annotations

from .help import HelpScreen

LESSON_TEXT = (
    "On the altered heart data, disease sits in a middle band of MaxHR. Part 1 trains one neuron, "
    "p = σ(β0 + β1·MaxHR): a sigmoid steps only once, so the best it finds is to say \"no disease\" "
    "everywhere, which is right for 65.5% of the rows (the majority class) and no better.\n\n"
    "Part 2 trains the 1-2-1 network of slides 57-59 from a start where h1 rises and h2 falls. "
    "Training moves h1's step to the band's lower edge and h2's to its upper edge; their weighted "
    "sum q = W30 + W31·h1 + W32·h2 is high only between them, and p = σ(q) keeps the band (about 90%)."
)

PLOT_TEXT = (
    "The rows are dots at 0 (no disease) and 1 (disease) against MaxHR in beats per minute; the grey "
    "line is p = ½, above which a row is predicted \"disease\". h1, h2 and p are on the left axis "
    "(0 to 1); q is on the right axis. The lit dot is the row the stepper opens on (x changes it). "
    "The loss plot marks the iteration shown; ← → move through the run and the curves follow."
)

EXTRA_KEYS = (("click", "Click the iteration bar to jump there"), ("escape", "Close this help"))


class TwoNeuronsHelpScreen(HelpScreen):
    """Keys and the idea behind the two-neurons lesson; escape, q or ? closes it."""

    EXTRA_KEYS = EXTRA_KEYS
    SECTIONS = (("Two neurons fit what one cannot", LESSON_TEXT), ("The plot", PLOT_TEXT))
