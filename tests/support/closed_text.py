"""Read a closed form as the table prints it (`3e^-9/(1+e^-9)²`, `1.7^(1/3)`, `σ(40)·(1−σ(40))`) as
mathematics, with mpmath (360 digits), so a test can check that it names the number in its cell.

The text is the project's own output, never user input; it is turned into a Python expression over
mpmath numbers (every literal an exact mpf) and evaluated with no builtins.
"""

from __future__ import annotations

import re

import mpmath as mp

SUPERSCRIPTS = str.maketrans({"²": "**2", "³": "**3", "⁴": "**4", "⁵": "**5", "⁶": "**6", "⁷": "**7",
                              "⁸": "**8", "⁹": "**9"})
NUMBER = re.compile(r"(?<![A-Za-z_'])(\d+\.?\d*(?:e[+-]?\d+)?|\.\d+(?:e[+-]?\d+)?)")
FUNCTIONS = {"E": mp.e, "log": mp.log, "sig": lambda a: 1 / (1 + mp.exp(-a)), "sqrt": mp.sqrt,
             "tanh": mp.tanh, "sin": mp.sin, "cos": mp.cos, "mpf": mp.mpf, "relu": lambda a: max(a, 0)}


class Unreadable(ValueError):
    """A closed form this reader does not know how to read (a relu's `[a>0]`)."""


def to_python(text: str) -> str:
    if "[" in text or "…" in text:
        raise Unreadable(text)
    text = text.replace("−", "-").replace("·", "*").replace("σ", "sig").replace("√", "sqrt").translate(SUPERSCRIPTS)
    text = text.replace("e^", "E**").replace("^", "**")
    text = NUMBER.sub(lambda match: f"mpf('{match.group(1)}')", text)
    # Juxtaposition as the lecture writes it: `3e^-9`, `2(1+x)`, `0.5 sqrt(...)`.
    text = re.sub(r"\)\s*(?=[A-Za-z(])", ")*", text)
    return text


def evaluate(text: str) -> mp.mpf:
    """The exact value of a closed form's text. At 360 digits: a form may cancel as far as the doubles reach
    (1 − tanh(50)² is 1.49e-43, and 1 − tanh(350)² still a normal double)."""
    with mp.workdps(360):
        return eval(to_python(text), {"__builtins__": {}}, dict(FUNCTIONS))  # noqa: S307 - the project's own output
