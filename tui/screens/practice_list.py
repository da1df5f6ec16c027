"""The practice lesson's exercise list: every exercise in order of difficulty with its status and best score.

As in rustlings, the next exercise is one key away (`n`), and progress comes from the state file kept
between runs (core/lessons/progress_store.py); a problem with that file is said once, never fatal.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from backprop_tui.core.lessons.answers import TOLERANCE_TEXT
from backprop_tui.core.lessons.exercises import EXERCISE_IDS, EXERCISES, Exercise, exercise
from backprop_tui.core.lessons.progress_store import ExerciseProgress, ProgressStore

from ..widgets.fitting_footer import FittingFooter

STATUS_MARKS = {"new": "·", "in progress": "…", "done": "✓"}


def entry_text(number: int, item: Exercise, record: ExerciseProgress) -> str:
    """`✓  1. the lecture's graph, forward mode …   done · best 83 %`."""
    best = f" · best {record.best} %" if record.best is not None else ""
    return f"{STATUS_MARKS[record.status]} {number:2d}. {item.title}  [{record.status}{best}]"


def detail_text(item: Exercise, record: ExerciseProgress, seed: int | None) -> str:
    lines = [f"You type: {item.asks}."]
    if item.generated:
        lines.append(f"Seed {seed} (given with --seed)." if seed is not None
                     else "A new graph each time; its seed is shown, so a class can share one (--seed N)."
                     + (f" Last seed: {record.seed}." if record.seed is not None else ""))
    if record.last_score:
        lines.append(f"Last time: {record.last_score}.")
    if record.retry:
        lines.append(f"To retry: {', '.join(record.retry)}.")
    return "\n".join(lines)


class PracticeListScreen(Screen[None]):
    """The exercises, rustlings-style: enter opens the highlighted one, n the next one not done yet."""

    CSS_PATH = "../styles/practice.tcss"
    BINDINGS = [
        Binding("n", "next", "Next exercise", tooltip="Open the first exercise not done yet"),
        Binding("escape", "back", "Back", tooltip="Back to where you came from"),
        Binding("l", "app.lessons", "Lessons", tooltip="The lesson map: the lecture chapter by chapter"),
        Binding("question_mark", "help", "Help", tooltip="Keys, and how an exercise is scored"),
        Binding("q", "quit", "Quit", tooltip="Quit backprop-tui (your progress is kept)"),
    ]

    def __init__(self, seed: int | None = None, store: ProgressStore | None = None) -> None:
        super().__init__()
        self.seed = seed
        """The seed of the generated exercises (`--seed N`); None gives a new graph each time."""
        self._store = store
        self._opening = False
        """True from opening an exercise until it is closed: a quick second enter opens nothing more."""

    @property
    def store(self) -> ProgressStore:
        """The app session's store (one for every screen), unless one was given (a test)."""
        if self._store is None:
            from .hand_lesson import session_of

            self._store = session_of(self).progress
        return self._store

    def compose(self) -> ComposeResult:
        yield Label(Content("backprop-tui · practice: compute each cell before it is revealed"), id="practice-title")
        yield OptionList(id="practice-list")
        yield Label(id="practice-detail")
        yield Label(Content(f"Answers: a number or an expression (e^-2, 1/(1+exp(-1))), {TOLERANCE_TEXT}."),
                    id="practice-rules")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.refresh_list()
        self.query_one(OptionList).focus()
        problem = self.store.unsaid_problem()
        if problem:
            self.notify(problem, title="Progress", severity="warning", timeout=8)

    def on_screen_resume(self) -> None:
        self.store.reload()  # another window may have written the file meanwhile
        self.refresh_list()

    def refresh_list(self) -> None:
        options = self.query_one(OptionList)
        highlighted = options.highlighted
        options.clear_options()
        options.add_options([Option(Content(entry_text(number, item, self.store.record(item.id))), id=item.id)
                             for number, item in enumerate(EXERCISES, 1)])
        options.highlighted = highlighted if highlighted is not None else 0
        self._show_detail(options.highlighted)

    @on(OptionList.OptionHighlighted)
    def highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show_detail(event.option_index)

    def _show_detail(self, index: int | None) -> None:
        if index is None:
            return
        item = EXERCISES[index]
        self.query_one("#practice-detail", Label).update(
            Content(detail_text(item, self.store.record(item.id), self.seed)))

    @on(OptionList.OptionSelected)
    def selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.open_exercise(event.option.id)

    def action_next(self) -> None:
        pending = [item.id for item in EXERCISES if self.store.record(item.id).status != "done"]
        self.open_exercise(pending[0] if pending else EXERCISE_IDS[0])

    def open_exercise(self, exercise_id: str) -> None:
        """Build the exercise and push its screen; nothing while one is already open."""
        if self._opening:
            return
        from .practice_exercise import PracticeScreen

        chosen = exercise(exercise_id)
        try:
            worksheet = chosen.build(self.seed)
        except (ValueError, ArithmeticError) as error:
            self.notify(str(error), title="Cannot build this exercise", severity="error")
            return
        self._opening = True
        self.query_one(OptionList).highlighted = EXERCISE_IDS.index(exercise_id)
        self.app.push_screen(PracticeScreen(chosen, worksheet, self.store), self._exercise_closed)

    def _exercise_closed(self, result: str | None) -> None:
        """`next` opens the exercise after the one just closed, `again` the same one (a new graph if generated)."""
        self._opening = False
        index = self.query_one(OptionList).highlighted or 0
        if result == "next":
            self.open_exercise(EXERCISE_IDS[min(index + 1, len(EXERCISE_IDS) - 1)])
        elif result == "again":
            self.open_exercise(EXERCISE_IDS[index])

    def action_back(self) -> None:
        """Back to the lesson the student came from (the app keeps the way back)."""
        self.app.action_back()  # type: ignore[attr-defined]

    def action_help(self) -> None:
        from ..dialogs.hand_help import PracticeHelpScreen

        self.app.push_screen(PracticeHelpScreen(self.BINDINGS))

    def action_quit(self) -> None:
        self.app.exit()
