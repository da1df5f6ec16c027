"""A header's title is fitted to the header's two lines: whole when it fits, else its longest parts cut first."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from backprop_tui.tui.widgets.header_title import MAX_LINES, SEPARATOR, fit_title, lines_needed

THIRTY = "+".join(f"a{i}*b{i}" for i in range(15))
INPUTS = " ".join(f"a{i}={i} b{i}={i + 1}" for i in range(15))


def test_a_title_that_fits_is_shown_whole():
    title = "lecture (slides 65-72) · reverse mode · X=3 y=1 W=3"
    assert fit_title(title, 60) == title
    assert fit_title(title, 30) == title  # two lines of 30 hold it


def test_thirty_inputs_keep_the_mode_whole_and_cut_the_long_parts_with_a_sign():
    title = f"{THIRTY} · forward mode, d/da0 · {INPUTS}"
    assert fit_title(title, 150) == title  # two lines of 150 hold all of it
    for width in (40, 66, 100):
        fitted = fit_title(title, width)
        assert lines_needed(fitted, width) <= MAX_LINES, (width, fitted)
        expression, mode, inputs = fitted.split(SEPARATOR)
        assert mode == "forward mode, d/da0"
        assert expression == THIRTY or (expression.endswith("…") and THIRTY.startswith(expression[:-1]))
        assert inputs.endswith("…") and INPUTS.startswith(inputs[:-1])
    assert fit_title(title, 40).split(SEPARATOR)[0] != THIRTY  # narrow: the expression gives way too


words = st.text(st.sampled_from("abXW=0123456789.+*ξβη "), min_size=1, max_size=60)


@settings(max_examples=300, deadline=None)
@given(st.lists(words, min_size=1, max_size=5), st.integers(min_value=4, max_value=200))
def test_any_title_fits_two_lines_and_is_whole_when_it_can_be(parts, width):
    title = SEPARATOR.join(parts)
    fitted = fit_title(title, width)
    assert lines_needed(fitted, width) <= MAX_LINES
    if lines_needed(title, width) <= MAX_LINES:
        assert fitted == title
    else:
        assert "…" in fitted
