"""The descent screen's keys: one list, read by the screen, its footer and its help."""

from __future__ import annotations

from textual.binding import Binding

RATE = Binding.Group("η", compact=True)
START = Binding.Group("Start", compact=True)
"""Paired keys share one footer entry (`+- η`, `,. Start`), so the footer keeps help and quit in view."""
NARROW_HIDDEN = frozenset({"reset", "stepper"})
"""Actions whose keys an 80-column footer leaves out (help lists them): otherwise help and quit are cut off."""

DESCENT_BINDINGS = [
    Binding("space", "step", "Step", tooltip="One iteration: a batch's gradient g, then θ ← θ − η·g"),
    Binding("enter", "run", "Run", tooltip="Run (animated) up to the --iters limit; again to pause"),
    Binding("left", "undo", "Undo", tooltip="Undo the last iteration, back to exactly the state before it"),
    Binding("plus,equals_sign", "scale_lr(2)", "η×2", group=RATE, tooltip="Double the learning rate η"),
    Binding("minus", "scale_lr(0.5)", "η÷2", group=RATE, tooltip="Halve the learning rate η"),
    Binding("m", "momentum", "μ", tooltip="Momentum μ (slide 34): 0 → 0.5 → 0.9 → 0; v ← μv − η·g"),
    Binding("b", "batch_mode", "Batch", tooltip="Cycle full batch → mini-batch → stochastic (one row)"),
    Binding("comma", "move_start(-1)", "Start←", group=START,
            tooltip="Move the start left (minima) and show where GD ends"),
    Binding("full_stop", "move_start(1)", "Start→", group=START,
            tooltip="Move the start right (minima) and show where GD ends"),
    Binding("a", "starts", "Starts",
            tooltip="Several random starts (minima, slide 38): where each ends; again: a new draw"),
    Binding("r", "reset", "Reset", tooltip="Forget every iteration and start again"),
    Binding("s", "stepper", "Backprop", tooltip="Open this iteration's batch in the stepper, node by node"),
    Binding("left_square_bracket", "speed(-1)", "Slower", show=False, tooltip="Run slower"),
    Binding("right_square_bracket", "speed(1)", "Faster", show=False, tooltip="Run faster"),
    Binding("t", "workbench", "Stepper", show=False, tooltip="The stepper (escape comes back here)"),
    Binding("l", "app.lessons", "Lessons", tooltip="The lesson map: the lecture chapter by chapter"),
    Binding("question_mark", "help", "Help", tooltip="Keys, the three batch modes and how to read the plots"),
    Binding("q", "quit", "Quit", tooltip="Quit backprop-tui"),
]
