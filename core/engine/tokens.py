"""The expression's tokens: numbers, names, operators and parentheses, and the parse error with its caret.

Never `eval`: the text is read here token by token; a text longer than MAX_EXPRESSION_CHARS is refused
before it is read.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .literals import literal_problem

MAX_EXPRESSION_CHARS = 20_000


class ParseError(ValueError):
    """Bad expression text; `column` is 1-based and `caret` points at it under the text."""

    def __init__(self, message: str, source: str, column: int) -> None:
        self.message = message
        self.source = source
        self.column = column
        shown = source if len(source) <= 200 else source[max(0, column - 100):column + 100]
        offset = column - 1 if len(source) <= 200 else min(column - 1, 100)
        self.caret = f"{shown}\n{' ' * offset}^"
        super().__init__(f"column {column}: {message}")


class Token(NamedTuple):
    """One lexeme; a tuple, as a 9,000-character expression has thousands (a dataclass took longer to make)."""

    kind: str
    text: str
    column: int


def tokenize(source: str) -> list[Token]:
    """Numbers, names, operators and parentheses; `^` is read as `**`."""
    if len(source) > MAX_EXPRESSION_CHARS:
        raise ParseError(f"expression is too long ({len(source)} characters; the limit is {MAX_EXPRESSION_CHARS})",
                         source, MAX_EXPRESSION_CHARS + 1)
    return _tokenize_ascii(source) if source.isascii() else _tokenize_any(source)


_ASCII_TOKEN = re.compile(r"""
    (?P<space>[ \t\n\r\x0b\x0c\x1c-\x1f]+)                # what str.isspace() accepts among ASCII
  | (?P<number>(?:[0-9]|\.(?=[0-9]))[0-9.]*(?:[eE][+-]?[0-9]+)?)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>\*\*|[-+*/^()])
""", re.VERBOSE)
"""The tokens of `_tokenize_any` for ASCII text, read by one regular expression (a match per token, not
a Python step per character: a 20,000-character sum has 20,000 tokens)."""


def _tokenize_ascii(source: str) -> list[Token]:
    tokens: list[Token] = []
    append, match, position, length = tokens.append, _ASCII_TOKEN.match, 0, len(source)
    while position < length:
        found = match(source, position)
        if found is None:
            raise ParseError(f"unexpected character {source[position]!r}", source, position + 1)
        kind, text = found.lastgroup, found.group()
        if kind == "name":
            append(Token("name", text, position + 1))
        elif kind == "op":
            append(Token("op", "**" if text == "^" else text, position + 1))
        elif kind == "number":
            _check_number(text, source, position + 1)
            append(Token("number", text, position + 1))
        position = found.end()
    append(Token("end", "", length + 1))
    return tokens


def _check_number(text: str, source: str, column: int) -> None:
    """A malformed literal, or one no double holds (core/engine/literals.py), is refused at its column."""
    problem = literal_problem(text)
    if problem is not None:
        raise ParseError(problem, source, column)


def _tokenize_any(source: str) -> list[Token]:
    """Any text, a character at a time (Unicode digits, letters, spaces and minus signs included)."""
    tokens: list[Token] = []
    position = 0
    while position < len(source):
        char = source[position]
        column = position + 1
        if char.isspace():
            position += 1
        elif char.isdigit() or (char == "." and source[position + 1:position + 2].isdigit()):
            end = position
            while end < len(source) and (source[end].isdigit() or source[end] == "."):
                end += 1
            if end < len(source) and source[end] in "eE":
                exponent = end + 1
                if exponent < len(source) and source[exponent] in "+-":
                    exponent += 1
                if exponent < len(source) and source[exponent].isdigit():
                    end = exponent
                    while end < len(source) and source[end].isdigit():
                        end += 1
            text = source[position:end]
            _check_number(text, source, column)
            tokens.append(Token("number", text, column))
            position = end
        elif char.isalpha() or char == "_":
            end = position
            while end < len(source) and (source[end].isalnum() or source[end] == "_"):
                end += 1
            tokens.append(Token("name", source[position:end], column))
            position = end
        elif source.startswith("**", position):
            tokens.append(Token("op", "**", column))
            position += 2
        elif char in "+-*/^()":
            tokens.append(Token("op", "**" if char == "^" else char, column))
            position += 1
        elif char in "−–":
            tokens.append(Token("op", "-", column))
            position += 1
        else:
            raise ParseError(f"unexpected character {char!r}", source, column)
    tokens.append(Token("end", "", len(source) + 1))
    return tokens
