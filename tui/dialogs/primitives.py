"""The basic functions of slide 67 as a dialog: each primitive, its local partials, its Python pair.

Everything shown is generated in core (core/engine/basic_functions.py) from the primitive table;
this screen only lays it out.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Label, Static

from backprop_tui.core.engine.basic_functions import BasicFunction, basic_functions

from .base import Dialog

INTRO = ("Every node of the graph is one of these basic functions. Each knows its value and its local "
         "partial derivatives; the chain rule does the rest. The Python pairs are tested against the engine.")


def function_text(item: BasicFunction) -> str:
    """`ξ = e^a    ∂ξ/∂a = e^a` and the two lines of Python under it."""
    partials = "   ".join(f"∂ξ/∂{arg} = {text}" for arg, text in item.partials)
    return f"ξ = {item.definition}    {partials}\n" + "\n".join(f"  {line}" for line in item.python.splitlines())


class PrimitivesScreen(Dialog[None]):
    """Slide 67: the basic functions beside their derivatives; escape, q or f closes it."""

    BINDINGS = [Binding("escape,q,f", "close", "Close")]
    """Drawn as a dialog: the dialogs' styles, read when first shown."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog help", id="primitives"):
            yield Label(Content("Basic functions (slide 67)"), classes="dialog-title")
            yield Static(Content(INTRO))
            for item in basic_functions():
                yield Label(Content(f"{item.name} · {item.description}"), classes="dialog-title dialog-section")
                yield Static(Content(function_text(item)))

    def action_close(self) -> None:
        self.close(None)
