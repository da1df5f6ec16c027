"""The help screen: every key of the stepper, and what forward and reverse mode do differently."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Label, Static

from .base import Dialog

MODES_TEXT = (
    "Forward mode carries one derivative along with the values, from the inputs to the loss: "
    "each node gets its value ξ and its tangent dξ/dW = Σ ∂ξ/∂parent · dparent/dW. "
    "One sweep gives the derivative with respect to one input, so the full gradient takes one sweep per input.\n\n"
    "Reverse mode (backpropagation) first computes and stores every value (the forward pass), then sends "
    "adjoints dL/dξ back from the loss (the backward pass): dL/dparent += dL/dξ · ∂ξ/∂parent. "
    "A node that feeds several others adds up one contribution from each. "
    "One backward sweep gives the derivative with respect to every input: that is why training uses it.\n\n"
    "Notation, as in the lecture: ∂ξ/∂parent is a node's local partial (one step along one edge); "
    "dξ/dW and dL/dξ are totals accumulated along every path."
)

EXTRA_KEYS = (("click", "Jump to the step of a node or a table row"), ("^p", "Command palette: the same commands"),
              ("escape", "Close this help"))


def key_lines(bindings: list[Binding], key_display) -> list[tuple[str, str]]:
    """(keys, what they do) for each binding, e.g. ('→ n', 'Next step: …')."""
    lines = []
    for binding in bindings:
        keys = " ".join(key_display(Binding(key.strip(), binding.action)) for key in binding.key.split(","))
        lines.append((keys, binding.tooltip or binding.description))
    return lines


class HelpScreen(Dialog[None]):
    """A screen's keys, then the ideas behind it; any of escape, q or ? closes it.

    Each screen's help is this class with its own `EXTRA_KEYS` and `SECTIONS` (title, text): the
    stepper's explains forward against reverse mode.
    """

    BINDINGS = [Binding("escape,q,question_mark", "close", "Close")]
    EXTRA_KEYS: tuple[tuple[str, str], ...] = EXTRA_KEYS
    SECTIONS: tuple[tuple[str, str], ...] = (("Forward and reverse mode", MODES_TEXT),)

    def __init__(self, bindings: list[Binding]) -> None:
        super().__init__()
        self.bindings = bindings

    def compose(self) -> ComposeResult:
        lines = key_lines(self.bindings, self.app.get_key_display) + list(self.EXTRA_KEYS)
        width = max(len(keys) for keys, _ in lines)
        keys_text = "\n".join(f"{keys.rjust(width)}  {text}" for keys, text in lines)
        with VerticalScroll(classes="dialog help"):
            yield Label(Content("Keys"), classes="dialog-title")
            yield Static(Content(keys_text))
            for title, text in self.SECTIONS:
                yield Label(Content(title), classes="dialog-title dialog-section")
                yield Static(Content(text))

    def action_close(self) -> None:
        self.close(None)
