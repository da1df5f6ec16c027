"""The networks' output neuron is slide 61's: L = bce(p, y), so the backward pass runs L → p → q.

Before, the 1-2-1 example and every `build_mlp` network computed L from the logit q, which left p a dead
end (no dL/dp in its row). The truth is computed here in 60 digits (mpmath) from the slides' formulas.
"""

from __future__ import annotations

import math

import mpmath
import pytest

from backprop_tui.core.engine.autodiff import reverse_adjoints
from backprop_tui.core.engine.mlp import build_mlp
from backprop_tui.core.stepping.problem import build_problem

MLP_DEFAULTS = {"X": 0.5, "y": 1.0, "W10": -1.0, "W11": 2.0, "W20": 1.0, "W21": -2.0,
                "W30": -1.0, "W31": 2.0, "W32": 2.0}


@pytest.fixture(autouse=True)
def sixty_digits():
    with mpmath.workdps(60):
        yield


def mlp_truth(values: dict[str, float]) -> dict[str, mpmath.mpf]:
    """q, p, L, dL/dp and dL/dW31 of the 1-2-1 network from the slides' formulas, in 60 digits."""
    v = {name: mpmath.mpf(value) for name, value in values.items()}
    sigma = lambda t: 1 / (1 + mpmath.exp(-t))  # noqa: E731
    h1, h2 = sigma(v["W10"] + v["W11"] * v["X"]), sigma(v["W20"] + v["W21"] * v["X"])
    q = v["W30"] + v["W31"] * h1 + v["W32"] * h2
    p, one_minus_p = sigma(q), sigma(-q)  # 1 − p without cancellation, for q in the hundreds
    dL_dp = -1 / p if values["y"] == 1 else 1 / one_minus_p  # −y/p + (1−y)/(1−p) at y = 1 and y = 0
    # −log p = log(1 + e^(−q)) and −log(1 − p) = log(1 + e^q): no 1 − 1e-305 rounded to 1 in 60 digits.
    loss = mpmath.log1p(mpmath.exp(-q)) if values["y"] == 1 else mpmath.log1p(mpmath.exp(q))
    return {"q": q, "p": p, "L": loss, "dL/dp": dL_dp, "dL/dW31": dL_dp * p * one_minus_p * h1}


@pytest.mark.parametrize("w30", [-1.0, 45.0, -45.0, 700.0])
@pytest.mark.parametrize("y", [1.0, 0.0])
def test_the_mlp_examples_p_row_carries_dL_dp(w30: float, y: float):
    values = {**MLP_DEFAULTS, "W30": w30, "y": y}
    at = ",".join(f"{name}={value!r}" for name, value in values.items())
    final = build_problem("mlp", at=at).stepper().final()
    want = mlp_truth(values)
    for name, key in (("p", "dL/dp"), ("W31", "dL/dW31"), ("L", "L")):
        got = final.row(name).accumulated if key != "L" else final.row(name).value
        expected = float(want[key])
        if math.isinf(expected):
            assert got is None or math.isinf(float(got)) or math.isnan(float(got))
        else:
            assert float(got) == pytest.approx(expected, rel=1e-12, abs=0), (name, key, w30, y)
    assert dict(final.row("L").partial_formulas)["p"] == "−y/p+(1−y)/(1−p)"


def test_a_built_network_sends_the_adjoint_through_p():
    network = build_mlp([1, 3, 1], "tanh")
    values = {name: 0.3 for name in network.parameters} | {"X": 0.7, "y": 0.0}
    forward = network.graph.evaluate(values)
    adjoints, _ = reverse_adjoints(network.graph, forward)
    p = float(forward["p"])
    assert float(adjoints["p"]) == pytest.approx(1 / (1 - p), rel=1e-14)  # y = 0: dL/dp = 1/(1−p)
