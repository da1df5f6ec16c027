"""One exercise: the stepper's graph and table, but each cell waits for the student's answer before it shows.

The screen only routes key presses to core's ExerciseRun (which grades, hints and scores) and hands the
masked snapshot core computes to the same GraphCanvas and TraceTable the stepper uses.
"""

from __future__ import annotations

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input, Label, Static

from backprop_tui.core.layout.grouping import group_layers
from backprop_tui.core.lessons.cells import Cell, masked_snapshot
from backprop_tui.core.lessons.descent_questions import function_curve, function_points
from backprop_tui.core.lessons.exercises import Exercise, graph_worksheet
from backprop_tui.core.lessons.practice import Choice, ExerciseRun, Feedback, Worksheet, prompt_of
from backprop_tui.core.lessons.progress_store import ProgressStore
from backprop_tui.core.stepping.problem import Problem

from ..widgets import GraphCanvas, TraceTable
from ..widgets.fitting_footer import FittingFooter
from ..widgets.plot_choice import ChoicePlot, RunPoints

REVEAL_WORD = "?"
"""Typed as an answer, reveals the cell (as the reveal key does)."""
FEEDBACK_MARKUP = {"right": "[bold $text-success]$text", "wrong": "[bold $text-warning]$text",
                   "revealed": "[bold $text-accent]$text", "unparsed": "[bold $text-error]$text"}
"""The text goes in as a variable, never as markup: formulas hold brackets."""


def feedback_content(feedback: Feedback) -> Content:
    """The verdict, and for a typo the parser's caret under the answer."""
    text = feedback.message
    if feedback.kind == "unparsed" and feedback.checked is not None and feedback.checked.caret:
        text = f"{text}\n  {feedback.checked.caret.replace(chr(10), chr(10) + '  ')}"
    return Content.from_markup(FEEDBACK_MARKUP[feedback.kind], text=text)


def summary_text(run: ExerciseRun) -> str:
    score = run.score
    retry = f"Cells to retry: {', '.join(score.retry)}." if score.retry else "Every cell right on the first try."
    return f"Score: {score.text}\n{retry}\nn next exercise · r again · escape the list"


class PracticeScreen(Screen[str | None]):
    """Type each cell before it is revealed; dismissed with `next`, `again` or None (back to the list)."""

    CSS_PATH = "../styles/practice.tcss"
    BINDINGS = [
        Binding("ctrl+r", "reveal", "Reveal", tooltip="Show this cell without answering (it counts as revealed)"),
        Binding("n", "next", "Next exercise", tooltip="Open the next exercise of the list"),
        Binding("r", "again", "Again", tooltip="Do this exercise again"),
        Binding("escape", "back", "List",
                tooltip="Back to the exercise list (an unfinished exercise stays in progress)"),
    ]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]

    def __init__(self, chosen: Exercise, worksheet: Worksheet, store: ProgressStore) -> None:
        super().__init__()
        self.exercise = chosen
        self.attempt = ExerciseRun(worksheet)
        self.store = store
        self._curve: tuple[list[float], list[float]] | None = None
        """f(x) for the descent questions' plot, computed when first shown."""
        self._leaving = False
        """Set by the first dismiss: quick repeated keys never pop a second screen."""

    @property
    def worksheet(self) -> Worksheet:
        return self.attempt.worksheet

    def compose(self) -> ComposeResult:
        problem = self.worksheet.problem
        graph = f": {problem.title}" if self.exercise.generated and problem is not None else ""
        seed = f" · seed {self.worksheet.seed}" if self.worksheet.seed is not None else ""
        yield Label(Content(f"practice · {self.exercise.title}{graph}{seed}"), id="practice-header")
        if self.worksheet.stepper is not None:
            canvas = GraphCanvas()
            canvas.border_title = "Computational graph"
            yield canvas
            table = TraceTable()
            table.border_title = "The lecture's table"
            yield table
        else:
            with Vertical(id="practice-choice-area"):
                yield Static(id="practice-choices")
                yield ChoicePlot(id="practice-plot")
        with Vertical(id="practice-panel"):
            yield Label(id="practice-question")
            yield Input(placeholder="a number or an expression, e.g. 0.25, e^-2 or 1/(1+exp(-1)); ? reveals",
                        id="practice-answer", compact=True)
            yield Label(id="practice-feedback")
            yield Label(id="practice-score")
        yield FittingFooter()

    def on_mount(self) -> None:
        stepper = self.worksheet.stepper
        if stepper is not None and self.worksheet.problem is not None:
            final = stepper.final()
            graph = self.worksheet.problem.graph
            self.query_one(GraphCanvas).load(graph, final, group_layers(graph), stepper.outline)
            self.query_one(TraceTable).load(final)
        self.store.started(self.exercise.id, self.worksheet.seed)
        self._tell_store_problem()
        self.query_one("#practice-feedback", Label).update(Content(self.worksheet.intro))
        self.show_question()
        self.query_one(Input).focus()

    def show_question(self) -> None:
        """Show the table up to the current cell, the question, and the score so far."""
        run = self.attempt
        stepper = self.worksheet.stepper
        if stepper is not None:
            cells = tuple(question for question in run.questions if isinstance(question, Cell))
            snapshot = masked_snapshot(stepper, cells, run.position)
            self.query_one(GraphCanvas).snapshot = snapshot
            self.query_one(TraceTable).snapshot = snapshot
        question = run.current
        self._show_runs()
        if question is None:
            for choices in self.query("#practice-choices"):
                choices.display = False  # answered: the room goes to the plot of what descent did
            self.query_one("#practice-question", Label).update(Content("Exercise done."))
            self.query_one("#practice-score", Label).update(Content(summary_text(run)))
            answer = self.query_one(Input)
            answer.disabled = True
            answer.display = False
            self.set_focus(None)
            self.refresh_bindings()
            return
        number = f"{run.position + 1}/{len(run.questions)}"
        self.query_one("#practice-question", Label).update(
            Content.assemble((f"{number} ", "dim"), (prompt_of(question), "bold")))
        if isinstance(question, Choice):
            options = "\n".join(f"  {index}. {option}" for index, option in enumerate(question.options, 1))
            self.query_one("#practice-choices", Static).update(Content(f"{question.prompt}\n\n{options}"))
            self.query_one(Input).placeholder = f"the number of your choice, 1 to {len(question.options)}; ? reveals"
        self.query_one("#practice-score", Label).update(Content(f"score so far: {run.score.text}"))

    def _show_runs(self) -> None:
        """The descent questions' curve with each asked question's start, and for an answered one where its run
        of descent went (the exercise is answered by running descent: the plot shows what it did)."""
        choices = [(index, question) for index, question in enumerate(self.attempt.questions)
                   if isinstance(question, Choice) and question.runs]
        if not choices:
            return
        if self._curve is None:
            self._curve = function_curve()
        position = self.attempt.position
        runs: list[RunPoints] = []
        for index, question in choices:
            if index > position:
                break
            answered = index < position
            for start, end in question.runs:
                f_start, f_end = function_points((start, end))
                runs.append(RunPoints((start, f_start), (end, f_end) if answered else None))
        plot = self.query_one(ChoicePlot)
        plot.show(self._curve, tuple(runs))
        self.query_one("#practice-choice-area").border_subtitle = plot.legend()

    @on(Input.Submitted, "#practice-answer")
    def submitted(self, event: Input.Submitted) -> None:
        text = event.value
        if self.attempt.finished:
            return
        feedback = self.attempt.reveal() if text.strip() == REVEAL_WORD else self.attempt.submit(text)
        self._after(feedback, clear=feedback is not None and feedback.kind != "unparsed")

    def action_reveal(self) -> None:
        self._after(self.attempt.reveal(), clear=True)

    def _after(self, feedback: Feedback | None, clear: bool) -> None:
        if feedback is None:
            return
        self.query_one("#practice-feedback", Label).update(feedback_content(feedback))
        if clear:
            self.query_one(Input).value = ""
        if feedback.kind in ("right", "revealed"):
            if self.attempt.finished:
                self.store.finished(self.exercise.id, self.attempt.score, self.worksheet.seed)
                self._tell_store_problem()
            self.show_question()

    def _tell_store_problem(self) -> None:
        problem = self.store.unsaid_problem()
        if problem:
            self.notify(problem, title="Progress", severity="warning", timeout=8)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`n` and `r` only once the exercise is done (before that they are letters of an answer)."""
        if action in ("next", "again"):
            return self.attempt.finished
        if action == "reveal":
            return not self.attempt.finished
        return True

    def _leave(self, result: str | None) -> None:
        if self._leaving:
            return
        self._leaving = True
        self.dismiss(result)

    def action_next(self) -> None:
        self._leave("next")

    def action_again(self) -> None:
        self._leave("again")

    def action_back(self) -> None:
        self._leave(None)


PRACTISE_GRAPH_ID = "this-graph"
"""The stepper's `k` practises the graph on screen: not on the list, so its progress is not kept."""


def practise_graph(app: App, problem: Problem, store: ProgressStore | None = None) -> bool:
    """Turn the stepper's graph into an exercise and push it (the stepper's `k`).

    False, with a notification, for a graph that cannot be practised (a batch, too many cells)."""
    try:
        worksheet = graph_worksheet(problem)
    except (ValueError, ArithmeticError) as error:
        app.notify(str(error), title="Cannot practise this graph", severity="warning")
        return False
    chosen = Exercise(PRACTISE_GRAPH_ID, f"this graph: {problem.title}", "every cell of the graph on screen",
                      lambda seed: worksheet)
    if store is None:
        from .hand_lesson import session_of

        store = session_of(app.screen).progress  # the session's store: never a second copy of the file
    app.push_screen(PracticeScreen(chosen, worksheet, store))
    return True
