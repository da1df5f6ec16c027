"""The basic functions of slide 67 as a dialog: the graph's own nodes first, then every primitive.

Opened from a graph, the dialog first lists that graph's own basic functions, node by node, as slide
67 does for the lecture's six (`ξ2 = e^ξ1   ∂ξ2/∂ξ1 = e^ξ1` and the Python pair in the node's own
names); `f` turns to the full list of primitives and back. Everything shown is generated in core
(core/stepping/own_functions.py, core/engine/basic_functions.py); this screen only lays it out.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Label, Static

from backprop_tui.core.engine.basic_functions import BasicFunction, basic_functions
from backprop_tui.core.engine.graph import Graph
from backprop_tui.core.stepping.own_functions import NodeFunction, own_functions

from .base import Dialog

INTRO = ("Every node of the graph is one of these basic functions. Each knows its value and its local "
         "partial derivatives; the chain rule does the rest. The Python pairs are tested against the engine.")
OWN_INTRO = ("Slide 67: \"those are basic functions that my grandparent can do\". Each node of this graph is one "
             "basic function with its local derivative, written here in the node's own names, and as Python.")
OWN_HINT = "f: every basic function (the full list) · escape closes"
ALL_HINT = "f: back to this graph's own functions · escape closes"
OWN_ID, ALL_ID = "own-functions", "primitives"


def function_text(item: BasicFunction) -> str:
    """`ξ = e^a    ∂ξ/∂a = e^a` and the two lines of Python under it."""
    partials = "   ".join(f"∂ξ/∂{arg} = {text}" for arg, text in item.partials)
    return f"ξ = {item.definition}    {partials}\n" + "\n".join(f"  {line}" for line in item.python.splitlines())


def node_text(item: NodeFunction) -> Content:
    """`ξ2 = e^ξ1    ∂ξ2/∂ξ1 = e^ξ1   (exp)` in bold and the node's Python pair under it."""
    python = item.python.splitlines() if item.python else []
    return Content.assemble((f"{item.definition}    {'   '.join(item.partials)}", "bold"), (f"   ({item.op})", "dim"),
                            *(f"\n  {line}" for line in python))


class PrimitivesScreen(Dialog[None]):
    """Slide 67: the graph's own basic functions beside their derivatives (f: every primitive); escape or q closes.

    Without a graph it shows every primitive, and f closes it too."""

    BINDINGS = [Binding("escape,q", "close", "Close"), Binding("f", "turn", "All/own")]
    """Drawn as a dialog: the dialogs' styles, read when first shown."""

    def __init__(self, graph: Graph | None = None, title: str | None = None) -> None:
        super().__init__()
        self.graph = graph
        self.graph_title = title

    def compose(self) -> ComposeResult:
        if self.graph is not None:
            with VerticalScroll(classes="dialog help", id=OWN_ID):
                name = f": {self.graph_title}" if self.graph_title else ""
                yield Label(Content(f"This graph's basic functions (slide 67){name}"), classes="dialog-title")
                yield Static(Content(OWN_INTRO))
                yield Label(Content(OWN_HINT), classes="dialog-hint")
                yield Static(Content("\n\n").join(node_text(node) for node in own_functions(self.graph)),
                             classes="dialog-section")
        with VerticalScroll(classes="dialog help", id=ALL_ID):
            yield Label(Content("Basic functions (slide 67)"), classes="dialog-title")
            yield Static(Content(INTRO))
            if self.graph is not None:
                yield Label(Content(ALL_HINT), classes="dialog-hint")
            for item in basic_functions():
                yield Label(Content(f"{item.name} · {item.description}"), classes="dialog-title dialog-section")
                yield Static(Content(function_text(item)))

    def on_mount(self) -> None:
        if self.graph is not None:
            self.query_one(f"#{ALL_ID}").display = False

    @property
    def showing_all(self) -> bool:
        return bool(self.query_one(f"#{ALL_ID}").display)

    def action_turn(self) -> None:
        """Between the graph's own functions and the full list; without a graph, f closes as before."""
        if self.graph is None:
            self.close(None)
            return
        showing_all = not self.showing_all
        self.query_one(f"#{ALL_ID}").display = showing_all
        self.query_one(f"#{OWN_ID}").display = not showing_all
        self.query_one(f"#{ALL_ID if showing_all else OWN_ID}").focus()

    def action_close(self) -> None:
        self.close(None)
