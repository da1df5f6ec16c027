"""Slide 61's output chain h → p = σ(h) → L = bce(p, y), kept exact where p rounds to 0 or 1.

Every graph that ends in a sigmoid output and the cross-entropy (the neuron, the several-predictor
neuron, the 1-2-1 network, any `build_mlp` network) draws p as the slides do and declares these
identities, so the backward pass runs L → p → h with every finite number exact. One home, so the
engine's networks and the stepper's examples share it.
"""

from __future__ import annotations

from . import logistic
from .identities import Identity, exact_chain, exact_partial, exact_value
from .primitives import primitive


def logistic_identities(h: str, p: str, y: str, loss: str) -> tuple[Identity, ...]:
    """The numbers of the chain h → p = σ(h) → L = bce(p, y) written in the logit h, each exact where p
    rounds to 0 or 1 (|h| ≳ 37): L = bce_logit(h, y), ∂L/∂p = −y/p + (1−y)/(1−p), ∂L/∂y = −h,
    ∂p/∂h = σ(h)σ(−h), and dL/dh = dL/dp · ∂p/∂h = p − y (the slides' product, in one piece)."""
    logit_loss = primitive("bce_logit")
    return (
        exact_value(loss, "bce_logit", (h, y), logit_loss.evaluate, f"bce_logit({h}, {y})"),
        exact_partial(loss, p, (h, y), logistic.bce_slope_from_logit, f"−{y}/{p}+(1−{y})/(1−{p})"),
        exact_partial(loss, y, (h, y), lambda z, t: logit_loss.partials((z, t), None)[1],
                      f"log((1−{p})/{p}) = −{h}"),
        exact_partial(p, h, (h,), logistic.sigmoid_slope, f"σ({h})·(1−σ({h}))"),
        exact_chain(loss, p, h, (h, y), lambda z, t: logit_loss.partials((z, t), None)[0], f"{p} − {y}"),
    )
