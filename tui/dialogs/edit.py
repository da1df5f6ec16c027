"""The edit form: the expression, the input values and the input to differentiate by.

Every keystroke is checked with `build_problem`, the same function the command line uses, so the
form refuses exactly what `backprop-tui --expr` refuses, with the same one-line message, shown
under the fields. Nothing replaces the current graph until the form is applied with valid input.

A long expression (a sum of thousands of terms: half a second to build) is checked in a thread once
typing pauses, so no keystroke waits for it; Apply checks what is typed then, as always.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Button, Input, Label, Static

from backprop_tui.core.engine.numbers import format_value
from backprop_tui.core.stepping.problem import Problem, ProblemError, build_problem

from .base import Dialog

QUICK_CHARS = 2_000
"""An expression up to this long is checked on every keystroke, in milliseconds."""
PAUSE_SECONDS = 0.25
"""A longer one is checked once typing has paused this long."""
Fields = tuple[str, str, str]
"""The expression, the input values and the input to differentiate by, as typed."""


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
        self._pause: Timer | None = None

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

    def fields(self) -> Fields:
        return self.field(self.EXPRESSION_ID), self.field(self.VALUES_ID), self.field(self.WRT_ID)

    def outcome(self, fields: Fields) -> tuple[Problem | None, str | None]:
        """The problem the fields describe, or why there is none (safe in a thread: core only)."""
        expression, values, wrt = fields
        source = self.problem.source
        example = source.text if source.kind == "example" and not expression else None
        try:
            try:
                return build_problem(example, expression or None, values, wrt or None, self.problem.mode), None
            except ProblemError:
                if wrt != self.problem.wrt:
                    raise
                return build_problem(example, expression or None, values, None, self.problem.mode), None
        except ProblemError as error:
            return None, str(error)

    def check(self) -> None:
        """Build the problem the fields describe and show what is wrong, or what would be opened."""
        self.show(self.outcome(self.fields()))

    def show(self, outcome: tuple[Problem | None, str | None]) -> None:
        self.result, self.error = outcome
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
        fields = self.fields()
        if len(fields[0]) <= QUICK_CHARS:
            self.check()
            return
        self.result, self.error = None, "still checking what you typed"
        self.query_one(f"#{self.MESSAGE_ID}", Static).update(Content("… checking"))
        if self._pause is not None:
            self._pause.stop()
        self._pause = self.set_timer(PAUSE_SECONDS, lambda: self.check_in_thread(fields))

    @work(thread=True, exclusive=True, group="edit-check", exit_on_error=False)
    def check_in_thread(self, fields: Fields) -> None:
        outcome = self.outcome(fields)
        self.app.call_from_thread(self._show_if_current, fields, outcome)

    def _show_if_current(self, fields: Fields, outcome: tuple[Problem | None, str | None]) -> None:
        """Show a thread's check unless the dialog has closed or the fields changed since it began."""
        if self.is_attached and self in self.app.screen_stack and fields == self.fields():
            self.show(outcome)

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
