"""The help of the lessons without a stepper: the by-hand lessons (`classification`, `loss`) and `practice`."""

from __future__ import annotations

from .help import HelpScreen

SIGMOID_TEXT = (
    "The model of slides 4-13 is p̂ = σ(β0 + β1·MaxHR) = 1/(1 + e^−(β0+β1·MaxHR)): the probability of heart "
    "disease at a maximum heart rate. β0 shifts the curve along MaxHR (its middle, p̂ = ½, sits at "
    "MaxHR = −β0/β1); β1 sets how steep it is, and its sign whether it rises or falls. A patient is predicted "
    "\"disease\" where p̂ > ½."
)

LOSS_TEXT = (
    "Each patient's loss is Lᵢ = −[yᵢ log p̂ᵢ + (1−yᵢ) log(1−p̂ᵢ)]: small when p̂ agrees with the patient's "
    "class, large for a confident wrong answer. The loss L is the mean of the Lᵢ (slide 17). r draws random "
    "weights (slide 15's bad computer, seed shown); g hands these β0, β1 to gradient descent, which moves them "
    "downhill on L instead of by hand."
)

EXTRA_KEYS = (("escape", "Close this help"),)


class HandHelpScreen(HelpScreen):
    """Keys and the ideas behind the classification and loss lessons; escape, q or ? closes it."""

    EXTRA_KEYS = EXTRA_KEYS
    SECTIONS = (("The sigmoid and its two parameters", SIGMOID_TEXT), ("The loss", LOSS_TEXT))


PRACTICE_TEXT = (
    "Each exercise asks the cells of a table one at a time, in the order the stepper computes them: type the "
    "value, the local partial or the derivative before the app reveals it. A right answer on the first try scores "
    "fully; a wrong one shows a hint, and a right answer after it scores half; a second wrong answer, or ? typed "
    "as the answer, reveals the cell. The descent questions are answered by running descent: after your choice "
    "the plot shows where each run went. Progress is kept between runs of the app."
)


class PracticeHelpScreen(HelpScreen):
    """Keys and the rules of the practice lesson; escape, q or ? closes it."""

    EXTRA_KEYS = EXTRA_KEYS
    SECTIONS = (("How an exercise goes", PRACTICE_TEXT),)
