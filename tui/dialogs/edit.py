"""The edit form: the expression, the input values and the input to differentiate by.

Every keystroke is checked with `build_problem`, the same function the command line uses, so the
form refuses exactly what `backprop-tui --expr` refuses, with the same one-line message, shown
under the fields. Nothing replaces the current graph until the form is applied with valid input.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Label, Static

from backprop_tui.core.engine.numbers import format_value
from backprop_tui.core.stepping.problem import Problem, ProblemError, build_problem

from .base import Dialog


class EditScreen(Dialog[Problem]):
    """A modal form; enter or Apply returns the new problem, escape or Cancel keeps the old one."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    EXPRESSION_ID = "edit-expression"
    VALUES_ID = "edit-values"
    WRT_ID = "edit-wrt"
    MESSAGE_ID = "edit-message"

    def __init__(self, problem: Problem) -> None:
        super().__init__()
        self.problem = problem
        self.result: Problem | None = problem
        self.error: str | None = None

    def compose(self) -> ComposeResult:
        source = self.problem.source
        example = source.text if source.kind == "example" else None
        values = ", ".join(f"{name}={format_value(value)}" for name, value in self.problem.inputs.items())
        with Vertical(classes="dialog edit"):
            yield Label(Content("Edit the graph"), classes="dialog-title")
            yield Label(Content("Expression" + (f" (empty keeps the example {example})" if example else "")))
            yield Input(source.text if example is None else "", id=self.EXPRESSION_ID,
                        placeholder="e.g. -y*log(1/(1+exp(-W*X)))")
            yield Label(Content("Input values"))
            yield Input(values, id=self.VALUES_ID, placeholder="e.g. X=3, y=1, W=3")
            yield Label(Content("Differentiate with respect to (forward mode)"))
            yield Input(self.problem.wrt, id=self.WRT_ID, placeholder="an input's name")
            yield Static(id=self.MESSAGE_ID)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Apply", variant="primary", id="apply")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.check()
        self.query_one(f"#{self.EXPRESSION_ID}", Input).focus()

    def field(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value.strip()

    def check(self) -> None:
        """Build the problem the fields describe and show what is wrong, or what would be opened."""
        expression = self.field(self.EXPRESSION_ID)
        source = self.problem.source
        example = source.text if source.kind == "example" and not expression else None
        wrt = self.field(self.WRT_ID)
        try:
            try:
                self.result = build_problem(example, expression or None, self.field(self.VALUES_ID),
                                            wrt or None, self.problem.mode)
            except ProblemError:
                if wrt != self.problem.wrt:
                    raise
                self.result = build_problem(example, expression or None, self.field(self.VALUES_ID), None,
                                            self.problem.mode)
        except ProblemError as error:
            self.result, self.error = None, str(error)
        else:
            self.error = None
        message = self.query_one(f"#{self.MESSAGE_ID}", Static)
        message.set_class(self.error is not None, "-error")
        if self.result is None:
            message.update(Content(f"✗ {self.error}"))
        else:
            inputs = ", ".join(self.result.graph.inputs)
            message.update(Content(f"✓ {len(self.result.graph)} nodes · inputs {inputs} · "
                                   f"d/d{self.result.wrt} in forward mode"))

    @on(Input.Changed)
    def changed(self) -> None:
        self.check()

    @on(Input.Submitted)
    @on(Button.Pressed, "#apply")
    def apply(self) -> None:
        self.check()
        if self.result is None:
            self.notify(self.error or "invalid input", title="Cannot apply", severity="error")
            return
        self.close(self.result)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.close(None)
