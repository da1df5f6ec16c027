"""The closed-form algebra: products cancel as the lecture cancels, and no form is shown that the
engine's number does not confirm."""

from __future__ import annotations

import math

from backprop_tui.core.engine import formula as fm
from backprop_tui.core.stepping import monomial as mono

E9 = math.exp(-9)
E = mono.opaque(fm.Formula("e^-9", fm.POW), E9)
ONE_PLUS = mono.opaque(fm.Formula("1+e^-9", fm.ADD), 1 + E9)


def test_products_cancel_the_way_the_slides_do():
    # (1+e^-9) · 3e^-9/(1+e^-9)² = 3e^-9/(1+e^-9)
    tangent_xi4 = mono.times(mono.times(mono.number(3), E), mono.power(ONE_PLUS, -2))
    assert mono.text(tangent_xi4) == "3e^-9/(1+e^-9)²"
    tangent_xi5 = mono.times(ONE_PLUS, tangent_xi4)
    assert mono.text(tangent_xi5) == "3e^-9/(1+e^-9)"
    assert mono.text(mono.negate(tangent_xi5)) == "−3e^-9/(1+e^-9)"
    assert math.isclose(tangent_xi5.value, 3 * E9 / (1 + E9), rel_tol=1e-15)
    assert mono.text(mono.times(ONE_PLUS, mono.power(ONE_PLUS, -1))) == "1"


def test_like_terms_add_and_unlike_terms_have_no_form():
    assert mono.text(mono.total([E, mono.times(mono.number(2), E)])) == "3e^-9"
    assert mono.text(mono.total([E, mono.number(0)])) == "e^-9"
    assert mono.total([E, ONE_PLUS]) is None


def test_a_form_the_engine_does_not_confirm_is_dropped():
    assert mono.checked(E, E9) is E
    assert mono.checked(E, -E9) is None


def test_an_unreadable_coefficient_or_a_long_form_falls_back_to_the_decimal():
    assert mono.power(mono.number(3), -1) is None  # 1/3 prints as 0.333333, not exactly
    long_base = mono.opaque(fm.Formula("log(1−1/(1+e^-9))", fm.ATOM), math.log(1 - 1 / (1 + E9)))
    assert mono.text(mono.times(mono.power(long_base, -2), ONE_PLUS)) is None
