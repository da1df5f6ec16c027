"""ASCII text is read by one regular expression; any other text a character at a time: the same tokens."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from backprop_tui.core.engine.tokens import ParseError, _tokenize_any, _tokenize_ascii

ASCII_PIECES = st.sampled_from(list("Xy_W1 0123456789.eE+-*/^()\t\n\x0b\x0c\r\x1c\x1f\x00!#[],;") + ["**", "1e-5"])


def read(tokenize, text: str) -> object:
    try:
        return tokenize(text)
    except ParseError as error:
        return ("error", str(error), error.column)


@settings(max_examples=2000, deadline=None)
@given(st.lists(ASCII_PIECES, max_size=16).map("".join))
def test_the_regular_expression_reads_ascii_as_the_character_loop_does(text):
    assert read(_tokenize_ascii, text) == read(_tokenize_any, text)


def test_malformed_numbers_and_stray_characters_fail_at_the_same_column():
    for text in ["1.2.3", "2e+1.5.", "x + 1.5.5", "a $ b", "..5", "3 ** 2 !"]:
        assert read(_tokenize_ascii, text) == read(_tokenize_any, text)
        assert read(_tokenize_ascii, text)[0] == "error"
