"""The lesson map (`l`): the lecture's chapters in order, with their slides, what you do there and a
mark for the ones already visited; enter opens one where the student left it."""

from __future__ import annotations

import textwrap
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


ID_WIDTH = max(len(lesson.id) for lesson in LESSONS)
SLIDES_WIDTH = max(len(lesson.slides) for lesson in LESSONS)
LEFT = 6 + ID_WIDTH + 2 + SLIDES_WIDTH + 2
"""Cells before a lesson's title: mark, number, id and slides in columns, so the titles start together."""


def lesson_prompt(number: int, lesson: Lesson, visited: bool, current: bool, width: int = 0) -> Content:
    """One lesson in columns: the mark, number, id (what `--lesson` takes) and slides, then the title, which wraps
    under itself within `width` cells (0: no wrapping) instead of pushing the id to a line of its own."""
    mark = VISITED if visited else " "
    here = "  ← you are here" if current else ""
    room = width - LEFT
    title = lesson.title + here
    lines = textwrap.wrap(title, room) if room >= 20 else [title]
    body = ("\n" + " " * LEFT).join(lines)
    title_part, here_part = (body[:-len(here)], here) if here and body.endswith(here) else (body, "")
    return Content.assemble(
        (f"{mark} {number:>2}  ", "bold $text-success" if visited else ""),
        (f"{lesson.id:<{ID_WIDTH}}  ", "bold"), (f"{lesson.slides:<{SLIDES_WIDTH}}  ", "$text-muted"),
        (title_part, ""), (here_part, "$text-accent"))


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

    def on_resize(self) -> None:
        self.call_after_refresh(self.fit_prompts)

    def fit_prompts(self) -> None:
        """Wrap each title to the list's width (known only once the dialog is laid out)."""
        options = self.query_one(OptionList)
        width = options.scrollable_content_region.width - 2
        if width <= 0 or width == getattr(self, "_fitted", None):
            return
        self._fitted = width
        for number, lesson in enumerate(LESSONS, start=1):
            prompt = lesson_prompt(number, lesson, lesson.id in self.visited, lesson.id == self.current, width)
            options.replace_option_prompt_at_index(number - 1, prompt)

    def on_mount(self) -> None:
        self.call_after_refresh(self.fit_prompts)
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
