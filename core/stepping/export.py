"""Lay the completed table out as text, CSV, Markdown, LaTeX or JSON (the teachers' export)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable

from .json_text import dumps_indented
from .steppers import Stepper
from .table import TableSource, table_json, text_columns

TABLE_FORMATS = ("text", "csv", "markdown", "latex", "json")


def _text(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows, strict=False)]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=False)).rstrip()
             for line in [header, *rows]]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def _csv(header: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().rstrip("\n")


def _markdown(header: list[str], rows: list[list[str]]) -> str:
    def line(cells: list[str]) -> str:
        return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"

    return "\n".join([line(header), "|" + "---|" * len(header), *(line(row) for row in rows)])


_LATEX_SYMBOLS = {
    "−": "-", "·": r"\cdot ", "ᵀ": r"^\top ", "σ": r"\sigma", "β": r"\beta", "√": r"\sqrt", "∂": r"\partial ",
    "²": "^2", "³": "^3", "…": r"\ldots", "%": r"\%", "&": r"\&", "#": r"\#", "ᴬ": "^{A}", "ᴮ": "^{B}",
}


def latex_math(text: str) -> str:
    """Formula text as LaTeX math: ξ4 → \\xi_{4}, e^(…) → e^{(…)}, superscripts and symbols mapped."""
    text = re.sub(r"ξ(\d+)", lambda match: "\x00" + match.group(1) + "\x01", text.replace("_", r"\_"))
    text = text.replace("\x00", r"\xi_{").replace("\x01", "}").replace("ξ", r"\xi ")
    out: list[str] = []
    position = 0
    while position < len(text):
        char = text[position]
        if char == "^" and position + 1 < len(text):
            start = position + 1
            if text[start] == "(":
                depth, end = 0, start
                while end < len(text):
                    depth += {"(": 1, ")": -1}.get(text[end], 0)
                    if depth == 0:
                        break
                    end += 1
                out.append("^{" + latex_math(text[start:end + 1]) + "}")
                position = end + 1
                continue
            match = re.match(r"-?[\w.{}\\]+", text[start:])
            if match:
                out.append("^{" + match.group(0) + "}")
                position = start + match.end()
                continue
        out.append(_LATEX_SYMBOLS.get(char, char))
        position += 1
    return "".join(out)


_LATEX_TEXT = {
    "\\": r"\textbackslash{}", "^": r"\textasciicircum{}", "_": r"\_", "%": r"\%", "&": r"\&", "#": r"\#",
    "$": r"\$", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "−": "-", "…": r"\ldots{}",
    "<": "$<$", ">": "$>$", "·": r"$\cdot$", "∂": r"$\partial$", "ξ": r"$\xi$", "σ": r"$\sigma$",
    "β": r"$\beta$", "ᵀ": r"$^\top$", "²": r"\textsuperscript{2}", "ᴬ": r"\textsuperscript{A}",
    "ᴮ": r"\textsuperscript{B}",
}


def latex_text(text: str) -> str:
    """Prose (a note) for LaTeX's text mode: special characters escaped, symbols as inline math."""
    return "".join(_LATEX_TEXT.get(char, char) for char in text)


def _latex(header: list[str], rows: list[list[str]]) -> str:
    def cell(text: str, math: bool) -> str:
        return f"${latex_math(text)}$" if math and text else latex_math(text)

    def body_cell(index: int, text: str) -> str:
        if header[index] == "note":
            return latex_text(text)
        return cell(text, index < 7 and text != "input")

    head = " & ".join(cell(title, "∂" in title or "ξ" in title) for title in header) + r" \\"
    body = [" & ".join(body_cell(index, text) for index, text in enumerate(row)) + r" \\" for row in rows]
    return "\n".join([r"\begin{tabular}{" + "l" * len(header) + "}", r"\hline", head, r"\hline", *body,
                      r"\hline", r"\end{tabular}"])


_LAYOUTS: dict[str, Callable[[list[str], list[list[str]]], str]] = {
    "text": _text, "csv": _csv, "markdown": _markdown, "latex": _latex,
}


def export_table(stepper: Stepper, source: TableSource, fmt: str) -> str:
    """The completed table of `stepper` in format `fmt` (one of TABLE_FORMATS)."""
    if fmt == "json":
        return dumps_indented(table_json(stepper, source))
    if fmt not in _LAYOUTS:
        raise ValueError(f"unknown format {fmt!r}: choose one of {', '.join(TABLE_FORMATS)}")
    header, rows = text_columns(stepper.final())
    return _LAYOUTS[fmt](header, rows)
