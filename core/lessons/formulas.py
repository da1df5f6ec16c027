"""How the lessons write the logistic model and its loss (slides 10-17), in one place.

The loss lesson's side panel, `backprop-tui predict --help` and the predict report all print these
texts, so the formula a student reads is the same wherever they meet it.
"""

from __future__ import annotations

LOSS_FORMULA = "Lᵢ = −[yᵢ log p̂ᵢ + (1−yᵢ) log(1−p̂ᵢ)]"
"""One patient's loss, the lecture's binary cross-entropy; the loss L is the mean over the patients."""
LOSS_IF_ONE = "Lᵢ = −log p̂ᵢ"
"""The branch a patient of class 1 keeps."""
LOSS_IF_ZERO = "Lᵢ = −log(1 − p̂ᵢ)"
"""The branch a patient of class 0 keeps."""


def logistic_formula(feature: str) -> str:
    """`1/(1+e^−(β0+β1·MaxHR))`: the predicted probability of class 1 at the feature's value."""
    return f"1/(1+e^−(β0+β1·{feature}))"
