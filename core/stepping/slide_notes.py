"""Where the slides print a different number than the app, and why the app's sign is right.

The app never copies a slide's mistake and never hides it: the row shows the correct value and a
short note saying what the slide printed and why the sign is what it is. Notes are keyed by the
example, the mode and the row; the lecture's numeric ones hold only at the slides' inputs.
"""

from __future__ import annotations

from collections.abc import Mapping

from .snapshot import Mode

LECTURE_INPUTS = {"X": 3.0, "y": 1.0, "W": 3.0}
"""Slides 65-72 evaluate at X = 3, y = 1, W = 3; the printed numbers belong to those inputs only."""

_WHY_NEGATIVE = ("raising W pushes p = 1/(1+e^−WX) toward y = 1, so the loss falls: dL/dW < 0")

_LECTURE_REVERSE = {
    "W": f"slides 65, 66 and 71 print 0.00037018372, without the minus sign; {_WHY_NEGATIVE}",
}
_LECTURE_FORWARD_W = {
    "ξ4": ("slide 65 prints −3e^-9/(1+e^-9)²; but ∂ξ4/∂ξ3 = −1/(1+e^-9)² times dξ3/dW = −3e^-9 "
           "is positive"),
    "ξ5": "slide 65 prints −3e^-9/(1+e^-9); ∂ξ5/∂ξ4 = 1+e^-9 > 0 keeps the sign of dξ4/dW, positive",
    "L": (f"slides 65, 66 and 71 print 3e^-9/(1+e^-9) and 0.00037018372; ∂L/∂ξ5 = −y = −1 makes it "
          f"negative: {_WHY_NEGATIVE}"),
}
_SLIDE_61_P = ("slide 61 writes ∂L/∂p = −y/p − (1−y)/(1−p); the second term is +(1−y)/(1−p), since "
               "d/dp[−(1−y) log(1−p)] = +(1−y)/(1−p): raising p toward 1 costs more when y = 0")
_SLIDE_61_BETA = ("slide 61 carries the wrong sign of (1−y)/(1−p) into this derivative: the bracket is "
                  "[y/p − (1−y)/(1−p)], not [y/p + (1−y)/(1−p)]")


def slide_notes(example: str | None, mode: Mode, inputs: Mapping[str, float], wrt: str | None) -> dict[str, str]:
    """The notes for the rows of `example` (None for the student's own expression): row name → note."""
    if example == "lecture" and all(inputs.get(name) == value for name, value in LECTURE_INPUTS.items()):
        if mode == "reverse":
            return dict(_LECTURE_REVERSE)
        if wrt == "W":
            return dict(_LECTURE_FORWARD_W)
    if example == "neuron":
        if mode == "reverse":
            return {"p": _SLIDE_61_P, "β1": _SLIDE_61_BETA, "β0": _SLIDE_61_BETA}
        if wrt in ("β0", "β1"):
            return {"L": _SLIDE_61_BETA}
    return {}
