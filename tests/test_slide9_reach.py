"""Slides 9-10's own steepness measure beside the width: from p = ½ the curve is at ~1 (or ~0) after
2/|β1| to 4/|β1|. Checked with mpmath from the logistic function itself, and on the classification panel."""

from __future__ import annotations

import mpmath
import pytest

from backprop_tui.core.lessons.classification import HandParams, reach_probabilities, shape


def p(params: HandParams, x) -> mpmath.mpf:  # noqa: ANN001
    return 1 / (1 + mpmath.exp(-(mpmath.mpf(params.beta0) + mpmath.mpf(params.beta1) * x)))


@pytest.mark.parametrize("params", [HandParams.bad_computer(), HandParams(4.0, -0.03), HandParams(-300.0, 2.0)])
def test_the_reach_is_2_and_4_over_beta1_and_p_gets_there_to_sigma_2_and_sigma_4(params):
    found = shape(params)
    near, far = found.reach
    assert near == pytest.approx(2 / abs(params.beta1), rel=1e-15)
    assert far == pytest.approx(4 / abs(params.beta1), rel=1e-15)
    low, high = (float(1 / (1 + mpmath.exp(-k))) for k in (2, 4))
    assert reach_probabilities() == pytest.approx((low, high), rel=1e-15)
    # walking from the midpoint in the direction p rises, p reaches σ(2) ≈ 0.881 and σ(4) ≈ 0.982
    direction = 1 if params.beta1 > 0 else -1
    middle = mpmath.mpf(-params.beta0) / params.beta1
    assert float(p(params, middle)) == pytest.approx(0.5, abs=1e-12)
    assert float(p(params, middle + direction * near)) == pytest.approx(low, rel=1e-9)
    assert float(p(params, middle + direction * far)) == pytest.approx(high, rel=1e-9)
    # and toward ~0 on the other side, symmetrically
    assert float(p(params, middle - direction * far)) == pytest.approx(1 - high, rel=1e-8)
    # beside the 0.1 → 0.9 width, 2·ln 9/|β1|: ½ → 0.9 is ln 9/|β1| ≈ 2.197/|β1|, between the two
    assert near < found.width / 2 < far


def test_a_flat_curve_has_no_reach():
    assert shape(HandParams(1.0, 0.0)).reach is None


@pytest.mark.parametrize(("terminal", "expected"), [
    ((120, 40), "2/|β1|…4/|β1| = {near}…{far} MaxHR units"),
    ((80, 24), "½→~1: 2/|β1|…4/|β1| = {near}…{far}"),
])
async def test_the_classification_panel_shows_it_beside_the_width(terminal, expected):
    from backprop_tui.tui.app import BackpropApp
    from backprop_tui.tui.widgets.hand_panel import HandPanel

    app = BackpropApp(lesson="classification")
    async with app.run_test(size=terminal) as pilot:
        await pilot.pause()
        text = str(app.screen.query_one(HandPanel).render())
        beta1 = mpmath.mpf(HandParams.bad_computer().beta1)  # the lesson opens on slide 15's bad computer
        near, far = (format(float(k / beta1), ".4g") for k in (2, 4))
        assert (near, far) == ("23.07", "46.14")
        assert expected.format(near=near, far=far) in text
        assert "width 50.69 MaxHR units" in text
