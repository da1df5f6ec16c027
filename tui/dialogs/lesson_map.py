"""The lesson map (`l`): the lecture's chapters in order, with their slides, what you do there and a
mark for the ones already visited; enter opens one where the student left it."""

from __future__ import annotations

from collections.abc import Collection

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from backprop_tui.core.lessons.catalog import LESSONS, Lesson

from .base import Dialog

VISITED = "✓"
DOING_ID = "lesson-doing"


def lesson_prompt(number: int, lesson: Lesson, visited: bool, current: bool) -> Content:
    """One line: the mark, number, title, slides and id (what the student does there is shown below the list)."""
    mark = VISITED if visited else " "
    here = "  ← you are here" if current else ""
    return Content.assemble(
        (f"{mark} {number:>2}  ", "bold $text-success" if visited else ""), (lesson.title, "bold"),
        (f"  slides {lesson.slides} · {lesson.id}", "$text-muted"), (here, "$text-accent"))


class LessonMapScreen(Dialog[str]):
    """Pick a chapter of the lecture; escape (or `l` again) keeps the one open."""

    BINDINGS = [Binding("escape,l", "cancel", "Cancel")]

    def __init__(self, visited: Collection[str], current: str | None) -> None:
        super().__init__()
        self.visited = visited
        self.current = current

    def compose(self) -> ComposeResult:
        options = [Option(lesson_prompt(number, lesson, lesson.id in self.visited, lesson.id == self.current),
                          id=lesson.id) for number, lesson in enumerate(LESSONS, start=1)]
        with Vertical(classes="dialog lesson-map"):
            yield Label(Content("The lecture, chapter by chapter"), classes="dialog-title")
            yield OptionList(*options)
            yield Label(id=DOING_ID)
            yield Label(Content(f"enter open · escape close · {VISITED} visited"), classes="dialog-hint")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        ids = [lesson.id for lesson in LESSONS]
        options.highlighted = ids.index(self.current) if self.current in ids else 0
        options.focus()

    @on(OptionList.OptionHighlighted)
    def highlighted(self, event: OptionList.OptionHighlighted) -> None:
        chosen = next(lesson for lesson in LESSONS if lesson.id == event.option.id)
        self.query_one(f"#{DOING_ID}", Label).update(Content(f"{chosen.id}: {chosen.doing}."))

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.close(event.option.id)

    def action_cancel(self) -> None:
        self.close(None)
